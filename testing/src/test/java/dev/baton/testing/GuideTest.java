package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The examples of docs/testing.md, as they appear there. */
@VirtualTime(start = "2026-03-29T00:30", zone = "Europe/London")
class GuideTest {

    /** The code under test: calls {@code call} up to {@code attempts} times, waiting 1 s, 2 s, 4 s... between. */
    static <T> T withRetry(int attempts, Callable<T> call) throws Exception {
        Duration backoff = Duration.ofSeconds(1);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (attempt == attempts) {
                    throw e;
                }
                Loop.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    @Test
    void retriesWithADoublingBackoff(Loop loop, Trace trace) {
        int[] calls = {0};
        Task<String> fetch = loop.spawn("fetch", () -> withRetry(4, () -> {
            trace.record("call");
            if (++calls[0] < 3) {
                throw new IOException("connection refused");
            }
            return "ok";
        }));
        assertEquals("ok", loop.runUntilComplete(fetch));
        trace.assertTrace("call@2026-03-29T00:30Z", "call@2026-03-29T00:30:01Z", "call@2026-03-29T00:30:03Z");
    }

    @Test
    void aHeartbeatAcrossTheSpringForwardHour(Loop loop, LoopTester tester, Trace trace) {
        Task<Void> heartbeat = loop.spawn("heartbeat", () -> {
            while (true) {
                Loop.sleep(Duration.ofMinutes(30));
                trace.record("beat");
            }
        });
        tester.runUntil(LocalDateTime.parse("2026-03-29T02:30"));
        // Half an hour after 00:30 GMT the clocks read 02:00 BST.
        trace.assertTrace("beat@2026-03-29T02:00+01:00", "beat@2026-03-29T02:30+01:00");
        heartbeat.cancel(); // or tester.expectUnfinished(heartbeat); left running, it fails the test as a leak
    }
}
