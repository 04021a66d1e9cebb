package dev.baton.rotation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The names a rotation writes, in a folder that other users may write: every file is created
 * exclusively and without following links, every rename target is checked first, and a file
 * opened to be read or truncated is checked to be the one that was checked. Anything another user
 * put at such a name (a symbolic link, a hard link, any other file) is a {@link Refusal} naming
 * it; nothing is written through it.
 *
 * <p>Stateless and thread-safe; blocking (file system calls).
 */
final class SafeFiles {
    /*
     * Design notes.
     *
     * Mode and owner without a window. The JDK has no fchown, so a created file is owned by the
     * daemon until a chown by name. It is therefore created with the owner bits of its final
     * mode only (rw------- at most, owned by the daemon: nobody else can open it), then given
     * its owner and group (lchown: never through a link), then its final mode (fchmod on an
     * O_NOFOLLOW descriptor). At every instant its permissions are a subset of the final ones,
     * and no user but the daemon and the final owner has any access before the final mode is set.
     *
     * What a check cannot close. Between a check by name and the call that uses the name, a user
     * who can write the folder may swap the name. A rename over a swapped-in link replaces the
     * link (rename never follows it), an exclusive create fails, and opens use O_NOFOLLOW, so a
     * symbolic link never gets anything through. A hard link swapped in between the check and an
     * lchown or an open cannot be told from the file by name; with fs.protected_hardlinks = 1
     * (the Linux default) a user can only hard-link files they own or can read and write, so such
     * a swap gains nothing. Rotation.checkFolder says so when the setting is 0.
     */

    private static final Set<PosixFilePermission> OWNER_BITS = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SafeFiles() {
    }

    /**
     * A name the rotation was about to write or use was taken by something it did not put there,
     * or a file was swapped while it was used. Thrown before anything is written through it.
     */
    static class Refusal extends IOException {
        Refusal(String message) {
            super(message);
        }
    }

    /** The name of a file about to be created was taken by something (described in the message). */
    static final class Taken extends Refusal {
        Taken(String message) {
            super(message);
        }
    }

    /** The mode, owner and group a new file gets; built from a template or from the options. */
    record Ownership(Set<PosixFilePermission> mode, UserPrincipal owner, GroupPrincipal group) {
        Ownership {
            mode = Set.copyOf(mode);
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(group, "group");
        }

