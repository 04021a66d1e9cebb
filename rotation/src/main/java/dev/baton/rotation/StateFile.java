package dev.baton.rotation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last rotation instant of each file, kept across restarts (logrotate's state file). Text,
 * one line per file: the header {@code baton rotation state 1}, then {@code <instant> <path>}
 * with the instant in ISO-8601 UTC and the absolute path as the rest of the line.
 *
 * <p>Written atomically: to {@code <state>.tmp}, forced to disk, renamed over the state file, so a
 * kill at any point leaves the old state or the new one, never a mix. The temp file is created
 * exclusively, without following links, with mode 0644 set explicitly whatever the umask (a regular file left by a kill is deleted
 * first; anything else at that name is refused, naming it); the state file is read without
 * following links. Mode 0644: the state says only which files were rotated when, which anyone
 * who can list the folders knows, and lets a user check a rotation without root; nobody but the
 * daemon may write it. Where the state file lives, who owns it and the lock are the daemon's. Several policies may share
 * one state file if they run on one loop: each read-modify-write runs between two suspension
 * points. Blocking (small file); stateless.
 */
final class StateFile {
    /*
     * Design notes.
     *
     * Why a state file and not the files' times (CPython's TimedRotatingFileHandler starts from
     * the log's modification time): the modification time is the last write, not the last
     * rotation. With copytruncate the file is never renamed, a busy log is written every second,
     * and a quiet one not for days; neither says when it was rotated. A version's time says when
     * the previous rotation's file was last written, again not when it was rotated. Only a record
     * written at the rotation knows.
     */

    static final String HEADER = "baton rotation state 1";
    /** The state file's mode, 0644, whatever the umask; see the class documentation for why. */
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    private StateFile() {
    }

    /** The entries; empty if the file does not exist or is empty (made with touch, say, before the first run). */
    static Map<String, Instant> read(Path state) throws IOException {
        List<String> lines;
        // Lines end at '\n' only, as they are written: a path may hold a '\r' (BufferedReader
        // would end a line there, and the state would read as broken).
        try (java.io.InputStream in = Files.newInputStream(state, LinkOption.NOFOLLOW_LINKS)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
        } catch (NoSuchFileException missing) {
            return new TreeMap<>();
        } catch (IOException e) {
            if (Files.isSymbolicLink(state)) {
                throw new IOException("state file " + state + " is a symbolic link; links are never followed", e);
            }
            throw e;
        }
        Map<String, Instant> entries = new TreeMap<>();
        if (lines.isEmpty()) {
            return entries;
        }
        if (!lines.get(0).equals(HEADER)) {
            throw new Unreadable(state, "line 1: expected '" + HEADER + "'");
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            try {
                if (space < 1) {
                    throw new DateTimeParseException("no path", line, 0);
                }
                entries.put(line.substring(space + 1), Instant.parse(line.substring(0, space)));
            } catch (DateTimeParseException e) {
                throw new Unreadable(state, "line " + (i + 1) + ": expected '<instant> <path>', was '"
                        + line + "'");
            }
        }
        return entries;
    }

    /** The last rotation of {@code file}, or null if none is recorded. */
    static Instant lastRotation(Path state, Path file) throws IOException {
        return read(state).get(key(file));
    }

    /** The state file's text is not a state (another program wrote it, or a disk error): see {@link #record}. */
    static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        /** What is wrong, without the file's name: "line N: expected ...". */
        final String detail;

        Unreadable(Path state, String detail) {
            super("state file " + state + ", " + detail);
            this.detail = detail;
        }
    }

    /**
     * Records {@code when} as {@code file}'s last rotation, atomically. An {@link Unreadable} state
     * file is not overwritten: it is renamed aside, to {@code <state>.unreadable} (or
     * {@code .unreadable.1}, ... if taken), and a new state holds this one entry; otherwise no
     * rotation could ever be recorded again.
     *
     * @return where the unreadable state file was kept, or null if it was read
     */
    static Path record(Path state, Path file, Instant when) throws IOException {
        Map<String, Instant> entries;
        Path kept = null;
        try {
            entries = read(state);
        } catch (Unreadable unreadable) {
            kept = keepAside(state);
            entries = new TreeMap<>();
        }
        entries.put(key(file), when);
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        entries.forEach((path, instant) -> text.append(instant).append(' ').append(path).append('\n'));
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        BasicFileAttributes left = Rotation.attributesOrNull(tmp);
        if (left != null && left.isRegularFile()) {
            Files.delete(tmp); // a write killed before its rename; unlinking never touches another file
        }
        try (FileChannel channel = createTemp(state, tmp)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return kept;
    }

    /** The {@code n}th name an unreadable {@code state} may be kept under: {@code <state>.unreadable}, then {@code .unreadable.1}, ... */
    static Path asideName(Path state, int n) {
        return state.resolveSibling(state.getFileName() + ".unreadable" + (n == 0 ? "" : "." + n));
    }

    /** Renames {@code state} to the first free name {@code <state>.unreadable}, {@code .unreadable.1}, ...; never replaces one. */
    private static Path keepAside(Path state) throws IOException {
        for (int n = 0; ; n++) {
            Path aside = asideName(state, n);
            try {
                Files.createLink(aside, state); // a new name for the same file; fails, rather than replaces, if taken meanwhile
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.delete(state); // the new state is renamed into this name next
            return aside;
        }
    }

    /**
     * The temp file, created exclusively, without following links, mode 0644 (see the class
     * notes). The mode given at creation is cut by the process's umask (a daemon started under
     * umask 077 would make it 0600, one under 000 leaves it as asked), so it is then set
     * explicitly, through the name just created and never through a link: the state's mode is
     * the same whoever started the daemon.
     */
    private static FileChannel createTemp(Path state, Path tmp) throws IOException {
        try {
            if (!SafeFiles.posix(tmp)) {
                return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
            FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(MODE));
            try {
                if (!Files.getPosixFilePermissions(tmp, LinkOption.NOFOLLOW_LINKS).equals(MODE)) {
                    Files.setAttribute(tmp, "posix:permissions", MODE, LinkOption.NOFOLLOW_LINKS);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return channel;
        } catch (FileAlreadyExistsException taken) {
            BasicFileAttributes a = Rotation.attributesOrNull(tmp);
            throw new IOException("refusing to write state file " + state + ": " + tmp + " is "
                    + (a == null ? "something that is gone now" : SafeFiles.describe(tmp, a))
                    + ", at the name of its temporary file; it was left as it is and nothing was written", taken);
        }
    }

    static String key(Path file) {
        String key = file.toAbsolutePath().toString();
        if (key.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a path with a line break cannot be kept in a state file: " + key);
        }
        return key;
    }
}
