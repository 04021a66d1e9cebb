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
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * asyncio's test_waitfor.py, ported to {@link Task#join(Duration)} (wait_for on a task) and
 * {@link Loop#withTimeout} (wait_for on a coroutine).
 *
 * <p>Skipped families, and why: WaitForShieldTests (test_zero_timeout, test_none_timeout,
 * test_shielded_timeout: Baton has no shield).
 */
class AsyncioWaitForConformanceTest {

    /** SlowTask of the peer: sleeps 60 s of virtual time, notes when its finally block ran. */
    private static Task<Void> slowTask(Loop loop, Trace trace) {
        return loop.spawn("slow", () -> {
            try {
                Loop.sleep(s(60));
            } finally {
                trace.record("exited");
            }
        });
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_asyncio_wait_for_cancelled
    void test_asyncio_wait_for_cancelled() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> waitForTask = loop.spawn("wait_for", () -> Loop.withTimeout(s(120), () -> {
                try {
                    Loop.sleep(s(60));
                } finally {
                    trace.record("exited");
                }
                return null;
            }));
            loop.callLater(s(1), waitForTask::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(waitForTask));
            assertEquals(List.of("exited@1000"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_asyncio_wait_for_timeout
    void test_asyncio_wait_for_timeout() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                Task<Void> t = slowTask(loop, trace);
                try {
                    t.join(s(30));
                } catch (TimeoutException e) {
                    trace.record("timeout");
                }
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("exited@30000", "timeout@30000"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_timeout_less_then_0_or_0_future_done
    void test_wait_for_timeout_less_then_0_or_0_future_done() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> fut = loop.spawn("fut", () -> "done");
            loop.runUntilIdle();
            Task<String> main = loop.spawn("main", () -> fut.join(Duration.ZERO));
            assertEquals("done", loop.runUntilComplete(main));
            assertTrue(fut.isDone());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started
    void test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started() throws Exception {
        // Differs: asyncio times out before the coroutine starts; Baton's withTimeout starts its
        // child before the deadline timer fires (FIFO ready queue), so a body that finishes
        // without suspending returns its value even with a zero timeout.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> main = loop.spawn("main", () -> Loop.withTimeout(Duration.ZERO, () -> {
                trace.record("foo started");
                return "foo";
            }));
            assertEquals("foo", loop.runUntilComplete(main));
            assertEquals(List.of("foo started@0"), trace.events());
        }
    }

    @ParameterizedTest(name = "timeout {0} ms")
    @ValueSource(longs = {0, -1})
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_timeout_less_then_0_or_0
    void test_wait_for_timeout_less_then_0_or_0(long timeoutMillis) {
        // Differs for -1: asyncio treats a negative timeout as zero; Baton rejects it (R4, trio's
        // choice), because a negative duration is a bug in the caller, not a deadline.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> foo = loop.spawn("foo", () -> {
                trace.record("running");
                try {
                    Loop.sleep(s(10));
                } finally {
                    trace.record("stopped");
                }
                return "done";
            });
            Task<String> main = loop.spawn("main", () -> {
                try {
                    foo.join(ms(timeoutMillis));
                    return "returned";
                } catch (TimeoutException e) {
                    return "timeout";
                } catch (IllegalArgumentException e) {
                    return "rejected";
                }
            });
            if (timeoutMillis == 0) {
                assertEquals("timeout", loop.runUntilComplete(main));
                assertTrue(foo.isCancelled());
                assertEquals(List.of("running@0", "stopped@0"), trace.events());
            } else {
                assertEquals("rejected", loop.runUntilComplete(main));
                assertFalse(foo.isDone(), "nothing was cancelled");
                assertEquals(List.of("running@0"), trace.events());
            }
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for
    void test_wait_for() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> foo = loop.spawn("foo", () -> {
                try {
                    Loop.sleep(Duration.ofDays(1));
                } finally {
                    trace.record("foo stopped");
                }
                return "done";
            });
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> foo.join(ms(100)));
                trace.record("timeout");
            });
            loop.runUntilComplete(main);
            assertTrue(foo.isDone());
            assertTrue(foo.isCancelled());
            assertEquals(List.of("foo stopped@100", "timeout@100"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_blocking
    void test_wait_for_blocking() {
        // timeout=None has no Java spelling; an unrepresentably long timeout waits forever.
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> main = loop.spawn("main", () -> Loop.withTimeout(Duration.ofSeconds(Long.MAX_VALUE), () -> "done"));
            assertEquals("done", loop.runUntilComplete(main));
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_race_condition
    void test_wait_for_race_condition() {
        try (Loop loop = Trace.virtualLoop()) {
            CompletableFuture<String> fut = new CompletableFuture<>();
            Task<String> main = loop.spawn("main", () -> {
                loop.callSoon(() -> fut.complete("ok"));
                return Loop.withTimeout(ms(200), () -> Loop.await(fut));
            });
            assertEquals("ok", loop.runUntilComplete(main));
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_cancellation_race_condition
    void test_wait_for_cancellation_race_condition() {
        // R1 + R4: the child swallows the cancellation and returns 1, so withTimeout returns 1.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Integer> main = loop.spawn("main", () -> Loop.withTimeout(ms(10), () -> {
                assertThrows(CancellationException.class, () -> Loop.sleep(s(1)));
                trace.record("inner cancelled");
                return 1;
            }));
            assertEquals(1, loop.runUntilComplete(main));
            assertEquals(List.of("inner cancelled@10"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_waits_for_task_cancellation
    void test_wait_for_waits_for_task_cancellation() {
        // Differs: asyncio's inner sleeps _EPSILON in its except block; in Baton that sleep throws
        // at once (R2, level-triggered), so the unwinding takes no time.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> innerTask = loop.spawn("inner", () -> {
                try {
                    Loop.sleep(s(10));
                } catch (CancellationException e) {
                    try {
                        Loop.sleep(ms(1));
                    } catch (CancellationException again) {
                        trace.record("cleanup sleep refused");
                    }
                    throw e;
                } finally {
                    trace.record("task done");
                }
            });
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> innerTask.join(ms(1)));
                trace.record("timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("cleanup sleep refused@1", "task done@1", "timeout@1"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_waits_for_task_cancellation_w_timeout_0
    void test_wait_for_waits_for_task_cancellation_w_timeout_0() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> foo = loop.spawn("foo", () -> {
                Task<Void> innerTask = loop.spawn("inner", () -> {
                    try {
                        Loop.sleep(s(10));
                    } finally {
                        trace.record("task done");
                    }
                });
                Loop.sleep(ms(1));
                innerTask.join(Duration.ZERO);
            });
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(foo));
            assertInstanceOf(TimeoutException.class, failed.getCause());
            assertEquals(List.of("task done@1"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_reraises_exception_during_cancellation
    void test_wait_for_reraises_exception_during_cancellation() {
        // R4: an exception thrown while the timed-out task unwinds is thrown, never swallowed.
        try (Loop loop = Trace.virtualLoop()) {
            IllegalStateException fooException = new IllegalStateException("FooException");
            Task<Void> foo = loop.spawn("foo", () -> {
                Task<Void> innerTask = loop.spawn("inner", () -> {
                    try {
                        Loop.sleep(ms(200));
                    } finally {
                        throw fooException;
                    }
                });
                innerTask.join(ms(1));
            });
            CompletionException failed = assertThrows(CompletionException.class, () -> loop.runUntilComplete(foo));
            Throwable cause = failed.getCause();
            assertInstanceOf(CompletionException.class, cause, "join(d) throws it as a CompletionException");
            assertSame(fooException, cause.getCause());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_cancel_blocking_wait_for
    void test_cancel_blocking_wait_for() {
        // Differs: cancelling asyncio's wait_for(task, None) cancels the task (issue #23219);
        // Baton's join() leaves the joined task running (R3): a joiner does not own what it joins.
        try (Loop loop = Trace.virtualLoop()) {
            Event never = Event.create();
            Task<Void> task = loop.spawn("blocking_coroutine", never::await);
            Task<Void> wait = loop.spawn("wait", () -> { task.join(); });
            loop.callSoon(wait::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(wait));
            assertFalse(task.isDone());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_cancel_wait_for
    void test_cancel_wait_for() {
        // withTimeout owns its child: cancelling the caller cancels the child and waits for it.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Event never = Event.create();
            Task<Void> wait = loop.spawn("wait", () -> Loop.withTimeout(s(60), () -> {
                try {
                    never.await();
                } catch (CancellationException e) {
                    trace.record("child cancelled");
                    throw e;
                }
                return null;
            }));
            loop.callSoon(wait::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(wait));
            assertEquals(List.of("child cancelled@0"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_cancel_suppressed
    void test_wait_for_cancel_suppressed() {
        // R1 + R4: a child that suppresses the cancellation and returns gives withTimeout its value.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Integer> main = loop.spawn("main", () -> {
                int res = Loop.withTimeout(ms(100), () -> {
                    try {
                        Loop.sleep(s(10));
                        return 0;
                    } catch (CancellationException e) {
                        return 42;
                    }
                });
                trace.record("returned " + res);
                return res;
            });
            assertEquals(42, loop.runUntilComplete(main));
            assertEquals(List.of("returned 42@100"), trace.events());
        }
    }

    @Test
    // test_waitfor.py::AsyncioWaitForTest::test_wait_for_issue86296
    void test_wait_for_issue86296() {
        try (Loop loop = Trace.virtualLoop()) {
            boolean[] reachedEnd = {false};
            Task<String> innerTask = loop.spawn("inner", () -> "done");
            Task<Void> task = loop.spawn("wait_for_coro", () -> {
                innerTask.join(s(100));
                Loop.sleep(s(1));
                reachedEnd[0] = true;
            });
            Task<String> main = loop.spawn("main", () -> {
                assertFalse(task.isDone());
                Loop.sleep(Duration.ZERO);
                task.cancel();
                assertThrows(CancellationException.class, task::join);
                assertTrue(innerTask.isDone());
                return innerTask.join();
            });
            assertEquals("done", loop.runUntilComplete(main));
            assertFalse(reachedEnd[0]);
        }
    }
}
