package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DailyPolicyTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path log = fs.getPath("/logs/daily.log");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    /**
     * The exact rotation instants around DST changes, the policy in the loop clock's zone. A
     * missing file still reports each attempt (SKIPPED_MISSING), which is what is recorded.
     */
    @ParameterizedTest(name = "{0} from {1} to {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # zone            | start (local)       | end (local)         | rotations (UTC)
            # fall back at 02:00: one rotation per date, not an hour early and again
            America/New_York  | 2024-11-03T00:30    | 2024-11-05T12:00    | 2024-11-04T05:00:00Z 2024-11-05T05:00:00Z
            # spring forward at 02:00: midnight itself is untouched
            America/New_York  | 2024-03-10T00:30    | 2024-03-11T12:00    | 2024-03-11T04:00:00Z
            # midnight skipped: the day starts at 01:00 local
            America/Sao_Paulo | 2018-11-03T12:00    | 2018-11-05T12:00    | 2018-11-04T03:00:00Z 2018-11-05T02:00:00Z
            # midnight repeated: the first of the two midnights
            America/Havana    | 2023-11-04T12:00    | 2023-11-06T12:00    | 2023-11-05T04:00:00Z 2023-11-06T05:00:00Z
            # midnight skipped (Havana springs forward at 00:00)
            America/Havana    | 2023-03-11T12:00    | 2023-03-13T12:00    | 2023-03-12T05:00:00Z 2023-03-13T04:00:00Z
            # 2011-12-30 does not exist in Apia: no rotation for it
            Pacific/Apia      | 2011-12-29T12:00    | 2012-01-01T12:00    | 2011-12-30T10:00:00Z 2011-12-31T10:00:00Z
            Europe/London     | 2026-03-28T12:00    | 2026-03-30T12:00    | 2026-03-29T00:00:00Z 2026-03-29T23:00:00Z
            Europe/London     | 2026-10-24T12:00    | 2026-10-26T12:00    | 2026-10-24T23:00:00Z 2026-10-26T00:00:00Z
            """)
    void rotatesOnceAtTheFirstInstantOfEachLocalDate(ZoneId zone, LocalDateTime start, LocalDateTime end, String rotations) {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop(start, zone)) {
            RotationPolicy.daily(log, 5).withListener(recorder).start(loop);
            loop.runUntil(end.atZone(zone).toInstant());
        }
        assertEquals(instants(rotations), recorder.instants());
    }

    /** A given zone overrides the loop clock's; a time of day in a gap moves later, in an overlap takes the first. */
    @ParameterizedTest(name = "{0} at {1} from {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # zone            | at    | start (UTC)          | rotations (UTC)
            America/New_York  | 02:30 | 2024-03-09T12:00:00Z | 2024-03-10T07:30:00Z 2024-03-11T06:30:00Z
            America/New_York  | 01:30 | 2024-11-02T12:00:00Z | 2024-11-03T05:30:00Z 2024-11-04T06:30:00Z
            Europe/London     | 00:00 | 2026-03-28T12:00:00Z | 2026-03-29T00:00:00Z 2026-03-29T23:00:00Z
            Asia/Tokyo        | 23:59 | 2026-01-01T00:00:00Z | 2026-01-01T14:59:00Z 2026-01-02T14:59:00Z
            """)
    void givenZoneAndTimeOfDayResolveLikeZonedDateTimeOf(ZoneId zone, LocalTime at, Instant start, String rotations) {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(start, ZoneOffset.UTC))) {
            RotationPolicy.daily(log, 5, zone, at).withListener(recorder).start(loop);
            loop.runFor(Duration.ofHours(48));
        }
        assertEquals(instants(rotations), recorder.instants());
    }

    /**
     * Wall-clock steps at chosen moments, zone UTC, from 2026-01-01T12:00Z for three days of
     * monotonic time. The policy notices a step at its next wake, within an hour.
     */
    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # step at (wall)     | step   | rotations (wall clock)
            # forward past midnight: rotates once, at the next wake
            2026-01-01T23:30:00Z | PT1H   | 2026-01-02T01:00:00Z 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z
            # back across the midnight just rotated: not again
            2026-01-02T00:30:00Z | PT-1H  | 2026-01-02T00:00:00Z 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z
            # back before midnight: the wake is early, sleeps again, rotates at wall midnight
            2026-01-01T23:30:00Z | PT-1H  | 2026-01-02T00:00:00Z 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z
            # a day forward: the missed date rotates once, at the next wake
            2026-01-01T18:10:00Z | PT24H  | 2026-01-02T19:00:00Z 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z 2026-01-05T00:00:00Z
            # a day forward across two midnights: still one rotation
            2026-01-01T23:30:00Z | PT24H  | 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z 2026-01-05T00:00:00Z
            # a day back: the day already rotated is not rotated again
            2026-01-02T06:10:00Z | PT-24H | 2026-01-02T00:00:00Z 2026-01-03T00:00:00Z
            """)
    void wallClockStepNeitherRepeatsNorSkipsADate(Instant stepAt, Duration step, String rotations) {
        Instant start = Instant.parse("2026-01-01T12:00:00Z");
        VirtualClock clock = VirtualClock.of(start, ZoneOffset.UTC);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(clock)) {
            RotationPolicy.daily(log, 5).withListener(recorder).start(loop);
            loop.spawn("wall-clock step", () -> {
                Loop.sleep(Duration.between(start, stepAt));
                clock.stepWall(step);
            });
            loop.runFor(Duration.ofDays(3));
        }
        assertEquals(instants(rotations), recorder.instants());
    }

    @Test
    void startingExactlyAtMidnightWaitsForTheNextOne() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.daily(log, 5).withListener(recorder).start(loop);
            loop.runFor(Duration.ofDays(2));
        }
        assertEquals(instants("2026-01-02T00:00:00Z 2026-01-03T00:00:00Z"), recorder.instants());
    }

    @Test
    void rotatesTheFileAndReportsMissingOnes() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        Fixtures.write(log, "day-1");
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.daily(log, 5).withListener(recorder).start(loop);
            loop.runFor(Duration.ofDays(2));
        }
        assertEquals(List.of("2026-01-02T00:00:00Z ROTATED", "2026-01-03T00:00:00Z SKIPPED_MISSING"), recorder.trace());
        assertEquals(Fixtures.files("daily.log.1=day-1"), Fixtures.listing(fs.getPath("/logs")));
    }

    static List<Instant> instants(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.trim().split("\\s+")).map(Instant::parse).toList();
    }
}
