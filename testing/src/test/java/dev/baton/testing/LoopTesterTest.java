package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The calendar helpers: run until a local date-time, set the wall clock, expected tasks. */
@VirtualTime(start = "2026-03-28T23:00", zone = "Europe/London")
class LoopTesterTest {

    @Test
    void runUntilALocalTimeRunsTheTimersUpToItAndStopsThere(Loop loop, LoopTester tester, Trace trace) {
        Task<Void> hourly = loop.spawn("hourly", () -> {
            while (true) {
                Loop.sleep(Duration.ofHours(1));
                trace.record("tick");
            }
        });
        tester.runUntil(LocalDateTime.parse("2026-03-29T03:00"));
        // Three hours pass; the wall clock reads four hours later, as 01:00 GMT became 02:00 BST.
        trace.assertTrace("tick@2026-03-29T00:00Z", "tick@2026-03-29T02:00+01:00", "tick@2026-03-29T03:00+01:00");
        tester.expectUnfinished(hourly);
    }

    @Test
    void localTimeInAGapMovesLaterByTheGap(LoopTester tester, VirtualClock clock) {
        assertEquals("2026-03-29T02:30+01:00", tester.runUntil(LocalDateTime.parse("2026-03-29T01:30")).toOffsetDateTime().toString());
        assertEquals("2026-03-29T02:30+01:00", clock.now().toOffsetDateTime().toString());
    }

    @Test
    @VirtualTime(start = "2026-10-24T23:00", zone = "Europe/London")
    void localTimeInAnOverlapIsTheFirstOfTheTwo(LoopTester tester, VirtualClock clock) {
        tester.runUntil(LocalDateTime.parse("2026-10-25T01:30"));
        assertEquals("2026-10-25T01:30+01:00", clock.now().toOffsetDateTime().toString());
    }

    @Test
    void localTimeInThePastIsRefused(LoopTester tester) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tester.runUntil(LocalDateTime.parse("2026-03-28T22:00")));
        assertEquals("runUntil(2026-03-28T22:00): the clock already reads 2026-03-28T23:00Z, later than 2026-03-28T22:00Z;"
                + " virtual time does not go backwards (stepWallTo moves the wall clock alone, either way)", e.getMessage());
    }

    @Test
    void stepWallToMovesTheWallClockButNotPendingSleeps(Loop loop, LoopTester tester, Trace trace) {
        loop.spawn("sleeper", () -> {
            Loop.sleep(Duration.ofMinutes(10));
            trace.record("woke");
        });
        loop.runUntilIdle();
        tester.stepWallTo(LocalDateTime.parse("2026-03-28T20:00"));
        loop.runFor(Duration.ofMinutes(10));
        trace.assertTrace("woke@2026-03-28T20:10Z");
    }

    @Test
    void stepWallToAcrossAGapLandsAfterIt(LoopTester tester, VirtualClock clock) {
        tester.stepWallTo(LocalDateTime.parse("2026-03-29T01:15"));
        assertEquals("2026-03-29T02:15+01:00", clock.now().toOffsetDateTime().toString());
    }

    @Test
    void expectUnfinishedRefusesATaskOfAnotherLoop(LoopTester tester) {
        try (Loop other = Loop.create(VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneOffset.UTC))) {
            Task<Void> foreign = other.spawn("foreign", () -> Loop.sleep(Duration.ofDays(1)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tester.expectUnfinished(foreign));
            assertEquals("expectUnfinished: task 'foreign' belongs to another loop than this test's", e.getMessage());
        }
    }
}
