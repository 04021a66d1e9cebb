package dev.baton.rotation;

import dev.baton.rotation.RotationEvent.Outcome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rotation of one file: the steps {@link Rotation} documents, in order. Made for one call and
 * used by one thread.
 */
final class Rotator {
    /*
     * Design notes.
     *
     * rotate() and recover() share complete(): after the file is at name.rotating, the rest of a
     * rotation does not depend on how it got there (renamed, copied, or found after a kill).
     * Every mutation goes through the file system provider (move, delete, createFile,
     * setAttribute), which is what the fault-injection and kill tests count as "a step".
     */

    private static final Logger LOG = LoggerFactory.getLogger(Rotation.class);

    private final Path path;
    private final RotationOptions options;
    private final Instant now;
    private final boolean checkMinSize;
    private final boolean runPrerotate;
    private final boolean runPostrotate;
    /** The folder as listed at the start, updated as names move; this rotation's thread only. */
    private Versions v;
    /** Why a step after the rotation failed (postrotate, a compression), if one did; later ones suppressed. This rotation's thread only. */
    private Exception afterFailure;

    Rotator(Path path, RotationOptions options, Instant now, boolean checkMinSize, boolean runPrerotate, boolean runPostrotate) {
        this.path = path;
        this.options = options;
        this.now = now;
        this.checkMinSize = checkMinSize;
        this.runPrerotate = runPrerotate;
        this.runPostrotate = runPostrotate;
    }

    /** After {@link #rotate} or {@link #recover}: why a step after the rotation (postrotate, a compression) failed, or null. */
    Exception afterFailure() {
        return afterFailure;
    }

    private void afterStepFailed(Exception e) {
        if (afterFailure == null) {
            afterFailure = e;
        } else {
            afterFailure.addSuppressed(e);
        }
    }

    Outcome rotate() throws IOException {
        v = Versions.read(path, options.allowHardLink());
        v.throwIfRefused();
        if (v.rotating != null) {
            finishInterrupted();
            return Outcome.ROTATED;
        }
        cleanLeftovers();
        BasicFileAttributes current = v.current;
        if (current == null) {
            if (options.missingOk()) {
                return Outcome.SKIPPED_MISSING;
            }
            throw new NoSuchFileException(path.toString(), null, "refusing to rotate: the file does not exist (nomissingok)");
        }
        if (!options.ifEmpty() && current.size() == 0) {
            return Outcome.SKIPPED_EMPTY;
        }
        if (checkMinSize && options.minSize() > 0 && current.size() < options.minSize()) {
            return Outcome.SKIPPED_SMALL;
        }
        Versions.checkType(path, path, current, false);
        checkHardLinks();
        if (runPrerotate && options.prerotate() != null) {
            runScript("prerotate", options.prerotate(), List.of(path), options, true);
        }
        Path rotating = v.rotatingPath();
        SafeFiles.checkFree(path, rotating);
        if (options.copyTruncate()) {
            Object key = current.fileKey();
            Offload.run(() -> CopyTruncate.copyThenTruncate(path, v.copyingPath(), rotating, key, options.allowHardLink()));
        } else {
            Rotation.move(path, rotating, false);
            checkSameFile(current, rotating);
        }
        complete();
        afterRotation();
        return Outcome.ROTATED;
    }

    boolean recover() throws IOException {
        v = Versions.read(path, options.allowHardLink());
        if (v.rotating == null) {
            return false;
        }
        v.throwIfRefused();
        finishInterrupted();
        return true;
    }

    private void finishInterrupted() throws IOException {
        LOG.info("Finishing an interrupted rotation of {} ({} was left)", path, v.rotatingPath().getFileName());
        cleanLeftovers();
        complete();
        afterRotation();
    }

    /** Deletes partial copies and compressions, and the plain twin of a slot compressed before a kill. */
    private void cleanLeftovers() throws IOException {
        for (Path leftover : v.leftovers) {
            Files.deleteIfExists(leftover);
        }
        v.leftovers.clear();
        for (Integer n : new ArrayList<>(v.plain.keySet())) {
            if (v.gz.containsKey(n)) {
                Files.delete(v.plain.remove(n));
            }
        }
    }

    private void checkHardLinks() throws IOException {
        if (options.allowHardLink()) {
            return;
        }
        int n = SafeFiles.links(path);
        if (n > 1) {
            throw new IOException("refusing to rotate " + path + ": it has " + n + " hard links (allowhardlink is not set);"
                    + " nothing was renamed");
        }
    }

