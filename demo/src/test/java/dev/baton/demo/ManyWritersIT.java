package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, must-show 4: the daemon as an operator runs it, over a glob of 50 files that writer
 * processes keep open, with {@code copytruncate} and {@code compress}, every second on the real
 * clock; then SIGTERM. Every line written is accounted for: found exactly once across the file
 * and its versions (plain or gzip), or counted as lost in copytruncate's window (the instant
 * between the last size read and the truncate, which no rotator can close for a writer that never
 * reopens). Real time and real processes are the point, so the run is bounded: about 25 s by
 * default, 3 minutes with {@code -Dbaton.longE2E=true}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ManyWritersIT {
    private static final int FILES = 50;
    private static final int WRITERS = 2;
    /** Each writer appends a line to each of its files this often: 50 × 100 = 5,000 lines a second in all. */
    private static final int WRITE_PERIOD_MILLIS = 10;
    private static final Pattern SUMMARY = Pattern.compile("summary: rotations per file: (.*); (\\d+) errors?");

    @TempDir
    Path dir;
    private final List<Process> writers = new ArrayList<>();
    private DaemonProcess daemon;

    @AfterEach
    void endThem() throws InterruptedException {
        for (Process p : writers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (daemon != null) {
            daemon.kill();
        }
    }

    @Test
    void fiftyOpenFilesCopyTruncatedAndCompressedEverySecondLoseNoLine() throws Exception {
        long runSeconds = Boolean.getBoolean("baton.longE2E") ? 180 : 25;
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path stop = dir.resolve("stop-writing");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(logs.resolve(String.format("service-%02d.log", i)));
        }
        String classpath = Path.of(ManyFileWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<BufferedReader> writerOut = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            List<String> command = new ArrayList<>(List.of(DaemonProcess.java(), "-cp", classpath, ManyFileWriter.class.getName(),
                    stop.toString(), Integer.toString(WRITE_PERIOD_MILLIS)));
            for (int i = w; i < FILES; i += WRITERS) {
                command.add(files.get(i).toString());
            }
            Process p = new ProcessBuilder(command).redirectError(dir.resolve("writer-" + w + ".err").toFile()).start();
            writers.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("READY", out.readLine(), "writer " + w + " did not start: " + Files.readString(dir.resolve("writer-" + w + ".err")));
            writerOut.add(out);
        }
        Path config = Files.writeString(dir.resolve("services.conf"), logs + "/*.log {\n    every 1s\n    rotate "
                + (runSeconds + 30) + "\n    copytruncate\n    compress\n}\n");
        daemon = DaemonProcess.start(dir, "daemon", false, Map.of(),
                DaemonProcess.command("--config", config.toString(), "--state", dir.resolve("state/s").toString()));
        daemon.awaitOut("TIME (", 30);
        long started = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(runSeconds));

        long terminated = System.nanoTime();
        assertEquals(0, daemon.terminate(), daemon.describe());
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminated);
        Files.createFile(stop);
        Map<Path, Long> writtenTo = new HashMap<>();
        for (int w = 0; w < WRITERS; w++) {
            assertTrue(writers.get(w).waitFor(20, TimeUnit.SECONDS), "writer " + w + " did not stop");
            String last = writerOut.get(w).readLine();
            assertTrue(last != null && last.startsWith("WROTE "), "writer " + w + ": " + last);
            for (int i = w; i < FILES; i += WRITERS) {
                writtenTo.put(files.get(i), Long.parseLong(last.substring(6)));
            }
        }

        List<String> out = daemon.out().lines().toList();
        Matcher summary = SUMMARY.matcher(out.get(out.size() - 1));
        assertTrue(summary.matches(), daemon.describe());
        assertEquals("0", summary.group(2), daemon.describe());
        Map<String, Integer> rotations = new HashMap<>();
        for (String part : summary.group(1).split(", ")) {
            int space = part.lastIndexOf(' ');
            rotations.put(part.substring(0, space), Integer.parseInt(part.substring(space + 1)));
        }
        assertEquals(FILES, rotations.size(), "every file of the glob was rotated by its own policy: " + rotations.keySet());

        long lost = 0;
        long total = 0;
        long versions = 0;
        int fewestRotations = Integer.MAX_VALUE;
        for (Path file : files) {
            int rotated = rotations.get(file.toString());
            fewestRotations = Math.min(fewestRotations, rotated);
            long written = writtenTo.get(file);
            total += written;
            Family family = read(file);
            versions += family.versions;
            assertEquals(List.of(), family.broken, file + ": lines that are not whole numbered lines");
            assertEquals(List.of(), family.duplicated, file + ": lines found twice");
            assertTrue(family.maxLine <= written, file + ": a line beyond what was written");
            lost += written - family.distinct;
            assertEquals(rotated, family.versions, file + ": one version per rotation (none dropped: keep is larger)");
        }
        System.out.printf("ManyWritersIT: %d s on the real clock, %d files, %d writers: %d lines written,"
                        + " %d versions (fewest rotations of a file: %d), %d lines lost in copytruncate's window (%.4f%%),"
                        + " 0 duplicated, 0 broken; SIGTERM to exit 0 in %d ms%n",
                TimeUnit.NANOSECONDS.toSeconds(terminated - started), FILES, WRITERS, total, versions,
                fewestRotations, lost, 100.0 * lost / total, stopMillis);
        assertTrue(fewestRotations >= runSeconds / 2, "every file rotated at least every other second: " + fewestRotations);
        assertTrue(lost <= total / 1000, "more than 0.1% lost in the window: " + lost + " of " + total);
    }

    /** What is in a file and its versions. */
    private record Family(long distinct, int versions, int rotating, long maxLine, List<String> broken, List<Long> duplicated) {
    }

    /** Reads {@code file}, {@code file.N} and {@code file.N.gz} (and a leftover {@code .rotating}). */
    private static Family read(Path file) throws IOException {
        List<Path> parts;
        try (Stream<Path> list = Files.list(file.getParent())) {
            parts = list.filter(p -> p.getFileName().toString().startsWith(file.getFileName().toString())).toList();
        }
        java.util.BitSet seen = new java.util.BitSet();
        List<String> broken = new ArrayList<>();
        List<Long> duplicated = new ArrayList<>();
        long max = 0;
        int versions = 0;
        int rotating = 0;
        for (Path part : parts) {
            String name = part.getFileName().toString();
            String suffix = name.substring(file.getFileName().toString().length());
            if (!suffix.isEmpty()) {
                assertTrue(suffix.matches("\\.\\d+(\\.gz)?|\\.rotating"), "an unexpected name beside the file: " + part);
                if (suffix.equals(".rotating")) {
                    // A copytruncate under way at SIGTERM: its copy finished after the task was
                    // cancelled; the next start numbers it. Its lines count, its rotation was not reported.
                    rotating++;
                } else {
                    versions++;
                }
            }
            try (InputStream raw = Files.newInputStream(part);
                 InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.matches("[1-9]\\d{0,8}")) {
                        broken.add(name + ": '" + line + "'");
                        continue;
                    }
                    int n = Integer.parseInt(line);
                    if (seen.get(n)) {
                        duplicated.add((long) n);
                    }
                    seen.set(n);
                    max = Math.max(max, n);
                }
            }
        }
        return new Family(seen.cardinality(), versions, rotating, max, broken, duplicated);
    }
}
