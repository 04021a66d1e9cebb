package dev.baton.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer and a consumer on a bounded queue, a semaphore and an event, on a real clock, for a
 * JVM with one carrier thread and no compensation (run by OneCarrierTest). If any primitive
 * blocked the carrier instead of parking its virtual thread, this would never finish.
 */
public final class OneCarrierPrimitives {
    private OneCarrierPrimitives() {
    }

    public static void main(String[] args) {
        List<String> trace = new ArrayList<>();
        try (Loop loop = Loop.create()) {
            Queue<Integer> queue = Queue.bounded(1);
            Semaphore gate = Semaphore.create(1);
            Event done = Event.create();
            loop.spawn("producer", () -> {
                for (int i = 1; i <= 3; i++) {
                    gate.acquire();
                    try {
                        queue.put(i);
                    } finally {
                        gate.release();
                    }
                }
                done.await();
                trace.add("producer saw done");
            });
            Task<Void> consumer = loop.spawn("consumer", () -> {
                for (int i = 1; i <= 3; i++) {
                    Loop.sleep(Duration.ofMillis(5));
                    trace.add("took " + queue.take());
                }
                done.set();
            });
            loop.runUntilComplete(consumer);
            loop.runUntilIdle();
        }
        System.out.println(String.join(", ", trace));
    }
}
