package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Simulation;
import dev.baton.core.Task;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kotlinx-coroutines-test's TestScopeTest.kt backgroundScope tests that concern the scheduler
 * only: {@link Simulation#runUntilOnlyBackground} is advanceUntilIdle with a background scope
 * (a set of tasks here). The tests of cancellation at the end of the test body and of failure
 * reporting need the JUnit extension: testing's BackgroundTest.
 */
class KotlinxTestScopeConformanceTest {

    @Test
    // TestScopeTest.kt::testBackgroundWorkTimeControl
    void testBackgroundWorkTimeControl() {
        try (Loop loop = Trace.virtualLoop()) {
            Set<Task<?>> background = new HashSet<>();
            int[] i = {0};
            int[] j = {0};
            background.add(loop.spawn("i", () -> {
                while (true) {
                    ++i[0];
                    Loop.sleep(ms(100));
                }
            }));
            background.add(loop.spawn("j", () -> {
                while (true) {
                    ++j[0];
                    Loop.sleep(ms(50));
                }
            }));
            Simulation.runUntilOnlyBackground(loop, background::contains);
            // Differs: kotlinx has not started the background coroutines here (they were only
            // dispatched); Baton runs the work that is ready, then stops before moving time.
            assertEquals(1, i[0]);
            assertEquals(1, j[0]);
            assertEquals(0, loop.clock().nanoTime());
            Simulation.runBefore(loop, ms(200));
            assertEquals(2, i[0]);
            assertEquals(4, j[0]);
            Simulation.runUntilOnlyBackground(loop, background::contains);
            assertEquals(2, i[0], "background timers due now do not fire");
            assertEquals(4, j[0]);
            loop.runUntilIdle();
            assertEquals(3, i[0]);
            assertEquals(5, j[0]);
            Task<Void> late = loop.spawn("late", () -> {
                Loop.sleep(ms(1001));
                assertEquals(13, i[0]);
                assertEquals(25, j[0]);
            });
            Simulation.runUntilOnlyBackground(loop, background::contains);
            assertTrue(late.isDone());
            late.toCompletableFuture().join();
            assertFalse(background.stream().anyMatch(Task::isDone), "the background work stays scheduled");
        }
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkNotPreventingTimeout (the scheduler's part): idle despite a heartbeat
    void aForegroundDeadlockWithABackgroundHeartbeatReturns() {
        try (Loop loop = Trace.virtualLoop()) {
            Set<Task<?>> background = new HashSet<>();
            background.add(loop.spawn("heartbeat", () -> {
                while (true) {
                    Loop.sleep(ms(1));
                }
            }));
            Task<Void> stuck = loop.spawn("stuck", () -> dev.baton.core.Event.create().await());
            Simulation.runUntilOnlyBackground(loop, background::contains);
            assertFalse(stuck.isDone());
            assertEquals(0, loop.clock().nanoTime(), "no foreground timer, so no time moved");
        }
    }
}
