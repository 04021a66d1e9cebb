package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClockTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void javaClockViewGivesTheZoneAndMovesWithVirtualTimeAcrossTheSpringForwardGap() {
        VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-03-29T00:30"), LONDON);
        try (Loop loop = Loop.create(clock)) {
            Clock java = loop.clock().asJavaClock();
            assertEquals(LONDON, java.getZone());
            assertEquals(Instant.parse("2026-03-29T00:30:00Z"), java.instant());
            loop.runFor(Duration.ofHours(1));
            assertEquals(LocalDateTime.parse("2026-03-29T02:30"), LocalDateTime.now(java));
            assertEquals(Instant.parse("2026-03-29T01:30:00Z"), java.instant());
        }
    }

    @Test
    void aLocalStartInsideAGapMovesLaterByTheGap() {
        VirtualClock clock = VirtualClock.of(LocalDateTime.parse("2026-03-29T01:30"), LONDON);
        assertEquals(LocalDateTime.parse("2026-03-29T02:30"), clock.now().toLocalDateTime());
    }

    @Test
    void virtualTimeJumpsStraightToTheNextDeadline() {
        try (Loop loop = Trace.virtualLoop()) {
            List<Long> seen = new ArrayList<>();
            loop.spawn("sleeper", () -> {
                Loop.sleep(Duration.ofDays(365));
                seen.add(loop.clock().nanoTime());
            });
            long realStart = System.nanoTime();
            loop.runForever();
            assertEquals(List.of(Duration.ofDays(365).toNanos()), seen);
            assertEquals(true, System.nanoTime() - realStart < Duration.ofSeconds(5).toNanos(), "a year of virtual time is not real time");
        }
    }

    @Test
    void steppingTheWallClockMovesInstantButNotTimers() {
        VirtualClock clock = VirtualClock.of(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
        try (Loop loop = Loop.create(clock)) {
            List<String> seen = new ArrayList<>();
            loop.spawn("sleeper", () -> {
                Loop.sleep(Duration.ofMinutes(10));
                seen.add(loop.clock().instant() + " after " + loop.clock().nanoTime() / 60_000_000_000L + " min");
            });
            loop.runFor(Duration.ofMinutes(1));
            clock.stepWall(Duration.ofHours(-1));
            loop.runFor(Duration.ofMinutes(20));
            assertEquals(List.of("2026-06-01T11:10:00Z after 10 min"), seen);
        }
    }

    @Test
    void runUntilAnInstantInThePastRunsOnlyWhatIsDue() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("ready"));
            loop.callLater(Duration.ofSeconds(1), () -> ran.add("later"));
            loop.runUntil(loop.clock().instant().minusSeconds(60));
            assertEquals(List.of("ready"), ran);
            assertEquals(0, loop.clock().nanoTime());
        }
    }

    /** The boundary rule: a timer due exactly at the end of runFor runs; one a nanosecond later does not. */
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1_000_000_000L})
    void aTimerDueExactlyAtTheEndOfRunForRuns(long nanos) {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callLater(Duration.ofNanos(nanos), () -> ran.add("at end"));
            loop.callLater(Duration.ofNanos(nanos + 1), () -> ran.add("after end"));
            loop.spawn("sleeper", () -> {
                Loop.sleep(Duration.ofNanos(nanos));
                ran.add("woke at end");
                loop.callSoon(() -> ran.add("ready at end"));
            });
            loop.runFor(Duration.ofNanos(nanos));
            assertEquals(List.of("at end", "woke at end", "ready at end"), ran);
            assertEquals(nanos, loop.clock().nanoTime(), "the clock reads exactly the end");
        }
    }

    @Test
    void runUntilAnInstantIsRunForTheDifference() {
        try (Loop loop = Trace.virtualLoop()) {
            Instant end = loop.clock().instant().plusSeconds(90);
            List<Instant> ran = new ArrayList<>();
            loop.callAt(end, () -> ran.add(loop.clock().instant()));
            loop.runUntil(end);
            assertEquals(List.of(end), ran);
            assertEquals(end, loop.clock().instant());
        }
    }

    @Test
    void anEnormousSleepWaitsForeverWithoutOverflow() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> forever = loop.spawn("forever", () -> Loop.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            loop.runFor(Duration.ofDays(365 * 100));
            assertEquals(false, forever.isDone());
            assertEquals(Duration.ofDays(365 * 100).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void aSleepTooLongToRepresentIsNeverWokenEvenByARunThatLong() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> forever = loop.spawn("forever", () -> Loop.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            loop.runFor(Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(false, forever.isDone());
            assertEquals(true, loop.dump().contains("coroutine 'forever' sleeping forever"), loop.dump());
        }
    }
}
