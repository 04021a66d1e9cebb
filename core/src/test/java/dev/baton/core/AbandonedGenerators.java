package dev.baton.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates and drops suspended generators as fast as a virtual thread can, then reports how many
 * bodies were closed (their finally ran). Run in a JVM with a small heap by GeneratorReclaimTest.
 */
public final class AbandonedGenerators {
    private static final AtomicLong FINALLY_RAN = new AtomicLong();

    private AbandonedGenerators() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long[] sum = new long[1];
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < count; i++) {
                Generator<Integer> dropped = Generator.of(y -> {
                    try {
                        for (int k = 0; ; k++) {
                            y.yield(k);
                        }
                    } finally {
                        FINALLY_RAN.incrementAndGet();
                    }
                });
                sum[0] += dropped.next() + dropped.next(); // suspended at its second yield, then dropped
            }
        });
        producer.join();
        System.out.println("created " + count + " sum " + sum[0] + " closed " + FINALLY_RAN.get());
    }
}
