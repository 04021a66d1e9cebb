package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One boundary rule for every way of running to a time: a timer due exactly at the end runs, and
 * so does the work it makes ready at that instant; one due a nanosecond later does not; the clock
 * then reads exactly the end.
 */
@VirtualTime(start = "2026-01-01T00:00", zone = "UTC")
class BoundaryRuleTest {

    /** The three ways to run the loop of a test to a point in time, each to start + 1 hour. */
    enum Way {
        RUN_FOR {
            @Override
            void runToOneHour(Loop loop, LoopTester tester) {
                loop.runFor(Duration.ofHours(1));
            }
        },
        RUN_UNTIL_INSTANT {
            @Override
            void runToOneHour(Loop loop, LoopTester tester) {
                loop.runUntil(Instant.parse("2026-01-01T01:00:00Z"));
            }
        },
        RUN_UNTIL_LOCAL_DATE_TIME {
            @Override
            void runToOneHour(Loop loop, LoopTester tester) {
                tester.runUntil(LocalDateTime.parse("2026-01-01T01:00"));
            }
        };

        abstract void runToOneHour(Loop loop, LoopTester tester);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void timerDueExactlyAtTheEndRunsWithWhatItWakes(Way way, Loop loop, LoopTester tester, Trace trace) {
        var timer = loop.spawn("timer", () -> {
            Loop.sleep(Duration.ofHours(1));
            trace.record("timer");
        });
        loop.spawn("joiner", () -> {
            timer.join();
            trace.record("joiner");
        });
        way.runToOneHour(loop, tester);
        trace.assertTrace("timer@2026-01-01T01:00Z", "joiner@2026-01-01T01:00Z");
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void timerOneNanosecondAfterTheEndDoesNotRun(Way way, Loop loop, LoopTester tester, Trace trace) {
        var late = loop.spawn("late", () -> {
            Loop.sleep(Duration.ofHours(1).plusNanos(1));
            trace.record("late");
        });
        way.runToOneHour(loop, tester);
        trace.assertTrace();
        loop.runFor(Duration.ofNanos(1));
        trace.assertTrace("late@2026-01-01T01:00:00.000000001Z");
        assertEquals(true, late.isDone());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void clockReadsExactlyTheEndEvenWithNoTimers(Way way, Loop loop, LoopTester tester, VirtualClock clock) {
        way.runToOneHour(loop, tester);
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), clock.instant());
    }
}
