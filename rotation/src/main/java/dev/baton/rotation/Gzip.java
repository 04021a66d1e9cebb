package dev.baton.rotation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses one version with the JDK's gzip, crash-safely: {@code name.N} is written to
 * {@code name.N.gz.part}, forced to disk, renamed to {@code name.N.gz}, and only then is
 * {@code name.N} deleted. A failure at any point leaves {@code name.N} whole; a {@code .part} left
 * by a kill is deleted by the next rotation, and a slot holding both names keeps the {@code .gz}.
 * The {@code .gz} gets the original's modification time, so {@code maxage} sees the age of the
 * lines, not of the compression.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class Gzip {
    private Gzip() {
    }

    static void compress(Path plain, Path gz) throws IOException {
        Path part = gz.resolveSibling(gz.getFileName() + Versions.PART);
        FileTime modified = Files.getLastModifiedTime(plain, LinkOption.NOFOLLOW_LINKS);
        try {
            try (InputStream in = Files.newInputStream(plain, LinkOption.NOFOLLOW_LINKS);
                 FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                OutputStream raw = Channels.newOutputStream(channel);
                GZIPOutputStream out = new GZIPOutputStream(raw, 64 * 1024);
                in.transferTo(out);
                out.finish();
                out.flush();
                channel.force(true);
            }
            Files.setLastModifiedTime(part, modified);
            Files.move(part, gz, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Files.delete(plain);
    }
}