    /**
     * The file moved aside must be the one checked: if another process swapped {@code path} for
     * something else in between, it is moved back and the rotation refused.
     */
    private void checkSameFile(BasicFileAttributes checked, Path rotating) throws IOException {
        BasicFileAttributes moved = Rotation.attributesOrNull(rotating);
        boolean same = moved != null && moved.isRegularFile()
                && (checked.fileKey() == null || Objects.equals(checked.fileKey(), moved.fileKey()));
        if (same) {
            return;
        }
        String what = moved == null ? "vanished" : "was " + SafeFiles.describe(rotating, moved);
        try {
            SafeFiles.checkFree(path, path);
            Rotation.move(rotating, path, false);
        } catch (IOException e) {
            throw new IOException("refusing to rotate " + path + ": it was replaced while being rotated (what was moved to "
                    + rotating.getFileName() + " " + what + ") and could not be moved back: " + e.getMessage(), e);
        }
        throw new IOException("refusing to rotate " + path + ": it was replaced while being rotated (what was moved aside "
                + what + "); it was moved back and nothing else was renamed");
    }

    /** From "the file is at name.rotating" to "it is name.1": create, shift, name. */
    private void complete() throws IOException {
        Path rotating = v.rotatingPath();
        if (options.create() && Rotation.attributesOrNull(path) == null) {
            create(rotating);
        }
        int keep = options.keep();
        int free = Math.min(v.lowestFree(keep), keep);
        for (int n = free - 1; n >= 1; n--) {
            moveSlot(v.at(n), n, n + 1);
        }
        moveInto(rotating, 1, false);
        v.rotating = null;
    }

    /** Moves slot {@code from}'s file to slot {@code to}, keeping its .gz suffix. */
    private void moveSlot(Path file, int from, int to) throws IOException {
        boolean compressed = v.gz.get(from) != null && v.gz.get(from).equals(file);
        (compressed ? v.gz : v.plain).remove(from);
        moveInto(file, to, compressed);
    }

    private void moveInto(Path file, int to, boolean compressed) throws IOException {
        Path target = compressed ? v.slotGz(to) : v.slot(to);
        Path existing = v.at(to);
        boolean replace = false;
        if (existing != null) {
            // Only when no slot up to keep was free: the version at keep is the one dropped.
            if (existing.equals(target)) {
                replace = true;
            } else {
                Files.delete(existing);
            }
            v.plain.remove(to);
            v.gz.remove(to);
        }
        if (replace) {
            SafeFiles.checkReplaceable(path, target, options.allowHardLink());
        } else {
            SafeFiles.checkFree(path, target);
        }
        // Replacing the version at keep is the routine drop of the oldest, what 'rotate N' means: not
        // logged, as successes are not (a log of it would be as long as the timeline). prune()
        // logs the removals beyond that, when more go at once.
        Rotation.move(file, target, replace);
        (compressed ? v.gz : v.plain).put(to, target);
    }

    /**
     * The task was cancelled after the rotation's last rename, while postrotate or compression
     * ran: the rotation stands (its policy reports and records it), and the task ends cancelled.
     */
    static final class CancelledAfterRotation extends CancellationException {
        private static final long serialVersionUID = 1L;

        CancelledAfterRotation(CancellationException cause) {
            super(cause.getMessage());
            initCause(cause);
        }
    }

    /** What follows the last rename: postrotate, pruning, maxage, compression. */
    private void afterRotation() throws IOException {
        try {
            afterRotationSteps();
        } catch (CancelledAfterRotation already) {
            throw already;
        } catch (CancellationException cancelled) {
            throw new CancelledAfterRotation(cancelled);
        }
    }

    private void afterRotationSteps() throws IOException {
        if (runPostrotate && options.postrotate() != null) {
            try {
                runScript("postrotate", options.postrotate(), List.of(path), options, false);
            } catch (IOException e) {
                LOG.warn("postrotate script for {} failed; the rotation stands: {}", path, e.toString());
                afterStepFailed(e);
            }
        }
        prune();
        compress();
    }

    /**
     * Removes versions past the count (left by a lower 'rotate' than before, or by a gap), and
     * older than maxAge; each is logged at INFO, since data goes that the shift alone would keep.
     */
    private void prune() throws IOException {
        int keep = options.keep();
        for (Integer n : v.slots()) {
            if (n > keep) {
                delete(n, "beyond the " + keep + (keep == 1 ? " version" : " versions") + " kept");
            }
        }
        if (options.maxAge() != null) {
            Instant oldest = now.minus(options.maxAge());
            for (Integer n : v.slots()) {
                BasicFileAttributes a = Rotation.attributesOrNull(v.at(n));
                if (a != null && a.lastModifiedTime().toInstant().isBefore(oldest)) {
                    delete(n, "last written " + a.lastModifiedTime() + ", longer ago than maxage " + options.describeMaxAge());
                }
            }
        }
    }

