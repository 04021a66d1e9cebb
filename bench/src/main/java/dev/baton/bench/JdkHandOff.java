package dev.baton.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The JDK's two-thread hand-off with no Baton code: the calling thread asks a producer thread for
 * the next number {@code n} times, each side naming whose turn it is in a volatile field and
 * unparking the other. What a generator's {@code next()} does at the least, so the figure a
 * generator is measured against in workload 4 besides the raw continuation.
 */
final class JdkHandOff {
    /*
     * Two ways to wait for the turn: park at once (the plain idiom), or, for the consumer, yield
     * the carrier for up to 20 us first and then park, which is what Baton's generator caller on
     * the JDK's shared scheduler does (a parked thread lets an idle carrier steal the one it just
     * unparked, so every switch crosses cores). The producer always parks, as a generator body does.
     */

    private static final long SPIN_NANOS = 20_000;

    /** Whose turn it is; written by the thread giving it away. */
    private volatile Thread turn;
    /** The number handed over; written before the turn is given, read after it is taken. */
    private long value;

    private JdkHandOff() {
    }

    /** Times {@code n} hand-offs to a producer and back on the calling thread, in nanoseconds. */
    static long times(int n, boolean consumerYields) {
        JdkHandOff h = new JdkHandOff();
        Thread consumer = Thread.currentThread();
        Thread producer = Thread.ofVirtual().name("producer").unstarted(() -> {
            Thread me = Thread.currentThread();
            for (long i = 0; ; i++) {
                h.await(me, false);
                if (i == n) {
                    return;
                }
                h.value = i;
                h.give(consumer);
            }
        });
        producer.start();
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            h.give(producer);
            h.await(consumer, consumerYields);
            sum += h.value;
        }
        long elapsed = System.nanoTime() - start;
        h.give(producer); // the producer sees i == n and ends
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("handed over " + sum + " in total, expected " + (long) n * (n - 1) / 2);
        }
        GeneratorWorkload.SINK.addAndGet(sum);
        return elapsed;
    }

    private void give(Thread next) {
        turn = next;
        LockSupport.unpark(next);
    }

    private void await(Thread me, boolean yieldFirst) {
        if (yieldFirst) {
            long end = System.nanoTime() + SPIN_NANOS;
            while (turn != me && System.nanoTime() < end) {
                Thread.yield();
            }
        }
        while (turn != me) {
            LockSupport.park(this);
        }
    }
}
