package dev.baton.core.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.baton.core.DeadlockException;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** docs/tutorial.md, chapter 5: what goes wrong, and what Baton says. Prints what the chapter shows, in its order. */
@TestMethodOrder(MethodOrderer.MethodName.class)
class Chapter5PitfallsTest {

    @Test
    void aFailureNobodyRetrievesGoesToTheExceptionHandler() {
        List<String> reported = new ArrayList<>();
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))) {
            loop.setExceptionHandler((source, error) -> reported.add(source + ": " + error));
            loop.spawn("forgotten", () -> {
                throw new IllegalStateException("disk on fire");
            });
            loop.runUntilIdle();
        }
        System.out.println(reported); // [task 'forgotten': java.lang.IllegalStateException: disk on fire]
        assertEquals(List.of("task 'forgotten': java.lang.IllegalStateException: disk on fire"), reported);
    }

    /** Real time, bounded (about 200 ms): the work blocks a real thread, and the loop goes on. */
    @Test
    void blockingWorkGoesToAThreadOfItsOwn() {
        try (Loop loop = Loop.create()) {
            Task<String> archive = loop.spawn("archive", () -> Loop.toThread(() -> {
                Thread.sleep(200); // blocking: a big copy, a compression, a DNS lookup
                return "archived";
            }));
            Task<Integer> ticker = loop.spawn("ticker", () -> {
                int ticks = 0;
                while (!archive.isDone()) {
                    Loop.sleep(Duration.ofMillis(10));
                    ticks++;
                }
                return ticks;
            });
            String line = loop.runUntilComplete(archive) + "; the ticker ticked meanwhile: " + (loop.runUntilComplete(ticker) > 5);
            System.out.println(line); // archived; the ticker ticked meanwhile: true
            assertEquals("archived; the ticker ticked meanwhile: true", line);
        }
    }

    @Test
    void twoTasksWaitingForEachOtherAreADeadlockNotAHang() {
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))) {
            Task<?>[] tasks = new Task<?>[2];
            tasks[0] = loop.spawn("alice", () -> tasks[1].join());
            tasks[1] = loop.spawn("bob", () -> tasks[0].join());
            DeadlockException e = assertThrows(DeadlockException.class, () -> loop.runUntilComplete(tasks[0]));
            // Printed and shown without its stack lines ("at ..."), which name lines of core's sources.
            String withoutStacks = e.getMessage().lines().filter(line -> !line.strip().startsWith("at ")).collect(Collectors.joining("\n"));
            System.out.println(withoutStacks);
            assertEquals("""
                    task 'alice' can never complete: nothing is ready and no timer is pending, so no suspended coroutine can ever be woken. Unfinished coroutines (2):
                      coroutine 'alice' joining task 'bob'
                      coroutine 'bob' joining task 'alice'""", withoutStacks);
        }
    }
}
