package dev.baton.bench;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.Arrays;

/**
 * Workload 6, on the real clock ({@link Loop#create()}): N coroutines each sleep until its own
 * deadline; the deadlines are spread evenly over {@code spread_ms}, starting {@code lead_ms} after
 * the run begins, and handed out in a scrambled order so that the timer queue is not filled in
 * deadline order. Each coroutine records how late it woke: the clock's nanoTime() after the sleep
 * minus its deadline. A timer never fires early, so lateness is never negative.
 *
 * <p>The figures are percentiles over every wake-up of the measured runs, pooled.
 */
final class TimerLateness {
    private TimerLateness() {}

    static Harness.Json run(Harness.Options o) {
        int n = o.integer("timers", 10_000);
        long spread = Duration.ofMillis(o.integer("spread_ms", 2_000)).toNanos();
        long lead = Duration.ofMillis(o.integer("lead_ms", 100)).toNanos();
        int warmup = o.integer("warmup", 1);
        int runs = o.integer("runs", 3);
        for (int i = 0; i < warmup; i++) {
            once(n, spread, lead);
        }
        long[] all = new long[n * runs];
        for (int i = 0; i < runs; i++) {
            System.arraycopy(once(n, spread, lead), 0, all, i * n, n);
        }
        Arrays.sort(all);
        return new Harness.Json()
                .put("workload", "timers")
                .put("timers", n)
                .put("spread_ms", spread / 1_000_000)
                .put("samples", all.length)
                .put("p50_ns", Harness.quantile(all, 0.50))
                .put("p99_ns", Harness.quantile(all, 0.99))
                .put("max_ns", all[all.length - 1]);
    }

    private static long[] once(int n, long spread, long lead) {
        long[] lateness = new long[n];
        try (Loop loop = Loop.create()) {
            long start = loop.clock().nanoTime() + lead;
            Task<Void> all = loop.spawn("timers", () -> {
                Task<?>[] tasks = new Task<?>[n];
                for (int i = 0; i < n; i++) {
                    int slot = (int) ((i * 7_919L) % n); // a permutation of 0..n-1 when gcd(7919, n) = 1
                    long deadline = start + spread * slot / n;
                    tasks[i] = loop.spawn("timer", () -> {
                        Loop.sleep(Duration.ofNanos(Math.max(0, deadline - loop.clock().nanoTime())));
                        lateness[slot] = loop.clock().nanoTime() - deadline;
                    });
                }
                for (Task<?> t : tasks) {
                    t.join();
                }
            });
            loop.runUntilComplete(all);
        }
        return lateness;
    }
}
