package dev.baton.rotation;

import dev.baton.core.Loop;
import dev.baton.rotation.RotationEvent.Outcome;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a file is rotated: {@code app.log} becomes {@code app.log.1}, {@code app.log.1} becomes
 * {@code app.log.2}, and so on, keeping at most {@code keep} old versions. When to rotate is
 * decided by a {@link RotationPolicy}; the options ({@code copytruncate}, {@code create}, scripts,
 * compression, ...) by {@link RotationOptions}.
 *
 * <h2>Never losing a version</h2>
 * A rotation is a sequence of single, atomic file system steps, each leaving every version
 * recoverable:
 * <ol>
 *   <li>the file is moved aside to {@code app.log.rotating} (with {@code copytruncate}: copied to
 *       {@code app.log.copying}, forced, renamed to {@code app.log.rotating}, then truncated);
 *   <li>with {@code create}, a fresh {@code app.log} is created;
 *   <li>the versions below the lowest free slot are shifted up by one, the oldest first (if no
 *       slot up to {@code keep} is free, {@code app.log.keep} is the one dropped);
 *   <li>{@code app.log.rotating} is renamed to {@code app.log.1};
 *   <li>then, outside the rotation proper: the postrotate script, versions above {@code keep} or
 *       older than {@code maxage} removed, versions compressed.
 * </ol>
 * If a step fails (an immutable file, permission denied, disk full) or the process is killed at
 * any step, the names say what was done: the next rotation attempt, or {@link #recover}, finishes
 * the interrupted rotation instead of starting another one, and the versions are then exactly
 * those the uninterrupted rotation would have left. A failure before step 1 changes nothing.
 * A gap in the numbering (a version deleted by hand) is where the shift stops: the versions above
 * it keep their numbers and nothing is dropped.
 *
 * <p>Refused before anything changes, with an {@link IOException} naming the path and the rule: a
 * file that is a symbolic link, a directory or another non-regular file; any name of its family
 * ({@code app.log.3}, {@code app.log.3.gz}, {@code app.log.rotating}) that is not a regular file;
 * a file with more than one hard link unless {@link RotationOptions#allowHardLink()}; a missing
 * file with {@code nomissingok}.
 *
 * <p>In a folder other users can write (see {@link #checkFolder}): every file a rotation creates
 * ({@code create}'s new file, {@code name.copying}, {@code name.N.gz.part}) is created
 * exclusively without following links, with its final mode's owner bits until its owner is
 * set; every rename target is checked to be free; the file copied or compressed is opened
 * without following links and checked to be the file checked (same key, one link). Anything
 * another user put at a name the rotation was about to write (a symbolic link, a hard link,
 * any other file) makes it fail with an {@link IOException} naming it; nothing is written,
 * truncated or chowned through it. A refusal after the file was moved aside leaves
 * {@code name.rotating}, which the next attempt finishes once the name is cleared. A refusal
 * during compression comes after the rotation itself: the version stays uncompressed and the
 * call throws.
 *
 * <p>Cost: one listing of the folder, one attribute read per name of the file's family, and one
 * rename per version below the lowest free slot; nothing per unused slot up to {@code keep}.
 *
 * <p>Not guaranteed: durability against power loss (renames are not followed by a directory
 * fsync); coordination with other processes rotating the same files at the same time; the
 * postrotate script of a rotation killed after its last rename (the writer then keeps writing
 * into {@code app.log.1} until the next rotation's script: nothing is lost).
 *
 * <p>Thread rules: stateless; safe from any thread. On a coroutine of a {@link Loop}, the
 * renames run between two suspension points and the blocking work (copying, scripts, gzip) runs
 * on another thread while the coroutine waits in {@link Loop#await}, so other coroutines of the
 * loop keep their schedule.
 */
public final class Rotation {
    /*
     * Design notes.
     *
     * Why "move aside first": the old order (path.(keep-1) -> path.keep, ..., path -> path.1)
     * shifted the history before the only step that can be refused for the file itself (an
     * immutable or busy file); every failed retry then shifted again and pushed one more version
     * out. Moving the file to a name of its own first makes that step the commitment: before it
     * nothing has changed, after it the ".rotating" name says "finish me".
     *
     * Why "lowest free slot": completing an interrupted shift and rotating a folder with a gap are
     * then the same operation. After a kill during the shift, the lowest free slot is exactly the
     * one the shift had just vacated; shifting the versions below it finishes the job. So the
     * normal path is also the repair path, and a second interruption during the repair is
     * repaired the same way.
     *
     * Names, not a journal: the state of a rotation is fully told by which names exist, so there
     * is no second file that could disagree with the folder.
     */

    /** The sticky bit of a folder's {@code unix:mode}: only a file's owner may rename or delete it. */
    private static final int STICKY = 01000;

    private Rotation() {
    }

    /**
     * Rotates {@code path}, keeping {@code keep} old versions, with plain renames: the same as
     * {@code rotate(path, RotationOptions.keep(keep))}. If {@code path} does not exist, nothing
     * happens (unless an interrupted rotation is there to finish).
     *
     * @param path the file to rotate; its versions are named {@code path.1} to {@code path.keep}
     * @param keep how many old versions to keep, 1 to {@link RotationOptions#MAX_KEEP}
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code keep} is not between 1 and
     *     {@link RotationOptions#MAX_KEEP}
     * @throws IOException as {@link #rotate(Path, RotationOptions)}
     */
    public static void rotate(Path path, int keep) throws IOException {
        rotate(path, RotationOptions.keep(keep));
    }

    /**
     * Rotates {@code path} with {@code options}, or finishes a rotation of it that was
     * interrupted (then that counts as this rotation). {@code minsize} is not applied: this is a
     * forced rotation; the policies apply it.
     *
     * @param path the file to rotate; its versions are named {@code path.1}, {@code path.2}, ...
     * @param options how to rotate it: how many versions to keep, copytruncate or rename, create,
     *     scripts, compression, and when to skip or refuse
     * @return {@link Outcome#ROTATED}, {@link Outcome#SKIPPED_MISSING} (no file, {@code missingok})
     *     or {@link Outcome#SKIPPED_EMPTY} (an empty file, {@code notifempty})
     * @throws NullPointerException if an argument is null
     * @throws IOException if the rotation is refused (see the class documentation; nothing
     *     changed), if the prerotate script fails (nothing changed), or if a step fails (the
     *     message names it; the next attempt finishes the rotation). A postrotate script that
     *     fails, or a compression that fails, is logged and does not fail the rotation: the
     *     uncompressed version is kept and compressed at the next rotation.
     */
    public static Outcome rotate(Path path, RotationOptions options) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return new Rotator(path, options, now(), false, true, true).rotate();
    }

    /**
     * Rotates each of {@code paths} with {@code options}. With {@code sharedscripts}, prerotate
     * runs once before the first rotation and postrotate once after the last, each with all the
     * paths as arguments (postrotate only if at least one was rotated); otherwise each rotation
     * runs its own. A path that fails does not stop the others.
     *
     * @param paths the files to rotate, one after another in this order
     * @param options how to rotate each of them, as {@link #rotate(Path, RotationOptions)}
     * @return the outcome of each path, in the order of {@code paths}; returned only when none
     *     failed, so never {@link Outcome#FAILED}
     * @throws NullPointerException if {@code paths}, one of its elements or {@code options} is
     *     null (checked before anything is run or rotated)
     * @throws IOException after trying every path, if any failed (the first failure, the others
     *     suppressed); if a shared prerotate fails (then nothing was rotated); or if a shared
     *     postrotate fails (then the rotations stand)
     */
    public static List<Outcome> rotateAll(List<Path> paths, RotationOptions options) throws IOException {
        Objects.requireNonNull(paths, "paths must not be null");
        Objects.requireNonNull(options, "options must not be null");
        paths.forEach(p -> Objects.requireNonNull(p, "paths must not contain null"));
        Instant now = now();
        boolean shared = options.sharedScripts();
        if (shared && options.prerotate() != null && paths.stream().anyMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            Rotator.runScript("prerotate", options.prerotate(), paths, options, true);
        }
        List<Outcome> outcomes = new ArrayList<>();
        IOException failure = null;
        for (Path p : paths) {
            try {
                outcomes.add(new Rotator(p, options, now, false, !shared, !shared).rotate());
            } catch (IOException e) {
                outcomes.add(Outcome.FAILED);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (shared && options.postrotate() != null && outcomes.contains(Outcome.ROTATED)) {
            try {
                Rotator.runScript("postrotate", options.postrotate(), paths, options, false);
            } catch (IOException scriptFailed) {
                if (failure == null) {
                    throw scriptFailed;
                }
                failure.addSuppressed(scriptFailed); // both reach the caller: the rotation's first
            }
        }
        if (failure != null) {
            throw failure;
        }
        return outcomes;
    }

    /**
     * Finishes a rotation of {@code path} that was interrupted by a failure or a kill, if there
     * is one, and does nothing else: no new rotation. A policy does this when it starts.
     *
     * @param path the file whose interrupted rotation (a {@code path.rotating} left behind) is
     *     finished
     * @param options the options the rotation was started with: they say how many versions to
     *     keep, whether to create a fresh file, which scripts to run and whether to compress
     * @return true if an interrupted rotation was found and finished; false if there was none
     *     (then nothing changed)
     * @throws NullPointerException if an argument is null
     * @throws IOException if it cannot be finished (the names still tell what is left to do)
     */
    public static boolean recover(Path path, RotationOptions options) throws IOException {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return new Rotator(path, options, now(), false, true, true).recover();
    }

    /**
     * A warning if {@code file}'s folder lets every user replace files in it: writable by others
     * and without the sticky bit. A daemon running as root should say it once per run for each
     * such folder. Baton rotates the file anyway: every name it writes there is created
     * exclusively or checked first, links are never followed, and anything another user put at
     * such a name makes the rotation fail naming it (see docs/security.md). logrotate instead
     * refuses such a folder unless {@code su} is given.
     *
     * <p>The warning also says when the kernel lets users hard-link files they do not own
     * ({@code /proc/sys/fs/protected_hardlinks} is 0): the one swap Baton's checks cannot see.
     *
     * @param file a file to be rotated (it need not exist); its folder, after resolving
     *     {@code file} against the working directory, is the one checked
     * @return the warning, naming the folder, its mode and owner; empty for a folder only its
     *     owner (and group) can write, a sticky one, or one whose file system has no POSIX modes
     * @throws NullPointerException if {@code file} is null
     * @throws IOException if the folder's attributes cannot be read
     */
    public static Optional<String> checkFolder(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !SafeFiles.posix(dir)) {
            return Optional.empty();
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
        if (!a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.empty();
        }
        Integer mode = null;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            mode = (Integer) Files.getAttribute(dir, "unix:mode");
            if ((mode & STICKY) != 0) {
                return Optional.empty();
            }
        }
        String modeText = mode != null ? String.format("%04o", mode & 07777) : PosixFilePermissions.toString(a.permissions());
        StringBuilder warning = new StringBuilder("folder ").append(dir).append(" (mode ").append(modeText)
                .append(", owner ").append(a.owner().getName()).append(") holding ").append(file.getFileName())
                .append(" is writable by every user");
        warning.append(mode != null ? " and has no sticky bit" : " (whether it has the sticky bit is not known here)");
        warning.append(": any user can rename, replace or plant files in it. Baton rotates it anyway, creating each file"
                + " exclusively and checking each name before writing it, so a planted link or file makes the rotation fail"
                + " naming it; to take the risk away, rotate it as the folder's owner or remove others' write permission");
        if (protectedHardlinksOff(dir)) {
            warning.append(". fs.protected_hardlinks is 0: a user can hard-link files they do not own into the folder,"
                    + " which no check by name can tell apart from a version");
        }
        return Optional.of(warning.toString());
    }

    private static boolean protectedHardlinksOff(Path dir) {
        if (!dir.getFileSystem().equals(FileSystems.getDefault())) {
            return false;
        }
        try {
            return Files.readString(Path.of("/proc/sys/fs/protected_hardlinks")).strip().equals("0");
        } catch (IOException | RuntimeException notLinux) {
            return false;
        }
    }

    /** The loop clock's wall time on a loop, else the system's (used only for maxage). */
    private static Instant now() {
        try {
            return Loop.current().clock().instant();
        } catch (IllegalStateException notOnALoop) {
            return Instant.now();
        }
    }

    /** {@code path.n}: the sibling of {@code path} named after it with {@code "." + n} appended. */
    static Path version(Path path, int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    /** One atomic rename; the message names both paths. */
    static void move(Path from, Path to, boolean replace) throws IOException {
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

    /** Attributes without following links, or null if missing. */
    static BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }
}
