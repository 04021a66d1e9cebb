package dev.baton.rotation;

import dev.baton.core.Loop;
import dev.baton.testing.LoopTester;
import dev.baton.testing.Trace;
import dev.baton.testing.VirtualTime;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily policy across DST changes and wall-clock steps, on {@link VirtualTime}: each test
 * states its zone and start, runs to a local date-time, and asserts every rotation attempt with
 * its local time and offset. The file is missing, so each attempt is SKIPPED_MISSING; when it
 * happens is what these tests are about ({@link DailyPolicyTest} covers the files).
 */
@VirtualTime(start = "2026-01-01T12:00", zone = "UTC")
class DailyPolicyOnExtensionTest {
    private final FileSystem fs = Fixtures.jimfs();
    private LoopTester tester;
    private Trace trace;

    @BeforeEach
    void startDailyPolicy(Loop loop, LoopTester tester, Trace trace) {
        this.tester = tester;
        this.trace = trace;
        Path log = fs.getPath("/logs/daily.log");
        // Runs until the loop closes after the test: expected, not a leak.
        tester.expectUnfinished(RotationPolicy.daily(log, 5).withListener(e -> trace.record(e.outcome().name())).start(loop));
    }

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    @VirtualTime(start = "2026-03-28T12:00", zone = "Europe/London")
    void londonSpringForwardKeepsMidnight() {
        tester.runUntil(LocalDateTime.parse("2026-03-30T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-03-29T00:00Z", "SKIPPED_MISSING@2026-03-30T00:00+01:00");
    }

    @Test
    @VirtualTime(start = "2026-10-24T12:00", zone = "Europe/London")
    void londonFallBackRotatesOncePerDate() {
        tester.runUntil(LocalDateTime.parse("2026-10-26T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-10-25T00:00+01:00", "SKIPPED_MISSING@2026-10-26T00:00Z");
    }

    @Test
    @VirtualTime(start = "2024-11-03T00:30", zone = "America/New_York")
    void newYorkFallBackIsNotAnHourEarlyNorTwice() {
        tester.runUntil(LocalDateTime.parse("2024-11-05T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2024-11-04T00:00-05:00", "SKIPPED_MISSING@2024-11-05T00:00-05:00");
    }

    @Test
    @VirtualTime(start = "2024-03-10T00:30", zone = "America/New_York")
    void newYorkSpringForwardLeavesMidnightAlone() {
        tester.runUntil(LocalDateTime.parse("2024-03-11T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2024-03-11T00:00-04:00");
    }

    @Test
    @VirtualTime(start = "2018-11-03T12:00", zone = "America/Sao_Paulo")
    void saoPauloSkippedMidnightRotatesAtOne() {
        tester.runUntil(LocalDateTime.parse("2018-11-05T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2018-11-04T01:00-02:00", "SKIPPED_MISSING@2018-11-05T00:00-02:00");
    }

    @Test
    @VirtualTime(start = "2023-11-04T12:00", zone = "America/Havana")
    void havanaRepeatedMidnightRotatesAtTheFirst() {
        tester.runUntil(LocalDateTime.parse("2023-11-06T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2023-11-05T00:00-04:00", "SKIPPED_MISSING@2023-11-06T00:00-05:00");
    }

    @Test
    @VirtualTime(start = "2023-03-11T12:00", zone = "America/Havana")
    void havanaSkippedMidnightRotatesAtOne() {
        tester.runUntil(LocalDateTime.parse("2023-03-13T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2023-03-12T01:00-04:00", "SKIPPED_MISSING@2023-03-13T00:00-04:00");
    }

    @Test
    @VirtualTime(start = "2011-12-29T12:00", zone = "Pacific/Apia")
    void apiaSkippedDateGetsNoRotation() {
        // 2011-12-30 does not exist in Apia: the 29th is followed by the 31st.
        tester.runUntil(LocalDateTime.parse("2012-01-01T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2011-12-31T00:00+14:00", "SKIPPED_MISSING@2012-01-01T00:00+14:00");
    }

    @Test
    void wallClockStepForwardPastMidnightRotatesOnceAtTheNextWake() {
        tester.runUntil(LocalDateTime.parse("2026-01-01T23:30"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-02T00:30"));
        tester.runUntil(LocalDateTime.parse("2026-01-03T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-02T01:00Z", "SKIPPED_MISSING@2026-01-03T00:00Z");
    }

    @Test
    void wallClockStepBackAcrossARotatedMidnightDoesNotRotateAgain() {
        tester.runUntil(LocalDateTime.parse("2026-01-02T00:30"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-01T23:30"));
        tester.runUntil(LocalDateTime.parse("2026-01-03T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-02T00:00Z", "SKIPPED_MISSING@2026-01-03T00:00Z");
    }

    @Test
    void wallClockStepADayForwardRotatesTheMissedDateOnce() {
        tester.runUntil(LocalDateTime.parse("2026-01-01T18:10"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-02T18:10"));
        tester.runUntil(LocalDateTime.parse("2026-01-04T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-02T19:00Z", "SKIPPED_MISSING@2026-01-03T00:00Z", "SKIPPED_MISSING@2026-01-04T00:00Z");
    }

    @Test
    void wallClockStepBackBeforeMidnightWaitsForWallMidnight() {
        tester.runUntil(LocalDateTime.parse("2026-01-01T23:30"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-01T22:30"));
        tester.runUntil(LocalDateTime.parse("2026-01-03T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-02T00:00Z", "SKIPPED_MISSING@2026-01-03T00:00Z");
    }

    @Test
    void wallClockStepADayForwardAcrossTwoMidnightsRotatesOnce() {
        tester.runUntil(LocalDateTime.parse("2026-01-01T23:30"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-02T23:30"));
        tester.runUntil(LocalDateTime.parse("2026-01-04T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-03T00:00Z", "SKIPPED_MISSING@2026-01-04T00:00Z");
    }

    @Test
    void wallClockStepADayBackDoesNotRotateThatDayAgain() {
        tester.runUntil(LocalDateTime.parse("2026-01-02T06:10"));
        tester.stepWallTo(LocalDateTime.parse("2026-01-01T06:10"));
        tester.runUntil(LocalDateTime.parse("2026-01-03T12:00"));
        trace.assertTrace("SKIPPED_MISSING@2026-01-02T00:00Z", "SKIPPED_MISSING@2026-01-03T00:00Z");
    }
}
