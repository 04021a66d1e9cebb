package dev.baton.rotation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last rotation instant of each file, kept across restarts (logrotate's state file). Text,
 * one line per file: the header {@code baton rotation state 1}, then {@code <instant> <path>}
 * with the instant in ISO-8601 UTC and the absolute path as the rest of the line.
 *
 * <p>Written atomically: to {@code <state>.tmp}, forced to disk, renamed over the state file, so a
 * kill at any point leaves the old state or the new one, never a mix. Several policies may share
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

    private StateFile() {
    }

    /** The entries; empty if the file does not exist. */
    static Map<String, Instant> read(Path state) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(state, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            return new TreeMap<>();
        }
        Map<String, Instant> entries = new TreeMap<>();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException("state file " + state + ", line 1: expected '" + HEADER + "'");
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
                throw new IOException("state file " + state + ", line " + (i + 1) + ": expected '<instant> <path>', was '"
                        + line + "'", e);
            }
        }
        return entries;
    }

    /** The last rotation of {@code file}, or null if none is recorded. */
    static Instant lastRotation(Path state, Path file) throws IOException {
        return read(state).get(key(file));
    }

    /** Records {@code when} as {@code file}'s last rotation, atomically. */
    static void record(Path state, Path file, Instant when) throws IOException {
        Map<String, Instant> entries = read(state);
        entries.put(key(file), when);
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        entries.forEach((path, instant) -> text.append(instant).append(' ').append(path).append('\n'));
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String key(Path file) {
        String key = file.toAbsolutePath().toString();
        if (key.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a path with a line break cannot be kept in a state file: " + key);
        }
        return key;
    }
}
