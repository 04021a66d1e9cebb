package dev.baton.bench;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import dev.baton.rotation.Rotation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Workload 7: {@link Rotation#rotate(Path, int)} on a temporary folder of the default file
 * system, with every version {@code app.log.1 .. app.log.keep} present, so that each rotation
 * does the most renames it can. It is called from a coroutine, as the rotation policies call it.
 * Before each rotation (outside the time) {@code app.log} is written again and the versions that
 * exist are counted: the renames of that rotation are those plus {@code app.log} itself.
 *
 * <p>The figure is the median time of one rotation; the folder's file-system type is reported,
 * since renames cost what the file system makes them cost.
 */
final class RotationWorkload {
    private RotationWorkload() {}

    static Harness.Json run(Harness.Options o) throws IOException {
        int keep = o.integer("keep", 10);
        int rotations = o.integer("rotations", 1_000);
        int warmup = o.integer("warmup", 100);
        Path dir = Files.createTempDirectory("baton-bench-rotate");
        try {
            Path log = dir.resolve("app.log");
            for (int i = 1; i <= keep; i++) {
                Files.write(version(log, i), new byte[] {'x'});
            }
            long[] times = new long[rotations];
            long[] renames = {0};
            try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
                Task<Void> task = loop.spawn("rotator", () -> {
                    for (int i = -warmup; i < rotations; i++) {
                        Files.write(log, new byte[] {'x'});
                        long count = 1;
                        for (int v = 1; v < keep; v++) {
                            if (Files.exists(version(log, v), LinkOption.NOFOLLOW_LINKS)) {
                                count++;
                            }
                        }
                        long start = System.nanoTime();
                        Rotation.rotate(log, keep);
                        long elapsed = System.nanoTime() - start;
                        if (i >= 0) {
                            times[i] = elapsed;
                            renames[0] += count;
                        }
                        if (Files.exists(log) || !Files.exists(version(log, 1))) {
                            throw new AssertionError("rotation " + i + " left " + log + " in place");
                        }
                    }
                });
                loop.runUntilComplete(task);
            }
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            double median = Harness.median(times);
            return new Harness.Json()
                    .put("workload", "rotate")
                    .put("keep", keep)
                    .put("rotations", rotations)
                    .put("file_system", Files.getFileStore(dir).type())
                    .put("ns_per_rotation", median)
                    .put("p90_ns", Harness.quantile(sorted, 0.90))
                    .put("renames_per_rotation", (double) renames[0] / rotations)
                    .put("ns_per_rename", median / ((double) renames[0] / rotations));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    private static Path version(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }
}
