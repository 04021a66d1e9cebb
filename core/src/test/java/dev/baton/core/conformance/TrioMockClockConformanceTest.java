package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * trio's _core/_tests/test_mock_clock.py, ported to {@link VirtualClock}, which always autojumps:
 * when every coroutine waits, the loop moves it straight to the next deadline.
 *
 * <p>Skipped families, and why: rate and autojump_threshold (test_mock_clock's rate part,
 * test_mock_clock_autojump_interference, test_mock_clock_autojump_0_and_wait_all_tasks_blocked_*:
 * a VirtualClock never runs at a rate and always jumps at once); manual jump (only the loop moves
 * monotonic time; a test steps the wall clock with stepWall).
 */
class TrioMockClockConformanceTest {

    @Test
    // test_mock_clock.py::test_mock_clock
    void test_mock_clock() {
        VirtualClock c = VirtualClock.of(Trace.START, ZoneOffset.UTC);
        assertEquals(0, c.nanoTime());
        assertEquals(Trace.START, c.instant());
        c.stepWall(Duration.ofMillis(1200));
        assertEquals(Trace.START.plusMillis(1200), c.instant());
        assertEquals(0, c.nanoTime(), "a wall step leaves monotonic time alone");
        c.stepWall(Duration.ofSeconds(-1));
        assertEquals(Trace.START.plusMillis(200), c.instant(), "the wall clock may step back");
    }

    @Test
    // test_mock_clock.py::test_mock_clock_autojump
    void test_mock_clock_autojump() {
        // Real time bounds it: a hundreds-of-seconds virtual run must take well under 1 s.
        long realStart = System.nanoTime();
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            List<Long> steps = new ArrayList<>();
            loop.runUntilComplete(loop.spawn("main", () -> {
                long virtualStart = trace.now();
                for (int i = 0; i < 10; i++) {
                    Loop.sleep(s(10L * i));
                    steps.add(trace.now() - virtualStart);
                    virtualStart = trace.now();
                }
            }));
            assertEquals(List.of(0L, 10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L, 70_000L, 80_000L, 90_000L), steps);
            assertEquals(450_000, trace.now());
        }
        assertTrue(System.nanoTime() - realStart < 1_000_000_000L);
    }

    @Test
    // test_mock_clock.py::test_mock_clock_autojump_preset
    void test_mock_clock_autojump_preset() {
        long realStart = System.nanoTime(); // real time bounds it: 10,000 s of virtual sleep
        try (Loop loop = Trace.virtualLoop()) {
            loop.runUntilComplete(loop.spawn("sleep", () -> Loop.sleep(s(10_000))));
            assertEquals(10_000_000_000_000L, loop.clock().nanoTime());
        }
        assertTrue(System.nanoTime() - realStart < 1_000_000_000L);
    }

    @Test
    // test_run.py::test_current_time_with_mock_clock
    void test_current_time_with_mock_clock() {
        VirtualClock clock = VirtualClock.of(Trace.START, ZoneOffset.UTC);
        try (Loop loop = Loop.create(clock)) {
            assertSame(clock, loop.clock());
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertSame(clock, Loop.current().clock());
                Loop.sleep(Duration.ofMillis(3150));
                assertEquals(Trace.START.plusMillis(3150), Loop.current().clock().instant());
                assertEquals(3_150_000_000L, clock.nanoTime());
            }));
        }
    }
}
