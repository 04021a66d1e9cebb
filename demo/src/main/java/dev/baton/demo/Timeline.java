package dev.baton.demo;

import dev.baton.rotation.RotationEvent;
import dev.baton.rotation.RotationListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
    /** Whole-second times in {@link #zone}, without DateTimeFormatter. Loop thread only. */
    private final DemoWriter.Lines stamps;
    /**
     * Each path's printed name, versions and count, in the order the paths were added (a path
     * rotated without being tracked is added when first rotated). One lookup per event: a
     * three-day simulation has 26,000. Loop thread only, or after the loop stopped.
     */
    private final Map<Path, Tracked> tracked = new LinkedHashMap<>();
    /** Failed rotations, rotations whose postrotate failed, and failed tasks. Loop thread only, or after the loop stopped. */
    private int failures;
    /** Called once when stdout turns out to be closed (a reader such as head went away): a simulation stops, a real run says so. */
    private final Runnable onOutputClosed;
    /** Whether stdout was found closed. Loop thread only, or after the loop stopped. */
    private boolean outputClosed;
    /** Events since stdout was last checked. Loop thread only. */
    private int unchecked;
    /** Every event, for the SVG format only (else empty). Loop thread only, or after the loop stopped. */
    private final List<RotationEvent> events = new ArrayList<>();
    /** How many events may be printed between two checks that stdout is still open. */
    private static final int CHECK_EVERY = 64;

    /**
     * @param out where events go (stdout)
     * @param zone the zone of the "local" column: the loop clock's
     */
    Timeline(PrintStream out, Options.Format format, ZoneId zone, boolean flushEach, Runnable onOutputClosed) {
        this.out = out;
        this.onOutputClosed = onOutputClosed;
        this.flushEach = flushEach;
        this.format = format;
        this.zone = zone;
        this.stamps = new DemoWriter.Lines(zone);
    }

    /** Registers a path to count, with the versions its policy keeps. Before the run. */
    void track(Path path, int keepVersions) {
        List<Path> list = new ArrayList<>(keepVersions);
        for (int i = 1; i <= keepVersions; i++) {
            list.add(path.resolveSibling(path.getFileName() + "." + i));
        }
        tracked.put(path, new Tracked(path.toString(), List.copyOf(list)));
    }

    /** A path's printed name, its version paths (path.1 ... path.keep), and its rotations so far. */
    private static final class Tracked {
        final String name;
        final List<Path> versions;
        /** Rotations so far. Loop thread only, or after the loop stopped. */
        int rotations;

        Tracked(String name, List<Path> versions) {
            this.name = name;
            this.versions = versions;
        }
    }

    /** The table's header; nothing in jsonl. */
    void printHeader() {
        if (format == Options.Format.TABLE) {
            out.print(row("TIME (" + zone + ")", "POLICY", "OUTCOME", "VERSIONS", "PATH"));
        }
        checkOutput();
    }

    /** Tells the run (once) if stdout is closed: nobody reads the rest of the timeline. */
    private void checkOutput() {
        unchecked = 0;
        if (!outputClosed && out.checkError()) {
            outputClosed = true;
            onOutputClosed.run();
        }
    }

    /** Whether stdout was found closed (a simulation then stops; a real run goes on). */
    boolean outputClosed() {
        return outputClosed;
    }

    /** Every event of the run, in order; recorded only for the SVG format. */
    List<RotationEvent> events() {
        return events;
    }

    @Override
    public void onRotation(RotationEvent event) {
        Tracked entry = tracked.get(event.path());
        if (event.outcome() == RotationEvent.Outcome.ROTATED) {
            if (entry == null) {
                entry = new Tracked(event.path().toString(), List.of());
                tracked.put(event.path(), entry);
            }
            entry.rotations++;
        }
        if (event.hasError()) {
            failures++; // a failed rotation, or a failed step after one (postrotate)
        }
        if (format == Options.Format.SVG) {
            events.add(event); // drawn at the end; nothing is printed per event
            return;
        }
        int present = entry == null ? 0 : versionsPresent(entry.versions);
        String name = entry == null ? event.path().toString() : entry.name;
        // Milliseconds are enough for people; "instant" keeps the exact value.
        Instant millis = event.instant().truncatedTo(ChronoUnit.MILLIS);
        String local = millis.getNano() == 0 ? wholeSecond(millis) : LOCAL_MILLIS.format(millis.atZone(zone));
        String outcome = event.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (format == Options.Format.JSONL) {
            StringBuilder b = new StringBuilder(160).append('{')
                    .append("\"instant\":").append(Json.quote(event.instant().toString()))
                    .append(",\"local\":").append(Json.quote(local))
                    .append(",\"path\":").append(Json.quote(name))
                    .append(",\"policy\":").append(Json.quote(event.policy()))
                    .append(",\"outcome\":").append(Json.quote(outcome))
                    .append(",\"versions\":").append(present);
            if (event.hasError()) {
                b.append(",\"error\":").append(Json.quote(describe(event.error())));
            }
            out.println(b.append('}'));
        } else {
            String path = name;
            if (event.hasError()) {
                path += "  error: " + describe(event.error());
            }
            out.print(row(local, event.policy(), outcome, String.valueOf(present), path));
        }
        if (flushEach) {
            out.flush();
        }
        if (flushEach || ++unchecked >= CHECK_EVERY) {
            checkOutput();
        }
    }

    /** {@code instant}, a whole second, as {@link #LOCAL} prints it; as the writer stamps its lines. */
    private String wholeSecond(Instant instant) {
        int length = stamps.stamp(instant);
        return length < 0 ? LOCAL.format(instant.atZone(zone)) : new String(stamps.bytes, 0, length, StandardCharsets.US_ASCII);
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

    /** How many of {@code versions} exist now. */
    private static int versionsPresent(List<Path> versions) {
        int count = 0;
        for (Path version : versions) {
            if (Files.exists(version, LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(version.resolveSibling(version.getFileName() + ".gz"), LinkOption.NOFOLLOW_LINKS)) {
                count++;
            }
        }
        return count;
    }

    /** An error as the timeline and --check print it: its class's simple name and its message. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        return error.getMessage() == null ? error.getClass().getName() : error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /** Total rotations so far. */
    int rotations() {
        return tracked.values().stream().mapToInt(t -> t.rotations).sum();
    }

    /** Failed rotations so far. */
    int failures() {
        return failures;
    }

    /** The one-line summary: rotations per file, then errors. */
    String summary() {
        StringJoiner files = new StringJoiner(", ");
        tracked.values().forEach(t -> files.add(t.name + " " + t.rotations));
        return "summary: rotations per file: " + files + "; " + failures + (failures == 1 ? " error" : " errors");
    }
}
