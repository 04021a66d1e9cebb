package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * kotlinx-coroutines-test's TestCoroutineSchedulerTest.kt tests of advanceTimeBy and runCurrent,
 * with kotlinx's own boundary: {@link Simulation#runBefore} is advanceTimeBy (tasks due in
 * {@code now ..< now + d}), {@link Loop#runUntilIdle()} is runCurrent. The inclusive runFor forms
 * are in {@link KotlinxTestCoroutineSchedulerConformanceTest}.
 */
class KotlinxAdvanceTimeByConformanceTest {

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeByDoesNotRunCurrent
    void testAdvanceTimeByDoesNotRunCurrent() {
        try (Loop loop = Trace.virtualLoop()) {
            boolean[] entered = {false};
            loop.spawn("launch", () -> {
                Loop.sleep(ms(15));
                entered[0] = true;
            });
            Simulation.runBefore(loop, ms(15));
            assertFalse(entered[0]);
            assertEquals(ms(15).toNanos(), loop.clock().nanoTime());
            loop.runUntilIdle();
            assertTrue(entered[0]);
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeByWithNegativeDelay
    void testAdvanceTimeByWithNegativeDelay() {
        try (Loop loop = Trace.virtualLoop()) {
            assertThrows(IllegalArgumentException.class, () -> Simulation.runBefore(loop, ms(-1)));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeBy
    void testAdvanceTimeBy() {
        try (Loop loop = Trace.virtualLoop()) {
            int[] stage = {1};
            loop.spawn("launch", () -> {
                Loop.sleep(ms(1000));
                stage[0] = 2;
                Loop.sleep(ms(500));
                stage[0] = 3;
                Loop.sleep(ms(501));
                stage[0] = 4;
            });
            assertEquals(1, stage[0]);
            Simulation.runBefore(loop, Duration.ofSeconds(2));
            assertEquals(3, stage[0]);
            assertEquals(2000, loop.clock().nanoTime() / 1_000_000);
            Simulation.runBefore(loop, ms(2));
            assertEquals(4, stage[0]);
            assertEquals(2002, loop.clock().nanoTime() / 1_000_000);
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testRunCurrent
    void testRunCurrent() {
        try (Loop loop = Trace.virtualLoop()) {
            int[] stage = {0};
            for (int i = 0; i < 2; i++) {
                loop.spawn("launch" + i, () -> {
                    Loop.sleep(ms(1));
                    ++stage[0];
                    Loop.sleep(ms(1));
                    stage[0] += 10;
                });
            }
            Simulation.runBefore(loop, ms(1));
            assertEquals(0, stage[0]);
            loop.runUntilIdle();
            assertEquals(2, stage[0]);
            Simulation.runBefore(loop, ms(1));
            assertEquals(2, stage[0]);
            loop.runUntilIdle();
            assertEquals(22, stage[0]);
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testRunCurrentNotDrainingQueue
    void testRunCurrentNotDrainingQueue() {
        // Differs: kotlinx's task advances the scheduler itself; a Baton coroutine cannot run its
        // loop, so the task sleeps past the end instead. runCurrent runs what is due now and no more.
        long slow = 100_000;
        try (Loop loop = Trace.virtualLoop()) {
            int[] stage = {1};
            loop.spawn("launch", () -> {
                Loop.sleep(ms(slow));
                loop.spawn("inner", () -> {
                    Loop.sleep(ms(slow));
                    stage[0] = 3;
                });
                stage[0] = 2;
            });
            Simulation.runBefore(loop, ms(slow));
            assertEquals(1, stage[0]);
            loop.runUntilIdle();
            assertEquals(2, stage[0]);
            loop.runUntilIdle();
            assertEquals(2, stage[0], "the inner task is due at 2 * SLOW, not now");
            Simulation.runBefore(loop, ms(slow));
            loop.runUntilIdle();
            assertEquals(3, stage[0]);
        }
    }

    @Test
    void runBeforeNeedsAVirtualClock() {
        try (Loop loop = Loop.create()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Simulation.runBefore(loop, ms(1)));
            assertTrue(e.getMessage().startsWith("runBefore needs a loop on a VirtualClock"), e.getMessage());
        }
    }
}
