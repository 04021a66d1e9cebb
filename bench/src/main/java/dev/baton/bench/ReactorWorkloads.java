package dev.baton.bench;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Workloads 1-3 on Reactor, the peer a Java user of reactive streams would reach for: the same N
 * x M sleeps of 1..7 units as {@link SleepWorkload} (one unit is one second of virtual time), each
 * "coroutine" a {@code Flux.range(0, M).concatMap(j -> Mono.delay(d, scheduler))} subscribed on a
 * {@link VirtualTimeScheduler}, and the whole run one {@code advanceTimeBy} past the last
 * deadline. Reactor has no stackful coroutine and no generator: workload 4 has no Reactor figure.
 *
 * <p>With {@code memory=1} one more run reads the heap after every pipeline is subscribed and
 * waiting on its first delay, less the baseline before; that is the memory per suspended
 * "coroutine" here.
 */
final class ReactorWorkloads {
    private ReactorWorkloads() {}

    static Harness.Json sleep(Harness.Options o) {
        int n = o.integer("coroutines", 1_000);
        int m = o.integer("sleeps", 1_000);
        Harness.Json json = new Harness.Json().put("workload", "reactor-sleep").put("coroutines", n).put("sleeps", m);
        if (o.integer("memory", 0) == 1) {
            long heap = once(n, m, true)[1];
            json.put("heap_bytes", heap).put("heap_bytes_per_coroutine", (double) heap / n);
        }
        long[] elapsed = Harness.time(o.integer("warmup", 2), o.integer("runs", 5), () -> once(n, m, false)[0]);
        double median = Harness.median(elapsed);
        return json.put("runs_ns", elapsed).put("cpu_ns_per_sleep", Harness.cpuPer(elapsed.length, (double) n * m))
                .put("median_ns", median).put("ns_per_sleep", median / ((double) n * m));
    }

    /** One run: {elapsed nanoseconds, heap bytes held by the waiting pipelines (0 unless asked)}. */
    private static long[] once(int n, int m, boolean measureHeap) {
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
        long baseline = measureHeap ? Harness.heapAfterGc() : 0;
        long[] finished = {0}; // touched only by this thread, which runs every delay in advanceTimeBy
        long heap = 0;
        long probeTime = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                int id = i;
                Flux.range(0, m)
                        .concatMap(j -> Mono.delay(SleepWorkload.sleep(id, j), scheduler))
                        .subscribe(null, failure -> { throw new AssertionError("a pipeline failed", failure); },
                                () -> finished[0]++);
            }
            if (measureHeap) {
                long t = System.nanoTime();
                heap = Harness.heapAfterGc() - baseline;
                probeTime = System.nanoTime() - t;
            }
            scheduler.advanceTimeBy(Duration.ofSeconds(7L * m + 1));
        } finally {
            scheduler.dispose();
        }
        long elapsed = System.nanoTime() - start - probeTime;
        if (finished[0] != n) {
            throw new AssertionError(finished[0] + " of " + n + " pipelines finished");
        }
        return new long[] {elapsed, heap};
    }
}
