package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.logs.RecordedLogs;
import dev.baton.core.machine.MachineLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The loop names what stalls it: a slow coroutine, a pinned carrier, a failure with no logger. */
class DiagnosticsTest {

    /**
     * asyncio's slow_callback_duration: a coroutine that blocks its carrier for longer than the
     * threshold is named with its stack. Real time, bounded: the blocking itself is the subject.
     */
    @Test
    void aCoroutineHoldingTheBatonPastTheThresholdIsLoggedByNameWithItsStack() throws InterruptedException {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setSlowThreshold(Duration.ofMillis(50));
            Task<Void> blocker = loop.spawn("carrier-blocker", () -> Thread.sleep(400));
            loop.runUntilComplete(blocker);
        }
        List<RecordedLogs.Event> warnings = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'carrier-blocker'"));
        assertEquals(1, warnings.size(), () -> "slow warnings: " + warnings);
        assertTrue(warnings.get(0).message().contains("Thread.sleep"), warnings.get(0).message());
    }

    /**
     * Garbage collection stops every thread; a coroutine whose time went to the collector did not
     * hold the loop. A coroutine that does nothing but collect for a second, against a threshold
     * of 300 ms, draws no slow warning (the watchdog subtracts the collectors' own count). Real
     * time, bounded (about a second).
     */
    @Test
    void timeSpentInGarbageCollectionIsNotCountedAsHoldingTheBaton() {
        // The part of System.gc() the collectors do not count (reaching a safepoint, waiting for a
        // core) is held against the loop; on a machine whose cores are taken by other processes it
        // grows past the threshold (measured: 323 ms besides 62 ms of collection, at a load of 4).
        MachineLoad.assumeQuiet("what System.gc() costs besides the collection says nothing about the loop");
        try (Loop loop = Trace.virtualLoop()) {
            loop.setSlowThreshold(Duration.ofMillis(300));
            Task<Integer> collector = loop.spawn("collector", () -> {
                int collections = 0;
                long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() < end) {
                    System.gc();
                    collections++;
                }
                return collections;
            });
            assertTrue(loop.runUntilComplete(collector) > 0);
        }
        List<RecordedLogs.Event> warnings = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'collector'"));
        assertEquals(List.of(), warnings, "a coroutine that only waited for the collector was called slow");
    }

    /**
     * A coroutine driving a generator holds the loop's baton while the generator's body runs: it is
     * busy, not waiting for a carrier. Iterating for over a second draws no "no carrier thread is
     * free" warning (none at all with no slow threshold set), and with a threshold the slow warning
     * names the coroutine. Real time, bounded (about 1.6 s).
     */
    @Test
    void aCoroutineDrivingAGeneratorIsSlowNotWaitingForACarrier() {
        drive("generator-driver", Duration.ZERO, Duration.ofMillis(1_200));
        List<RecordedLogs.Event> unset = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'generator-driver'"));
        assertEquals(List.of(), unset, "a coroutine iterating a generator was said to wait for a carrier");

        drive("slow-generator-driver", Duration.ofMillis(100), Duration.ofMillis(400));
        List<RecordedLogs.Event> slow = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'slow-generator-driver'"));
        assertEquals(1, slow.size(), () -> "warnings: " + slow);
        assertTrue(slow.get(0).message().contains("has held the loop's baton"), slow.get(0).message());
    }

    /**
     * A generator body that blocks while its coroutine waits in next() holds the loop: the slow
     * warning names the coroutine and shows the body's stack, where the blocking call is. Real
     * time, bounded (about 0.4 s).
     */
    @Test
    void aBlockingGeneratorBodyIsShownInTheSlowWarning() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setSlowThreshold(Duration.ofMillis(100));
            Task<String> driver = loop.spawn("sleepy-generator-driver", () -> {
                try (Generator<String> g = Generator.of(y -> {
                    Thread.sleep(400);
                    y.yield("late");
                })) {
                    return g.next();
                }
            });
            assertEquals("late", loop.runUntilComplete(driver));
        }
        List<RecordedLogs.Event> slow = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'sleepy-generator-driver'"));
        assertEquals(1, slow.size(), () -> "warnings: " + slow);
        String m = slow.get(0).message();
        assertTrue(m.contains("generator body's stack") && m.contains("Thread.sleep"), m);
    }

    /** A generator body that yields inside a class initializer on one carrier: named. Real time, bounded. */
    @Test
    void aGeneratorBodyYieldingInAClassInitializerOnItsLoopsOwnCarrierIsNamed() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.OWN_CARRIER, PinnedGenerator.class, 30);
        assertTrue(last.contains("'driver' was handed the baton back by the generator") && last.contains("PinnedGenerator$Table.<clinit>"), last);
    }

    /** The same with the JDK's scheduler reduced to one carrier. Real time, bounded. */
    @Test
    void aGeneratorBodyYieldingInAClassInitializerOnOneCarrierIsNamed() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.ONE_SHARED_CARRIER, PinnedGenerator.class, 30);
        assertTrue(last.contains("'driver'") && last.contains("PinnedGenerator$Table.<clinit>"), last);
    }

    /**
     * The same through three nested generators: nearly all of each next() is hand-offs, so a look
     * at the threads almost never finds one running (1 to 3 looks in 100, measured); the calls'
     * moving resume counts are what tell the watchdog that the coroutine is busy. Real time,
     * bounded (about 0.4 s).
     */
    @Test
    void aCoroutineDrivingNestedGeneratorsIsSlow() {
        drive("nested-generator-driver", Duration.ofMillis(100), Duration.ofMillis(400), 3);
        List<RecordedLogs.Event> slow = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'nested-generator-driver'"));
        assertEquals(1, slow.size(), () -> "warnings: " + slow);
        assertTrue(slow.get(0).message().contains("has held the loop's baton"), slow.get(0).message());
    }

    /** Spawns {@code name}, which calls a generator's next() for {@code length} of real time. */
    private static void drive(String name, Duration threshold, Duration length) {
        drive(name, threshold, length, 1);
    }

    /** Runs a coroutine that iterates a chain of {@code depth} generators for {@code length} of real time. */
    private static void drive(String name, Duration threshold, Duration length, int depth) {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setSlowThreshold(threshold);
            Task<Long> driver = loop.spawn(name, () -> {
                try (Generator<Long> counter = counting(depth)) {
                    long end = System.nanoTime() + length.toNanos();
                    long last = 0;
                    while (System.nanoTime() < end) {
                        last = counter.next();
                    }
                    return last;
                }
            });
            assertTrue(loop.runUntilComplete(driver) > 0);
        }
    }

    /** 0, 1, 2, ... yielded through {@code depth} generators, each passing on what the one inside yields. */
    private static Generator<Long> counting(int depth) {
        if (depth == 1) {
            return Generator.of(y -> {
                for (long i = 0; ; i++) {
                    y.yield(i);
                }
            });
        }
        return Generator.of(y -> {
            try (Generator<Long> inner = counting(depth - 1)) {
                for (;;) {
                    y.yield(inner.next());
                }
            }
        });
    }

    /**
     * A coroutine's own Loop.toThread work stops virtual time while it runs, as the tutorial
     * recommends for blocking work; it is not an outside future that may wait for this loop's
     * timers, so a second of it draws no standing-still warning, and a dump names it as what it is.
     * Real time, bounded (about 1.2 s).
     */
    @Test
    void aCoroutinesOwnToThreadWorkDrawsNoStandingStillWarning() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            java.util.concurrent.CountDownLatch working = new java.util.concurrent.CountDownLatch(1);
            Task<String> worker = loop.spawn("offloader", () -> Loop.toThread(() -> {
                working.countDown();
                Thread.sleep(1_200);
                return "done";
            }));
            String[] dump = {null};
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    working.await();
                    Thread.sleep(100);
                    dump[0] = loop.dump();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals("done", loop.runUntilComplete(worker));
            assertTrue(dump[0] == null || dump[0].contains("'offloader' awaiting its Loop.toThread work"), dump[0]);
        }
        assertEquals(List.of(), RecordedLogs.containing("'offloader'"), "a toThread wait was taken for a stuck outside future");
    }

    @Test
    void aSlowThresholdMustBePositive() {
        try (Loop loop = Trace.virtualLoop()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> loop.setSlowThreshold(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().contains("setSlowThreshold"), e.getMessage());
        }
    }

    /**
     * The standstill report looks at every unfinished coroutine. A hundred thousand sleeping until
     * one instant are one chain of timers; the report must not walk that chain once per coroutine
     * (quadratic: seconds at this size, minutes at a million), which kept the watchdog's one
     * thread, and so every loop's diagnostics, busy. Real time, bounded: the report is due a second
     * after virtual time stands still, and here may take three more.
     */
    @Test
    void virtualTimeStandingStillIsNamedPromptlyWhileManyCoroutinesSleepUntilOneInstant() throws Exception {
        int sleepers = 100_000;
        java.util.concurrent.atomic.AtomicLong stillSince = new java.util.concurrent.atomic.AtomicLong();
        long[] reportedAt = new long[1];
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < sleepers; i++) {
                loop.spawn("sleeper-" + i, () -> Loop.sleep(Duration.ofHours(1)));
            }
            java.util.concurrent.CompletableFuture<Integer> outside = new java.util.concurrent.CompletableFuture<>();
            Task<Integer> asker = loop.spawn("chain-asker", () -> {
                stillSince.set(System.nanoTime()); // every sleeper sleeps already: spawned first, run FIFO
                return Loop.await(outside);
            });
            Thread rescuer = Thread.ofPlatform().start(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < end && RecordedLogs.containing("'chain-asker'").isEmpty()) {
                    LockSupport.parkNanos(2_000_000); // looks every 2 ms, leaving the cores to the watchdog
                }
                reportedAt[0] = System.nanoTime();
                outside.complete(1);
            });
            assertEquals(1, loop.runUntilComplete(asker));
            rescuer.join(60_000);
        }
        List<RecordedLogs.Event> warnings = RecordedLogs.containing("'chain-asker'");
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        long millis = (reportedAt[0] - stillSince.get()) / 1_000_000;
        assertTrue(millis < 4_000, "the standstill was reported " + millis + " ms after time stood still, with "
                + sleepers + " coroutines sleeping until one instant; due after about 1000 ms");
    }

    /**
     * A future derived from one of the loop's own tasks cannot be recognised: virtual time stands
     * still while it is awaited, so the task behind it never completes. After a second of real
     * time the loop says what is awaited, by whom. Real time, bounded (about a second).
     */
    @Test
    void virtualTimeStandingStillOnAnOutsideFutureIsNamedAfterASecond() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> answer = loop.spawn("answer", () -> {
                Loop.sleep(Duration.ofSeconds(3));
                return 42;
            });
            java.util.concurrent.CompletableFuture<Integer> derived = answer.toCompletableFuture().thenApply(x -> x + 1);
            Task<Integer> asker = loop.spawn("derived-asker", () -> Loop.await(derived));
            Thread rescuer = Thread.ofPlatform().start(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < end && RecordedLogs.containing("'derived-asker'").isEmpty()) {
                    Thread.onSpinWait();
                }
                derived.complete(-1); // what a test would do once told: end the wait from outside
            });
            assertEquals(-1, loop.runUntilComplete(asker));
            rescuer.join(10_000);
        }
        List<RecordedLogs.Event> warnings = RecordedLogs.containing("'derived-asker'");
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        assertTrue(warnings.get(0).message().contains("virtual time has stood still"), warnings.get(0).message());
    }

    /** Real time, bounded: the carrier is really blocked, in a JVM of its own with one carrier. */
    @Test
    void aCoroutineSuspendingInAClassInitializerOnOneCarrierIsNamed() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.ONE_SHARED_CARRIER, PinnedSleeper.class, 30);
        assertTrue(last.contains("'loader'") && last.contains("PinnedSleeper$Config.<clinit>"), last);
    }

    /** The same on a loop's own carrier (java.lang open, the JDK's scheduler left as it is). Real time, bounded. */
    @Test
    void aCoroutineSuspendingInAClassInitializerOnItsLoopsOwnCarrierIsNamed() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.OWN_CARRIER, PinnedSleeper.class, 30);
        assertTrue(last.contains("'loader'") && last.contains("PinnedSleeper$Config.<clinit>"), last);
        assertTrue(last.contains("the loop's own carrier"), last);
    }

    /**
     * The same when the coroutine left without a carrier had already run and is parked in its own
     * sleep, not one never started. Real time, bounded.
     */
    @Test
    void aStartedCoroutineLeftWithoutACarrierByAClassInitializerIsNamed() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.OWN_CARRIER, PinnedSleeper.class, 30, "started");
        assertTrue(last.contains("'bystander' was handed the loop's baton") && last.contains("PinnedSleeper$Config.<clinit>"), last);
    }

    /** A JVM with no SLF4J provider: only core's classes, slf4j-api and the main class. */
    @Test
    void anUnretrievedFailureReachesStderrWhenNoLoggerIsBound() throws Exception {
        String output = ForkedJvm.withoutLogger(List.of(), NoLoggerMain.class, 30);
        assertTrue(output.contains("task 'lost-failure'") && output.contains("nobody logs this"), output);
    }

    /** The same for a dropped generator whose body fails while it is being closed. */
    @Test
    void aDroppedGeneratorsFailingCloseReachesStderrWhenNoLoggerIsBound() throws Exception {
        String output = ForkedJvm.withoutLogger(List.of(), NoLoggerDroppedGenerator.class, 40);
        assertTrue(output.contains("unwound"), output);
        assertTrue(output.contains("a dropped generator's body failed while it was being closed")
                && output.contains("cleanup failed-4713"), output);
    }
    /**
     * A callback busy past the slow threshold on the thread of a coroutine that is suspending
     * (the loop runs ready callbacks inside that coroutine's park) is slow, named as a callback: it
     * was never handed the baton and left without a carrier, so no "no carrier thread is free"
     * warning. Real time, bounded (about 1.3 s): the hold must pass the watchdog's one second.
     */
    @Test
    void aCallbackBusyOnASuspendingCoroutinesThreadIsSlowNotWaitingForACarrier() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setSlowThreshold(Duration.ofMillis(100));
            loop.spawn("callback-host", () -> {
                Loop.current().callSoon(() -> {
                    long end = System.nanoTime() + Duration.ofMillis(1_300).toNanos();
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
                Loop.sleep(Duration.ofSeconds(1)); // parks: the loop runs the callback on this thread
            });
            loop.runFor(Duration.ofSeconds(2));
        }
        List<RecordedLogs.Event> warnings = RecordedLogs.matching(e -> e.level() == Level.WARN && e.message().contains("'callback-host'"));
        assertTrue(warnings.stream().noneMatch(e -> e.message().contains("no carrier thread is free")), () -> "warnings: " + warnings);
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        assertTrue(warnings.get(0).message().contains("has held the loop's baton"), warnings.get(0).message());
    }
}
