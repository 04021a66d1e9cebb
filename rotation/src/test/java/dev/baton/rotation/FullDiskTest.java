package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during a rotation: a real ENOSPC, from a small tmpfs mounted for the test
 * (root only; skipped elsewhere). The error names the file, the step and what was left; nothing
 * is lost, and once there is room the next attempt rotates.
 */
class FullDiskTest {
    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            Fixtures.command("umount", mounted.toString());
        }
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax, e.g. "256k") on {@code dir}, or skips the test. */
    private void mountSmallDisk(Path dir, String size) throws Exception {
        assumeTrue(Fixtures.command("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()),
                "mounting a small tmpfs needs root; the full-disk case is not tested here");
        mounted = dir;
    }

    private static byte[] lines(int bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; s.length() < bytes; i++) {
            s.append("2024-11-03T01:30:00 request ").append(i).append(" served\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * logrotate's copytruncate on a full disk: the copy fails, the log is neither truncated nor
     * changed, the partial copy is gone, and the error says so.
     */
    @Test
    void copytruncateOnAFullDiskTruncatesNothingAndSaysWhichStepFailed(@TempDir Path dir) throws Exception {
        mountSmallDisk(dir, "256k");
        Path log = dir.resolve("app.log");
        byte[] content = lines(160 * 1024);
        Files.write(log, content);
        RotationOptions options = RotationOptions.builder(3).copyTruncate().build();

        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, options));
        String m = e.getMessage();
        assertTrue(m.contains("app.log") && m.contains("No space left on device"), m);
        assertTrue(m.contains("copying") && m.contains("nothing was truncated"), m);
        assertArrayEquals(content, Files.readAllBytes(log), "the log was changed");
        assertEquals(List.of("app.log"), names(dir), "something was left of the failed copy");

        assertTrue(Fixtures.command("mount", "-o", "remount,size=1m", dir.toString()));
        Rotation.rotate(log, options);
        assertEquals(List.of("app.log", "app.log.1"), names(dir));
        assertEquals(0, Files.size(log));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("app.log.1")));
    }

    /**
     * Compression on a full disk (the rename needs no room, the .gz does): the version is kept
     * uncompressed and whole, the partial .gz is gone, a warning names it and the cause, and the
     * next rotation with room compresses it.
     */
    @Test
    void compressionOnAFullDiskKeepsTheVersionUncompressedAndWarns(@TempDir Path dir) throws Exception {
        mountSmallDisk(dir, "256k");
        Path log = dir.resolve("app.log");
        StringBuilder noisy = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        while (noisy.length() < 64 * 1024) {
            noisy.append(Long.toHexString(random.nextLong())).append('\n'); // compresses to about half
        }
        byte[] content = noisy.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(log, content);
        Path filler = dir.resolve("other.data");
        Files.write(filler, new byte[Math.toIntExact(Files.getFileStore(dir).getUsableSpace() - 8 * 1024)]);
        RotationOptions options = RotationOptions.builder(3).compress().build();

        Rotation.rotate(log, options);
        assertEquals(List.of("app.log.1", "other.data"), names(dir));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("app.log.1")));
        List<RecordedLogs.Event> warnings = RecordedLogs.containing("Could not compress " + dir.resolve("app.log.1"));
        assertEquals(1, warnings.size(), RecordedLogs.all()::toString);
        assertTrue(warnings.get(0).message().contains("No space left on device"), warnings.get(0).message());

        Files.delete(filler);
        Files.write(log, "later\n".getBytes(StandardCharsets.UTF_8));
        Rotation.rotate(log, options);
        assertEquals(List.of("app.log.1.gz", "app.log.2.gz"), names(dir));
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("app.log.2.gz")))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }
}
