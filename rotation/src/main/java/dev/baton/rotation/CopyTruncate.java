package dev.baton.rotation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
 * <p>The copy gets the file's mode, owner and group from its creation on (a copy of a 0600 log is
 * never more readable than the log), and is created exclusively. The file is opened without
 * following links and checked to be the one the rotation checked, after the open and again just
 * before the truncate.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class CopyTruncate {
    private CopyTruncate() {
    }

    /**
     * Returns the number of bytes copied.
     *
     * @param key the file key of {@code path} as checked by the rotation (null where the file
     *     system has none): the file opened, and the file truncated, must be that one
     * @param allowHardLink whether {@code path} may have several links
     * @throws SafeFiles.Refusal if {@code path} was swapped after the check, or anything is at
     *     {@code copying} or {@code rotating}: nothing was truncated
     */
    static long copyThenTruncate(Path path, Path copying, Path rotating, Object key, boolean allowHardLink) throws IOException {
        boolean created = false;
        try (FileChannel source = SafeFiles.openSame(path, path, key, allowHardLink, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try (FileChannel copy = SafeFiles.create(path, copying, SafeFiles.Ownership.of(path))) {
                created = true;
                long copied;
                try {
                    copied = copyUpTo(source, copy, 0, source.size());
                    copy.force(true);
                } catch (IOException e) {
                    throw failed(path, "copying it to " + copying.getFileName(), e,
                            "nothing was truncated, and the partial copy is deleted (now, or by the next attempt)");
                }
                SafeFiles.checkFree(path, rotating);
                Files.move(copying, rotating, StandardCopyOption.ATOMIC_MOVE);
                created = false;
                for (;;) {
                    long size = source.size();
                    if (size <= copied) {
                        // The name may have been swapped since the open; the open file is truncated,
                        // and only if the name still leads to it (no link swapped in is ever truncated).
                        SafeFiles.checkSame(path, path, key, allowHardLink);
                        source.truncate(0);
                        break;
                    }
                    try {
                        copied = copyUpTo(source, copy, copied, size);
                    } catch (IOException e) {
                        throw failed(path, "copying what was appended meanwhile to " + rotating.getFileName(), e,
                                "nothing was truncated; " + rotating.getFileName() + " keeps the copy so far, and the next"
                                        + " attempt makes it the newest version (the lines in it are then also still in the file)");
                    }
                }
                copy.force(true);
                return copied;
            }
        } catch (IOException | RuntimeException e) {
            if (created) {
                SafeFiles.removeAfter(e, copying);
            }
            throw e;
        }
    }

    /** A failure of one step, naming the file, the step, why, and what it left. */
    private static IOException failed(Path path, String step, IOException cause, String left) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IOException("copytruncate of " + path + " failed while " + step + ": " + why + "; " + left, cause);
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
