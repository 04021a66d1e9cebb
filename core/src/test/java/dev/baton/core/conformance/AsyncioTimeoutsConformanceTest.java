package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static dev.baton.core.conformance.Trace.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * asyncio's test_timeouts.py ({@code asyncio.timeout}), ported to {@link Loop#withTimeout}.
 *
 * <p>Skipped families, and why: timeout_at and reschedule (test_timeout_at_*, test_reschedule,
 * test_timeout_disabled: Baton's timeout is a duration fixed at the call); the context manager's
 * states and repr (test_repr_*, test_timeout_already_entered, test_timeout_double_enter,
 * test_timeout_finished, test_timeout_expired, test_timeout_expiring, test_timeout_not_entered,
 * test_timeout_without_task: no context manager object); exception __context__ chains
 * (test_foreign_exception_on_timeout_2: Java has no implicit context); uncancel-based nesting
 * counts (test_nested_timeouts_loop_busy, test_nested_timeouts_concurrent).
 */
class AsyncioTimeoutsConformanceTest {

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_basic
    void test_timeout_basic() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(10), () -> {
                    Loop.sleep(s(10));
                    return null;
                }));
                trace.record("timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("timeout@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_nested_timeouts
    void test_nested_timeouts() {
        // Only the outer timeout, whose deadline was set first, throws TimeoutException; the inner
        // one sees the cancellation.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(10), () -> {
                    try {
                        return Loop.withTimeout(ms(10), () -> {
                            Loop.sleep(s(10));
                            return null;
                        });
                    } catch (CancellationException e) {
                        trace.record("inner cancelled");
                        throw e;
                    }
                }));
                trace.record("outer timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("inner cancelled@10", "outer timeout@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_waiter_cancelled
    void test_waiter_cancelled() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(10), () -> {
                    try {
                        Loop.sleep(s(10));
                    } catch (CancellationException e) {
                        trace.record("cancelled");
                        throw e;
                    }
                    return null;
                }));
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("cancelled@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_not_called
    void test_timeout_not_called() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> main = loop.spawn("main", () -> Loop.withTimeout(s(10), () -> {
                Loop.sleep(ms(10));
                return "in time";
            }));
            assertEquals("in time", loop.runUntilComplete(main));
            assertEquals(10, trace.now());
            loop.runForever();
            assertEquals(10, trace.now(), "the deadline timer was cancelled: nothing moves time to 10 s");
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_zero
    void test_timeout_zero() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(Duration.ZERO, () -> {
                    Loop.sleep(s(10));
                    return null;
                }));
                trace.record("timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("timeout@0"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_zero_sleep_zero
    void test_timeout_zero_sleep_zero() throws Exception {
        // The deadline fires before the child resumes from sleep(0), and cancels it there, as
        // asyncio's timeout(0) does.
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> main = loop.spawn("main", () -> {
                try {
                    return Loop.withTimeout(Duration.ZERO, () -> {
                        Loop.sleep(Duration.ZERO);
                        return "slept";
                    });
                } catch (TimeoutException e) {
                    return "timed out";
                }
            });
            assertEquals("timed out", loop.runUntilComplete(main));
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_in_the_past_sleep_zero
    void test_timeout_in_the_past_sleep_zero() {
        // Differs: asyncio accepts a deadline in the past and times out; Baton's timeout is a
        // duration, and a negative one throws IllegalArgumentException before anything runs (R4,
        // trio's choice).
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(IllegalArgumentException.class, () -> Loop.withTimeout(ms(-10), () -> {
                    trace.record("body ran");
                    Loop.sleep(Duration.ZERO);
                    return null;
                }));
                Loop.sleep(s(1)); // the body would have run by now if it had been started
            });
            loop.runUntilComplete(main);
            assertEquals(List.of(), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_foreign_exception_passed
    void test_foreign_exception_passed() {
        try (Loop loop = Trace.virtualLoop()) {
            IllegalStateException keyError = new IllegalStateException("KeyError");
            Task<Throwable> main = loop.spawn("main", () -> {
                CompletionException e = assertThrows(CompletionException.class, () -> Loop.withTimeout(ms(10), () -> {
                    throw keyError;
                }));
                return e.getCause();
            });
            assertSame(keyError, loop.runUntilComplete(main));
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_exception_context
    void test_timeout_exception_context() {
        // The body's 1/0 is replaced by the cancellation of its finally-sleep: a timeout.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(10), () -> {
                    try {
                        return 1 / 0;
                    } finally {
                        Loop.sleep(s(1));
                    }
                }));
                trace.record("timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("timeout@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_foreign_exception_on_timeout
    void test_foreign_exception_on_timeout() {
        // R4: the exception thrown while unwinding from the timeout is thrown, not a TimeoutException.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Throwable> main = loop.spawn("main", () -> {
                try {
                    Loop.withTimeout(ms(10), () -> {
                        try {
                            Loop.sleep(s(1));
                        } finally {
                            trace.record("crash");
                            int zero = 0;
                            trace.record("never " + (1 / zero));
                        }
                        return null;
                    });
                    return null;
                } catch (CompletionException | TimeoutException e) {
                    return e;
                }
            });
            Throwable thrown = loop.runUntilComplete(main);
            assertInstanceOf(CompletionException.class, thrown);
            assertInstanceOf(ArithmeticException.class, thrown.getCause());
            assertEquals(List.of("crash@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_foreign_cancel_doesnt_timeout_if_not_expired
    void test_foreign_cancel_doesnt_timeout_if_not_expired() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Void> main = loop.spawn("main", () -> {
                try {
                    Loop.withTimeout(s(10), () -> {
                        self[0].cancel();
                        Loop.sleep(s(10));
                        return null;
                    });
                } catch (CancellationException e) {
                    trace.record("cancelled, not timed out");
                    throw e;
                }
            });
            self[0] = main;
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(main));
            assertEquals(List.of("cancelled, not timed out@0"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_outer_task_is_not_cancelled
    void test_outer_task_is_not_cancelled() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> outer = loop.spawn("outer", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(1), () -> {
                    Loop.sleep(s(10));
                    return null;
                }));
                return "outer done";
            });
            assertEquals("outer done", loop.runUntilComplete(outer));
            assertFalse(outer.isCancelled());
            assertTrue(outer.isDone());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_nested_timeout_in_finally
    void test_nested_timeout_in_finally() {
        // Differs: asyncio lets a finally block start a fresh timeout and sleep in it (the inner
        // one times out too); Baton's cancellation is level-triggered (R2), so the nested
        // withTimeout in the finally block throws CancellationException at once.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> main = loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(10), () -> {
                    try {
                        Loop.sleep(s(1));
                    } finally {
                        try {
                            Loop.withTimeout(ms(10), () -> {
                                Loop.sleep(s(10));
                                return null;
                            });
                        } catch (CancellationException e) {
                            trace.record("nested refused");
                        }
                    }
                    return null;
                }));
                trace.record("outer timeout");
            });
            loop.runUntilComplete(main);
            assertEquals(List.of("nested refused@10", "outer timeout@10"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_timeout_after_cancellation
    void test_timeout_after_cancellation() {
        // Differs: asyncio's cleanup in finally gets a fresh timeout(0) that raises TimeoutError;
        // in Baton the task stays cancelled (R2), so the cleanup's withTimeout throws
        // CancellationException.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Void> main = loop.spawn("main", () -> {
                try {
                    self[0].cancel();
                    Loop.sleep(s(1));
                } catch (CancellationException e) {
                    trace.record("work cancelled");
                } finally {
                    try {
                        Loop.withTimeout(Duration.ZERO, () -> {
                            Loop.sleep(s(1));
                            return null;
                        });
                    } catch (CancellationException e) {
                        trace.record("cleanup cancelled");
                    }
                }
            });
            self[0] = main;
            // The body caught its cancellation and returned: its outcome wins (R1), so main succeeds.
            loop.runUntilComplete(main);
            assertFalse(main.isCancelled());
            assertEquals(List.of("work cancelled@0", "cleanup cancelled@0"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::TimeoutTests::test_cancel_in_timeout_after_cancellation
    void test_cancel_in_timeout_after_cancellation() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Void> main = loop.spawn("main", () -> {
                try {
                    self[0].cancel();
                    Loop.sleep(s(1));
                } catch (CancellationException e) {
                    trace.record("work cancelled");
                } finally {
                    assertThrows(CancellationException.class, () -> Loop.withTimeout(s(1), () -> {
                        self[0].cancel();
                        Loop.sleep(s(2));
                        return null;
                    }));
                    trace.record("cleanup cancelled");
                }
            });
            self[0] = main;
            // The body caught its cancellation and returned: its outcome wins (R1), so main succeeds.
            loop.runUntilComplete(main);
            assertFalse(main.isCancelled());
            assertEquals(List.of("work cancelled@0", "cleanup cancelled@0"), trace.events());
        }
    }
}
