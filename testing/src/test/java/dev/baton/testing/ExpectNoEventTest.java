package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.baton.core.Loop;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Reactor's StepVerifier.expectNoEvent(d): nothing happens in {@code now ..< now + d}. Its
 * reference example, Mono.delay(1 day) with expectNoEvent(1 day) then expectNext, is the first test.
 */
@VirtualTime
class ExpectNoEventTest {

    @Test
    // Reactor reference, "Manipulating Time": withVirtualTime(Mono.delay(1 day)).expectNoEvent(1 day).expectNext(0L)
    void anEventExactlyAtTheEndOfTheWindowIsNotInIt(Loop loop, LoopTester tester, Trace trace) {
        loop.spawn("delay", () -> {
            Loop.sleep(Duration.ofDays(1));
            trace.record("next");
        });
        tester.expectNoEvent(Duration.ofDays(1));
        trace.assertTrace();
        tester.runCurrent();
        trace.assertTrace("next@2026-01-02T00:00Z");
    }

    @Test
    void anEventInsideTheWindowFailsWithTheWindowAndTheEvent(Loop loop, LoopTester tester, Trace trace) {
        loop.spawn("early", () -> {
            Loop.sleep(Duration.ofHours(23));
            trace.record("early");
        });
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> tester.expectNoEvent(Duration.ofDays(1)));
        assertEquals("expected no event for PT24H from 2026-01-01T00:00Z (end excluded), but 1 was recorded: [early@2026-01-01T23:00Z]",
                e.getMessage());
        assertEquals(Duration.ofDays(1).toNanos(), loop.clock().nanoTime(), "the window was run to its end");
    }

    @Test
    void expectNoEventFailsTheTestThroughTheEngine() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(SomethingHappens.class));
        assertInstanceOf(AssertionFailedError.class, e);
        assertEquals("expected no event for PT1M from 2026-01-01T00:00Z (end excluded), but 1 was recorded: [tick@2026-01-01T00:00:59.999999999Z]",
                e.getMessage());
    }

    @Test
    void expectNoEventPassesThroughTheEngineWhenNothingHappens() {
        EngineKit.run(NothingHappens.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Fixture
    @VirtualTime
    static class SomethingHappens {
        @Test
        void test(Loop loop, LoopTester tester, Trace trace) {
            loop.spawn("tick", () -> {
                Loop.sleep(Duration.ofMinutes(1).minusNanos(1)); // one nanosecond inside the window
                trace.record("tick");
            });
            tester.expectNoEvent(Duration.ofMinutes(1));
        }
    }

    @Fixture
    @VirtualTime
    static class NothingHappens {
        @Test
        void test(Loop loop, LoopTester tester, Trace trace) {
            loop.spawn("tick", () -> {
                Loop.sleep(Duration.ofMinutes(1));
                trace.record("tick");
            });
            tester.expectNoEvent(Duration.ofMinutes(1));
            loop.runUntilComplete(loop.tasks().get(0));
            trace.assertTrace("tick@2026-01-01T00:01Z");
        }
    }
}
