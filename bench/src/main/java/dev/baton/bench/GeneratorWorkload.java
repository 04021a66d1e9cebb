package dev.baton.bench;

import dev.baton.core.Generator;
import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workload 4: the cost of one {@code next()} of a {@link Generator} whose body yields 0, 1, 2, ...
 * forever. A generator's body runs on its own virtual thread, and each {@code next()} hands the
 * baton to it and back, so the cost depends on who calls: the figure is for a consumer on a
 * virtual thread (a coroutine, or any code on one); a consumer on a platform thread (such as
 * {@code main}) is reported beside it, since that hand-off crosses operating-system threads. A
 * third figure has the consumer be a coroutine of a loop: the generator's body then takes the
 * loop's carrier, where the loop has one of its own (a virtual thread takes its parent's
 * scheduler), and each next() stays on one OS thread.
 *
 * <p>Then the ratios to the floor, paired: rounds that each time one raw continuation yielding
 * {@code n} times on this thread (a generator with no thread around it: workload 5's floor with
 * one continuation), then {@code n} next() from a virtual thread and from a coroutine, in the same
 * JVM within a second. Fresh JVMs on one machine spread by up to a third on the floor alone, so a
 * ratio of two figures from two JVMs moves with that spread; the median of the rounds' own ratios
 * does not. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, as workload 5 does.
 *
 * <p>The same rounds time the JDK's own two-thread hand-off without Baton, from a plain virtual
 * thread: a consumer and a producer virtual thread passing a counter through a volatile field,
 * each waking the other with {@code LockSupport.unpark} and waiting with {@code park} (the plain
 * idiom), and again with the consumer yielding its carrier while it waits, as Baton's generator
 * caller does. A {@code next()} is two such switches, so this is what the JDK alone costs for it.
 */
final class GeneratorWorkload {
    private GeneratorWorkload() {}

    /** Keeps the values read alive, so that the loop cannot be optimized away. */
    static final AtomicLong SINK = new AtomicLong();

    static Harness.Json run(Harness.Options o) {
        int n = o.integer("nexts", 200_000);
        int nPlatform = o.integer("nexts_platform", 20_000);
        int warmup = o.integer("warmup", 2);
        int runs = o.integer("runs", 5);
        long[] onVirtual = Harness.time(warmup, runs, () -> onVirtualThread(n));
        long[] onPlatform = Harness.time(warmup, runs, () -> nexts(nPlatform));
        long[] onCoroutine = Harness.time(warmup, runs, () -> onCoroutine(n));
        Harness.time(warmup, 0, () -> ContinuationFloor.once(1, n)); // compiled before it is paired
        long[] floor = new long[runs];
        double[] virtualOverFloor = new double[runs];
        double[] coroutineOverFloor = new double[runs];
        double[] parkOverFloor = new double[runs];
        double[] yieldOverFloor = new double[runs];
        Harness.time(warmup, 0, () -> onVirtualThread(() -> JdkHandOff.times(n, false)));
        Harness.time(warmup, 0, () -> onVirtualThread(() -> JdkHandOff.times(n, true)));
        for (int i = 0; i < runs; i++) {
            floor[i] = ContinuationFloor.once(1, n);
            virtualOverFloor[i] = onVirtualThread(n) / (double) floor[i];
            coroutineOverFloor[i] = onCoroutine(n) / (double) floor[i];
            parkOverFloor[i] = onVirtualThread(() -> JdkHandOff.times(n, false)) / (double) floor[i];
            yieldOverFloor[i] = onVirtualThread(() -> JdkHandOff.times(n, true)) / (double) floor[i];
        }
        return new Harness.Json()
                .put("workload", "generator")
                .put("nexts", n)
                .put("runs_ns", onVirtual)
                .put("ns_per_next", Harness.median(onVirtual) / n)
                .put("nexts_platform", nPlatform)
                .put("runs_platform_ns", onPlatform)
                .put("ns_per_next_platform", Harness.median(onPlatform) / nPlatform)
                .put("runs_coroutine_ns", onCoroutine)
                .put("ns_per_next_coroutine", Harness.median(onCoroutine) / n)
                .put("runs_floor_one_ns", floor)
                .put("ns_per_yield_floor_one", Harness.median(floor) / n)
                .put("paired_ratio_virtual", Harness.median(virtualOverFloor))
                .put("paired_ratio_coroutine", Harness.median(coroutineOverFloor))
                .put("paired_ratio_jdk_park_handoff", Harness.median(parkOverFloor))
                .put("paired_ratio_jdk_yield_handoff", Harness.median(yieldOverFloor));
    }

    private static long onCoroutine(int n) {
        long[] elapsed = {0};
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            loop.spawn("consumer", () -> {
                elapsed[0] = nexts(n);
            });
            loop.runForever();
        }
        return elapsed[0];
    }

    private static long onVirtualThread(int n) {
        return onVirtualThread(() -> nexts(n));
    }

    /** Runs {@code timed} on a new plain virtual thread and returns what it measured. */
    private static long onVirtualThread(java.util.function.LongSupplier timed) {
        long[] elapsed = {0};
        Thread consumer = Thread.ofVirtual().name("consumer").start(() -> elapsed[0] = timed.getAsLong());
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return elapsed[0];
    }

    /** Creates a generator, times {@code n} calls of next() on the calling thread, closes it. */
    private static long nexts(int n) {
        Generator<Integer> g = Generator.of(y -> {
            for (int i = 0; ; i++) {
                y.yield(i);
            }
        });
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sum += g.next();
        }
        long elapsed = System.nanoTime() - start;
        try {
            g.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the generator failed", e);
        }
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("the generator yielded " + sum + " in total, expected " + (long) n * (n - 1) / 2);
        }
        SINK.addAndGet(sum);
        return elapsed;
    }
}
