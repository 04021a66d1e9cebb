package dev.baton.rotation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses one version with the JDK's gzip, crash-safely: {@code name.N} is written to
 * {@code name.N.gz.part}, forced to disk, renamed to {@code name.N.gz}, and only then is
 * {@code name.N} deleted. A failure at any point leaves {@code name.N} whole; a {@code .part} left
 * by a kill is deleted by the next rotation, and a slot holding both names keeps the {@code .gz}.
 * The {@code .gz} gets the original's modification time, so {@code maxage} sees the age of the
 * lines, not of the compression.
 *
 * <p>The {@code .gz} has the mode, owner and group of the version it replaces from its creation
 * on: {@code .gz.part} is created exclusively, without following links, with the owner bits of
 * that mode, then given the owner and group, then the whole mode. The version is opened without
 * following links and checked to be the file that was checked.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class Gzip {
    private Gzip() {
    }

    /**
     * Compresses {@code plain} to {@code gz}; {@code rotated} is the file whose version it is,
     * for messages.
     *
     * @throws SafeFiles.Refusal if anything is at {@code gz} or its {@code .part}, or
     *     {@code plain} was swapped after it was checked: nothing was written through it, and
     *     {@code plain} is kept
     * @throws IOException if the compression fails otherwise ({@code plain} is kept)
     */
    static void compress(Path rotated, Path plain, Path gz, boolean allowHardLink) throws IOException {
        Path part = gz.resolveSibling(gz.getFileName() + Versions.PART);
        BasicFileAttributes checked = Rotation.attributesOrNull(plain);
        if (checked == null) {
            throw new NoSuchFileException(plain.toString(), null, "the version to compress is gone");
        }
        // Before the open, not only after it (openSame checks again): what was swapped in since the
        // listing may be a FIFO, whose open for reading blocks until someone writes to it, or a device.
        SafeFiles.checkSame(rotated, plain, checked.fileKey(), allowHardLink);
        SafeFiles.checkFree(rotated, gz);
        boolean created = false;
        try {
            try (InputStream in = Channels.newInputStream(
                    SafeFiles.openSame(rotated, plain, checked.fileKey(), allowHardLink, StandardOpenOption.READ))) {
                try (FileChannel channel = SafeFiles.create(rotated, part, SafeFiles.Ownership.of(plain))) {
                    created = true;
                    OutputStream raw = Channels.newOutputStream(channel);
                    GZIPOutputStream out = new GZIPOutputStream(raw, 64 * 1024);
                    in.transferTo(out);
                    out.finish();
                    out.flush();
                    channel.force(true);
                }
            }
            Files.setAttribute(part, "basic:lastModifiedTime", checked.lastModifiedTime(), LinkOption.NOFOLLOW_LINKS);
            SafeFiles.checkFree(rotated, gz);
            Files.move(part, gz, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (created) {
                SafeFiles.removeAfter(e, part);
            }
            throw e;
        }
        Files.delete(plain);
    }
}
