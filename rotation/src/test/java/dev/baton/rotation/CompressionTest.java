package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.SystemClock;
import dev.baton.core.Task;
import dev.baton.core.logs.RecordedLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {

    /** The listing of {@code dir} with .gz files shown decompressed, as "name=content". */
    static Map<String, String> unzipped(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        List<Path> entries;
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            entries = list.toList();
        }
        entries.forEach(p -> {
            String name = p.getFileName().toString();
            try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p)) {
                files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return files;
    }

    /** logrotate's test-0008 (compress): the rotated version is test.log.1.gz, the file is created anew. */
    @Test
    void logrotate_test_0008() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path dir = fs.getPath("/logs");
            Fixtures.write(dir.resolve("test.log"), "zero");
            Rotation.rotate(dir.resolve("test.log"), RotationOptions.builder(1).create().compress().build());
            assertEquals(Fixtures.files("test.log= test.log.1.gz=zero"), unzipped(dir));
        }
    }

    /** logrotate's test-0010 (delaycompress): .1 stays plain, and is compressed when it becomes .2. */
    @Test
    void logrotate_test_0010() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path dir = fs.getPath("/logs");
            Path log = dir.resolve("test.log");
            RotationOptions options = RotationOptions.builder(3).create().compress().delayCompress().build();
            Fixtures.write(log, "zero");
            Rotation.rotate(log, options);
            assertEquals(Fixtures.files("test.log= test.log.1=zero"), unzipped(dir));
            Fixtures.write(log, "newfile");
            Rotation.rotate(log, options);
            assertEquals(Fixtures.files("test.log= test.log.1=newfile test.log.2.gz=zero"), unzipped(dir));
            assertTrue(Files.exists(dir.resolve("test.log.2.gz")));
        }
    }

    /** .gz names keep their suffix through the shift, and the oldest .gz is the one dropped. */
    @Test
    void compressedVersionsKeepTheirNamesThroughTheShift() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path dir = fs.getPath("/logs");
            Path log = dir.resolve("app.log");
            RotationOptions options = RotationOptions.builder(3).compress().build();
            for (String content : List.of("a", "b", "c", "d")) {
                Fixtures.write(log, content);
                Rotation.rotate(log, options);
            }
            assertEquals(Fixtures.files("app.log.1.gz=d app.log.2.gz=c app.log.3.gz=b"), unzipped(dir));
        }
    }

    /**
     * A policy whose compression fails (a full disk) reports the rotation with that failure on its
     * event, so that a daemon's summary and exit code count it; the version is kept uncompressed.
     */
    @Test
    void aPolicysFailedCompressionRidesOnItsRotatedEvent() throws IOException {
        try (FaultyFileSystem fs = new FaultyFileSystem(Fixtures.jimfs())) {
            Path dir = fs.getPath("/logs");
            Path log = dir.resolve("app.log");
            Fixtures.write(log, "first");
            fs.beforeStep = (step, what) -> {
                if (what.endsWith(".gz.part")) {
                    throw new IOException("No space left on device");
                }
            };
            List<RotationEvent> events = new ArrayList<>();
            try (Loop loop = Loop.create(dev.baton.core.VirtualClock.of(java.time.Instant.parse("2024-07-01T00:00:00Z"), ZoneOffset.UTC))) {
                RotationPolicy.every(log, RotationOptions.builder(3).compress().build(), Duration.ofMinutes(1))
                        .withListener(events::add).start(loop);
                loop.runFor(Duration.ofSeconds(61));
            }
            assertEquals(1, events.size(), events::toString);
            assertEquals(RotationEvent.Outcome.ROTATED, events.get(0).outcome());
            assertTrue(events.get(0).hasError() && events.get(0).error().getMessage().startsWith("could not compress /logs/app.log.1"),
                    events::toString);
            assertTrue(Files.exists(dir.resolve("app.log.1")), "kept uncompressed");
        }
    }

    /** A compression that fails keeps the uncompressed version, and the next rotation compresses it. */
    @Test
    void failedCompressionKeepsTheUncompressedVersion() throws IOException {
        try (FaultyFileSystem fs = new FaultyFileSystem(Fixtures.jimfs())) {
            Path dir = fs.getPath("/logs");
            Path log = dir.resolve("app.log");
            RotationOptions options = RotationOptions.builder(3).compress().build();
            Fixtures.write(log, "first");
            fs.beforeStep = (step, what) -> {
                if (what.endsWith(".gz.part")) {
                    throw new IOException("No space left on device");
                }
            };
            Rotation.rotate(log, options);
            assertEquals(Fixtures.files("app.log.1=first"), unzipped(dir));
            assertTrue(RecordedLogs.containing("Could not compress /logs/app.log.1").size() >= 1);

            fs.beforeStep = null;
            Fixtures.write(log, "second");
            Rotation.rotate(log, options);
            assertEquals(Fixtures.files("app.log.1.gz=second app.log.2.gz=first"), unzipped(dir));
        }
    }

    /**
     * Must-show 4: gzip of a 100 MB version runs off the loop while an interval policy with a 1 s
     * period runs on the real clock; each of its rotations is within 50 ms of its slot. Real time
     * on purpose: the claim is that the loop is not blocked by CPU work on another thread, which
     * only a real clock can show (on a virtual clock the loop waits for outside work by design).
     * Bounded: the test ends one second after the compression does. The machine's cores are
     * shared with other builds, so a run with a slot missed by more than 50 ms is measured once
     * more, and both runs are printed; the second must hold.
     */
    @Test
    void compressionOfA100MbFileKeepsAnIntervalPolicyOnItsSlots(@TempDir Path dir) throws Exception {
        // On a machine whose cores other processes hold, the loop's thread waits for a core
        // itself: both runs had a slot missed by 200 ms at a load of 12 on 2 cores, and by 76 and
        // 349 ms at a load of 7, as the toThread ticker test of core saw before.
        dev.baton.core.machine.MachineLoad.assumeQuiet("a real-time beat says nothing about the loop");
        String first = measureLateness(Files.createDirectory(dir.resolve("first")));
        if (first != null) {
            System.out.println("first run missed: " + first + "; measuring again");
            String second = measureLateness(Files.createDirectory(dir.resolve("second")));
            assertEquals(null, second, "missed twice; first run: " + first);
        }
    }

    /**
     * A task cancelled while it waits for a compression (a daemon stopping on SIGTERM) ends
     * cancelled: the rotation does not take the cancellation for a failed compression and go on.
     * Real time: the compression must be running on its thread when the cancel comes, so the
     * cancel waits for its part file; bounded by the 20 MB file's compression (about a second).
     */
    @Test
    void aTaskCancelledWhileItsRotationCompressesEndsCancelled(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.log");
        byte[] chunk = logLines(1 << 20);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 20; i++) {
                out.write(chunk);
            }
        }
        try (Loop loop = Loop.create(SystemClock.of(ZoneOffset.UTC))) {
            Task<Void> rotating = loop.spawn("rotating", () -> {
                Rotation.rotate(big, RotationOptions.builder(1).compress().build());
                Loop.sleep(Duration.ofMillis(10)); // a policy's next sleep, where a swallowed cancel would show
            });
            cancelOnceItExists(loop, dir.resolve("big.log.1.gz.part"), rotating);
            try {
                loop.runUntilComplete(rotating);
            } catch (java.util.concurrent.CancellationException expected) {
                // what runUntilComplete reports for a cancelled task
            }
            assertTrue(rotating.isCancelled(), "the task went on after its cancellation: " + rotating);
        }
        assertEquals(List.of(), RecordedLogs.containing("Could not compress " + dir.resolve("big.log.1")),
                "the cancellation was taken for a failed compression");
        assertTrue(Files.exists(dir.resolve("big.log.1")) || Files.exists(dir.resolve("big.log.1.gz")), "the rotation stands");
    }

    /**
     * A policy stopped while its rotation compresses reports and records that rotation (it was
     * made: the version exists) before its task ends cancelled, so a daemon's summary counts it.
     * Real time, bounded as above.
     */
    @Test
    void aPolicyStoppedWhileItCompressesReportsTheRotationItMade(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.log");
        byte[] chunk = logLines(1 << 20);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 20; i++) {
                out.write(chunk);
            }
        }
        List<RotationEvent.Outcome> reported = new ArrayList<>();
        try (Loop loop = Loop.create(SystemClock.of(ZoneOffset.UTC))) {
            RotationPolicy policy = RotationPolicy.every(big, RotationOptions.builder(3).compress().build(), Duration.ofMillis(10))
                    .withListener(e -> reported.add(e.outcome()));
            Task<Void> running = loop.spawn("policy", policy::run);
            cancelOnceItExists(loop, dir.resolve("big.log.1.gz.part"), running);
            try {
                loop.runUntilComplete(running);
            } catch (java.util.concurrent.CancellationException expected) {
                // the policy ends cancelled
            }
            assertTrue(running.isCancelled(), running.toString());
        }
        assertEquals(List.of(RotationEvent.Outcome.ROTATED), reported);
        // The stopped compression is said, not silent (its part file is removed or finished).
        assertEquals(1, dev.baton.core.logs.RecordedLogs.containing("Compression of " + big + ".1 stopped").size(),
                dev.baton.core.logs.RecordedLogs.all()::toString);
    }

    /**
     * A policy stopped while its postrotate script runs (a daemon stopping on SIGTERM) lets the
     * script finish, since skipping it would leave the writer writing into the rotated version,
     * then reports the rotation and ends cancelled. Real time: the script must be running when
     * the cancel comes, so the cancel waits for the file the script touches first; bounded by the
     * script's own 300 ms.
     */
    @Test
    void aPolicyStoppedWhileItsPostrotateRunsLetsTheScriptFinish(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "a line\n");
        Path started = dir.resolve("started");
        Path signalled = dir.resolve("signalled");
        List<RotationEvent.Outcome> reported = new ArrayList<>();
        try (Loop loop = Loop.create(SystemClock.of(ZoneOffset.UTC))) {
            RotationOptions options = RotationOptions.builder(3).postrotate("touch " + started + "; sleep 0.3; touch " + signalled).build();
            RotationPolicy policy = RotationPolicy.every(log, options, Duration.ofMillis(10)).withListener(e -> reported.add(e.outcome()));
            Task<Void> running = loop.spawn("policy", policy::run);
            cancelOnceItExists(loop, started, running);
            try {
                loop.runUntilComplete(running);
            } catch (java.util.concurrent.CancellationException expected) {
                // the policy ends cancelled
            }
            assertTrue(running.isCancelled(), running.toString());
        }
        assertTrue(Files.exists(signalled), "the postrotate script was killed by the stop");
        assertEquals(List.of(RotationEvent.Outcome.ROTATED), reported);
    }

    /** One run; null if every rotation was within 50 ms of its slot, else what was seen. */
    private static String measureLateness(Path dir) throws Exception {
        Path big = dir.resolve("big.log");
        byte[] chunk = logLines(1 << 20);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 100; i++) {
                out.write(chunk);
            }
        }
        Path ticking = dir.resolve("ticking.log");
        Fixtures.write(ticking, "x");
        List<Long> rotations = new ArrayList<>();
        long[] startAndCompression = new long[3];
        try (Loop loop = Loop.create(SystemClock.of(ZoneOffset.UTC))) {
            RotationPolicy interval = RotationPolicy.every(ticking, 3, Duration.ofSeconds(1)).withListener(e -> {
                rotations.add(Loop.current().clock().nanoTime());
                Fixtures.write(ticking, "x");
            });
            loop.spawn("interval", () -> {
                startAndCompression[0] = Loop.current().clock().nanoTime();
                interval.run();
            });
            Task<Void> compressor = loop.spawn("compressor", () -> {
                Loop.sleep(Duration.ofMillis(300));
                startAndCompression[1] = Loop.current().clock().nanoTime();
                Rotation.rotate(big, RotationOptions.builder(1).compress().build());
                startAndCompression[2] = Loop.current().clock().nanoTime();
                Loop.sleep(Duration.ofMillis(1100));
            });
            loop.runUntilComplete(compressor);
        }
        assertTrue(Files.exists(dir.resolve("big.log.1.gz")));
        long t0 = startAndCompression[0];
        long during = rotations.stream().filter(t -> t > startAndCompression[1] && t < startAndCompression[2]).count();
        List<Long> lateness = new ArrayList<>();
        for (int k = 0; k < rotations.size(); k++) {
            long slot = t0 + (k + 1) * 1_000_000_000L;
            lateness.add((rotations.get(k) - slot) / 1_000_000);
        }
        System.out.println("gzip of 100 MB took " + (startAndCompression[2] - startAndCompression[1]) / 1_000_000
                + " ms; interval rotations late by (ms): " + lateness + ", " + during + " of them during the compression");
        assertTrue(during >= 1, "the compression was too quick to overlap a slot: " + lateness);
        for (long late : lateness) {
            if (late < 0 || late > 50) {
                return "a rotation was " + late + " ms from its slot: " + lateness;
            }
        }
        return null;
    }

    /**
     * Cancels {@code task} from a coroutine of {@code loop} as soon as {@code file} exists (the
     * step that creates it is under way), or after 30 s. A cancel at a fixed instant instead came
     * before the first rotation had begun when a loaded machine started the policy late (seen at
     * a load of 12 on 2 cores), and the test then saw no rotation at all.
     */
    private static void cancelOnceItExists(Loop loop, Path file, Task<?> task) {
        loop.spawn("canceller", () -> {
            long end = loop.clock().nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(file) && loop.clock().nanoTime() < end) {
                Loop.sleep(Duration.ofMillis(1));
            }
            task.cancel();
        });
    }

    /** About {@code size} bytes of varied log lines (compressible like real logs, not like zeros). */
    private static byte[] logLines(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 200);
        java.util.Random random = new java.util.Random(42);
        for (long i = 0; out.size() < size; i++) {
            String line = "2026-01-01T00:00:" + (i % 60) + "Z INFO request " + i + " from 10.0." + random.nextInt(256) + "."
                    + random.nextInt(256) + " took " + random.nextInt(5000) + " us status " + (200 + random.nextInt(4)) + "\n";
            out.writeBytes(line.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
