package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A plain-Java rate limiter ({@link RateLimiter}: ScheduledExecutorService and Clock, no Baton
 * type) on virtual time, across the night London's clocks go forward: the injected executor and
 * clock are the loop's, so its minute refills and its midnight resets run on virtual time.
 */
@VirtualTime(start = "2026-03-28T22:00", zone = "Europe/London")
class RateLimiterTest {

    @Test
    void aDailyQuotaResetsAtEachLocalMidnightAcrossTheSpringForwardNight(
            LoopTester tester, ScheduledExecutorService executor, Clock clock, Trace trace) {
        int accepted = night(executor, clock, trace::record, () -> tester.runUntil(LocalDateTime.parse("2026-03-30T01:00")));
        // Midnight GMT, then midnight BST 23 hours later: the day of the change has 23 hours.
        // 2 h before the first midnight at 5 a minute: 600. The 23-hour day: capped at 1000. The hour
        // after: 300, and 5 more at 01:00 exactly, after that minute's refill (runUntil includes its end).
        trace.assertTrace("reset after 600@2026-03-29T00:00Z", "reset after 1000@2026-03-30T00:00+01:00");
        assertEquals(600 + 1000 + 305, accepted);
        assertTrue(executor.isTerminated(), "shut down, its periodic tasks cancelled: " + executor);
    }

    @Test
    @VirtualTime(allowLeaks = true) // the loops below are the test's own
    void theNightTakesUnder100MsOfRealTime() {
        // Real time, read only to bound the cost. The build machine is shared: up to five
        // attempts, each on a fresh loop, all printed; the best must be under 100 ms.
        List<Long> attempts = new ArrayList<>();
        for (int i = 0; i < 5 && (attempts.isEmpty() || attempts.stream().mapToLong(Long::longValue).min().orElseThrow() >= 100); i++) {
            VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-03-28T22:00"), ZoneId.of("Europe/London"));
            try (Loop loop = Loop.create(clock)) {
                long start = System.nanoTime();
                int accepted = night(loop.asScheduledExecutor(), clock.asJavaClock(), line -> { }, () -> loop.runFor(Duration.ofHours(26)));
                attempts.add((System.nanoTime() - start) / 1_000_000);
                assertEquals(1905, accepted);
            }
        }
        System.out.println("RateLimiterTest: 26 h of virtual time across the DST night, real time per attempt (ms): " + attempts);
        long best = attempts.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(best < 100, "26 h of virtual time, 1 561 client bursts and 1 560 refills took " + attempts + " ms");
    }

    /** The limiter and a client asking 6 times at the start of each minute, against 5 permits a minute; the permits granted. */
    private static int night(ScheduledExecutorService executor, Clock clock, java.util.function.Consumer<String> log, Runnable run) {
        int[] accepted = {0};
        try (RateLimiter limiter = new RateLimiter(executor, clock, 5, 1000, log)) {
            executor.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 6; i++) {
                    if (limiter.tryAcquire()) {
                        accepted[0]++;
                    }
                }
            }, 0, 1, TimeUnit.MINUTES);
            run.run();
            executor.shutdown();
        }
        return accepted[0];
    }
}
