package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static dev.baton.core.conformance.Trace.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Event;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * asyncio's test_tasks.py, ported to Baton's Task, Loop.sleep, Loop.await and gather.
 *
 * <p>Skipped families, and why: cancel messages (test_task_cancel_message_*, test_cancel_with_message_*:
 * Baton's cancel takes no message); uncancel and cancelling() counts (test_uncancel_*, test_cancelling:
 * cancellation is level-triggered, there is nothing to undo); wait/as_completed (test_wait*,
 * test_as_completed*: not in Baton); shield (test_shield_*: not in Baton); eager tasks and task
 * factories (test_eager_start_*); contextvars (test_context_*); current_task and the task registry
 * (test_current_task*, test__register_task_*, test__enter_task*: Baton exposes no current task);
 * ensure_future, coroutine objects, repr, subclassing, refcounts and C/Python twins (no Java
 * counterpart); run_coroutine_threadsafe and event loop policies (other threads use execute()).
 */
class AsyncioTasksConformanceTest {

    @Test
    // test_tasks.py::BaseTaskTests::test_task_basics
    void test_task_basics() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> outer = loop.spawn("outer", () -> {
                int a = loop.spawn("inner1", () -> 42).join();
                int b = loop.spawn("inner2", () -> 1000).join();
                return a + b;
            });
            assertEquals(1042, loop.runUntilComplete(outer));
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_exception_chaining_after_await
    void test_exception_chaining_after_await() {
        // Java has no implicit exception context; the intent kept: the joined task's own exception
        // comes out of join() as the cause, untouched by what the joiner was handling.
        try (Loop loop = Trace.virtualLoop()) {
            IllegalArgumentException raised = new IllegalArgumentException("raise_error");
            Task<Throwable> run = loop.spawn("run", () -> {
                try {
                    throw new IllegalStateException("KeyError(3)");
                } catch (IllegalStateException handling) {
                    Task<Void> task = loop.spawn("raise_error", () -> {
                        throw raised;
                    });
                    try {
                        task.join();
                        return null;
                    } catch (CompletionException e) {
                        return e.getCause();
                    }
                }
            });
            assertSame(raised, loop.runUntilComplete(run));
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel
    void test_cancel() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Integer> t = loop.spawn("task", () -> {
                try {
                    Loop.sleep(s(10));
                    return 12;
                } catch (CancellationException e) {
                    trace.record("cancelled");
                    throw e;
                }
            });
            loop.callSoon(t::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of("cancelled@0"), trace.events());
            assertTrue(t.isDone());
            assertTrue(t.isCancelled());
            assertFalse(t.cancel());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_yield
    void test_cancel_yield() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Integer> t = loop.spawn("task", () -> {
                trace.record("started");
                Loop.sleep(Duration.ZERO);
                trace.record("after first yield");
                Loop.sleep(Duration.ZERO);
                return 12;
            });
            loop.callSoon(t::cancel); // runs after the task's first step, as run_briefly does
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of("started@0"), trace.events());
            assertTrue(t.isCancelled());
            assertFalse(t.cancel());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_inner_future
    void test_cancel_inner_future() {
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Task<Integer> t = loop.spawn("task", () -> {
                Loop.await(f);
                return 12;
            });
            loop.callSoon(() -> f.cancel(false));
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertTrue(f.isCancelled());
            assertTrue(t.isCancelled());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_both_task_and_inner_future
    void test_cancel_both_task_and_inner_future() {
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Task<Integer> t = loop.spawn("task", () -> {
                Loop.await(f);
                return 12;
            });
            loop.callSoon(() -> {
                f.cancel(false);
                t.cancel();
            });
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertTrue(t.isDone());
            assertTrue(f.isCancelled());
            assertTrue(t.isCancelled());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_task_catching
    void test_cancel_task_catching() throws Exception {
        // R1: a body that catches the cancellation and returns completes with its result.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Event fut1 = Event.create();
            Event fut2 = Event.create();
            Task<Integer> t = loop.spawn("task", () -> {
                fut1.await();
                try {
                    fut2.await();
                    return 0;
                } catch (CancellationException e) {
                    trace.record("caught");
                    return 42;
                }
            });
            loop.callLater(s(1), fut1::set);
            loop.callLater(s(2), t::cancel);
            assertEquals(42, loop.runUntilComplete(t));
            assertEquals(List.of("caught@2000"), trace.events());
            assertFalse(t.isCancelled());
            assertEquals(42, t.get());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_task_ignoring
    void test_cancel_task_ignoring() {
        // Differs: asyncio's cancel is one-shot, so the task ignores it and its next await (fut3)
        // returns 42; Baton's cancel is level-triggered (R2), so the next suspension point throws
        // again, because a request to stop must not be lost by one careless catch.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Event fut1 = Event.create();
            Event fut2 = Event.create();
            Event fut3 = Event.create();
            Task<Integer> t = loop.spawn("task", () -> {
                fut1.await();
                try {
                    fut2.await();
                } catch (CancellationException ignored) {
                    trace.record("ignored");
                }
                try {
                    fut3.await();
                } catch (CancellationException again) {
                    trace.record("cancelled again");
                    throw again;
                }
                return 42;
            });
            loop.callLater(s(1), fut1::set);
            loop.callLater(s(2), t::cancel);
            loop.callLater(s(3), fut3::set);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of("ignored@2000", "cancelled again@2000"), trace.events());
            assertTrue(t.isCancelled());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_current_task
    void test_cancel_current_task() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Integer> t = loop.spawn("task", () -> {
                self[0].cancel();
                try {
                    Loop.sleep(s(100)); // throws at once: the sleep never starts
                    return 12;
                } catch (CancellationException e) {
                    trace.record("cancelled");
                    throw e;
                }
            });
            self[0] = t;
            assertFalse(t.isCancelled());
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of("cancelled@0"), trace.events());
            assertTrue(t.isCancelled());
            assertFalse(t.cancel());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_at_end
    void test_cancel_at_end() {
        // Differs: asyncio ends a task that cancels itself and then returns as cancelled (the
        // pending _must_cancel wins); Baton completes it with its result (R1), because cancel is a
        // request and the body finished its work without reaching a suspension point.
        try (Loop loop = Trace.virtualLoop()) {
            Task<?>[] self = new Task<?>[1];
            Task<Integer> t = loop.spawn("task", () -> {
                self[0].cancel();
                return 12;
            });
            self[0] = t;
            assertEquals(12, loop.runUntilComplete(t));
            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertFalse(t.cancel());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_awaited_task
    void test_cancel_awaited_task() {
        // Differs: in asyncio, `await nested_task` by a cancelled task cancels nested_task too;
        // Baton's join() never cancels the task it joins (R3), because a joiner does not own it.
        try (Loop loop = Trace.virtualLoop()) {
            Event fut = Event.create();
            Task<?>[] nested = new Task<?>[1];
            Task<?>[] self = new Task<?>[1];
            Task<Void> task = loop.spawn("coro", () -> {
                nested[0] = loop.spawn("nested", fut::await);
                Loop.sleep(Duration.ZERO);
                self[0].cancel();
                nested[0].join();
            });
            self[0] = task;
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertTrue(task.isCancelled());
            assertFalse(nested[0].isDone(), "the joined task goes on");
            assertFalse(fut.isSet());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_stop_while_run_in_complete
    void test_stop_while_run_in_complete() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            int[] x = {0};
            Task<Void> t = loop.spawn("task", () -> {
                while (x[0] < 10) {
                    Loop.sleep(ms(100));
                    x[0]++;
                    trace.record("x=" + x[0]);
                    if (x[0] == 2) {
                        loop.stop();
                    }
                }
            });
            IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
            assertTrue(stopped.getMessage().contains("stop"), stopped.getMessage());
            assertFalse(t.isDone());
            assertEquals(2, x[0]);
            // asyncio's test loop reads 0.3 here because its stop lets one more select pass;
            // Baton stops at the next scheduling step, before time moves.
            assertEquals(200, trace.now());
            t.cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(t));
            assertEquals(List.of("x=1@100", "x=2@200"), trace.events());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_sleep
    void test_sleep() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> t = loop.spawn("sleeper", () -> {
                Loop.sleep(ms(50));
                Loop.sleep(ms(50));
                return "yeah";
            });
            assertEquals("yeah", loop.runUntilComplete(t));
            assertTrue(t.isDone());
            assertEquals(100, trace.now());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_sleep_cancel
    void test_sleep_cancel() {
        // The cancelled sleep's timer is dropped: nothing is left to advance the clock to 10 s.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> t = loop.spawn("sleep", () -> Loop.sleep(s(10)));
            loop.runUntilIdle();
            t.cancel();
            loop.runForever();
            assertTrue(t.isCancelled());
            assertEquals(0, trace.now());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_task_cancel_sleeping_task
    void test_task_cancel_sleeping_task() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> doer = loop.spawn("doit", () -> {
                Task<Void> sleeper = loop.spawn("sleeper", () -> Loop.sleep(s(5000)));
                loop.callLater(ms(100), sleeper::cancel);
                try {
                    sleeper.join();
                    return "slept in";
                } catch (CancellationException e) {
                    trace.record("cancelled");
                    return "cancelled";
                }
            });
            assertEquals("cancelled", loop.runUntilComplete(doer));
            assertEquals(List.of("cancelled@100"), trace.events());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_task_cancel_waiter_future
    void test_task_cancel_waiter_future() {
        // Differs: asyncio cancels the future the task was awaiting; Baton leaves an outside
        // future alone (Loop.await), because other threads may still complete or read it.
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<Void> fut = new CompletableFuture<>();
            Task<Void> task = loop.spawn("coro", () -> {
                Loop.await(fut);
            });
            loop.callSoon(task::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(task));
            assertTrue(task.isCancelled());
            assertFalse(fut.isDone());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_step_result_future
    void test_step_result_future() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<Object> fut = new CompletableFuture<>();
            Object res = new Object();
            Object[] result = new Object[1];
            Task<Void> t = loop.spawn("wait_for_future", () -> {
                result[0] = Loop.await(fut);
            });
            loop.callSoon(() -> fut.complete(res));
            loop.runUntilComplete(t);
            assertSame(res, result[0]);
            assertTrue(t.isDone());
            assertEquals(null, t.get());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_baseexception_during_cancel
    void test_baseexception_during_cancel() {
        // R1: an exception other than the cancellation, thrown while unwinding, fails the task.
        try (Loop loop = Trace.virtualLoop()) {
            RuntimeException baseExc = new RuntimeException("SystemExit");
            Task<Void> task = loop.spawn("notmuch", () -> {
                try {
                    Loop.sleep(s(10));
                } catch (CancellationException e) {
                    throw baseExc;
                }
            });
            loop.runUntilIdle();
            task.cancel();
            assertFalse(task.isDone());
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(task));
            assertSame(baseExc, failed.getCause());
            assertTrue(task.isDone());
            assertFalse(task.isCancelled());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_yield_future_passes_cancel
    void test_yield_future_passes_cancel() {
        // R1: outer() swallows the cancellation and returns, so the task completes normally.
        try (Loop loop = Trace.virtualLoop()) {
            int[] proof = {0};
            Event waiter = Event.create();
            Task<Void> f = loop.spawn("outer", () -> {
                try {
                    try {
                        waiter.await();
                        throw new AssertionError("got past the wait in inner()");
                    } catch (CancellationException e) {
                        proof[0] += 1;
                        throw e;
                    }
                } catch (CancellationException e) {
                    proof[0] += 100;
                }
            });
            loop.runUntilIdle();
            f.cancel();
            loop.runUntilComplete(f);
            assertEquals(101, proof[0]);
            assertFalse(f.isCancelled());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_exception_traceback
    void test_exception_traceback() {
        // R6: the failure is retrieved (join) while the loop runs, so the handler hears nothing.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Throwable> main = loop.spawn("main", () -> {
                Task<Integer> task = loop.spawn("foo", () -> 1 / 0);
                Loop.sleep(Duration.ZERO); // skip one loop iteration: foo has failed by now
                try {
                    task.join();
                    return null;
                } catch (CompletionException e) {
                    return e.getCause();
                }
            });
            Throwable failure = loop.runUntilComplete(main);
            assertInstanceOf(ArithmeticException.class, failure);
            assertTrue(failure.getStackTrace().length > 0);
            loop.close();
            assertEquals(List.of(), trace.reports());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_log_destroyed_pending_task
    void test_log_destroyed_pending_task() throws InterruptedException {
        // Differs: asyncio warns when a pending Task is collected; a pending Baton task is kept by
        // its loop, so what Baton reports on collection is a failed Task nobody retrieved (R6), once,
        // by name. Real time: waits for the collector, bounded to 10 s.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            spawnAndDropFailingTask(loop);
            loop.runUntilIdle();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (trace.reports().isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
                loop.runUntilIdle();
            }
            assertEquals(List.of("task 'kill_me': java.lang.IllegalStateException: code reached"), trace.reports());
            loop.close();
            assertEquals(1, trace.reports().size(), "reported once");
        }
    }

    private static void spawnAndDropFailingTask(Loop loop) {
        loop.spawn("kill_me", () -> {
            throw new IllegalStateException("code reached");
        });
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_cancel_gather_2
    void test_cancel_gather_2() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                Task<Void> qwe = loop.spawn("test", () -> {
                    long time = 0;
                    while (true) {
                        time += 50;
                        loop.gatherSettled(List.of(loop.spawn("sleep", () -> Loop.sleep(ms(50))))).join();
                        if (time > 1000) {
                            return;
                        }
                    }
                });
                Loop.sleep(ms(200));
                qwe.cancel();
                try {
                    qwe.join();
                } catch (CancellationException e) {
                    trace.record("propagated");
                    throw e;
                }
            });
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(main));
            assertEquals(List.of("propagated@200"), trace.events());
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_success
    void test_success() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Integer> a = loop.spawn("a", () -> delayed(20, 2));
            Task<Integer> b = loop.spawn("b", () -> delayed(10, 1));
            Task<Integer> c = loop.spawn("c", () -> delayed(30, 3));
            Task<List<Integer>> fut = loop.gather(List.of(a, b, c));
            fut.onDone(done -> trace.record("done"));
            loop.runFor(ms(29));
            assertFalse(fut.isDone());
            assertEquals(List.of(2, 1, 3), loop.runUntilComplete(fut));
            loop.runUntilIdle(); // the done-callback runs after the run that saw the task done
            assertEquals(List.of("done@30"), trace.events());
        }
    }

    private static int delayed(long millis, int value) {
        Loop.sleep(ms(millis));
        return value;
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_result_exception_success
    void test_result_exception_success() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> a = loop.spawn("a", () -> delayed(20, 2));
            Task<Integer> b = loop.spawn("b", () -> delayed(10, 1));
            Task<Integer> c = loop.spawn("c", () -> delayed(30, 3));
            assertEquals(List.of(2, 1, 3), loop.runUntilComplete(loop.gatherSettled(List.of(a, b, c))));
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_one_exception
    void test_one_exception() {
        // Differs: asyncio's gather leaves the other children running after the first failure;
        // Baton's gather cancels them, so nothing outlives the result nobody will read.
        try (Loop loop = Trace.virtualLoop()) {
            ArithmeticException exc = new ArithmeticException("ZeroDivisionError");
            Task<Integer> a = loop.spawn("a", () -> delayed(10, 1));
            Task<Integer> b = loop.spawn("b", () -> {
                Loop.sleep(ms(20));
                throw exc;
            });
            Task<Integer> c = loop.spawn("c", () -> delayed(30, 3));
            Task<List<Integer>> fut = loop.gather(List.of(a, b, c));
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(fut));
            assertSame(exc, failed.getCause());
            assertTrue(c.isCancelled());
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_return_exceptions
    void test_return_exceptions() {
        try (Loop loop = Trace.virtualLoop()) {
            ArithmeticException exc = new ArithmeticException();
            RuntimeException exc2 = new RuntimeException();
            Task<Integer> a = loop.spawn("a", () -> delayed(30, 3));
            Task<Integer> b = loop.spawn("b", () -> delayed(10, 1));
            Task<Integer> c = loop.spawn("c", () -> {
                Loop.sleep(ms(20));
                throw exc;
            });
            Task<Integer> d = loop.spawn("d", () -> {
                Loop.sleep(ms(40));
                throw exc2;
            });
            List<Object> result = loop.runUntilComplete(loop.gatherSettled(List.of(a, b, c, d)));
            assertEquals(Arrays.asList(3, 1, exc, exc2), result);
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_one_cancellation
    void test_one_cancellation() {
        // Differs: asyncio's gather ends with a CancelledError as its exception but not cancelled;
        // Baton's gather task, whose body throws the cancellation, ends cancelled (R1).
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> a = loop.spawn("a", () -> delayed(10, 1));
            Task<Integer> b = loop.spawn("b", () -> delayed(1000, 2));
            Task<Integer> c = loop.spawn("c", () -> delayed(30, 3));
            Task<List<Integer>> fut = loop.gather(List.of(a, b, c));
            loop.callLater(ms(20), b::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(fut));
            assertTrue(fut.isCancelled());
            assertTrue(c.isCancelled(), "the rest are cancelled too");
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_result_exception_one_cancellation
    void test_result_exception_one_cancellation() {
        try (Loop loop = Trace.virtualLoop()) {
            ArithmeticException zde = new ArithmeticException();
            RuntimeException rte = new RuntimeException();
            List<Task<?>> tasks = new ArrayList<>();
            tasks.add(loop.spawn("a", () -> delayed(10, 1)));
            tasks.add(loop.spawn("b", () -> {
                throw zde;
            }));
            tasks.add(loop.spawn("c", () -> delayed(1000, 0)));
            tasks.add(loop.spawn("d", () -> delayed(30, 3)));
            tasks.add(loop.spawn("e", () -> delayed(1000, 0)));
            tasks.add(loop.spawn("f", () -> {
                Loop.sleep(ms(40));
                throw rte;
            }));
            loop.callLater(ms(5), tasks.get(2)::cancel);
            loop.callLater(ms(35), tasks.get(4)::cancel);
            List<Object> res = new ArrayList<>(loop.runUntilComplete(loop.gatherSettled(tasks)));
            assertInstanceOf(CancellationException.class, res.get(2));
            assertInstanceOf(CancellationException.class, res.get(4));
            res.set(2, null);
            res.set(4, null);
            assertEquals(Arrays.asList(1, zde, null, 3, null, rte), res);
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_constructor_heterogenous_futures
    void test_constructor_heterogenous_futures() {
        try (Loop one = Trace.virtualLoop(); Loop other = Trace.virtualLoop()) {
            Task<Integer> fut1 = one.spawn("fut1", () -> 1);
            Task<Integer> fut2 = other.spawn("fut2", () -> 2);
            assertThrows(IllegalArgumentException.class, () -> one.gather(List.of(fut1, fut2)));
        }
    }

    @Test
    // test_tasks.py::FutureGatherTests::test_constructor_empty_sequence_use_running_loop
    void test_constructor_empty_sequence_use_running_loop() {
        try (Loop loop = Trace.virtualLoop()) {
            assertEquals(List.of(), loop.runUntilComplete(loop.gather(List.of())));
        }
    }

    @Test
    // test_tasks.py::CoroutineGatherTests::test_cancellation_broadcast
    void test_cancellation_broadcast() {
        try (Loop loop = Trace.virtualLoop()) {
            int[] proof = {0};
            Event waiter = Event.create();
            Task<Void> child1 = loop.spawn("child1", () -> {
                waiter.await();
                proof[0] += 1;
            });
            Task<Void> child2 = loop.spawn("child2", () -> {
                waiter.await();
                proof[0] += 1;
            });
            Task<?>[] gatherer = new Task<?>[1];
            Task<Void> f = loop.spawn("outer", () -> {
                gatherer[0] = loop.gather(List.of(child1, child2));
                gatherer[0].join();
                proof[0] += 100;
            });
            loop.runUntilIdle();
            assertTrue(f.cancel());
            // Differs: asyncio's `await gatherer` passes outer's cancellation to the gather and so
            // to both children; Baton's join does not (R3), so the owner cancels the gather itself.
            gatherer[0].cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(f));
            loop.runUntilIdle();
            assertFalse(gatherer[0].cancel());
            assertTrue(child1.isCancelled());
            assertTrue(child2.isCancelled());
            assertEquals(0, proof[0]);
        }
    }

    @Test
    // test_tasks.py::CoroutineGatherTests::test_exception_marking
    void test_exception_marking() {
        // The children's failures are retrieved by the gather: none reaches the handler (R6).
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<List<Object>> f = loop.spawn("outer", () -> loop.gather(List.of(
                    loop.spawn("inner a", () -> {
                        Loop.sleep(ms(1));
                        throw new RuntimeException("should not be ignored");
                    }),
                    loop.spawn("inner b", () -> {
                        Loop.sleep(ms(2));
                        throw new RuntimeException("should not be ignored either");
                    }))).join());
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(f));
            // outer's join wraps the gather's failure, whose cause is inner a's exception
            assertEquals("should not be ignored", failed.getCause().getCause().getMessage());
            loop.close();
            assertEquals(List.of(), trace.reports());
        }
    }

    @Test
    // test_tasks.py::SleepTests::test_sleep_zero
    void test_sleep_zero() {
        try (Loop loop = Trace.virtualLoop()) {
            int[] result = {0};
            Task<Void> coro = loop.spawn("coro", () -> {
                loop.callSoon(() -> result[0] += 1);
                assertEquals(0, result[0]);
                Loop.sleep(Duration.ZERO);
                assertEquals(1, result[0]); // the callback ran during the zero sleep
                result[0] += 10;
            });
            loop.runUntilComplete(coro);
            assertEquals(11, result[0]);
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_task_awaits_on_itself
    void test_task_awaits_on_itself() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<?>[] self = new Task<?>[1];
            Task<Object> task = loop.spawn("self", () -> self[0].join());
            self[0] = task;
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(task));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_other_loop_future
    void test_other_loop_future() {
        try (Loop loop = Trace.virtualLoop(); Loop other = Trace.virtualLoop()) {
            Task<Integer> foreign = other.spawn("foreign", () -> 1);
            Task<Integer> run = loop.spawn("run", () -> foreign.join());
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(run));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
        }
    }

    @Test
    // test_tasks.py::BaseTaskTests::test_task_set_methods
    void test_task_set_methods() throws ExecutionException, InterruptedException {
        // A task's outcome is only its body's: completing its CompletableFuture view changes nothing.
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> task = loop.spawn("notmuch", () -> "ko");
            CompletableFuture<String> view = task.toCompletableFuture();
            view.complete("ok");
            assertEquals("ko", loop.runUntilComplete(task));
            assertEquals("ko", task.get());
        }
    }
}
