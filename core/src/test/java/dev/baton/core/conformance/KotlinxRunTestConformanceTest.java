package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static dev.baton.core.conformance.Trace.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.TaskGroup;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * kotlinx-coroutines-test's RunTestTest.kt, ported to a plain Loop with runUntilComplete and close
 * standing in for runTest: what becomes of failures, pending coroutines and nested runs.
 *
 * <p>Skipped families, and why: runTest's real-time timeouts and dispatch timeouts
 * (testRunTestWithSmallTimeout*, testRunTestWithLargeTimeout, testRunTestTimingOutAndThrowing,
 * testRunTestWithSmallDispatchTimeout and friends: Baton detects a deadlock at once instead);
 * withContext to other dispatchers, flows, Job objects and illegal contexts (testWithContextDispatching,
 * reproducer2405, testCompletesOwnJob, testDoesNotCompleteGivenJob, testRunTestWithIllegalContext);
 * exception-captor internals (testExceptionCaptorCleanedUpOnPreliminaryExit, testScopeRunTestExceptionHandler).
 */
class KotlinxRunTestConformanceTest {

    @Test
    // RunTestTest.kt::testJoiningForkedJob
    void testJoiningForkedJob() throws Exception {
        // R8: Loop.await of a same-loop task's CompletableFuture works like join on a VirtualClock.
        // Real time: a watchdog stops the loop after 5 s if virtual time stood still.
        try (Loop loop = Trace.virtualLoop(); AutoCloseable guard = Trace.watchdog(loop, 5)) {
            Trace trace = Trace.on(loop);
            int[] counter = {0};
            Task<Void> job = loop.spawn("job", () -> {
                Loop.sleep(s(1));
                counter[0] += 1;
            });
            Task<Integer> main = loop.spawn("main", () -> {
                Loop.await(job.toCompletableFuture());
                trace.record("joined");
                return counter[0];
            });
            assertEquals(1, loop.runUntilComplete(main));
            assertEquals(List.of("joined@1000"), trace.events());
        }
    }

    @Test
    // RunTestTest.kt::testSuspendCoroutine
    void testSuspendCoroutine() {
        try (Loop loop = Trace.virtualLoop()) {
            assertEquals(42, loop.runUntilComplete(loop.spawn("main", () -> Loop.await(CompletableFuture.completedFuture(42)))));
        }
    }

    @Test
    // RunTestTest.kt::testNestedRunTestForbidden
    void testNestedRunTestForbidden() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(loop.spawn("inner", () -> null)));
                assertThrows(IllegalStateException.class, loop::close);
            }));
        }
    }

    @Test
    // RunTestTest.kt::testThrowingInRunTestBody
    void testThrowingInRunTestBody() {
        try (Loop loop = Trace.virtualLoop()) {
            RuntimeException thrown = new RuntimeException();
            Task<Void> main = loop.spawn("main", () -> {
                throw thrown;
            });
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertTrue(e.getCause() == thrown);
        }
    }

    @Test
    // RunTestTest.kt::testThrowingInRunTestPendingTask
    void testThrowingInRunTestPendingTask() {
        // R6: a failure nobody retrieved is reported when the loop closes, once, by name; not before,
        // since until then someone could still join the task.
        Trace trace;
        try (Loop loop = Trace.virtualLoop()) {
            trace = Trace.on(loop);
            loop.spawn("pending", () -> {
                Loop.sleep(ms(100_000));
                throw new RuntimeException("pending failed");
            });
            loop.runUntilComplete(loop.spawn("main", () -> null));
            loop.runForever();
            assertEquals(List.of(), trace.reports(), "still retrievable: not reported yet");
        }
        assertEquals(List.of("task 'pending': java.lang.RuntimeException: pending failed"), trace.reports());
    }

    @Test
    // RunTestTest.kt::testRunTestThrowsRootCause
    void testRunTestThrowsRootCause() {
        // R6: retrieving the failure with get() before close means nothing is reported.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<Void> child = loop.spawn("launch", () -> {
                throw new IllegalStateException("TestException");
            });
            loop.runForever();
            Exception e = assertThrows(Exception.class, child::get);
            assertEquals("TestException", e.getCause().getMessage());
            loop.close();
            assertEquals(List.of(), trace.reports());
        }
    }

    @Test
    // RunTestTest.kt::testChildrenCancellationOnTestBodyFailure
    void testChildrenCancellationOnTestBodyFailure() {
        Task<?>[] job = new Task<?>[1];
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> {
                job[0] = loop.spawn("job", () -> {
                    while (true) {
                        Loop.sleep(s(1));
                    }
                });
                throw new AssertionError("body failed");
            });
            assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
        }
        assertTrue(job[0].isCancelled(), "close cancelled the still-running child");
    }

    @Test
    // RunTestTest.kt::testSuppressedExceptions
    void testSuppressedExceptions() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(g -> {
                for (String m : List.of("x", "y", "z")) {
                    g.spawn(m, () -> {
                        throw new IllegalStateException(m);
                    });
                }
                throw new IllegalStateException("w");
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            CompletionException group = (CompletionException) e.getCause();
            assertEquals("w", group.getCause().getMessage());
            assertEquals(List.of("x", "y", "z"), Arrays.stream(group.getSuppressed()).map(Throwable::getMessage).toList());
        }
    }

    @Test
    // RunTestTest.kt::testFailureWithPendingCoroutine
    void testFailureWithPendingCoroutine() throws Exception {
        // R7: kotlinx reports a coroutine that would not finish (UncompletedCoroutinesError). In
        // Baton a coroutine that catches its cancellation and suspends again must not freeze the
        // loop: others keep running, stop() works, close() returns in bounded time and the
        // exception handler names it. Real time: the stubborn body gives up after 10 s so that a
        // frozen loop fails this test instead of hanging the build.
        long realLimit = System.nanoTime() + 10_000_000_000L;
        Trace trace;
        long closeStarted;
        long closeTook;
        try (Loop loop = Trace.virtualLoop()) {
            trace = Trace.on(loop);
            Task<Void> stubborn = loop.spawn("stubborn", () -> {
                while (System.nanoTime() < realLimit) {
                    try {
                        Loop.sleep(s(1));
                    } catch (CancellationException ignored) {
                        // keeps going: the bug under test
                    }
                }
            });
            loop.spawn("ticker", () -> {
                for (int i = 0; i < 3; i++) {
                    Loop.sleep(s(1));
                    trace.record("tick");
                }
            });
            loop.runUntilIdle(); // both bodies start: a task cancelled before it starts never runs
            stubborn.cancel();
            long runStarted = System.nanoTime();
            loop.runFor(s(3));
            long runTook = System.nanoTime() - runStarted;
            assertTrue(runTook < 5_000_000_000L, "runFor(3 s) of virtual time took " + runTook / 1_000_000 + " ms of real time");
            assertEquals(List.of("tick@1000", "tick@2000", "tick@3000"), trace.events());
            assertTrue(runTook >= 0);
            loop.callSoon(loop::stop);
            loop.runForever();
            closeStarted = System.nanoTime();
            loop.close();
            closeTook = System.nanoTime() - closeStarted;
        }
        assertTrue(closeTook < 5_000_000_000L, "close took " + closeTook / 1_000_000 + " ms");
        assertTrue(trace.reports().stream().anyMatch(r -> r.contains("stubborn")), trace.reports().toString());
    }
}
