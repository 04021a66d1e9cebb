package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** With JUnit's parallel execution on, each test still has its own loop and clock. */
class ParallelTest {
    static final int TESTS = 4;

    @Test
    void concurrentTestsEachGetTheirOwnLoopAndClock() {
        Concurrent.loops.clear();
        Concurrent.barrier.reset();
        Events events = EngineKit.run(Concurrent.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(TESTS)));
        events.assertStatistics(s -> s.succeeded(TESTS).failed(0));
        assertEquals(TESTS, Concurrent.loops.size());
    }

    /**
     * Four tests in different zones, each ticking every minute for a virtual day. The barrier, in
     * real time and bounded, proves they run at the same time: none starts its day until all four
     * have their loop.
     */
    @Fixture
    static class Concurrent {
        /** Every fixture test's loop; added to concurrently, read after the run (a concurrent set). */
        static final Set<Loop> loops = ConcurrentHashMap.newKeySet();
        /** Awaited by each fixture test on its own thread; reset by the test before each run. */
        static final CyclicBarrier barrier = new CyclicBarrier(TESTS);

        @Test
        @VirtualTime(start = "2026-03-29T00:00", zone = "Europe/London")
        void london(Loop loop, VirtualClock clock, Trace trace) throws Exception {
            runADay(loop, clock, trace);
            assertEquals(List.of("tick 1@2026-03-29T00:01Z", "tick 1440@2026-03-30T01:00+01:00"), firstAndLast(trace));
        }

        @Test
        @VirtualTime(start = "2026-03-08T00:00", zone = "America/New_York")
        void newYork(Loop loop, VirtualClock clock, Trace trace) throws Exception {
            runADay(loop, clock, trace);
            assertEquals(List.of("tick 1@2026-03-08T00:01-05:00", "tick 1440@2026-03-09T01:00-04:00"), firstAndLast(trace));
        }

        @Test
        @VirtualTime(start = "2026-01-01T00:00", zone = "Asia/Tokyo")
        void tokyo(Loop loop, VirtualClock clock, Trace trace) throws Exception {
            runADay(loop, clock, trace);
            assertEquals(List.of("tick 1@2026-01-01T00:01+09:00", "tick 1440@2026-01-02T00:00+09:00"), firstAndLast(trace));
        }

        @Test
        @VirtualTime(start = "2026-10-04T00:00", zone = "Australia/Sydney")
        void sydney(Loop loop, VirtualClock clock, Trace trace) throws Exception {
            runADay(loop, clock, trace);
            assertEquals(List.of("tick 1@2026-10-04T00:01+10:00", "tick 1440@2026-10-05T01:00+11:00"), firstAndLast(trace));
        }

        private static void runADay(Loop loop, VirtualClock clock, Trace trace) throws Exception {
            loops.add(loop);
            barrier.await(5, TimeUnit.SECONDS);
            loop.spawn("ticker", () -> {
                for (int i = 1; i <= 24 * 60; i++) {
                    Loop.sleep(Duration.ofMinutes(1));
                    trace.record("tick " + i);
                }
            });
            Instant start = clock.instant();
            loop.runFor(Duration.ofDays(1));
            assertEquals(24 * 60, trace.events().size());
            assertEquals(start.plus(Duration.ofDays(1)), clock.instant());
        }

        private static List<String> firstAndLast(Trace trace) {
            List<String> events = new ArrayList<>(trace.events());
            return List.of(events.get(0), events.get(events.size() - 1));
        }
    }
}
