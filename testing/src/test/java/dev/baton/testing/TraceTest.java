package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class TraceTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void stampsWithTheLocalTimeAndOffsetOfTheClocksZone() {
        VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-03-29T00:30"), LONDON);
        Trace trace = Trace.of(clock);
        try (Loop loop = Loop.create(clock)) {
            loop.spawn("ticker", () -> {
                for (int i = 0; i < 3; i++) {
                    trace.record("tick");
                    Loop.sleep(Duration.ofMinutes(30));
                }
            });
            loop.runUntilIdle();
            loop.runFor(Duration.ofHours(1));
        }
        // 01:00 GMT does not exist on the wall: the clocks went to 02:00 BST.
        trace.assertTrace("tick@2026-03-29T00:30Z", "tick@2026-03-29T02:00+01:00", "tick@2026-03-29T02:30+01:00");
    }

    @Test
    void showsSecondsAndFractionsOnlyWhenNotZero() {
        VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneId.of("UTC"));
        Trace trace = Trace.of(clock);
        trace.record("a");
        clock.stepWall(Duration.ofMillis(1_500));
        trace.record("b");
        clock.stepWall(Duration.ofNanos(1));
        trace.record("c");
        assertEquals(List.of("a@2026-01-01T00:00Z", "b@2026-01-01T00:00:01.500Z", "c@2026-01-01T00:00:01.500000001Z"), trace.events());
    }

    @Test
    void distinguishesTheTwoPassesThroughARepeatedHourByOffset() {
        VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-10-25T01:30"), LONDON);
        Trace trace = Trace.of(clock);
        trace.record("first");
        clock.stepWall(Duration.ofHours(1));
        trace.record("second");
        trace.assertTrace("first@2026-10-25T01:30+01:00", "second@2026-10-25T01:30Z");
    }

    @Test
    void failedAssertionShowsALineDiff() {
        Trace trace = Trace.of(VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneId.of("UTC")));
        trace.record("start");
        trace.record("rotated");
        trace.record("stop");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> trace.assertTrace("start@2026-01-01T00:00Z", "rotated@2026-01-02T00:00Z", "stop@2026-01-01T00:00Z", "extra@2026-01-03T00:00Z"));
        assertEquals("""
                trace differs: 4 events expected, 3 recorded (- expected but not recorded, + recorded but not expected):
                  start@2026-01-01T00:00Z
                - rotated@2026-01-02T00:00Z
                + rotated@2026-01-01T00:00Z
                  stop@2026-01-01T00:00Z
                - extra@2026-01-03T00:00Z""", e.getMessage());
    }

    @Test
    void failedAssertionCarriesBothWholeTracesForIdes() {
        Trace trace = Trace.of(VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneId.of("UTC")));
        trace.record("a");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> trace.assertTrace("b@2026-01-01T00:00Z"));
        assertEquals("b@2026-01-01T00:00Z", e.getExpected().getValue());
        assertEquals("a@2026-01-01T00:00Z", e.getActual().getValue());
    }

    @Test
    void emptyTraceEqualsNoEvents() {
        Trace.of(VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneId.of("UTC"))).assertTrace();
    }

    @Test
    void nullEventIsRefusedAtTheCall() {
        Trace trace = Trace.of(VirtualClock.of(LocalDateTime.parse("2026-01-01T00:00"), ZoneId.of("UTC")));
        NullPointerException e = assertThrows(NullPointerException.class, () -> trace.record(null));
        assertEquals("record: event must not be null", e.getMessage());
    }
}
