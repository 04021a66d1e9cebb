package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.event.Level;

/**
 * Failures injected by a forwarding file system around Jimfs ({@link FaultyFileSystem}): the
 * kinds of exception a real disk gives (permission denied, disk full) and the unchecked ones a
 * provider may throw. Each is logged once with path and cause, the policy rotates at its next
 * turn, and a second policy on the same loop and file system is not disturbed.
 */
class InjectedFailureTest {
    private final FaultyFileSystem fs = new FaultyFileSystem(Fixtures.jimfs());
    private final Path dir = fs.getPath("/logs");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("permission denied", new AccessDeniedException("/logs/x", null, "Permission denied")),
                Arguments.of("disk full", new FileSystemException("/logs/x", null, "No space left on device")),
                Arguments.of("unchecked IO", new UncheckedIOException(new IOException("I/O error"))),
                Arguments.of("security manager", new SecurityException("denied by policy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failedAttemptIsLoggedAndThePolicyRotatesAtItsNextTurn(String name, Exception failure) {
        Path log = dir.resolve("injected-" + name.replace(' ', '-') + ".log");
        Path other = dir.resolve("bystander-" + name.replace(' ', '-') + ".log");
        Fixtures.write(log, "now");
        Fixtures.write(other, "other");
        fs.failMove(log.getFileName().toString(), failure);
        Fixtures.Recorder events = new Fixtures.Recorder();
        Fixtures.Recorder otherEvents = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            Task<Void> task = RotationPolicy.every(log, 2, Duration.ofSeconds(10)).withListener(events).start(loop);
            RotationPolicy.every(other, 2, Duration.ofSeconds(4)).withListener(event -> {
                otherEvents.onRotation(event);
                Fixtures.write(other, "again");
            }).start(loop);
            loop.runFor(Duration.ofSeconds(20));
            assertFalse(task.isDone());
        }

        assertEquals(List.of("2026-01-01T00:00:10Z FAILED", "2026-01-01T00:00:20Z ROTATED"), events.trace());
        // An IOException comes wrapped in one naming both paths; an unchecked one as it was thrown.
        Throwable error = events.events.get(0).error();
        assertSame(failure, failure instanceof IOException ? error.getCause() : error);
        assertEquals(List.of(
                "2026-01-01T00:00:04Z ROTATED", "2026-01-01T00:00:08Z ROTATED", "2026-01-01T00:00:12Z ROTATED",
                "2026-01-01T00:00:16Z ROTATED", "2026-01-01T00:00:20Z ROTATED"), otherEvents.trace());
        // The WARN line; the stack trace goes to a second event, at DEBUG.
        List<RecordedLogs.Event> logged = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains(log.toString()));
        assertEquals(1, logged.size(), logged::toString);
        assertTrue(logged.get(0).message().startsWith("Could not rotate " + log + " (interval, every 10s, keep 2): "), logged.get(0).message());
        assertEquals(List.of(), RecordedLogs.containing(other.toString()));
    }

    /**
     * Disk full when the file is moved aside, the first step: nothing changed, and the next turn
     * rotates once (the old order shifted every version first, and each failed retry pushed one
     * more out).
     */
    @Test
    void failureAtTheFirstStepChangesNothingAndTheNextTurnRotatesOnce() {
        Path log = dir.resolve("mid.log");
        Fixtures.write(log, "now");
        Fixtures.write(Rotation.version(log, 1), "v1");
        Fixtures.write(Rotation.version(log, 2), "v2");
        fs.failMove("mid.log", new FileSystemException("/logs/mid.log", null, "No space left on device"));

        IOException first = assertThrows(IOException.class, () -> Rotation.rotate(log, 3));
        assertEquals("could not rename /logs/mid.log to /logs/mid.log.rotating: java.nio.file.FileSystemException:"
                + " /logs/mid.log: No space left on device", first.getMessage());
        assertEquals(Fixtures.files("mid.log=now mid.log.1=v1 mid.log.2=v2"), Fixtures.listing(dir));

        assertDoesNotThrow(() -> Rotation.rotate(log, 3));
        assertEquals(Fixtures.files("mid.log.1=now mid.log.2=v1 mid.log.3=v2"), Fixtures.listing(dir));
    }

    /** The file is moved aside first, then only the versions below the lowest free slot move. */
    @Test
    void renamesMoveTheFileAsideThenStopAtTheLowestFreeSlot() throws IOException {
        Path log = dir.resolve("order.log");
        Fixtures.write(log, "now");
        Fixtures.write(Rotation.version(log, 1), "v1");
        Fixtures.write(Rotation.version(log, 3), "v3");
        Fixtures.write(Rotation.version(log, 4), "v4");

        Rotation.rotate(log, 4);

        assertEquals(List.of(
                "/logs/order.log -> /logs/order.log.rotating",
                "/logs/order.log.1 -> /logs/order.log.2",
                "/logs/order.log.rotating -> /logs/order.log.1"), fs.moves);
    }
}
