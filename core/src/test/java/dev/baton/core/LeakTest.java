package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.logs.RecordedLogs;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a loop holds on to is bounded by what is live, and a dropped loop does not keep its threads. */
class LeakTest {

    @Test
    void cancelledTimersDoNotStayInTheHeapUntilTheirDeadline() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.spawn("heartbeat", () -> {
                for (;;) {
                    Loop.sleep(Duration.ofMinutes(30));
                }
            });
            int[] largest = new int[1];
            Task<Void> joiner = loop.spawn("joiner", () -> {
                for (int i = 0; i < 20_000; i++) {
                    Task<Integer> quick = Loop.current().spawn("quick", () -> 1);
                    quick.join(Duration.ofHours(1)); // its one-hour deadline timer is cancelled at once
                    largest[0] = Math.max(largest[0], loop.scheduler().pendingTimers());
                }
            });
            loop.runUntilComplete(joiner);
            assertTrue(largest[0] < 1_000, "the timer heap grew to " + largest[0] + " entries for 2 live timers");
        }
    }

    /**
     * A program that keeps its finished tasks (a list of results to read later, say) keeps their
     * outcomes, not what ran them: the body and whatever it captured, and the ended thread with its
     * continuation, are garbage once the task is done.
     */
    @Test
    void aFinishedTaskKeepsItsOutcomeButNotItsBodyOrItsThread() throws Exception {
        List<WeakReference<Object>> gone = new ArrayList<>();
        List<Task<Integer>> kept = new ArrayList<>();
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < 10; i++) {
                kept.add(spawnCapturing(loop, i, gone));
            }
            loop.runForever();
            // Real time, bounded: the collector decides when they are unreachable.
            for (int i = 0; i < 100 && gone.stream().anyMatch(r -> r.get() != null); i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertEquals(0, gone.stream().filter(r -> r.get() != null).count(),
                    "bodies, what they captured, or ended threads still reachable from their finished tasks");
            for (int i = 0; i < 10; i++) {
                assertEquals(i, kept.get(i).get()); // the outcome stays
            }
        }
    }

    private static Task<Integer> spawnCapturing(Loop loop, int value, List<WeakReference<Object>> gone) {
        byte[] captured = new byte[1 << 16];
        gone.add(new WeakReference<>(captured));
        return loop.spawn("kept-" + value, () -> {
            gone.add(new WeakReference<>(Thread.currentThread()));
            Loop.sleep(Duration.ofSeconds(1));
            return value + captured.length * 0;
        });
    }

    @Test
    void aLoopDroppedWithoutCloseHasItsCoroutinesUnwoundAndTheLeakReported() throws InterruptedException {
        AtomicInteger unwound = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            Loop loop = Trace.virtualLoop();
            for (int j = 0; j < 10; j++) {
                loop.spawn("dropped-sleeper-" + j, () -> {
                    try {
                        Loop.sleep(Duration.ofDays(1));
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
            }
            loop.runFor(Duration.ofSeconds(1));
        }
        // Real time, bounded: the collector decides when the loops are unreachable.
        for (int i = 0; i < 200 && unwound.get() < 200; i++) {
            System.gc();
            Thread.sleep(10);
            Loop.create(VirtualClock.of(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC)).close(); // creating a loop reclaims too
        }
        assertEquals(200, unwound.get(), "every coroutine of a dropped loop unwinds");
        assertTrue(RecordedLogs.containing("dropped without close()").size() >= 1, "the leak is reported");
    }

    @Test
    void joinWithATimeoutLeavesNoTimerBehind() throws TimeoutException {
        try (Loop loop = Trace.virtualLoop()) {
            List<Integer> sizes = new ArrayList<>();
            loop.runUntilComplete(loop.spawn("joiner", () -> {
                Task<Integer> quick = Loop.current().spawn("quick", () -> 1);
                quick.join(Duration.ofHours(1));
                sizes.add(loop.scheduler().pendingTimers());
            }));
            assertEquals(List.of(0), sizes);
        }
    }
}
