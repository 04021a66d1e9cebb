package dev.baton.core.toolkit;

import static dev.baton.core.toolkit.Trail.runMain;
import static dev.baton.core.toolkit.Trail.sleepMillis;
import static dev.baton.core.toolkit.Trail.spawn;
import static dev.baton.core.toolkit.Trail.virtualLoop;
import static dev.baton.core.toolkit.Trail.yieldNow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.CancelScope;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The task toolkit beside asyncio's tasks.py and timeouts.py and trio's cancel scopes: shield,
 * wait, as_completed, cancel scopes with deadlines, cancel messages, current task, toThread.
 * Virtual clock and asserted traces, except toThread's, which needs a real thread.
 */
class TaskToolkitPortTest {

    @Test // asyncio test_tasks.py::test_current_task
    void test_current_task() {
        try (Loop loop = virtualLoop()) {
            Task<Boolean> task = loop.spawn("me", () -> Loop.currentTask().name().equals("me"));
            assertTrue(loop.runUntilComplete(task));
            assertThrows(IllegalStateException.class, Loop::currentTask);
        }
    }

    @Test // asyncio test_tasks.py::test_current_task_with_interleaving_tasks
    void test_current_task_with_interleaving_tasks() {
        try (Loop loop = virtualLoop()) {
            List<String> seen = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                loop.spawn(name, () -> {
                    seen.add(Loop.currentTask().name());
                    yieldNow();
                    seen.add(Loop.currentTask().name());
                });
            }
            loop.runUntilIdle();
            assertEquals(List.of("a", "b", "a", "b"), seen);
        }
    }

    @Test // asyncio test_tasks.py::test_cancel_with_message_then_future_result
    void test_cancel_with_message_then_future_result() {
        try (Loop loop = virtualLoop()) {
            List<String> seen = new ArrayList<>();
            Task<Void> task = loop.spawn("sleeper", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                } catch (CancellationException e) {
                    seen.add(e.getMessage());
                    throw e;
                }
            });
            loop.callLater(Duration.ofSeconds(1), () -> task.cancel("my message"));
            CancellationException e = assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertTrue(e.getMessage().endsWith("my message"), e.getMessage());
            assertEquals(List.of("task 'sleeper' was cancelled: my message"), seen);
        }
    }

    @Test // asyncio test_tasks.py::test_cancel_with_message_before_starting_task
    void test_cancel_with_message_before_starting_task() {
        try (Loop loop = virtualLoop()) {
            Task<Void> task = loop.spawn("never", () -> Loop.sleep(Duration.ofHours(1)));
            task.cancel("before it started");
            CancellationException e = assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertEquals("task 'never' was cancelled: before it started", e.getMessage());
        }
    }

    @Test // asyncio test_tasks.py::test_shield_result
    void test_shield_result() {
        // Differs: asyncio's shield(task) is join() in Baton, which never cancels what it joins.
        try (Loop loop = virtualLoop()) {
            Task<Integer> inner = loop.spawn("inner", () -> 42);
            assertEquals(42, runMain(loop, () -> inner.join()));
        }
    }

    @Test // asyncio test_tasks.py::test_shield_cancel_outer
    void test_shield_cancel_outer() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            Task<Integer> inner = loop.spawn("inner", () -> {
                sleepMillis(100);
                trail.add("inner done");
                return 7;
            });
            Task<Integer> outer = loop.spawn("outer", () -> inner.join());
            loop.callLater(Duration.ofMillis(10), outer::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(outer));
            assertEquals(7, loop.runUntilComplete(inner), "the inner task was not cancelled");
            assertEquals(List.of("inner done@100"), trail.events());
        }
    }

    @Test // asyncio test_tasks.py::test_shield_effect (kotlinx NonCancellable): cleanup that suspends
    void test_shield_effect() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            Task<Void> task = loop.spawn("worker", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                } finally {
                    Loop.shield(() -> {
                        sleepMillis(500); // a flush that suspends, though the task is cancelled
                        trail.add("flushed");
                        return null;
                    });
                    trail.add("after the shield");
                }
            });
            loop.callLater(Duration.ofSeconds(1), task::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertEquals(List.of("flushed@1500", "after the shield@1500"), trail.events());
        }
    }

    @Test // trio test_timeouts.py::test_context_shields_from_outer
    void test_context_shields_from_outer() throws Exception {
        try (Loop loop = virtualLoop()) {
            List<String> seen = new ArrayList<>();
            runMain(loop, () -> {
                CancelScope outer = CancelScope.create();
                outer.run(() -> CancelScope.create().shielded().run(() -> {
                    outer.cancel();
                    yieldNow(); // shielded: no cancellation here
                    seen.add("shield held");
                    return null;
                }));
                seen.add("outer caught: " + outer.cancelledCaught());
                return null;
            });
            assertEquals(List.of("shield held", "outer caught: false"), seen);
        }
    }

    @Test // trio test_timeouts.py::test_move_on_after
    void test_move_on_after() throws Exception {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                Object result = CancelScope.moveOnAfter(Duration.ofSeconds(3), () -> {
                    Loop.sleep(Duration.ofSeconds(100));
                    return "slept";
                });
                trail.add("moved on with " + result);
                return null;
            });
            assertEquals(List.of("moved on with null@3000"), trail.events());
        }
    }

    @Test // trio test_timeouts.py::test_move_on_after_moves_on_even_if_shielded
    void test_move_on_after_moves_on_even_if_shielded() throws Exception {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                CancelScope outer = CancelScope.create();
                outer.run(() -> CancelScope.after(Duration.ofSeconds(2)).shielded().run(() -> {
                    outer.cancel();
                    Loop.sleep(Duration.ofDays(1)); // protected from outer, ended by its own deadline
                    return null;
                }));
                trail.add("done");
                return null;
            });
            assertEquals(List.of("done@2000"), trail.events());
        }
    }

    @Test // trio test_timeouts.py::test_fail_after_fails_even_if_shielded
    void test_fail_after_fails_even_if_shielded() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                CancelScope outer = CancelScope.create();
                outer.run(() -> {
                    CancelScope inner = CancelScope.after(Duration.ofSeconds(2)).shielded();
                    Object result = inner.run(() -> {
                        outer.cancel();
                        Loop.sleep(Duration.ofDays(1));
                        return null;
                    });
                    trail.add("inner caught " + inner.cancelledCaught() + ", result " + result);
                    return null;
                });
                assertThrows(TimeoutException.class, () -> CancelScope.failAfter(Duration.ofSeconds(1), () -> {
                    Loop.sleep(Duration.ofDays(1));
                    return null;
                }));
                trail.add("fail_after failed");
                return null;
            });
            assertEquals(List.of("inner caught true, result null@2000", "fail_after failed@3000"), trail.events());
        }
    }

    @Test // trio test_timeouts.py::test_fail
    void test_fail() {
        try (Loop loop = virtualLoop()) {
            Instant start = loop.clock().instant();
            Task<Object> main = loop.spawn("main", () -> CancelScope.failAt(start.plusSeconds(4), () -> {
                Loop.sleep(Duration.ofSeconds(100));
                return null;
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertEquals(Duration.ofSeconds(4).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test // asyncio test_timeouts.py::test_nested_timeouts: the outer, equal deadline catches
    void test_nested_timeouts() throws Exception {
        try (Loop loop = virtualLoop()) {
            List<String> seen = new ArrayList<>();
            runMain(loop, () -> {
                CancelScope outer = CancelScope.after(Duration.ofMillis(10));
                CancelScope[] inner = new CancelScope[1];
                outer.run(() -> {
                    inner[0] = CancelScope.after(Duration.ofMillis(10));
                    try {
                        inner[0].run(() -> {
                            Loop.sleep(Duration.ofSeconds(10));
                            return null;
                        });
                    } catch (CancellationException e) {
                        seen.add("inner let it through");
                        throw e;
                    }
                    return null;
                });
                seen.add("outer caught " + outer.cancelledCaught() + ", inner caught " + inner[0].cancelledCaught()
                        + ", both called " + (outer.cancelCalled() && inner[0].cancelCalled()));
                return null;
            });
            assertEquals(List.of("inner let it through", "outer caught true, inner caught false, both called true"), seen);
        }
    }

    @Test // trio: nested scopes, the inner (earlier) deadline wins
    void innerEarlierDeadlineWins() throws Exception {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                CancelScope.moveOnAfter(Duration.ofSeconds(10), () -> {
                    CancelScope.moveOnAfter(Duration.ofSeconds(2), () -> {
                        Loop.sleep(Duration.ofDays(1));
                        return null;
                    });
                    trail.add("inner moved on");
                    Loop.sleep(Duration.ofDays(1));
                    return null;
                });
                trail.add("outer moved on");
                return null;
            });
            assertEquals(List.of("inner moved on@2000", "outer moved on@10000"), trail.events());
        }
    }

    @Test // asyncio test_timeouts.py::test_reschedule
    void test_reschedule() {
        try (Loop loop = virtualLoop()) {
            Instant start = loop.clock().instant();
            CancelScope scope = CancelScope.at(start.plusSeconds(10));
            Task<Object> task = loop.spawn("f", () -> scope.run(() -> {
                Loop.sleep(Duration.ofSeconds(50));
                return null;
            }));
            loop.runUntilIdle();
            assertEquals(start.plusSeconds(10), scope.deadline());
            scope.reschedule(start.plusSeconds(30));
            assertEquals(start.plusSeconds(30), scope.deadline());
            scope.removeDeadline();
            assertNull(scope.deadline());
            task.cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertFalse(scope.cancelCalled(), "the scope's own deadline never fired");
        }
    }

    @Test // asyncio test_timeouts.py::test_reschedule, moving the deadline while the code waits
    void rescheduleWhileRunningMovesTheCancellation() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            CancelScope scope = CancelScope.after(Duration.ofSeconds(10));
            loop.spawn("f", () -> {
                scope.run(() -> {
                    Loop.sleep(Duration.ofSeconds(50));
                    return null;
                });
                trail.add("moved on");
            });
            loop.callLater(Duration.ofSeconds(5), () -> scope.reschedule(Duration.ofSeconds(20)));
            loop.runFor(Duration.ofMinutes(1));
            assertEquals(List.of("moved on@25000"), trail.events());
        }
    }

    @Test // trio test_timeouts.py::test_timeouts_raise_value_error
    void test_timeouts_raise_value_error() {
        assertThrows(IllegalArgumentException.class, () -> CancelScope.after(Duration.ofSeconds(-1)));
    }

    @Test // a task's own cancellation passes through a scope
    void aTaskCancellationPassesThroughScopes() {
        try (Loop loop = virtualLoop()) {
            Task<Object> task = loop.spawn("f", () -> CancelScope.moveOnAfter(Duration.ofHours(1), () -> {
                Loop.sleep(Duration.ofHours(2));
                return "slept";
            }));
            loop.callLater(Duration.ofSeconds(1), task::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertTrue(task.isCancelled());
        }
    }

    @Test // asyncio test_tasks.py::test_wait_first_completed
    void test_wait_first_completed() {
        try (Loop loop = virtualLoop()) {
            Task<Void> a = loop.spawn("a", () -> Loop.sleep(Duration.ofSeconds(10)));
            Task<Void> b = loop.spawn("b", () -> Loop.sleep(Duration.ofMillis(100)));
            Loop.Waited waited = runMain(loop, () -> Loop.wait(List.of(a, b), Loop.ReturnWhen.FIRST_COMPLETED));
            assertEquals(List.of(b), waited.done());
            assertEquals(List.of(a), waited.pending());
            assertFalse(a.isDone(), "nothing was cancelled");
            assertEquals(Duration.ofMillis(100).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test // asyncio test_tasks.py::test_wait_really_done
    void test_wait_really_done() {
        try (Loop loop = virtualLoop()) {
            Task<Void> a = loop.spawn("a", () -> yieldNow());
            Task<Void> b = loop.spawn("b", () -> { });
            Loop.Waited waited = runMain(loop, () -> Loop.wait(List.of(a, b), Loop.ReturnWhen.FIRST_COMPLETED));
            assertFalse(waited.done().isEmpty());
            assertTrue(waited.done().stream().allMatch(Task::isDone));
        }
    }

    @Test // asyncio test_tasks.py::test_wait_first_exception
    void test_wait_first_exception() {
        try (Loop loop = virtualLoop()) {
            Task<Void> a = loop.spawn("a", () -> Loop.sleep(Duration.ofSeconds(10)));
            Task<Void> b = loop.spawn("b", () -> {
                sleepMillis(100);
                throw new IOException("b failed");
            });
            Loop.Waited waited = runMain(loop, () -> Loop.wait(List.of(a, b), Loop.ReturnWhen.FIRST_EXCEPTION));
            assertEquals(List.of(b), waited.done());
            assertEquals(List.of(a), waited.pending());
            loop.runUntilIdle();
            assertThrows(Exception.class, b::get); // retrieved here, so not reported
        }
    }

    @Test // asyncio test_tasks.py::test_wait_with_timeout
    void test_wait_with_timeout() {
        try (Loop loop = virtualLoop()) {
            Task<Void> a = loop.spawn("a", () -> Loop.sleep(Duration.ofMillis(100)));
            Task<Void> b = loop.spawn("b", () -> Loop.sleep(Duration.ofSeconds(10)));
            Loop.Waited waited = runMain(loop, () -> Loop.wait(List.of(a, b), Loop.ReturnWhen.ALL_COMPLETED, Duration.ofMillis(110)));
            assertEquals(List.of(a), waited.done());
            assertEquals(List.of(b), waited.pending());
            assertEquals(Duration.ofMillis(110).toNanos(), loop.clock().nanoTime());
            assertFalse(b.isDone());
        }
    }

    @Test // asyncio test_tasks.py::test_wait_first_exception_in_wait
    void test_wait_all_completed_waits_for_every_task() {
        try (Loop loop = virtualLoop()) {
            Task<Void> a = loop.spawn("a", () -> Loop.sleep(Duration.ofSeconds(1)));
            Task<Void> b = loop.spawn("b", () -> Loop.sleep(Duration.ofSeconds(2)));
            Loop.Waited waited = runMain(loop, () -> Loop.wait(List.of(a, b), Loop.ReturnWhen.ALL_COMPLETED));
            assertEquals(List.of(a, b), waited.done());
            assertEquals(List.of(), waited.pending());
        }
    }

    @Test // asyncio test_tasks.py::test_as_completed
    void test_as_completed() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            Task<String> a = loop.spawn("a", () -> {
                sleepMillis(300);
                return "a";
            });
            Task<String> b = loop.spawn("b", () -> {
                sleepMillis(100);
                return "b";
            });
            Task<String> c = loop.spawn("c", () -> {
                sleepMillis(200);
                return "c";
            });
            runMain(loop, () -> {
                for (Task<String> done : Loop.asCompleted(List.of(a, b, c))) {
                    trail.add(done.join());
                }
            });
            assertEquals(List.of("b@100", "c@200", "a@300"), trail.events());
        }
    }

    @Test // asyncio test_tasks.py::test_as_completed_same_tasks_in_as_out
    void test_as_completed_same_tasks_in_as_out() {
        try (Loop loop = virtualLoop()) {
            Task<String> a = loop.spawn("a", () -> "a");
            List<Task<String>> out = new ArrayList<>();
            runMain(loop, () -> {
                for (Task<String> done : Loop.asCompleted(List.of(a))) {
                    out.add(done);
                }
            });
            assertEquals(1, out.size());
            assertSame(a, out.get(0));
        }
    }

    /**
     * asyncio's to_thread: blocking work off the loop while another coroutine keeps ticking. Real
     * time, bounded: the worker is a real thread.
     */
    @Test // asyncio test_threads.py::test_to_thread
    void toThreadRunsBlockingWorkWhileTheLoopGoesOn() {
        try (Loop loop = Loop.create()) {
            CountDownLatch ticked = new CountDownLatch(3);
            loop.spawn("ticker", () -> {
                for (;;) {
                    Loop.sleep(Duration.ofMillis(5));
                    ticked.countDown();
                }
            });
            Task<String> worker = loop.spawn("worker", () -> Loop.toThread(() -> {
                // blocks this platform thread until the loop has ticked three times meanwhile
                return ticked.await(10, TimeUnit.SECONDS) ? "the loop ticked meanwhile" : "the loop was stalled";
            }));
            assertEquals("the loop ticked meanwhile", loop.runUntilComplete(worker));
        }
    }

    /** Real time, bounded: the cancelled coroutine's worker is interrupted. */
    @Test // asyncio test_threads.py::test_to_thread_cancelled (intent)
    void toThreadCancellationInterruptsTheWorker() {
        try (Loop loop = Loop.create()) {
            CountDownLatch interrupted = new CountDownLatch(1);
            Task<Object> worker = loop.spawn("worker", () -> Loop.toThread(() -> {
                try {
                    Thread.sleep(10_000);
                    return "slept";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }));
            loop.callLater(Duration.ofMillis(20), worker::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(worker));
            assertTrue(awaitQuietly(interrupted), "the worker was interrupted");
        }
    }

    @Test // a checked exception from the work comes as the cause of a CompletionException
    void toThreadPassesTheWorksFailureOn() {
        try (Loop loop = Loop.create()) {
            Task<Object> worker = loop.spawn("worker", () -> Loop.toThread(() -> {
                throw new IOException("disk gone");
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(worker));
            Throwable cause = e.getCause() instanceof CompletionException inner ? inner.getCause() : e.getCause();
            assertInstanceOf(IOException.class, cause);
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