    /**
     * Removes slot {@code n}'s files. A removal that fails leaves that file and is a failed step
     * after the rotation (logged, on the policy's event), as a failed compression is: the rotation
     * stands and goes on to its other steps.
     */
    private void delete(int n, String why) {
        remove(v.plain.remove(n), why);
        remove(v.gz.remove(n), why);
    }

    private void remove(Path version, String why) {
        if (version == null) {
            return;
        }
        try {
            if (Files.deleteIfExists(version)) {
                LOG.info("Removed {}: {}", version, why);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove {} ({}); it is left, and the rotation stands: {}", version, why, e.toString());
            afterStepFailed(new IOException("could not remove " + version + " (" + why + "): " + e, e));
        }
    }

    /**
     * Compresses every plain version from slot 1 (2 with delaycompress) up; a failure keeps it
     * plain and is logged. A refusal (a name taken by another user, a version swapped) stops
     * compressing and is thrown: the rotation itself stands, but the attempt is reported failed.
     */
    private void compress() throws IOException {
        if (!options.compress()) {
            return;
        }
        int first = options.delayCompress() ? 2 : 1;
        for (Map.Entry<Integer, Path> e : new ArrayList<>(v.plain.tailMap(first).entrySet())) {
            int n = e.getKey();
            Path plain = e.getValue();
            Path gz = v.slotGz(n);
            try {
                Offload.run(() -> {
                    Gzip.compress(path, plain, gz, options.allowHardLink());
                    return null;
                });
                v.plain.remove(n);
                v.gz.put(n, gz);
            } catch (SafeFiles.Refusal refused) {
                throw new SafeFiles.Refusal(refused.getMessage() + "; " + path + " was rotated, " + plain.getFileName()
                        + " is kept uncompressed");
            } catch (CancellationException cancelled) {
                // The policy's task was cancelled (the daemon is stopping) while it waited for the
                // compression: the task must end, not go on as if compression had failed. The
                // compression itself finishes on its thread, or its .part is cleared next time.
                LOG.info("Compression of {} stopped: the rotation's task was cancelled; it is kept uncompressed and"
                        + " compressed at the next rotation unless the compression finished meanwhile", plain);
                throw cancelled;
            } catch (IOException | RuntimeException failed) {
                LOG.warn("Could not compress {}; it is kept uncompressed and compressed at the next rotation: {}", plain,
                        failed.toString());
                afterStepFailed(new IOException("could not compress " + plain + " (kept uncompressed, compressed at the next"
                        + " rotation): " + failed, failed));
            }
        }
    }

    /**
     * Creates {@code path} with the options' or {@code template}'s mode, owner and group, set
     * without a window (see {@link SafeFiles}). A regular file already there (a writer was
     * first) is left as it is; anything else there is refused.
     */
    private void create(Path template) throws IOException {
        SafeFiles.Ownership want = null;
        if (SafeFiles.posix(path)) {
            PosixFileAttributes t = Files.readAttributes(template, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
            want = new SafeFiles.Ownership(
                    options.createMode() != null ? options.createMode() : t.permissions(),
                    options.createOwner() != null ? names.lookupPrincipalByName(options.createOwner()) : t.owner(),
                    options.createGroup() != null ? names.lookupPrincipalByGroupName(options.createGroup()) : t.group());
        }
        try (FileChannel created = SafeFiles.create(path, path, want)) {
            LOG.debug("created {} ({})", path, created.size());
        } catch (SafeFiles.Taken taken) {
            BasicFileAttributes a = Rotation.attributesOrNull(path);
            if (a != null && a.isRegularFile() && (options.allowHardLink() || SafeFiles.links(path) == 1)) {
                LOG.debug("{} was created by someone else before create; left as it is", path);
                return;
            }
            throw taken;
        }
    }

    /**
     * Runs a script off the loop ({@link Script} logs its output); a non-zero exit throws, saying
     * that nothing was rotated if {@code mustSucceed} (a script run before the rotation). A script
     * run after the rotation (postrotate) runs to its end even if the task is cancelled meanwhile
     * (a daemon stopping): the rotation is made, and a writer not told to reopen its file would go
     * on writing into the rotated version.
     */
    static void runScript(String what, String script, List<Path> paths, RotationOptions options, boolean mustSucceed)
            throws IOException {
        Offload.Work<Integer> run = () -> Script.run(what, script, paths, options.scriptTimeout());
        int status = mustSucceed ? Offload.run(run) : Offload.runToEnd(run);
        if (status != 0) {
            throw new IOException(what + " script for " + paths + " exited " + status + (mustSucceed ? "; nothing was rotated" : ""));
        }
    }
}
