package dev.baton.bench;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Workloads 1-3: N coroutines each sleeping M times on a virtual clock, for 1..7 units (one unit
 * is one second of virtual time) chosen by {@link #units}, the same formula as the asyncio side.
 * The time counts spawning the coroutines and running the loop until all have finished; the
 * figure is that time divided by N x M sleeps.
 *
 * <p>With {@code memory=1}, one more run measures the heap held per suspended coroutine: a probe
 * coroutine, spawned last, runs when every other one has started and suspended in its first
 * sleep (the ready queue is FIFO and no time passes before it runs); it collects garbage and
 * reads the heap in use. The baseline is read the same way before spawning. (The process's
 * resident set, Python's measure, says little here: the JVM keeps and returns heap as it likes.)
 * With {@code histogram=1} the probe also prints the heap's largest classes to stderr, to see
 * where the bytes go.
 */
final class SleepWorkload {
    private SleepWorkload() {}

    private static final Duration[] UNITS = new Duration[8];

    static {
        for (int i = 0; i < UNITS.length; i++) {
            UNITS[i] = Duration.ofSeconds(i);
        }
    }

    /** Sleep {@code j} of coroutine {@code i}: {@link #units} seconds, from a table made once. */
    static Duration sleep(int i, int j) {
        return UNITS[units(i, j)];
    }

    /** The length of sleep {@code j} of coroutine {@code i}, 1..7 units; bench/asyncio_bench.py uses the same. */
    static int units(int i, int j) {
        return 1 + (i * 31 + j * 17) % 7;
    }

    static Harness.Json run(Harness.Options o) {
        int n = o.integer("coroutines", 1_000);
        int m = o.integer("sleeps", 1_000);
        Harness.Json json = new Harness.Json()
                .put("workload", "sleep")
                .put("coroutines", n)
                .put("sleeps", m);
        if (o.integer("memory", 0) == 1) {
            // First, on a fresh heap; it also serves as a warmup run (its time is not counted).
            Result r = once(n, m, true, o.integer("histogram", 0) == 1);
            json.put("heap_bytes", r.heapBytes).put("heap_bytes_per_coroutine", (double) r.heapBytes / n);
        }
        long[] elapsed = Harness.time(o.integer("warmup", 2), o.integer("runs", 5), () -> once(n, m, false, false).elapsed);
        double median = Harness.median(elapsed);
        return json.put("runs_ns", elapsed)
                .put("cpu_ns_per_sleep", Harness.cpuPer(elapsed.length, (double) n * m))
                .put("median_ns", median)
                .put("ns_per_sleep", median / ((double) n * m));
    }

    private record Result(long elapsed, long heapBytes) {}

    private static Result once(int n, int m, boolean measureHeap, boolean histogram) {
        VirtualClock clock = VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC);
        long[] heap = {0};
        long baseline = measureHeap ? Harness.heapAfterGc() : 0;
        long[] finished = {0}; // touched only by coroutines of the loop, one at a time
        try (Loop loop = Loop.create(clock)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int id = i;
                loop.spawn("sleeper", () -> {
                    for (int j = 0; j < m; j++) {
                        Loop.sleep(sleep(id, j));
                    }
                    finished[0]++;
                });
            }
            long probeTime = 0;
            if (measureHeap) {
                long[] probe = {0};
                loop.spawn("probe", () -> {
                    long t = System.nanoTime();
                    heap[0] = Harness.heapAfterGc() - baseline;
                    if (histogram) {
                        System.err.println(Harness.classHistogram(25));
                    }
                    probe[0] = System.nanoTime() - t;
                });
                loop.runForever();
                probeTime = probe[0];
            } else {
                loop.runForever();
            }
            long elapsed = System.nanoTime() - start - probeTime;
            if (finished[0] != n) {
                throw new AssertionError(finished[0] + " of " + n + " coroutines finished");
            }
            return new Result(elapsed, heap[0]);
        }
    }
}
