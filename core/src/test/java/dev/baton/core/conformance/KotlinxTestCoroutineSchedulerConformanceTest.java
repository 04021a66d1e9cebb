package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * kotlinx-coroutines-test's TestCoroutineSchedulerTest.kt, ported to a plain {@link Loop} on a
 * VirtualClock: advanceTimeBy is runFor, advanceUntilIdle is runForever (which returns when nothing
 * could ever run again), launch is spawn, delay is Loop.sleep, yield is Loop.sleep(ZERO).
 *
 * <p>Skipped families, and why: runCurrent (testRunCurrent, testRunCurrentNotDrainingQueue: Baton
 * has no "run what is due now without moving time" beyond runUntilIdle, and runFor runs the end
 * instant anyway); several schedulers per test (testContextElement); UnconfinedTestDispatcher
 * (Baton has one dispatching order).
 */
class KotlinxTestCoroutineSchedulerConformanceTest {

    private static final long SLOW = 100_000;

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeByDoesNotRunCurrent
    void testAdvanceTimeByDoesNotRunCurrent() {
        // Differs: kotlinx's advanceTimeBy(15) runs tasks in [now, now + 15) and leaves the one due
        // at 15 for runCurrent; Baton's runFor(15) runs it (boundary rule, R3), as Reactor's and
        // RxJava's test schedulers do, so that "run for d" means everything due within d happened.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("launch", () -> {
                Loop.sleep(ms(15));
                trace.record("entered");
            });
            loop.runFor(ms(15));
            assertEquals(List.of("entered@15"), trace.events());
            assertEquals(15, trace.now());
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeByWithNegativeDelay
    void testAdvanceTimeByWithNegativeDelay() {
        try (Loop loop = Trace.virtualLoop()) {
            assertThrows(IllegalArgumentException.class, () -> loop.runFor(ms(-1)));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeByEnormousDelays
    void testAdvanceTimeByEnormousDelays() {
        // An enormous run returns (in no real time) after every representable timer; a delay too
        // long to represent waits forever, as kotlinx's delay(Long.MAX_VALUE) does nothing.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Duration nearInfinity = Duration.ofDays(100_000);
            loop.spawn("launch", () -> {
                Loop.sleep(ms(10));
                loop.spawn("infinity", () -> {
                    Loop.sleep(Duration.ofSeconds(Long.MAX_VALUE));
                    trace.record("entered infinity");
                });
                loop.spawn("near infinity", () -> {
                    Loop.sleep(nearInfinity);
                    trace.record("entered near infinity");
                });
            });
            loop.runFor(Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(List.of("entered near infinity@" + (10 + nearInfinity.toMillis())), trace.events());
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeBy
    void testAdvanceTimeBy() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            int[] stage = {1};
            loop.spawn("launch", () -> {
                Loop.sleep(ms(1000));
                stage[0] = 2;
                trace.record("stage 2");
                Loop.sleep(ms(500));
                stage[0] = 3;
                trace.record("stage 3");
                Loop.sleep(ms(501));
                stage[0] = 4;
                trace.record("stage 4");
            });
            assertEquals(1, stage[0]);
            loop.runFor(Duration.ofSeconds(2));
            assertEquals(3, stage[0]);
            assertEquals(2000, trace.now());
            loop.runFor(ms(2));
            assertEquals(4, stage[0]);
            assertEquals(2002, trace.now());
            assertEquals(List.of("stage 2@1000", "stage 3@1500", "stage 4@2001"), trace.events());
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testNestedAdvanceUntilIdle
    void testNestedAdvanceUntilIdle() {
        // Differs: kotlinx lets a task call advanceUntilIdle on its own scheduler; Baton refuses a
        // run method from inside the loop (IllegalStateException), because a coroutine that runs the
        // loop would hold the baton while others run; a coroutine waits with join or sleep instead.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("launch", () -> {
                loop.spawn("inner", () -> {
                    Loop.sleep(ms(SLOW));
                    trace.record("executed");
                });
                assertThrows(IllegalStateException.class, loop::runForever);
            });
            loop.runForever();
            assertEquals(List.of("executed@" + SLOW), trace.events());
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testYield
    void testYield() {
        try (Loop loop = Trace.virtualLoop()) {
            int[] stage = {0};
            Task<Void> a = loop.spawn("a", () -> {
                Loop.sleep(Duration.ZERO);
                assertEquals(1, stage[0]);
                stage[0] = 2;
            });
            Task<Void> b = loop.spawn("b", () -> {
                Loop.sleep(Duration.ZERO);
                assertEquals(2, stage[0]);
                stage[0] = 3;
            });
            assertEquals(0, stage[0]);
            stage[0] = 1;
            loop.runUntilIdle();
            assertEquals(3, stage[0]);
            a.toCompletableFuture().join();
            b.toCompletableFuture().join();
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testDelaysPriority
    void testDelaysPriority() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("scope", () -> {
                loop.spawn("first", () -> {
                    Loop.sleep(ms(100));
                    trace.record("check");
                    Task<Void> deferred = loop.spawn("async", () -> {
                        Loop.sleep(ms(70));
                        trace.record("check");
                    });
                    Loop.sleep(ms(1));
                    trace.record("check");
                    deferred.join();
                    Loop.sleep(ms(1));
                    trace.record("check");
                });
                loop.spawn("second", () -> {
                    Loop.sleep(ms(200));
                    trace.record("check");
                });
                loop.spawn("third", () -> {
                    Loop.sleep(ms(150));
                    trace.record("check");
                    Loop.sleep(ms(22));
                    trace.record("check");
                });
                Loop.sleep(ms(201));
            });
            loop.runForever();
            trace.record("check");
            assertEquals(List.of("check@100", "check@101", "check@150", "check@170", "check@171", "check@172", "check@200", "check@201"),
                    trace.events());
        }
    }

    /** The peer's checkTimeout: does withTimeout(timeoutMillis, block) time out? */
    private static boolean timesOut(Loop loop, long timeoutMillis, java.util.concurrent.Callable<Void> block) {
        boolean[] caught = {false};
        loop.spawn("checkTimeout", () -> {
            try {
                Loop.withTimeout(ms(timeoutMillis), block);
            } catch (TimeoutException e) {
                caught[0] = true;
            }
        });
        loop.runForever();
        return caught[0];
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testSmallTimeouts
    void testSmallTimeouts() {
        // A body that needs exactly the timeout times out: its deadline was set first.
        try (Loop loop = Trace.virtualLoop()) {
            assertTrue(timesOut(loop, SLOW, () -> {
                Loop.sleep(ms(SLOW / 2));
                Loop.sleep(ms(SLOW - SLOW / 2));
                return null;
            }));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testLargeTimeouts
    void testLargeTimeouts() {
        try (Loop loop = Trace.virtualLoop()) {
            assertFalse(timesOut(loop, SLOW, () -> {
                Loop.sleep(ms(SLOW / 2));
                Loop.sleep(ms(SLOW - SLOW / 2 - 1));
                return null;
            }));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testSmallAsynchronousTimeouts
    void testSmallAsynchronousTimeouts() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> deferred = loop.spawn("deferred", () -> {
                Loop.sleep(ms(SLOW / 2));
                Loop.sleep(ms(SLOW - SLOW / 2));
            });
            assertTrue(timesOut(loop, SLOW, () -> deferred.join()));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testLargeAsynchronousTimeouts
    void testLargeAsynchronousTimeouts() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> deferred = loop.spawn("deferred", () -> {
                Loop.sleep(ms(SLOW / 2));
                Loop.sleep(ms(SLOW - SLOW / 2 - 1));
            });
            assertFalse(timesOut(loop, SLOW, () -> deferred.join()));
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testAdvanceTimeSource
    void testAdvanceTimeSource() {
        try (Loop loop = Trace.virtualLoop()) {
            long measured = loop.runUntilComplete(loop.spawn("measure", () -> {
                long before = loop.clock().nanoTime();
                Loop.sleep(Duration.ofSeconds(1));
                return loop.clock().nanoTime() - before;
            }));
            assertEquals(1_000_000_000L, measured);
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testRunCurrent (boundary part)
    void testRunCurrent() {
        // Differs: kotlinx needs runCurrent after advanceTimeBy(1) to run the tasks due at 1; Baton's
        // runFor(1 ms) has run them already (boundary rule, R3), and the work they made ready too.
        try (Loop loop = Trace.virtualLoop()) {
            int[] stage = {0};
            for (int i = 0; i < 2; i++) {
                loop.spawn("launch" + i, () -> {
                    Loop.sleep(ms(1));
                    ++stage[0];
                    Loop.sleep(ms(1));
                    stage[0] += 10;
                });
            }
            loop.runFor(ms(1));
            assertEquals(2, stage[0]);
            loop.runFor(ms(1));
            assertEquals(22, stage[0]);
        }
    }

    @Test
    // TestCoroutineSchedulerTest.kt::testRunCurrentNotDrainingQueue (runUntil form)
    void testRunCurrentNotDrainingQueue() {
        // A timer one nanosecond after the end of runUntil does not run; one exactly at the end does.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.spawn("at end", () -> {
                Loop.sleep(ms(SLOW));
                trace.record("at end");
            });
            loop.spawn("just after", () -> {
                Loop.sleep(ms(SLOW).plusNanos(1));
                trace.record("just after");
            });
            loop.runUntil(Trace.START.plusMillis(SLOW));
            assertEquals(List.of("at end@" + SLOW), trace.events());
            assertEquals(Trace.START.plusMillis(SLOW), loop.clock().instant());
        }
    }

    @Test
    // StandardTestDispatcherTest.kt + TestCoroutineSchedulerTest.kt: CompletableDeferred awaited on the scheduler
    void testSmallAsynchronousTimeoutsWithCompletableDeferred() throws Exception {
        // R8: awaiting a same-loop task's CompletableFuture on a VirtualClock behaves like join:
        // virtual time moves while it waits, so the timeout can fire. Real time: a watchdog stops
        // the loop after 5 s if virtual time stood still waiting for the future.
        try (Loop loop = Trace.virtualLoop(); AutoCloseable guard = Trace.watchdog(loop, 5)) {
            Task<Void> deferred = loop.spawn("deferred", () -> Loop.sleep(ms(SLOW)));
            CompletableFuture<Void> completion = deferred.toCompletableFuture();
            assertTrue(timesOut(loop, SLOW / 2, () -> Loop.await(completion)));
        }
    }
}
