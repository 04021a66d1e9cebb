package dev.baton.rotation;

import static dev.baton.rotation.Fixtures.START;
import static dev.baton.rotation.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalPolicyTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path log = fs.getPath("/logs/interval.log");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    /**
     * Over 1,000 periods the k-th rotation is at exactly start + k*N, also when each rotation takes
     * virtual time: the listener runs on the policy's coroutine, so its sleep stands for a slow
     * rotation.
     */
    @ParameterizedTest(name = "every {0}, each rotation taking {1}")
    @CsvSource({
            "PT30S, PT0S",
            "PT30S, PT7S",
            "PT30S, PT29.999999999S",
            "PT30S, PT30S",
            "PT0.000000001S, PT0S",
            "PT0.001S, PT0.000999999S",
            "PT24H, PT1H",
    })
    void rotationsStayOnTheFixedRateGrid(Duration interval, Duration rotationTime) {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        write(log, "first");
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(log, 3, interval).withListener(event -> {
                recorder.onRotation(event);
                write(log, "after " + event.instant());
                if (!rotationTime.isZero()) {
                    Loop.sleep(rotationTime);
                }
            }).start(loop);
            loop.runFor(interval.multipliedBy(1000));
        }

        List<String> expected = new ArrayList<>();
        for (int k = 1; k <= 1000; k++) {
            expected.add(START.plus(interval.multipliedBy(k)) + " ROTATED");
        }
        assertEquals(expected, recorder.trace());
    }

    /** A rotation longer than the interval skips the slots it overran, and stays on the grid. */
    @Test
    void rotationLongerThanTheIntervalSkipsMissedSlotsWithoutCatchingUp() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        write(log, "first");
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(log, 3, Duration.ofSeconds(30)).withListener(event -> {
                recorder.onRotation(event);
                write(log, "again");
                Loop.sleep(Duration.ofSeconds(45));
            }).start(loop);
            loop.runFor(Duration.ofSeconds(300));
        }

        // 30 ends at 75, so slots 60 is skipped and 90 is next; and so on, every 60 s.
        assertEquals(List.of(
                "2026-01-01T00:00:30Z ROTATED",
                "2026-01-01T00:01:30Z ROTATED",
                "2026-01-01T00:02:30Z ROTATED",
                "2026-01-01T00:03:30Z ROTATED",
                "2026-01-01T00:04:30Z ROTATED"), recorder.trace());
    }

    @Test
    void missingFileIsReportedAsSkippedAndTheScheduleGoesOn() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(log, 3, Duration.ofSeconds(30)).withListener(recorder).start(loop);
            loop.callLater(Duration.ofSeconds(45), () -> write(log, "created at 45 s"));
            loop.runFor(Duration.ofSeconds(90));
        }

        assertEquals(List.of(
                "2026-01-01T00:00:30Z SKIPPED_MISSING",
                "2026-01-01T00:01:00Z ROTATED",
                "2026-01-01T00:01:30Z SKIPPED_MISSING"), recorder.trace());
    }

    @Test
    void enormousIntervalWaitsWithoutOverflowing() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        write(log, "first");
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> task = RotationPolicy.every(log, 3, Duration.ofSeconds(Long.MAX_VALUE)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofDays(365 * 200));
            assertFalse(task.isDone());
        }
        assertEquals(List.of(), recorder.trace());
    }

    @Test
    void cancelStopsThePolicyBetweenRotations() throws IOException {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        write(log, "first");
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> task = RotationPolicy.every(log, 3, Duration.ofSeconds(30)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(45));
            task.cancel();
            loop.runFor(Duration.ofSeconds(60));
            assertTrue(task.isCancelled());
        }
        assertEquals(List.of("2026-01-01T00:00:30Z ROTATED"), recorder.trace());
        assertEquals("first", Files.readString(fs.getPath("/logs/interval.log.1")));
    }

    @Test
    void taskIsNamedAfterKindAndPath() {
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> task = RotationPolicy.every(log, 3, Duration.ofSeconds(30)).start(loop);
            assertEquals("interval:/logs/interval.log", task.name());
        }
    }

    @Test
    void eventsCarryInstantPathKindAndOutcome() {
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        write(log, "first");
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(log, 3, Duration.ofSeconds(30)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(30));
        }
        assertEquals(List.of(new RotationEvent(Instant.parse("2026-01-01T00:00:30Z"), log, "interval",
                RotationEvent.Outcome.ROTATED, null)), recorder.events);
    }
}
