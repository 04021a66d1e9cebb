package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Loop#asScheduledExecutor()} against the ScheduledExecutorService contract and
 * ScheduledThreadPoolExecutor's default policies, on virtual time. Test names follow the JSR-166
 * TCK's ScheduledExecutorTest where it has the case.
 */
class ScheduledExecutorViewTest {

    private static Loop loop() {
        return Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static long ms(Loop loop) {
        return loop.clock().nanoTime() / 1_000_000;
    }

    @Test
    // ScheduledExecutorTest::testSchedule1: a callable runs after its delay, its future holds the result
    void testSchedule1() throws Exception {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            ScheduledFuture<Long> f = executor.schedule(() -> ms(loop), 300, TimeUnit.MILLISECONDS);
            assertEquals(300, f.getDelay(TimeUnit.MILLISECONDS));
            loop.runFor(Duration.ofMillis(299));
            assertFalse(f.isDone());
            loop.runFor(Duration.ofMillis(1));
            assertTrue(f.isDone());
            assertEquals(300L, f.get());
        }
    }

    @Test
    // ScheduledExecutorTest::testFixedRateSequence: runs are due at initialDelay + n * period
    void testFixedRateSequence() {
        try (Loop loop = loop()) {
            List<Long> runs = new ArrayList<>();
            ScheduledFuture<?> f = loop.asScheduledExecutor().scheduleAtFixedRate(() -> runs.add(ms(loop)), 10, 100, TimeUnit.MILLISECONDS);
            assertTrue(((java.util.concurrent.RunnableScheduledFuture<?>) f).isPeriodic());
            loop.runFor(Duration.ofMillis(300));
            assertEquals(List.of(10L, 110L, 210L), runs);
            assertTrue(f.cancel(false));
            loop.runFor(Duration.ofSeconds(1));
            assertEquals(3, runs.size(), "no run after cancel");
            assertTrue(f.isCancelled());
        }
    }

