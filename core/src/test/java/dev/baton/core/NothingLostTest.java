package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * No value handed over and no exception is lost: a body's outcome wins over a cancel request,
 * failures while unwinding reach the caller, and unretrieved failures are reported only once
 * nobody can retrieve them.
 */
class NothingLostTest {

    @Test
    void aTakerCancelledAfterItWasHandedAnItemCompletesWithTheItem() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> queue = Queue.unbounded();
            Task<String> taker = loop.spawn("taker", queue::take);
            loop.spawn("giver", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                queue.put("item"); // handed to the waiting taker at once
                taker.cancel();    // too late: the item is the taker's
            });
            assertEquals("item", loop.runUntilComplete(taker));
            assertFalse(taker.isCancelled());
            assertEquals(0, queue.size());
        }
    }

    @Test
    void aPutterCancelledAfterItsItemWasAcceptedCompletesNormally() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> queue = Queue.bounded(1);
            List<String> taken = new ArrayList<>();
            Task<Void> putter = loop.spawn("putter", () -> {
                queue.put("first");
                queue.put("second"); // waits: the queue is full
            });
            loop.spawn("taker", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                taken.add(queue.take()); // lets "second" in
                putter.cancel();
                taken.add(queue.take());
            });
            loop.runUntilComplete(putter);
            loop.runUntilIdle();
            assertFalse(putter.isCancelled(), "the putter's item is in the queue, so put() succeeded");
            assertEquals(List.of("first", "second"), taken);
        }
    }

    @Test
    void anAcquirerCancelledAfterItWasHandedAPermitCompletesAndTheReleaseInFinallyReturnsIt() {
        try (Loop loop = Trace.virtualLoop()) {
            Semaphore semaphore = Semaphore.create(0);
            Task<String> acquirer = loop.spawn("acquirer", () -> {
                semaphore.acquire();
                semaphore.release();
                return "had the permit";
            });
            loop.spawn("releaser", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                semaphore.release();
                acquirer.cancel();
            });
            assertEquals("had the permit", loop.runUntilComplete(acquirer));
            assertEquals(1, semaphore.availablePermits());
        }
    }

    @Test
    void aBodyThatCatchesItsCancellationAndReturnsSucceedsWithItsResult() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("handles-cancel", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                    return 1;
                } catch (CancellationException e) {
                    return 7; // cancel() is a request; the body decided how to end
                }
            });
            loop.callLater(Duration.ofSeconds(1), task::cancel);
            assertEquals(7, loop.runUntilComplete(task));
            assertFalse(task.isCancelled());
            assertFalse(task.cancel(), "a done task cannot be cancelled");
        }
    }

    @Test
    void aTaskCancelledBeforeItStartedNeverRunsItsBody() {
        try (Loop loop = Trace.virtualLoop()) {
            boolean[] ran = new boolean[1];
            Task<Void> task = loop.spawn("never", () -> {
                ran[0] = true;
            });
            task.cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertFalse(ran[0]);
            assertTrue(task.isCancelled());
        }
    }

    @Test
    void aFailureWhileATimedOutBodyUnwindsIsThrownByWithTimeout() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> caller = loop.spawn("caller", () -> Loop.withTimeout(Duration.ofSeconds(1), () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                    return "slept";
                } finally {
                    throw new IOException("cleanup failed");
                }
            }));
            CompletionException thrown = assertThrows(CompletionException.class, () -> loop.runUntilComplete(caller));
            Throwable cause = thrown.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertInstanceOf(IOException.class, cause);
            assertEquals("cleanup failed", cause.getMessage());
        }
    }

    @Test
    void aFailureWhileATimedOutTaskUnwindsIsThrownByJoinWithATimeout() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> slow = loop.spawn("slow", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                    return "slept";
                } finally {
                    throw new IOException("cleanup failed");
                }
            });
            Task<Throwable> caller = loop.spawn("caller", () -> {
                try {
                    slow.join(Duration.ofSeconds(1));
                    return null;
                } catch (CompletionException | TimeoutException e) {
                    return e;
                }
            });
            Throwable seen = loop.runUntilComplete(caller);
            assertInstanceOf(CompletionException.class, seen);
            assertInstanceOf(IOException.class, seen.getCause());
        }
    }

    @Test
    void aTimedOutBodyThatReturnsAnywayGivesItsValue() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> caller = loop.spawn("caller", () -> Loop.withTimeout(Duration.ofSeconds(1), () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                    return "slept";
                } catch (CancellationException e) {
                    return "gave up early"; // a body may turn its cancel into a result; asyncio returns it too
                }
            }));
            assertEquals("gave up early", loop.runUntilComplete(caller));
        }
    }

    @Test
    void aTaskGroupWhoseCallerIsCancelledStillThrowsItsChildrensFailures() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Object> caller = loop.spawn("caller", () -> TaskGroup.run(group -> {
                group.spawn("fragile", () -> {
                    try {
                        Loop.sleep(Duration.ofHours(1));
                    } finally {
                        throw new IOException("fragile failed while unwinding");
                    }
                });
                Loop.sleep(Duration.ofHours(1));
                return "done";
            }));
            loop.callLater(Duration.ofSeconds(1), caller::cancel);
            CompletionException thrown = assertThrows(CompletionException.class, () -> loop.runUntilComplete(caller));
            String all = thrown + " " + Arrays.toString(thrown.getSuppressed()) + " " + thrown.getCause();
            assertTrue(all.contains("fragile failed while unwinding"), all);
        }
    }

    @Test
    void aTaskGroupThatIsShuttingDownRefusesNewChildren() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            Task<Object> caller = loop.spawn("caller", () -> TaskGroup.run(group -> {
                group.spawn("bad", () -> {
                    Loop.sleep(Duration.ofSeconds(1));
                    throw new IOException("bad");
                });
                try {
                    Loop.sleep(Duration.ofHours(1));
                } catch (CancellationException e) {
                    try {
                        group.spawn("late", () -> Loop.sleep(Duration.ofHours(1)));
                        seen.add("late child accepted");
                    } catch (IllegalStateException refused) {
                        seen.add("refused: " + refused.getMessage());
                    }
                    throw e;
                }
                return null;
            }));
            assertThrows(CompletionException.class, () -> loop.runUntilComplete(caller));
            assertEquals(1, seen.size());
            assertTrue(seen.get(0).startsWith("refused: ") && seen.get(0).contains("shutting down"), seen.toString());
            assertEquals(Duration.ofSeconds(1).toNanos(), loop.clock().nanoTime(), "nothing waited for a late child");
        }
    }

    @Test
    void withTimeoutRejectsANegativeTimeoutBeforeStartingAnything() {
        try (Loop loop = Trace.virtualLoop()) {
            boolean[] ran = new boolean[1];
            Task<Object> caller = loop.spawn("caller", () -> {
                try {
                    return Loop.withTimeout(Duration.ofSeconds(-1), () -> ran[0] = true);
                } finally {
                    assertEquals(1, Loop.current().tasks().size(), "no child was spawned");
                }
            });
            CompletionException thrown = assertThrows(CompletionException.class, () -> loop.runUntilComplete(caller));
            assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
            assertTrue(thrown.getCause().getMessage().contains("must not be negative"));
            loop.runUntilIdle();
            assertFalse(ran[0]);
        }
    }

    @Test
    void aFailureJoinedAfterItHappenedIsNeverReported() {
        List<String> handled = new ArrayList<>();
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> handled.add(source));
            Task<Void> bad = loop.spawn("bad", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                throw new IOException("late retrieval");
            });
            Task<String> later = loop.spawn("later", () -> {
                Loop.sleep(Duration.ofSeconds(5));
                try {
                    bad.join();
                    return "no failure?";
                } catch (CompletionException e) {
                    return e.getCause().getMessage();
                }
            });
            assertEquals("late retrieval", loop.runUntilComplete(later));
        }
        assertEquals(List.of(), handled);
    }

    @Test
    void aFailureNobodyRetrievedIsReportedWhenTheLoopCloses() {
        List<String> handled = new ArrayList<>();
        Loop loop = Trace.virtualLoop();
        loop.setExceptionHandler((source, error) -> handled.add(source + ": " + error.getMessage()));
        loop.spawn("bad", () -> {
            throw new IOException("never retrieved");
        });
        loop.runUntilIdle();
        assertEquals(List.of(), handled, "someone may still retrieve it");
        loop.close();
        assertEquals(List.of("task 'bad': never retrieved"), handled);
    }

    @Test
    void aFailureNobodyCanRetrieveIsReportedOnceItsTaskIsCollected() throws InterruptedException {
        List<String> handled = new ArrayList<>();
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> handled.add(source + ": " + error.getMessage()));
            WeakReference<Task<Void>> ref = new WeakReference<>(loop.spawn("dropped", () -> {
                throw new IOException("dropped failure");
            }));
            loop.runUntilIdle();
            // Real time, bounded: the collector decides when the task is unreachable.
            for (int i = 0; i < 100 && (ref.get() != null || handled.isEmpty()); i++) {
                System.gc();
                Thread.sleep(10);
                loop.runUntilIdle();
            }
            assertEquals(List.of("task 'dropped': dropped failure"), handled);
        }
        assertEquals(1, handled.size(), "reported once, not again at close");
    }
}
