package dev.baton.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kotlinx-coroutines-test's StandardTestDispatcherTest.kt, ported to a plain Loop: launch is
 * spawn (dispatched, never run in place), yield is Loop.sleep(ZERO) (to the end of the queue).
 *
 * <p>Skipped families, and why: flows (testFlowsNotSkippingValues: no flows in Baton);
 * Dispatchers.Main (testSchedulerReuse: no global dispatcher).
 */
class KotlinxStandardTestDispatcherConformanceTest {

    @Test
    // StandardTestDispatcherTest.kt::testLaunchDispatched
    void testLaunchDispatched() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("scope", () -> {
                trace.record("1");
                loop.spawn("launch", () -> trace.record("3"));
                trace.record("2");
            });
            loop.runForever();
            assertEquals(List.of("1@0", "2@0", "3@0"), trace.events());
        }
    }

    @Test
    // StandardTestDispatcherTest.kt::testYield
    void testYield() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("scope", () -> {
                trace.record("1");
                loop.spawn("a", () -> {
                    trace.record("3");
                    Loop.sleep(Duration.ZERO);
                    trace.record("6");
                });
                loop.spawn("b", () -> {
                    trace.record("4");
                    Loop.sleep(Duration.ZERO);
                    trace.record("7");
                });
                trace.record("2");
                Loop.sleep(Duration.ZERO);
                trace.record("5");
            });
            loop.runForever();
            assertEquals(List.of("1@0", "2@0", "3@0", "4@0", "5@0", "6@0", "7@0"), trace.events());
        }
    }
}