        /** The template's, or null where the file system has no POSIX attributes. */
        static Ownership of(Path template) throws IOException {
            if (!posix(template)) {
                return null;
            }
            PosixFileAttributes a = Files.readAttributes(template, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Ownership(a.permissions(), a.owner(), a.group());
        }
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The number of hard links of {@code p} (not followed), or 1 where the file system does not say. */
    static int links(Path p) throws IOException {
        FileSystem fs = p.getFileSystem();
        if (!fs.supportedFileAttributeViews().contains("unix")) {
            return 1;
        }
        Object n = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        return n instanceof Integer i ? i : 1;
    }

    /**
     * Throws a {@link Refusal} if anything exists at {@code target}, which the rotation of
     * {@code rotated} is about to write.
     */
    static void checkFree(Path rotated, Path target) throws IOException {
        BasicFileAttributes a = Rotation.attributesOrNull(target);
        if (a != null) {
            throw planted(rotated, target, a);
        }
    }

    /**
     * Throws a {@link Refusal} unless {@code target} is missing or a regular file with one link
     * (any number with {@code allowHardLink}): the version a rename is about to replace.
     */
    static void checkReplaceable(Path rotated, Path target, boolean allowHardLink) throws IOException {
        BasicFileAttributes a = Rotation.attributesOrNull(target);
        if (a != null && (!a.isRegularFile() || (!allowHardLink && links(target) > 1))) {
            throw planted(rotated, target, a);
        }
    }

    /**
     * Removes {@code created}, which a step made before it failed with {@code failure}; a failure
     * to remove it is added to {@code failure} as suppressed, so neither is lost.
     */
    static void removeAfter(Throwable failure, Path created) {
        try {
            Files.deleteIfExists(created);
        } catch (IOException | RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * Opens {@code file} (the version of {@code rotated} being copied, compressed or truncated)
     * without following links, and checks it is still the file with {@code key} seen before; a
     * link or other file swapped in is a refusal naming it, and nothing is read or written.
     */
    static FileChannel openSame(Path rotated, Path file, Object key, boolean allowHardLink, OpenOption... options)
            throws IOException {
        OpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = LinkOption.NOFOLLOW_LINKS;
        FileChannel channel;
        try {
            channel = FileChannel.open(file, all);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            checkSame(rotated, file, key, allowHardLink); // throws if a link was swapped in
            throw e;
        }
        try {
            checkSame(rotated, file, key, allowHardLink);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Throws a {@link Refusal} unless {@code p} is still the regular file with key {@code key}
     * (null: the file system has no keys, only the type is checked) and one link (any number with
     * {@code allowHardLink}). Called after opening {@code p}, so that what was opened by name is
     * known to be the file that was checked; {@code Gzip} also calls it before opening, so that a
     * FIFO swapped in at the name cannot block the open.
     */
    static void checkSame(Path rotated, Path p, Object key, boolean allowHardLink) throws IOException {
        BasicFileAttributes a = Rotation.attributesOrNull(p);
        boolean same = a != null && a.isRegularFile() && (key == null || key.equals(a.fileKey()))
                && (allowHardLink || links(p) == 1);
        if (!same) {
            String now = a == null ? "is gone" : "is now " + describe(p, a);
            throw new Refusal("refusing to rotate " + rotated + ": " + p + " was replaced while the rotation used it ("
                    + now + "); nothing was written through it");
        }
    }

    /**
     * Creates {@code file} exclusively ({@code CREATE_NEW}, {@code NOFOLLOW_LINKS}) and gives it
     * {@code want}'s mode, owner and group without a window (see the design notes); null for
     * the file system's defaults. Returns it open for writing.
     *
     * @throws Taken if anything exists at {@code file}
     * @throws Refusal if it was swapped before its owner was set (then it is closed; the name
     *     is left as found)
     */
    static FileChannel create(Path rotated, Path file, Ownership want) throws IOException {
        Set<OpenOption> open = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        try {
            if (want == null) {
                channel = FileChannel.open(file, open);
            } else {
                Set<PosixFilePermission> first = EnumSet.noneOf(PosixFilePermission.class);
                first.addAll(want.mode());
                first.retainAll(OWNER_BITS);
                channel = FileChannel.open(file, open, PosixFilePermissions.asFileAttribute(first));
            }
        } catch (FileAlreadyExistsException taken) {
            BasicFileAttributes a = Rotation.attributesOrNull(file);
            String what = a == null ? "something that is gone now" : describe(file, a);
            throw new Taken("refusing to rotate " + rotated + ": " + file + " is " + what
                    + ", at a name the rotation was about to create; it was left as it is and nothing was written through it");
        }
        try {
            if (want != null) {
                own(rotated, file, want);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Owner, group, then mode, each only if it differs; the file is checked to be the one created. */
    private static void own(Path rotated, Path file, Ownership want) throws IOException {
        PosixFileAttributes made = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object key = made.fileKey();
        checkSame(rotated, file, key, false);
        if (!made.owner().equals(want.owner())) {
            Files.setAttribute(file, "posix:owner", want.owner(), LinkOption.NOFOLLOW_LINKS);
        }
        if (!made.group().equals(want.group())) {
            Files.setAttribute(file, "posix:group", want.group(), LinkOption.NOFOLLOW_LINKS);
        }
        checkSame(rotated, file, key, false);
        if (!made.permissions().equals(want.mode())) {
            Files.setAttribute(file, "posix:permissions", want.mode(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The refusal for {@code what}, found at a name the rotation was about to write. */
    static Refusal planted(Path rotated, Path what, BasicFileAttributes a) throws IOException {
        return new Refusal("refusing to rotate " + rotated + ": " + what + " is " + describe(what, a)
                + ", at a name the rotation was about to write; it was left as it is and nothing was written through it");
    }

    /** "a symbolic link to /etc/passwd", "a hard link (one of 2 names of one file)", "a directory", ... */
    static String describe(Path p, BasicFileAttributes a) throws IOException {
        if (a.isSymbolicLink()) {
            String target;
            try {
                target = Files.readSymbolicLink(p).toString();
            } catch (IOException | UnsupportedOperationException gone) {
                target = "?";
            }
            return "a symbolic link to " + target + " (links are never followed)";
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        if (!a.isRegularFile()) {
            return "not a regular file";
        }
        int n;
        try {
            n = links(p);
        } catch (NoSuchFileException gone) {
            n = 1;
        }
        if (n > 1) {
            return "a hard link (one of " + n + " names of one file; allowhardlink is not set)";
        }
        return "a file";
    }
}
