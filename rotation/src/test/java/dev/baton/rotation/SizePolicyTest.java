package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Loop;
import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizePolicyTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path dir = fs.getPath("/logs");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static void append(Path path, int bytes) {
        try {
            Files.write(path, "x".repeat(bytes).getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Checks every 10 s against 100 bytes: 100 bytes at 5 s (not larger: no rotation at 10 or
     * 20), one more byte at 25 s (rotated at the check at 30, not before), then the file is
     * missing (nothing at 40 and 50), then 150 bytes at 52 s (rotated at 60).
     */
    @Test
    void growthPastTheLimitRotatesAtTheNextCheckAndNotBefore() {
        Path log = dir.resolve("grow.log");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, 100, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.callLater(Duration.ofSeconds(5), () -> append(log, 100));
            loop.callLater(Duration.ofSeconds(25), () -> append(log, 1));
            loop.callLater(Duration.ofSeconds(52), () -> append(log, 150));
            loop.runFor(Duration.ofSeconds(65));
        }
        assertEquals(List.of("2026-01-01T00:00:30Z ROTATED", "2026-01-01T00:01:00Z ROTATED"), recorder.trace());
        assertEquals(Fixtures.files("grow.log.1=" + "x".repeat(150) + " grow.log.2=" + "x".repeat(101)), Fixtures.listing(dir));
    }

    @ParameterizedTest(name = "{0} bytes against a limit of {1}")
    @CsvSource({"0, 1", "1, 1", "99, 100", "100, 100", "1024, 1024"})
    void fileAtOrBelowTheLimitIsNotRotatedNorReported(int size, long limit) {
        Path log = dir.resolve("small-" + size + "-" + limit + ".log");
        append(log, size);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, limit, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofMinutes(10));
        }
        assertEquals(List.of(), recorder.trace());
        assertEquals(List.of(log.getFileName().toString()), List.copyOf(Fixtures.listing(dir).keySet()));
    }

    @Test
    void oneByteOverTheLimitRotates() {
        Path log = dir.resolve("over.log");
        append(log, 101);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, 100, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(10));
        }
        assertEquals(List.of("2026-01-01T00:00:10Z ROTATED"), recorder.trace());
    }

    @Test
    void missingFileLogsAndReportsNothing() {
        Path log = dir.resolve("size-missing-never-created.log");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, 100, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofHours(1));
        }
        assertEquals(List.of(), recorder.trace());
        assertEquals(List.of(), RecordedLogs.containing(log.toString()));
    }

    /** Checks are fixed-rate too: a listener that takes 4 s does not push later checks. */
    @Test
    void checksStayOnTheFixedRateGrid() {
        Path log = dir.resolve("rate.log");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, 10, Duration.ofSeconds(10)).withListener(event -> {
                recorder.onRotation(event);
                append(log, 11);
                Loop.sleep(Duration.ofSeconds(4));
            }).start(loop);
            append(log, 11);
            loop.runFor(Duration.ofSeconds(50));
        }
        assertEquals(List.of(
                "2026-01-01T00:00:10Z ROTATED",
                "2026-01-01T00:00:20Z ROTATED",
                "2026-01-01T00:00:30Z ROTATED",
                "2026-01-01T00:00:40Z ROTATED",
                "2026-01-01T00:00:50Z ROTATED"), recorder.trace());
    }
}
