package dev.baton.core.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/tutorial.md, chapter 2 (and docs/architecture.md): a loop runs one coroutine at a time.
 * Prints what the chapter shows, in its order.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class Chapter2LoopTest {

    @Test
    void helloBatonPrintsGot42() {
        String printed = Printed.by(() -> HelloBaton.main(new String[0]));
        assertEquals("got 42\n", printed);
    }

    @Test
    void twoCoroutinesTakeTurnsAtEachSleep() {
        List<String> trace = new ArrayList<>();
        long[] counter = {0}; // a plain long: only the baton holder touches it
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))) {
            for (String name : List.of("ping", "pong")) {
                loop.spawn(name, () -> {
                    for (int i = 0; i < 2; i++) {
                        counter[0]++;
                        trace.add(name + " " + counter[0]);
                        Loop.sleep(Duration.ofSeconds(1));
                    }
                });
            }
            loop.runFor(Duration.ofSeconds(10));
        }
        assertEquals(List.of("ping 1", "pong 2", "ping 3", "pong 4"), trace);
        System.out.println(trace); // [ping 1, pong 2, ping 3, pong 4]
    }
}
