package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleTest {
    private int finished;

    @Test
    void hundredThousandCoroutinesSleepTenTimesEach() {
        int coroutines = 100_000;
        int sleeps = 10;
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < coroutines; i++) {
                int n = i;
                loop.spawn("c" + i, () -> {
                    for (int s = 0; s < sleeps; s++) {
                        Loop.sleep(Duration.ofMillis(1 + (n + s) % 7));
                    }
                    finished++;
                });
            }
            long start = System.nanoTime();
            loop.runForever();
            long elapsed = System.nanoTime() - start;
            assertEquals(coroutines, finished);
            // A figure for the log, not an assertion: the bench module measures this properly.
            System.out.printf("ScaleTest: %,d coroutines x %d virtual sleeps: %.2f us per sleep (%,d ms in all, incl. thread start)%n",
                    coroutines, sleeps, elapsed / 1_000.0 / ((long) coroutines * sleeps), elapsed / 1_000_000);
        }
    }
}
