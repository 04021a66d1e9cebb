package dev.baton.rotation;

import static dev.baton.rotation.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Rotations that fail are logged once per attempt with path and cause, reported as FAILED, and
 * the policy keeps its schedule; other policies on the loop are not disturbed. Failures are made
 * real in Jimfs: a non-empty directory where the oldest version goes cannot be replaced.
 */
class FailureTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path dir = fs.getPath("/logs");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static void blockWithNonEmptyDirectory(Path path) {
        try {
            Files.createDirectory(path);
            Files.writeString(path.resolve("inside"), "in the way");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path path) {
        try {
            Files.delete(path.resolve("inside"));
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void failedRenameIsLoggedOncePerAttemptAndThePolicyRotatesAtItsNextTurn() {
        Path failing = dir.resolve("failing.log");
        Path other = dir.resolve("undisturbed.log");
        write(failing, "now");
        write(Rotation.version(failing, 1), "v1");
        blockWithNonEmptyDirectory(Rotation.version(failing, 2));
        write(other, "other");
        Fixtures.Recorder failingEvents = new Fixtures.Recorder();
        Fixtures.Recorder otherEvents = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> failingTask = RotationPolicy.every(failing, 2, Duration.ofSeconds(10)).withListener(event -> {
                failingEvents.onRotation(event);
                write(failing, "after " + event.instant());
            }).start(loop);
            Task<Void> otherTask = RotationPolicy.every(other, 1, Duration.ofSeconds(7)).withListener(event -> {
                otherEvents.onRotation(event);
                write(other, "after " + event.instant());
            }).start(loop);
            // Two failing attempts (10 s, 20 s), then the obstacle goes away.
            loop.callLater(Duration.ofSeconds(25), () -> deleteTree(Rotation.version(failing, 2)));
            loop.runFor(Duration.ofSeconds(30));
            assertFalse(failingTask.isDone());
            assertFalse(otherTask.isDone());
        }

        assertEquals(List.of(
                "2026-01-01T00:00:10Z FAILED",
                "2026-01-01T00:00:20Z FAILED",
                "2026-01-01T00:00:30Z ROTATED"), failingEvents.trace());
        assertEquals(List.of(
                "2026-01-01T00:00:07Z ROTATED",
                "2026-01-01T00:00:14Z ROTATED",
                "2026-01-01T00:00:21Z ROTATED",
                "2026-01-01T00:00:28Z ROTATED"), otherEvents.trace());

        // One WARN line per attempt, with the path, the policy and the cause; the stack trace at DEBUG.
        List<RecordedLogs.Event> logged = warnings(failing.toString());
        assertEquals(2, logged.size(), logged::toString);
        for (RecordedLogs.Event event : logged) {
            assertEquals("dev.baton.rotation.RotationPolicy", event.logger());
            assertTrue(event.message().startsWith("Could not rotate /logs/failing.log (interval, every 10s, keep 2): "), event.message());
            assertTrue(event.message().endsWith("java.io.IOException: refusing to rotate /logs/failing.log: its version slot"
                    + " failing.log.2 is a directory, not a regular file; nothing was renamed"), event.message());
            assertNull(event.error(), "the stack trace is logged at DEBUG only");
        }
        List<RecordedLogs.Event> traces = RecordedLogs.matching(e -> e.level() == Level.DEBUG && e.message().contains(failing.toString()));
        assertEquals(2, traces.size(), traces::toString);
        for (RecordedLogs.Event event : traces) {
            assertInstanceOf(IOException.class, event.error());
        }
        assertEquals(List.of(), RecordedLogs.containing(other.toString()));
        assertEquals("v1", readString(Rotation.version(failing, 2)));
        assertEquals("after 2026-01-01T00:00:20Z", readString(Rotation.version(failing, 1)));
    }

    @Test
    void failedEventCarriesTheCause() {
        Path failing = dir.resolve("cause.log");
        write(failing, "now");
        blockWithNonEmptyDirectory(Rotation.version(failing, 1));
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(failing, 1, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(10));
        }
        RotationEvent event = recorder.events.get(0);
        assertEquals(RotationEvent.Outcome.FAILED, event.outcome());
        assertEquals("refusing to rotate /logs/cause.log: its version slot cause.log.1 is a directory, not a regular file;"
                + " nothing was renamed",
                event.error().getMessage());
    }

