package dev.baton.rotation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one listing of a file's folder says about the file and its versions: the file itself,
 * {@code name.N} and {@code name.N.gz} for each slot N, and the names a rotation in progress
 * leaves behind ({@code name.rotating}, {@code name.copying}, {@code name.N.gz.part}). Every
 * version and leftover is type-checked: anything but a regular file, or a file with several hard
 * links (unless {@code allowhardlink}), is refused before anything is changed. The file itself is checked by the rotation (a recovery does not touch it).
 *
 * <p>Made by {@link #read} with one directory listing and one attribute read per matching name,
 * so its cost does not depend on {@code keep}. Not thread-safe: one rotation uses it and updates
 * it as it renames.
 */
final class Versions {
    /*
     * Design notes.
     *
     * The names: a version is name.N or name.N.gz with N a decimal without leading zeros (so
     * name.01 is not a version and is left alone). A slot holding both name.N and name.N.gz is a
     * compression that was interrupted after its rename: the .gz is complete (it is only ever
     * renamed into place once written and forced), so the plain one is the copy to drop.
     */

    static final String ROTATING = ".rotating";
    static final String COPYING = ".copying";
    static final String GZ = ".gz";
    static final String PART = ".part";

    final Path path;
    final String name;
    /** The file's attributes, or null if it does not exist. Updated by the rotation. */
    BasicFileAttributes current;
    /** name.rotating's attributes, or null: a rotation was interrupted after moving the file aside. */
    BasicFileAttributes rotating;
    /** The first version or leftover that is not a regular file, or null; a rotation throws it. */
    IOException refused;
    /** Leftovers that a recovery deletes: name.copying, name.N.gz.part. */
    final List<Path> leftovers = new ArrayList<>();
    /** Slot number to its plain file, name.N. */
    final TreeMap<Integer, Path> plain = new TreeMap<>();
    /** Slot number to its compressed file, name.N.gz. */
    final TreeMap<Integer, Path> gz = new TreeMap<>();

    /** Whether versions and leftovers may have several hard links (allowhardlink). */
    private final boolean allowHardLink;

    private Versions(Path path, boolean allowHardLink) {
        this.path = path;
        this.name = path.getFileName().toString();
        this.allowHardLink = allowHardLink;
    }

    /**
     * Lists {@code path}'s folder once.
     *
     * @param allowHardLink whether a version or leftover may have several hard links
     * @throws IOException if the folder cannot be listed. A version or leftover that is not a
     *     regular file, or has several links without {@code allowHardLink}, is kept in
     *     {@link #refused}, for the rotation to throw.
     */
    static Versions read(Path path, boolean allowHardLink) throws IOException {
        Versions v = new Versions(path, allowHardLink);
        Path dir = path.toAbsolutePath().getParent();
        String prefix = v.name + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String n = entry.getFileName().toString();
                if (n.equals(v.name)) {
                    v.current = Rotation.attributesOrNull(entry); // its type is checked by a rotation, not by a recovery
                } else if (n.startsWith(prefix)) {
                    v.classify(entry, n.substring(prefix.length()));
                }
            }
        }
        return v;
    }

    private void classify(Path entry, String rest) throws IOException {
        try {
            classifyChecked(entry, rest);
        } catch (BadSlot bad) {
            if (refused == null) {
                refused = bad;
            }
        }
    }

    /** Thrown by checkType for a version or leftover; collected, not thrown, by the listing. */
    private static final class BadSlot extends IOException {
        BadSlot(String message) {
            super(message);
        }
    }

    /** Throws {@link #refused} if set. */
    void throwIfRefused() throws IOException {
        if (refused != null) {
            throw new IOException(refused.getMessage());
        }
    }

    private void classifyChecked(Path entry, String rest) throws IOException {
        if (rest.equals(ROTATING.substring(1))) {
            rotating = Rotation.attributesOrNull(entry); // set even if refused: a recovery then throws the refusal
            checkVersion(entry, rotating);
            return;
        }
        if (rest.equals(COPYING.substring(1))) {
            if (checkVersion(entry, Rotation.attributesOrNull(entry))) {
                leftovers.add(entry);
            }
            return;
        }
        boolean part = rest.endsWith(GZ + PART);
        boolean compressed = part || rest.endsWith(GZ);
        String digits = part ? rest.substring(0, rest.length() - (GZ + PART).length())
                : compressed ? rest.substring(0, rest.length() - GZ.length()) : rest;
        int slot = slotNumber(digits);
        if (slot < 1) {
            return; // not one of ours: app.log.old, app.log.01, app.log.2024-01-01
        }
        if (!checkVersion(entry, Rotation.attributesOrNull(entry))) {
            return; // gone since the listing
        }
        if (part) {
            leftovers.add(entry);
        } else if (compressed) {
            gz.put(slot, entry);
        } else {
            plain.put(slot, entry);
        }
    }

    /**
     * Whether {@code entry}, a version or leftover whose attributes {@code a} were just read, still
     * exists ({@code a} is not null); a {@link BadSlot} if it is not a regular file or has several
     * links (see {@link #checkType} and {@link #checkLinks}).
     */
    private boolean checkVersion(Path entry, BasicFileAttributes a) throws IOException {
        if (a == null) {
            return false;
        }
        checkType(path, entry, a, true);
        checkLinks(entry);
        return true;
    }

    /** The decimal without leading zeros, or -1; at most 9 digits, so it fits an int. */
    private static int slotNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 9 || digits.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }

    static void checkType(Path rotated, Path p, BasicFileAttributes a, boolean isVersion) throws IOException {
        String what;
        if (a.isSymbolicLink()) {
            what = "a symbolic link (links are never followed)";
        } else if (a.isDirectory()) {
            what = "a directory, not a regular file";
        } else if (!a.isRegularFile()) {
            what = "not a regular file";
        } else {
            return;
        }
        if (isVersion) {
            throw new BadSlot("refusing to rotate " + rotated + ": its version slot " + p.getFileName() + " is " + what
                    + "; nothing was renamed");
        }
        throw new IOException("refusing to rotate " + rotated + ": it is " + what);
    }

    /**
     * A version with another name elsewhere (a hard link) would be read by compression and
     * its other name left behind: refused unless allowhardlink, like the file itself.
     */
    private void checkLinks(Path entry) throws IOException {
        if (allowHardLink) {
            return;
        }
        int n;
        try {
            n = SafeFiles.links(entry);
        } catch (NoSuchFileException gone) {
            return;
        }
        if (n > 1) {
            throw new BadSlot("refusing to rotate " + path + ": its version slot " + entry.getFileName() + " has " + n
                    + " hard links (allowhardlink is not set); nothing was renamed");
        }
    }

    /** Whether slot {@code n} holds a version (plain or compressed). */
    boolean occupied(int n) {
        return plain.containsKey(n) || gz.containsKey(n);
    }

    /** The file of slot {@code n}: the compressed one if both exist, else whichever does, else null. */
    Path at(int n) {
        Path z = gz.get(n);
        return z != null ? z : plain.get(n);
    }

    /** The smallest slot in 1..keep that is free, or {@code keep + 1} if all are taken. */
    int lowestFree(int keep) {
        for (int n = 1; n <= keep; n++) {
            if (!occupied(n)) {
                return n;
            }
        }
        return keep + 1;
    }

    /** {@code name.N}, next to the file. */
    Path slot(int n) {
        return Rotation.version(path, n);
    }

    /** {@code name.N.gz}, next to the file. */
    Path slotGz(int n) {
        return path.resolveSibling(name + "." + n + GZ);
    }

    Path rotatingPath() {
        return path.resolveSibling(name + ROTATING);
    }

    Path copyingPath() {
        return path.resolveSibling(name + COPYING);
    }

    /** Every slot number holding a version, ascending. */
    List<Integer> slots() {
        TreeSet<Integer> all = new TreeSet<>(plain.keySet());
        all.addAll(gz.keySet());
        return new ArrayList<>(all);
    }
}
