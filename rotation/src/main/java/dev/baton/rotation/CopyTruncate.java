package dev.baton.rotation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * logrotate's {@code copytruncate}, with the loss window as small as the JDK allows:
 *
 * <ol>
 *   <li>copy the file to {@code name.copying} up to its current size, and force the copy to disk;
 *   <li>rename {@code name.copying} to {@code name.rotating}: from here on the copy is a version
 *       (a kill before this leaves the file untouched and the partial copy is deleted);
 *   <li>catch up: while the file has grown, copy what was appended; when a size read finds
 *       nothing new, truncate the file to zero at once.
 * </ol>
 *
 * Bytes a writer appends between that last size read and the truncate are lost: that window is
 * one {@code fstat} and one {@code ftruncate} apart, a few microseconds; no JDK call can close it,
 * since a writer that never reopens cannot be paused. A kill between steps 2 and 3 duplicates the
 * copied lines (in the version and still in the file); it never loses them. Writers must append
 * ({@code O_APPEND}, {@code FileOutputStream(file, true)}): a writer that writes at its own offset
 * goes on at that offset after the truncate and leaves a hole of zeros, as with logrotate.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class CopyTruncate {
    private CopyTruncate() {
    }

    /** Returns the number of bytes copied. */
    static long copyThenTruncate(Path path, Path copying, Path rotating) throws IOException {
        try (FileChannel source = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileChannel copy = FileChannel.open(copying, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long copied = copyUpTo(source, copy, 0, source.size());
            copy.force(true);
            Files.move(copying, rotating, StandardCopyOption.ATOMIC_MOVE);
            for (;;) {
                long size = source.size();
                if (size <= copied) {
                    source.truncate(0);
                    break;
                }
                copied = copyUpTo(source, copy, copied, size);
            }
            copy.force(true);
            return copied;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(copying);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static long copyUpTo(FileChannel source, FileChannel copy, long from, long to) throws IOException {
        long position = from;
        while (position < to) {
            long n = source.transferTo(position, to - position, copy);
            if (n <= 0) {
                break; // shrunk under us: copy what there was
            }
            position += n;
        }
        return position;
    }
}