    @Test
    void symbolicLinkIsRefusedByEveryPolicyAndLoggedEachTime() throws IOException {
        Path target = dir.resolve("target.log");
        write(target, "x".repeat(500));
        Path link = dir.resolve("linked.log");
        Files.createSymbolicLink(link, target);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T23:59:30Z"), ZoneOffset.UTC))) {
            RotationPolicy.every(link, 3, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            RotationPolicy.bySize(link, 3, 100, Duration.ofSeconds(15)).withListener(recorder).start(loop);
            RotationPolicy.daily(link, 3).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(30));
        }
        // At midnight the three timers are due together; they fire in the order they were
        // scheduled (daily at 23:59:30, size at 23:59:45, interval at 23:59:50).
        assertEquals(List.of(
                "interval 2026-01-01T23:59:40Z FAILED",
                "size 2026-01-01T23:59:45Z FAILED",
                "interval 2026-01-01T23:59:50Z FAILED",
                "daily 2026-01-02T00:00:00Z FAILED",
                "size 2026-01-02T00:00:00Z FAILED",
                "interval 2026-01-02T00:00:00Z FAILED"),
                recorder.events.stream().map(e -> e.policy() + " " + e.instant() + " " + e.outcome()).toList());
        List<RecordedLogs.Event> logged = warnings(link.toString());
        assertEquals(6, logged.size());
        assertTrue(logged.get(0).message().endsWith(
                "java.io.IOException: refusing to rotate /logs/linked.log: it is a symbolic link (links are never followed)"),
                logged.get(0).message());
        assertEquals(Fixtures.files("target.log=" + "x".repeat(500)), Fixtures.listing(dir));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void directoryIsRefusedAndLoggedWithPathAndReason() throws IOException {
        Path logs = dir.resolve("a-directory.log");
        Files.createDirectory(logs);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(logs, 3, Duration.ofSeconds(10)).withListener(recorder).start(loop);
            loop.runFor(Duration.ofSeconds(20));
        }
        assertEquals(List.of("2026-01-01T00:00:10Z FAILED", "2026-01-01T00:00:20Z FAILED"), recorder.trace());
        List<RecordedLogs.Event> logged = warnings(logs.toString());
        assertEquals(2, logged.size());
        assertTrue(logged.get(0).message().contains("it is a directory, not a regular file"), logged.get(0).message());
        assertTrue(Files.isDirectory(logs));
    }

    @Test
    void listenerThatThrowsIsLoggedAndThePolicyGoesOn() {
        Path log = dir.resolve("listener-throws.log");
        List<String> calls = new java.util.ArrayList<>();
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> task = RotationPolicy.every(log, 3, Duration.ofSeconds(10)).withListener(event -> {
                calls.add(event.instant() + " " + event.outcome());
                throw new IllegalStateException("listener broke");
            }).start(loop);
            loop.runFor(Duration.ofSeconds(20));
            assertFalse(task.isDone());
        }
        assertEquals(List.of("2026-01-01T00:00:10Z SKIPPED_MISSING", "2026-01-01T00:00:20Z SKIPPED_MISSING"), calls);
        List<RecordedLogs.Event> logged = RecordedLogs.containing(log.toString());
        assertEquals(2, logged.size());
        assertEquals("Rotation listener failed for /logs/listener-throws.log (interval): java.lang.IllegalStateException: listener broke",
                logged.get(0).message());
    }

    /** The WARN events that contain {@code text} (a failed attempt also logs its stack trace at DEBUG). */
    private static List<RecordedLogs.Event> warnings(String text) {
        return RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains(text));
    }
}