    @Test
    // ScheduledExecutorTest::testFixedDelaySequence: each run is due a delay after the previous one ended
    void testFixedDelaySequence() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            List<Long> runs = new ArrayList<>();
            executor.scheduleWithFixedDelay(() -> runs.add(ms(loop)), 0, 50, TimeUnit.MILLISECONDS);
            loop.runFor(Duration.ofMillis(120));
            assertEquals(List.of(0L, 50L, 100L), runs);
            executor.shutdownNow();
        }
    }

    @Test
    // ScheduledExecutorTest::testScheduleAtFixedRate_nonPositivePeriod and friends
    void nonPositivePeriodsAreRejected() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> executor.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS));
            assertEquals("scheduleAtFixedRate: period must be positive, was 0 SECONDS", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> executor.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.SECONDS));
            assertThrows(NullPointerException.class, () -> executor.schedule((Runnable) null, 1, TimeUnit.SECONDS));
        }
    }

    @Test
    // ScheduledThreadPoolExecutor: a negative delay means now
    void aNegativeDelayRunsNow() {
        try (Loop loop = loop()) {
            ScheduledFuture<?> f = loop.asScheduledExecutor().schedule(() -> { }, -5, TimeUnit.SECONDS);
            loop.runUntilIdle();
            assertTrue(f.isDone());
        }
    }

    /**
     * A one-shot task that throws keeps its exception in its future, as the JDK's executors do; if
     * nobody asks the future for it, the loop reports it when it closes (the JDK's would lose it),
     * as it does a task's unretrieved failure. Asked for, it is not reported.
     */
    @Test
    void aFailingOneShotTaskNobodyAsksAboutIsReportedWhenTheLoopCloses() throws Exception {
        List<String> reports = new ArrayList<>();
        ScheduledFuture<?> asked;
        try (Loop loop = loop()) {
            loop.setExceptionHandler((source, failure) -> reports.add(source + ": " + failure.getMessage()));
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            executor.schedule(() -> {
                throw new IllegalStateException("nobody asks");
            }, 1, TimeUnit.SECONDS);
            asked = executor.schedule(() -> {
                throw new IllegalStateException("asked");
            }, 2, TimeUnit.SECONDS);
            loop.runFor(Duration.ofSeconds(10));
            ExecutionException e = assertThrows(ExecutionException.class, asked::get);
            assertEquals("asked", e.getCause().getMessage());
            assertEquals(List.of(), reports, "reported before anyone could still ask");
        }
        assertEquals(1, reports.size(), reports::toString);
        assertTrue(reports.get(0).contains("executor one-shot task #") && reports.get(0).endsWith(": nobody asks"), reports::toString);
    }

    /**
     * A get that timed out retrieved nothing: a one-shot task that fails just after it, and that
     * nobody asks again, is still reported when the loop closes. Real time, bounded (a few
     * seconds): the race between the timing-out get and the loop's run of the task is the subject,
     * so each task spins a few microseconds after it starts, and the test's thread asks once.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aGetThatTimedOutDoesNotSilenceAFailureThatCameJustAfter() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reports = new java.util.concurrent.atomic.AtomicInteger();
        int timedOut = 0;
        java.util.Random random = new java.util.Random(1);
        try (Loop loop = Loop.create()) {
            loop.setExceptionHandler((source, failure) -> reports.incrementAndGet());
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();
            Task<Void> keeper = loop.spawn("keeper", () -> {
                return Loop.await(finished);
            });
            Thread runner = Thread.ofPlatform().start(() -> loop.runUntilComplete(keeper));
            for (int i = 0; i < 20_000; i++) {
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                long spin = random.nextInt(20_000);
                java.util.concurrent.Future<?> f = executor.submit(() -> {
                    started.countDown();
                    long end = System.nanoTime() + spin;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    throw new IllegalStateException("late");
                });
                started.await();
                try {
                    f.get(0, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    timedOut++; // and nobody asks this future again
                } catch (ExecutionException retrieved) {
                    // asked, and told
                }
            }
            finished.complete(null);
            runner.join();
        }
        assertTrue(timedOut > 0, "no get timed out");
        assertEquals(timedOut, reports.get(), "of " + timedOut + " failures whose only get timed out, reported");
    }

    @Test
    // ScheduledExecutorService: a periodic task that throws is not run again, and its future holds the exception
    void aFailingPeriodicTaskStopsAndIsReported() {
        try (Loop loop = loop()) {
            List<String> reports = new ArrayList<>();
            loop.setExceptionHandler((source, failure) -> reports.add(failure.getMessage()));
            int[] runs = {0};
            ScheduledFuture<?> f = loop.asScheduledExecutor().scheduleAtFixedRate(() -> {
                if (++runs[0] == 2) {
                    throw new IllegalStateException("second run");
                }
            }, 0, 1, TimeUnit.SECONDS);
            loop.runFor(Duration.ofSeconds(10));
            assertEquals(2, runs[0]);
            assertTrue(f.isDone());
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertEquals("second run", e.getCause().getMessage());
            assertEquals(List.of("second run"), reports);
        }
    }

    @Test
    // ScheduledExecutorTest::testShutdown2 / STPE getExecuteExistingDelayedTasksAfterShutdownPolicy (true):
    // after shutdown, delayed one-shot tasks still run, periodic ones are cancelled
    void afterShutdownDelayedTasksRunAndPeriodicOnesAreCancelled() throws Exception {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            ScheduledFuture<String> once = executor.schedule(() -> "ran", 1, TimeUnit.HOURS);
            ScheduledFuture<?> periodic = executor.scheduleAtFixedRate(() -> { }, 0, 1, TimeUnit.MINUTES);
            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertTrue(periodic.isCancelled());
            assertFalse(executor.isTerminated(), "the delayed task is still pending");
            assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
            loop.runFor(Duration.ofHours(1));
            assertEquals("ran", once.get());
            assertTrue(executor.isTerminated());
        }
    }

    @Test
    // ScheduledExecutorTest::testShutdownNow: pending tasks are cancelled and those never started returned
    void testShutdownNow() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            int[] runs = {0};
            ScheduledFuture<?> a = executor.schedule(() -> runs[0]++, 1, TimeUnit.SECONDS);
            executor.schedule(() -> runs[0]++, 2, TimeUnit.SECONDS);
            ScheduledFuture<?> periodic = executor.scheduleAtFixedRate(() -> runs[0]++, 0, 1, TimeUnit.SECONDS);
            loop.runUntilIdle(); // the periodic task has started
            List<Runnable> neverStarted = executor.shutdownNow();
            assertEquals(2, neverStarted.size());
            assertTrue(neverStarted.contains(a));
            assertTrue(periodic.isCancelled());
            assertTrue(executor.isTerminated());
            loop.runFor(Duration.ofSeconds(5));
            assertEquals(1, runs[0], "only the periodic task's first run");
        }
    }

    @Test
    // ScheduledExecutorTest::testAwaitTermination: from a thread while the loop is idle, it runs the loop on virtual time
    void awaitTerminationRunsTheLoopOnItsClock() throws Exception {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            executor.schedule(() -> { }, 1, TimeUnit.DAYS);
            executor.shutdown();
            assertFalse(executor.awaitTermination(1, TimeUnit.HOURS));
            assertEquals(Duration.ofHours(1).toMillis(), ms(loop));
            assertTrue(executor.awaitTermination(2, TimeUnit.DAYS));
            assertEquals(Duration.ofDays(1).toMillis(), ms(loop), "it returned when the executor terminated");
        }
    }

    @Test
    void awaitTerminationFromACoroutineSuspendsIt() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            executor.schedule(() -> { }, 10, TimeUnit.SECONDS);
            Task<Long> waiter = loop.spawn("waiter", () -> {
                executor.shutdown();
                assertTrue(executor.awaitTermination(1, TimeUnit.MINUTES));
                return ms(loop);
            });
            assertEquals(10_000L, loop.runUntilComplete(waiter));
        }
    }

    @Test
    void getOnTheLoopsOwnThreadRefusesToBlockIt() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            ScheduledFuture<?> later = executor.schedule(() -> { }, 1, TimeUnit.SECONDS);
            Task<String> asker = loop.spawn("asker", () -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, later::get);
                return e.getMessage();
            });
            assertTrue(loop.runUntilComplete(asker).startsWith("get was called on the loop's own thread"));
        }
    }

    @Test
    void aTaskSubmittedFromAnotherThreadKeepsItsDeadline() throws Exception {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            ScheduledFuture<Long>[] f = new ScheduledFuture[1];
            Thread outside = Thread.ofPlatform().start(() -> f[0] = executor.schedule(() -> ms(loop), 5, TimeUnit.SECONDS));
            outside.join();
            loop.runFor(Duration.ofSeconds(5));
            assertEquals(5_000L, f[0].get());
        }
    }

    @Test
    void submissionsToAClosedLoopAreRejected() {
        Loop loop = loop();
        ScheduledExecutorService executor = loop.asScheduledExecutor();
        loop.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> executor.schedule(() -> { }, 1, TimeUnit.SECONDS));
        assertEquals("the executor's loop is closed; it accepts no new tasks", e.getMessage());
    }

    @Test
    void equalDeadlinesRunInSubmissionOrder() {
        try (Loop loop = loop()) {
            ScheduledExecutorService executor = loop.asScheduledExecutor();
            List<String> order = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                executor.schedule(() -> order.add(name), 1, TimeUnit.SECONDS);
            }
            loop.runFor(Duration.ofSeconds(1));
            assertEquals(List.of("a", "b", "c"), order);
        }
    }
}
