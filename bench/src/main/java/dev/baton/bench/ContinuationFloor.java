package dev.baton.bench;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import java.util.ArrayDeque;

/**
 * Workload 5, shaped like workload 1: N raw {@code jdk.internal.vm.Continuation}s each yielding M
 * times, resumed round-robin by one driver on this (platform) thread. It is what a stackful
 * switch costs with no scheduler, no timers and no thread around it: the floor under any
 * coroutine library built on the JVM's continuations, virtual threads included. The figure is
 * the time per yield, each yield followed by one resume.
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} at run time.
 */
final class ContinuationFloor {
    private ContinuationFloor() {}

    static final ContinuationScope SCOPE = new ContinuationScope("bench");

    static Harness.Json run(Harness.Options o) {
        int n = o.integer("coroutines", 1_000);
        int m = o.integer("yields", 1_000);
        long[] elapsed = Harness.time(o.integer("warmup", 3), o.integer("runs", 7), () -> once(n, m));
        double median = Harness.median(elapsed);
        return new Harness.Json()
                .put("workload", "floor")
                .put("coroutines", n)
                .put("yields", m)
                .put("runs_ns", elapsed)
                .put("median_ns", median)
                .put("ns_per_yield", median / ((double) n * m));
    }

    /** The time of one round: {@code n} continuations each yielding {@code m} times. */
    static long once(int n, int m) {
        long[] count = {0};
        ArrayDeque<Continuation> ready = new ArrayDeque<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ready.add(new Continuation(SCOPE, () -> {
                for (int j = 0; j < m; j++) {
                    count[0]++;
                    Continuation.yield(SCOPE);
                }
            }));
        }
        Continuation c;
        while ((c = ready.poll()) != null) {
            c.run();
            if (!c.isDone()) {
                ready.add(c);
            }
        }
        long elapsed = System.nanoTime() - start;
        if (count[0] != (long) n * m) {
            throw new AssertionError(count[0] + " yields, expected " + (long) n * m);
        }
        return elapsed;
    }
}
