package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exactly one coroutine runs at a time, each on its own virtual thread. */
class BatonTest {
    // Plain fields, no volatile, no locks: the baton alone makes this safe.
    private long counter;
    private boolean inside;
    private int overlaps;

    @Test
    void thousandCoroutinesUpdateSharedStateWithoutLocksOrOverlap() {
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < 1_000; i++) {
                int n = i;
                loop.spawn("worker-" + i, () -> {
                    for (int round = 0; round < 10; round++) {
                        if (inside) {
                            overlaps++;
                        }
                        inside = true;
                        long read = counter;
                        Thread.onSpinWait(); // widen the window a racing thread would need
                        counter = read + 1;
                        inside = false;
                        Loop.sleep(Duration.ofMillis(1 + (n + round) % 7));
                    }
                });
            }
            loop.runForever();
            assertEquals(10_000, counter);
            assertEquals(0, overlaps);
        }
    }

    @Test
    void eachCoroutineRunsOnItsOwnVirtualThread() {
        try (Loop loop = Trace.virtualLoop()) {
            Set<Thread> threads = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                loop.spawn("co-" + i, () -> {
                    Thread me = Thread.currentThread();
                    assertTrue(me.isVirtual());
                    threads.add(me);
                    names.add(me.getName());
                    Loop.sleep(Duration.ofSeconds(1));
                    assertEquals(me, Thread.currentThread(), "a coroutine resumes on its own thread");
                });
            }
            loop.runForever();
            assertEquals(20, threads.size());
            assertTrue(names.contains("co-7"), "the thread carries the task's name");
        }
    }

    @Test
    void loopCurrentAnswersInCoroutinesAndCallbacksOnly() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Loop> fromCoroutine = loop.spawn("who", () -> Loop.current());
            Loop[] fromCallback = new Loop[1];
            loop.callSoon(() -> fromCallback[0] = Loop.current());
            assertEquals(loop, loop.runUntilComplete(fromCoroutine));
            loop.runUntilIdle();
            assertEquals(loop, fromCallback[0]);
        }
    }

    @Test
    void runForeverOnAVirtualClockReturnsWhenNothingCanRunAnyMore() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> task = loop.spawn("short", () -> Loop.sleep(Duration.ofDays(3)));
            loop.runForever();
            assertTrue(task.isDone());
            assertEquals(Duration.ofDays(3).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void suspendedCoroutinesStaySuspendedBetweenRuns() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<Void> ticker = loop.spawn("ticker", () -> {
                for (int i = 0; i < 5; i++) {
                    Loop.sleep(Duration.ofSeconds(1));
                    trace.record("tick");
                }
            });
            loop.runFor(Duration.ofMillis(2500));
            assertEquals(2, trace.events().size());
            assertFalse(ticker.isDone());
            loop.runUntilComplete(ticker);
            assertEquals(java.util.List.of("tick@1000", "tick@2000", "tick@3000", "tick@4000", "tick@5000"), trace.events());
        }
    }

    /**
     * asyncio's test_events test_call_later and test_run_forever_stop: is_running() is false once
     * run_forever returns. Also true inside a coroutine, and to another thread while a run waits.
     */
    @Test
    void isRunningOnlyWhileARunMethodIsActive() throws Exception {
        try (Loop loop = Loop.create()) {
            assertFalse(loop.isRunning());
            java.util.concurrent.CountDownLatch inRun = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Boolean> seenOutside = new java.util.concurrent.CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    inRun.await();
                    seenOutside.complete(loop.isRunning());
                } catch (InterruptedException e) {
                    seenOutside.completeExceptionally(e);
                }
            });
            Task<Boolean> inside = loop.spawn("asker", () -> {
                inRun.countDown();
                Loop.await(seenOutside);
                return loop.isRunning();
            });
            assertTrue(loop.runUntilComplete(inside));
            assertTrue(seenOutside.get(), "another thread saw the run");
            assertFalse(loop.isRunning());
        }
    }
}
