package dev.baton.demo;

import dev.baton.rotation.RotationEvent;
import dev.baton.rotation.RotationListener;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Prints each rotation event as it happens (a table row or a JSON line) and counts them for the
 * summary. It is the listener of every policy of a run, so it is called on the loop.
 */
final class Timeline implements RotationListener {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** As {@link #LOCAL}, with exactly three digits of fraction: real-time rows stay aligned. */
    private static final DateTimeFormatter LOCAL_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXXXX");
    /** Column widths of the table; the last column (the path) is not padded. */
    private static final int[] WIDTHS = {29, 8, 15};
    private static final int VERSIONS_WIDTH = 8;

    private final PrintStream out;
    /** Whether each event is flushed at once (a real run); a simulation flushes at the end. */
    private final boolean flushEach;
    private final Options.Format format;
    private final ZoneId zone;
    /** The version paths (path.1 ... path.keep) per tracked path, to count those present after an event. */
    private final Map<Path, List<Path>> versions = new HashMap<>();
    /** Rotations per path, in the order the paths were added. Loop thread only, or after the loop stopped. */
    private final Map<Path, Integer> rotated = new LinkedHashMap<>();
    /** Failed rotations and failed tasks. Loop thread only, or after the loop stopped. */
    private int failures;

    /**
     * @param out where events go (stdout)
     * @param zone the zone of the "local" column: the loop clock's
     */
    Timeline(PrintStream out, Options.Format format, ZoneId zone, boolean flushEach) {
        this.out = out;
        this.flushEach = flushEach;
        this.format = format;
        this.zone = zone;
    }

    /** Registers a path to count, with the versions its policy keeps. Before the run. */
    void track(Path path, int keepVersions) {
        List<Path> list = new ArrayList<>(keepVersions);
        for (int i = 1; i <= keepVersions; i++) {
            list.add(path.resolveSibling(path.getFileName() + "." + i));
        }
        versions.put(path, List.copyOf(list));
        rotated.put(path, 0);
    }

    /** The table's header; nothing in jsonl. */
    void printHeader() {
        if (format == Options.Format.TABLE) {
            out.print(row("TIME (" + zone + ")", "POLICY", "OUTCOME", "VERSIONS", "PATH"));
        }
    }

    @Override
    public void onRotation(RotationEvent event) {
        if (event.outcome() == RotationEvent.Outcome.ROTATED) {
            rotated.merge(event.path(), 1, Integer::sum);
        } else if (event.outcome() == RotationEvent.Outcome.FAILED) {
            failures++;
        }
        int present = versionsPresent(event.path());
        // Milliseconds are enough for people; "instant" keeps the exact value.
        Instant millis = event.instant().truncatedTo(ChronoUnit.MILLIS);
        String local = (millis.getNano() == 0 ? LOCAL : LOCAL_MILLIS).format(millis.atZone(zone));
        String outcome = event.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (format == Options.Format.JSONL) {
            StringBuilder b = new StringBuilder(160).append('{')
                    .append("\"instant\":").append(Json.quote(event.instant().toString()))
                    .append(",\"local\":").append(Json.quote(local))
                    .append(",\"path\":").append(Json.quote(event.path().toString()))
                    .append(",\"policy\":").append(Json.quote(event.policy()))
                    .append(",\"outcome\":").append(Json.quote(outcome))
                    .append(",\"versions\":").append(present);
            if (event.outcome() == RotationEvent.Outcome.FAILED) {
                b.append(",\"error\":").append(Json.quote(describe(event.error())));
            }
            out.println(b.append('}'));
        } else {
            String path = event.path().toString();
            if (event.outcome() == RotationEvent.Outcome.FAILED) {
                path += "  error: " + describe(event.error());
            }
            out.print(row(local, event.policy(), outcome, String.valueOf(present), path));
        }
        if (flushEach) {
            out.flush();
        }
    }

    /** A table row: three left-aligned columns, the versions right-aligned, then the path. */
    private static String row(String time, String policy, String outcome, String versions, String path) {
        StringBuilder b = new StringBuilder(120);
        String[] left = {time, policy, outcome};
        for (int i = 0; i < left.length; i++) {
            b.append(left[i]).repeat(' ', Math.max(0, WIDTHS[i] - left[i].length())).append("  ");
        }
        b.repeat(' ', Math.max(0, VERSIONS_WIDTH - versions.length())).append(versions).append("  ").append(path);
        return b.append(System.lineSeparator()).toString();
    }

    /**
     * Reports a task of the loop that failed (the loop's exception handler): it counts as an
     * error in the summary. Loop thread only.
     */
    void taskFailed(String source, Throwable error, PrintStream log) {
        failures++;
        log.println("baton-demo: " + source + " failed: " + describe(error));
        log.flush();
    }

    /** How many numbered versions (path.1 ... path.keep) exist now. */
    private int versionsPresent(Path path) {
        int count = 0;
        for (Path version : versions.getOrDefault(path, List.of())) {
            if (Files.exists(version, LinkOption.NOFOLLOW_LINKS)) {
                count++;
            }
        }
        return count;
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        return error.getMessage() == null ? error.getClass().getName() : error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /** Total rotations so far. */
    int rotations() {
        return rotated.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Failed rotations so far. */
    int failures() {
        return failures;
    }

    /** The one-line summary: rotations per file, then errors. */
    String summary() {
        StringJoiner files = new StringJoiner(", ");
        rotated.forEach((path, n) -> files.add(path + " " + n));
        return "summary: rotations per file: " + files + "; " + failures + (failures == 1 ? " error" : " errors");
    }
}
