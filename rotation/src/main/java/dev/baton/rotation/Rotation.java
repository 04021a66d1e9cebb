package dev.baton.rotation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * How a file is rotated: {@code app.log} becomes {@code app.log.1}, {@code app.log.1} becomes
 * {@code app.log.2}, and so on, keeping at most {@code keep} old versions. When to rotate is
 * decided by a {@link RotationPolicy}.
 *
 * <p>Guarantees of {@link #rotate(Path, int)}:
 * <ul>
 *   <li>Every step is one atomic rename ({@link Files#move} with
 *       {@link StandardCopyOption#ATOMIC_MOVE}) on the path's own {@link java.nio.file.FileSystem}.
 *       Nothing is copied, so a writer that keeps a stream open to {@code path} across a rotation
 *       loses nothing: on file systems where a rename keeps the open file (POSIX, Jimfs) its
 *       later bytes land in {@code path.1}.
 *   <li>At most {@code keep} renames; the version beyond {@code keep} is replaced, as logrotate
 *       does. Missing versions (gaps) are allowed and stay gaps.
 *   <li>A symbolic link, a directory or any other non-regular file at {@code path} is refused
 *       before anything is renamed; links are never followed.
 * </ul>
 *
 * <p>Not guaranteed: the rotation as a whole is not atomic. If a rename fails, the renames before
 * it stay done and the exception says which one failed; the next rotation starts from that state.
 * Other processes that rename the same files at the same time are not coordinated with.
 *
 * <p>Thread rules: stateless; safe from any thread. On a {@link dev.baton.core.Loop} it runs
 * between two suspension points, so no other coroutine of that loop sees it half done.
 */
public final class Rotation {
    /*
     * Design notes.
     *
     * The renames go from the oldest version down, so each destination has just been vacated:
     * only the first one, onto path.keep, may replace an existing file, and only that one is given
     * REPLACE_EXISTING (Jimfs honours the option with ATOMIC_MOVE; POSIX rename(2) replaces anyway).
     * With keep == 1 that first rename is path -> path.1.
     *
     * The type check reads attributes with NOFOLLOW_LINKS once, before the first rename. A file
     * swapped for a link between that check and the renames is renamed as a link (rename never
     * follows links), so even then nothing is rotated "through" a link.
     *
     * rotateIfPresent() is the same operation reporting whether the file was there; the policies
     * use it to tell ROTATED from SKIPPED_MISSING without a second, racy existence check.
     */

    private Rotation() {
    }

    /**
     * Rotates {@code path}, keeping {@code keep} old versions: {@code path.(keep-1)} is renamed to
     * {@code path.keep} (replacing it), ..., {@code path.1} to {@code path.2}, and {@code path} to
     * {@code path.1}. Versions that do not exist are skipped. If {@code path} does not exist,
     * nothing happens. Afterwards {@code path} does not exist until someone creates it again.
     *
     * <p>Cost: {@code keep - 1} existence checks and at most {@code keep} renames.
     *
     * @param path the file to rotate, on any file system
     * @param keep how many old versions to keep, at least 1
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code keep < 1}
     * @throws IOException if {@code path} is a symbolic link, a directory or another non-regular
     *     file (nothing is renamed; the message names the path and the reason), or if a rename
     *     fails (the message names both paths; earlier renames stay done)
     */
    public static void rotate(Path path, int keep) throws IOException {
        rotateIfPresent(path, keep);
    }

    /**
     * {@link #rotate(Path, int)}, returning false if {@code path} did not exist (nothing done)
     * and true if it was rotated.
     */
    static boolean rotateIfPresent(Path path, int keep) throws IOException {
        return rotateIfPresent(path, versions(path, keep));
    }

    /**
     * {@link #rotateIfPresent(Path, int)} with the version paths made already:
     * {@code versions.get(i - 1)} is {@code path.i}, and {@code versions.size()} is keep. The
     * policies make them once per run, not twice per version per rotation.
     */
    static boolean rotateIfPresent(Path path, List<Path> versions) throws IOException {
        int keep = versions.size();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            return false;
        }
        if (attributes.isSymbolicLink()) {
            throw new IOException("refusing to rotate " + path + ": it is a symbolic link (links are never followed)");
        }
        if (attributes.isDirectory()) {
            throw new IOException("refusing to rotate " + path + ": it is a directory, not a regular file");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("refusing to rotate " + path + ": it is not a regular file");
        }
        for (int i = keep - 1; i >= 1; i--) {
            Path older = versions.get(i - 1);
            if (Files.exists(older, LinkOption.NOFOLLOW_LINKS)) {
                move(older, versions.get(i), i + 1 == keep);
            }
        }
        move(path, versions.get(0), keep == 1);
        return true;
    }

    /** {@code path.n}: the sibling of {@code path} named after it with {@code "." + n} appended. */
    static Path version(Path path, int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    /**
     * {@code path.1} ... {@code path.keep}, in that order.
     *
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code keep < 1}
     */
    static List<Path> versions(Path path, int keep) {
        Objects.requireNonNull(path, "path must not be null");
        checkKeep(keep);
        Path[] versions = new Path[keep];
        for (int i = 1; i <= keep; i++) {
            versions[i - 1] = version(path, i);
        }
        return List.of(versions);
    }

    static void checkKeep(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new IOException("could not rename " + from + " to " + to + ": " + e, e);
        }
    }
}
