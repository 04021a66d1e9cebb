package dev.baton.core.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.baton.core.DeadlockException;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/tutorial.md, chapter 5: what goes wrong, and what Baton says. */
class Chapter5PitfallsTest {

    static Loop virtualLoop() {
        return Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aFailureNobodyRetrievesGoesToTheExceptionHandler() {
        List<String> reported = new ArrayList<>();
        try (Loop loop = virtualLoop()) {
            loop.setExceptionHandler((source, error) -> reported.add(source + ": " + error));
            loop.spawn("forgotten", () -> {
                throw new IllegalStateException("disk on fire");
            });
            loop.runUntilIdle();
        }
        System.out.println(reported);
        assertEquals(1, reported.size(), reported.toString());
    }

    @Test
    void twoTasksWaitingForEachOtherAreADeadlockNotAHang() {
        try (Loop loop = virtualLoop()) {
            Task<?>[] tasks = new Task<?>[2];
            tasks[0] = loop.spawn("alice", () -> tasks[1].join());
            tasks[1] = loop.spawn("bob", () -> tasks[0].join());
            DeadlockException e = assertThrows(DeadlockException.class, () -> loop.runUntilComplete(tasks[0]));
            System.out.println(e.getMessage());
        }
    }
}
