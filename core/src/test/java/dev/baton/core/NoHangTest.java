package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Nothing in a loop hangs without a message: each of these used to freeze a loop or a thread for good. */
class NoHangTest {

    @Test
    void aCoroutineThatSwallowsItsCancellationDoesNotFreezeTheLoopAndIsReportedByName() {
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        Loop loop = Trace.virtualLoop();
        loop.setExceptionHandler((source, error) -> handled.add(source + ": " + error.getMessage()));
        Trace trace = new Trace(loop);
        Task<Void> stubborn = loop.spawn("stubborn", () -> {
            for (;;) {
                try {
                    Loop.sleep(Duration.ofSeconds(1));
                } catch (Exception e) {
                    // the daemon idiom: log and go on (here, silently)
                }
            }
        });
        loop.spawn("ticker", () -> {
            for (int i = 1; i <= 5; i++) {
                Loop.sleep(Duration.ofSeconds(2));
                trace.record("tick" + i);
            }
        });
        loop.callLater(Duration.ofSeconds(3), stubborn::cancel);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> loop.runFor(Duration.ofSeconds(10)));
        assertEquals(List.of("tick1@2000", "tick2@4000", "tick3@6000", "tick4@8000", "tick5@10000"), trace.events());
        assertEquals(1, handled.stream().filter(h -> h.contains("'stubborn'") && h.contains("swallowed")).count(), handled.toString());
        assertTrue(handled.stream().anyMatch(h -> h.contains("NoHangTest")), "names the place: " + handled);
        assertTimeoutPreemptively(Duration.ofSeconds(10), loop::close);
        assertTrue(handled.stream().anyMatch(h -> h.contains("'stubborn'") && h.contains("did not end")), handled.toString());
    }

    @Test
    void stopEndsARunWhileACoroutineSpinsOnItsSwallowedCancellation() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> { });
            Queue<String> never = Queue.unbounded();
            Task<Void> spinner = loop.spawn("spinner", () -> {
                for (;;) {
                    try {
                        never.take();
                    } catch (Exception e) {
                        // swallowed, and takes again at once
                    }
                }
            });
            loop.callLater(Duration.ofSeconds(1), spinner::cancel);
            loop.callLater(Duration.ofSeconds(1), () -> loop.execute(loop::stop));
            assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        }
    }

    @Test
    void twoThreadsStartingARunAtOnceLetExactlyOneIn() throws Exception {
        for (int round = 0; round < 200; round++) {
            try (Loop loop = Trace.virtualLoop()) {
                Task<Integer> work = loop.spawn("work", () -> {
                    for (int i = 0; i < 20; i++) {
                        Loop.sleep(Duration.ofSeconds(1));
                    }
                    return 20;
                });
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger completed = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                List<Throwable> other = Collections.synchronizedList(new ArrayList<>());
                Runnable runner = () -> {
                    try {
                        start.await();
                        loop.runUntilComplete(work);
                        completed.incrementAndGet();
                    } catch (IllegalStateException e) {
                        if (e.getMessage().contains("already running")) {
                            refused.incrementAndGet();
                        } else {
                            other.add(e);
                        }
                    } catch (Throwable t) {
                        other.add(t);
                    }
                };
                Thread a = Thread.ofPlatform().start(runner);
                Thread b = Thread.ofPlatform().start(runner);
                a.join(5_000);
                b.join(5_000);
                assertTrue(!a.isAlive() && !b.isAlive(), "round " + round + ": a run hung");
                assertEquals(List.of(), other, "round " + round);
                assertTrue(completed.get() >= 1 && completed.get() + refused.get() == 2,
                        "round " + round + ": completed " + completed + ", refused " + refused);
            }
        }
    }

    @Test
    void aFailureReportThatThrowsDoesNotFreezeTheLoop() {
        RuntimeException poisoned = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("getMessage() is broken");
            }
        };
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> {
                throw poisoned;
            });
            loop.spawn("poisoner", () -> {
                throw poisoned;
            });
            loop.callSoon(() -> {
                throw poisoned;
            });
            Task<String> after = loop.spawn("after", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return "still running";
            });
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals("still running", loop.runUntilComplete(after)));
        }
    }

    @Test
    void awaitingTheFutureOfATaskOfTheSameLoopLetsVirtualTimeMove() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> answer = loop.spawn("answer", () -> {
                Loop.sleep(Duration.ofSeconds(3));
                return 42;
            });
            Task<Integer> asker = loop.spawn("asker", () -> Loop.await(answer.toCompletableFuture()));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(42, loop.runUntilComplete(asker)));
            assertEquals(Duration.ofSeconds(3).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void getFromAPlainThreadWhileNoRunIsActiveFailsFast() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("idle", () -> 1);
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(IllegalStateException.class, task::get));
            assertTrue(e.getMessage().contains("no run method"), e.getMessage());
        }
    }

    @Test
    void getFromAPlainThreadWaitsForARunThatStartsSoonAfter() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("answer", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return 42;
            });
            CompletableFuture<Integer> got = new CompletableFuture<>();
            Thread getter = Thread.ofPlatform().start(() -> {
                try {
                    got.complete(task.get());
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            // Real time, bounded: the getter is already waiting when the run begins a little later.
            Thread.sleep(50);
            loop.runUntilComplete(task);
            assertEquals(42, got.get(5, TimeUnit.SECONDS));
            getter.join(5_000);
        }
    }

    @Test
    void closeDropsTheCallbacksPendingWhenItIsCalled() {
        Loop loop = Trace.virtualLoop();
        List<String> seen = new ArrayList<>();
        loop.spawn("sleeper", () -> {
            try {
                Loop.sleep(Duration.ofHours(1));
            } finally {
                seen.add("sleeper unwound");
            }
        });
        loop.runUntilIdle();
        loop.callSoon(() -> seen.add("soon callback ran"));
        loop.callLater(Duration.ZERO, () -> seen.add("timer callback ran"));
        loop.execute(() -> seen.add("executed callback ran"));
        loop.close();
        assertEquals(List.of("sleeper unwound"), seen);
    }

    @Test
    void aCoroutineWaitingAloneKeepsItsInterruptStatus() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<String> outside = new CompletableFuture<>();
            AtomicReference<Thread> coroutineThread = new AtomicReference<>();
            Task<Boolean> waiter = loop.spawn("waiter", () -> {
                coroutineThread.set(Thread.currentThread());
                Loop.await(outside);
                return Thread.currentThread().isInterrupted();
            });
            Thread interrupter = Thread.ofPlatform().start(() -> {
                // Real time, bounded: wait until the coroutine is parked alone, then interrupt it.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < end) {
                    Thread t = coroutineThread.get();
                    if (t != null && t.getState() == Thread.State.WAITING) {
                        t.interrupt();
                        break;
                    }
                    Thread.onSpinWait();
                }
                outside.complete("done");
            });
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertTrue(loop.runUntilComplete(waiter), "the interrupt was kept"));
            interrupter.join(5_000);
        }
    }

    @Test
    void getRethrowsTheTasksOwnFailure() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("bad", () -> {
                throw new IllegalStateException("bad");
            });
            loop.runUntilIdle();
            ExecutionException e = assertThrows(ExecutionException.class, task::get);
            assertEquals("bad", e.getCause().getMessage());
        }
    }
}
