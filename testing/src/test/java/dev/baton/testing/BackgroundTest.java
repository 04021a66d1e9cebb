package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Background work, ported from kotlinx-coroutines-test's TestScopeTest.kt (backgroundScope):
 * it runs, advanceUntilIdle ignores it, it is cancelled when the test body ends, it is no leak,
 * and its failures fail the test at the end.
 */
@VirtualTime
class BackgroundTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkBeingRun
    void testBackgroundWorkBeingRun(Loop loop, LoopTester tester) {
        int[] i = {0};
        int[] j = {0};
        tester.spawnInBackground("i", () -> ++i[0]);
        tester.spawnInBackground("j", () -> {
            Loop.sleep(ms(10));
            ++j[0];
        });
        assertEquals(0, i[0]);
        assertEquals(0, j[0]);
        loop.runFor(ms(1));
        assertEquals(1, i[0]);
        assertEquals(0, j[0]);
        loop.runFor(ms(10));
        assertEquals(1, j[0]);
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkTimeControl
    void testBackgroundWorkTimeControl(Loop loop, LoopTester tester) {
        int[] i = {0};
        int[] j = {0};
        tester.spawnInBackground("i", () -> {
            while (true) {
                ++i[0];
                Loop.sleep(ms(100));
            }
        });
        tester.spawnInBackground("j", () -> {
            while (true) {
                ++j[0];
                Loop.sleep(ms(50));
            }
        });
        tester.advanceUntilIdle(); // only background work is left: it runs what is ready now, moves no time
        assertEquals(1, i[0]); // differs: kotlinx's test body has not yielded yet, so its count is 0 here
        assertEquals(1, j[0]);
        assertEquals(0, loop.clock().nanoTime());
        loop.runUntilComplete(loop.spawn("job", () -> {
            Loop.sleep(ms(1));
            assertEquals(1, i[0]);
            assertEquals(1, j[0]);
        }));
        tester.advanceTimeBy(ms(199)); // to 200, the end excluded: the same for background work
        assertEquals(2, i[0]);
        assertEquals(4, j[0]);
        tester.advanceUntilIdle(); // once again nothing
        assertEquals(2, i[0]);
        assertEquals(4, j[0]);
        tester.runCurrent(); // the timers due at 200
        assertEquals(3, i[0]);
        assertEquals(5, j[0]);
        Task<Void> late = loop.spawn("late", () -> {
            Loop.sleep(ms(1001));
            assertEquals(13, i[0]);
            assertEquals(25, j[0]);
        });
        tester.advanceUntilIdle(); // runs the foreground work, and with it the background
        assertTrue(late.isDone());
        assertEquals(Duration.ofMillis(1201).toNanos(), loop.clock().nanoTime());
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkCancelled
    void testBackgroundWorkCancelled() {
        CancelledAtTheEnd.cancelled.set(false);
        EngineKit.run(CancelledAtTheEnd.class).assertStatistics(s -> s.succeeded(1).failed(0));
        assertTrue(CancelledAtTheEnd.cancelled.get(), "the background coroutine was cancelled when the test body ended");
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkErrorReporting
    void testBackgroundWorkErrorReporting() {
        FailsInBackground.testFinished.set(false);
        Throwable e = EngineKit.onlyFailure(EngineKit.run(FailsInBackground.class));
        assertTrue(FailsInBackground.testFinished.get(), "the failure did not stop the test body");
        assertTrue(e.getMessage().startsWith("task 'failing' failed and nobody retrieved the exception"), e.getMessage());
        assertSame(FailsInBackground.EXCEPTION, e.getCause());
    }

    @Test
    // TestScopeTest.kt::testBackgroundWorkFinalizing
    void testBackgroundWorkFinalizing() {
        FinalizesInBackground.ended.clear();
        Throwable e = EngineKit.onlyFailure(EngineKit.run(FinalizesInBackground.class));
        assertEquals("the body failed", e.getMessage());
        assertEquals(10, FinalizesInBackground.ended.size(), "every background coroutine ran its finally block");
        // The two failures while unwinding come after the body's: the first suppressed by it, the second by the first.
        assertEquals(1, e.getSuppressed().length, List.of(e.getSuppressed()).toString());
        Throwable unwinding = e.getSuppressed()[0];
        assertEquals("failed while unwinding", unwinding.getCause().getMessage());
        assertEquals(1, unwinding.getSuppressed().length);
        assertEquals("failed while unwinding", unwinding.getSuppressed()[0].getCause().getMessage());
    }

    @Test
    void aHeartbeatInTheBackgroundLetsAdvanceUntilIdleReturnAndTheTestPass() {
        EngineKit.run(HeartbeatInBackground.class).assertStatistics(s -> s.succeeded(1).failed(0));
        assertEquals(List.of("done@2026-01-01T00:05Z"), HeartbeatInBackground.seen);
    }

    @Test
    void aHeartbeatInTheForegroundFailsAtTheGuardSayingTimeRacedAhead() {
        Events events = EngineKit.run(HeartbeatInForeground.class);
        String message = EngineKit.onlyFailure(events).getMessage();
        assertTrue(message.startsWith("test() did not finish within 300 ms of real time (@VirtualTime(realTimeoutMillis = 300))"
                + " and was stopped (the loop stopped, its thread interrupted). Virtual time raced ahead by "), message);
        assertTrue(message.contains("repeating work (a heartbeat, a periodic task)"), message);
        assertTrue(message.contains("LoopTester.spawnInBackground"), message);
    }

    @Fixture
    @VirtualTime
    static class CancelledAtTheEnd {
        static final AtomicBoolean cancelled = new AtomicBoolean();

        @Test
        void test(Loop loop, LoopTester tester) {
            int[] i = {0};
            tester.spawnInBackground("spinner", () -> {
                try {
                    while (true) {
                        ++i[0];
                        Loop.sleep(Duration.ZERO);
                    }
                } catch (java.util.concurrent.CancellationException e) {
                    cancelled.set(true);
                    throw e;
                }
            });
            for (int k = 0; k < 5; k++) {
                assertEquals(k, i[0]);
                loop.callSoon(loop::stop); // one step of the spinner, then the run ends
                loop.runUntilIdle();
            }
        }
    }

    @Fixture
    @VirtualTime
    static class FailsInBackground {
        static final RuntimeException EXCEPTION = new RuntimeException("x");
        static final AtomicBoolean testFinished = new AtomicBoolean();

        @Test
        void test(Loop loop, LoopTester tester) {
            tester.spawnInBackground("failing", () -> {
                throw EXCEPTION;
            });
            loop.runFor(Duration.ofSeconds(1));
            testFinished.set(true);
        }
    }

    @Fixture
    @VirtualTime
    static class FinalizesInBackground {
        static final List<String> ended = new CopyOnWriteArrayList<>();

        @Test
        void test(Loop loop, LoopTester tester) {
            for (int n = 0; n < 10; n++) {
                tester.spawnInBackground("worker " + n, () -> {
                    try {
                        while (true) {
                            Loop.sleep(ms(1));
                        }
                    } finally {
                        ended.add("ended");
                        if (ended.size() <= 2) {
                            throw new IllegalStateException("failed while unwinding");
                        }
                    }
                });
            }
            loop.runFor(ms(100));
            throw new IllegalStateException("the body failed");
        }
    }

    @Fixture
    @VirtualTime
    static class HeartbeatInBackground {
        static final List<String> seen = new CopyOnWriteArrayList<>();

        @Test
        void test(Loop loop, LoopTester tester, Trace trace) {
            seen.clear();
            tester.spawnInBackground("heartbeat", () -> {
                while (true) {
                    Loop.sleep(Duration.ofSeconds(30));
                }
            });
            loop.spawn("work", () -> {
                Loop.sleep(Duration.ofMinutes(5));
                trace.record("done");
            });
            tester.advanceUntilIdle(); // returns at 00:05, the heartbeat still scheduled
            seen.addAll(trace.events());
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300)
    static class HeartbeatInForeground {
        @Test
        void test(Loop loop) {
            loop.spawn("heartbeat", () -> {
                while (true) {
                    Loop.sleep(Duration.ofMinutes(1));
                }
            });
            loop.runForever();
        }
    }
}
