package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which carrier threads a loop's coroutines run on: a carrier of the loop's own where java.lang is
 * open to Baton (this suite's default execution), the JDK's shared scheduler where it is not (the
 * shared-scheduler execution, -Dbaton.test.carrier=shared), with one line saying what to add.
 */
class CarrierTest {

    private static boolean sharedExecution() {
        return "shared".equals(System.getProperty("baton.test.carrier"));
    }

    /**
     * Every coroutine of a loop, through a thousand hand-offs, runs on one carrier: the loop's own
     * when java.lang is open (two loops, two carriers), else the JDK's ForkJoinPool workers.
     */
    @Test
    void everyCoroutineOfALoopRunsOnItsCarrier() {
        Set<String> first = carriersOfOneLoop();
        Set<String> second = carriersOfOneLoop();
        if (sharedExecution()) {
            assertFalse(Carrier.available(), "this execution runs without java.lang opened");
            assertTrue(first.stream().allMatch(name -> name.startsWith("ForkJoinPool")), first.toString());
        } else {
            assertTrue(Carrier.available(), "this execution opens java.lang to Baton");
            assertEquals(1, first.size(), first.toString());
            assertTrue(first.iterator().next().startsWith("baton-carrier-"), first.toString());
            assertEquals(1, second.size(), second.toString());
            assertNotEquals(first, second, "each loop has a carrier of its own");
        }
    }

    /**
     * A virtual thread that a coroutine starts is not one of the loop's: it runs on the JDK's shared
     * scheduler, as it would without Baton, so a busy one cannot take the loop's carrier. Here it
     * spins until a coroutine of the loop tells it to stop, which that coroutine can only do if it
     * gets to run meanwhile. Real time, bounded: the spinner gives up after 10 s (a stalled loop).
     */
    @Test
    void aVirtualThreadACoroutineStartsRunsOffTheLoopsCarrier() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<String> spun = new java.util.concurrent.CompletableFuture<>();
        Set<String> loopCarriers = new java.util.concurrent.ConcurrentSkipListSet<>();
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            Task<String> awaiter = loop.spawn("awaiter", () -> {
                loopCarriers.add(CarrierMain.carrierName());
                Thread.ofVirtual().name("busy").start(() -> {
                    String where = CarrierMain.carrierName();
                    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!stop.get() && System.nanoTime() < end) {
                        Thread.onSpinWait(); // busy: never parks, never yields
                    }
                    spun.complete(stop.get() ? where : "gave up after 10 s on " + where);
                });
                return Loop.await(spun);
            });
            loop.spawn("stopper", () -> { // runs once the awaiter waits (virtual time stands still meanwhile)
                loopCarriers.add(CarrierMain.carrierName());
                stop.set(true);
            });
            String where = loop.runUntilComplete(awaiter);
            assertFalse(where.startsWith("gave up"), "the busy thread held the loop's carrier: " + where);
            assertFalse(loopCarriers.contains(where) && !sharedExecution(),
                    "the busy thread ran on the loop's carrier " + where + " (loop: " + loopCarriers + ")");
        }
    }

    /**
     * A generator that a coroutine's virtual thread (not the coroutine) drives is not the loop's
     * either: its body runs on the JDK's shared scheduler, next to its caller, not on the loop's carrier.
     */
    @Test
    void aGeneratorDrivenByAThreadACoroutineStartedRunsOffTheLoopsCarrier() {
        if (sharedExecution()) {
            return; // no carrier of the loop's own
        }
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            Task<List<String>> starter = loop.spawn("starter", () -> {
                String loopCarrier = CarrierMain.carrierName();
                java.util.concurrent.CompletableFuture<List<String>> seen = new java.util.concurrent.CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try (Generator<String> where = Generator.of(y -> {
                        for (;;) {
                            y.yield(CarrierMain.carrierName());
                        }
                    })) {
                        seen.complete(List.of(loopCarrier, where.next(), where.next()));
                    }
                });
                return Loop.await(seen);
            });
            List<String> seen = loop.runUntilComplete(starter);
            assertTrue(seen.get(0).startsWith("baton-carrier-"), seen.toString());
            assertFalse(seen.subList(1, 3).contains(seen.get(0)), seen.toString());
        }
    }

    /** A generator's body started by a coroutine is the loop's: it runs on the loop's carrier, next to its caller. */
    @Test
    void aGeneratorBodyStartedByACoroutineRunsOnTheLoopsCarrier() {
        if (sharedExecution()) {
            return; // no carrier of the loop's own
        }
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            Task<List<String>> caller = loop.spawn("caller", () -> {
                try (Generator<String> where = Generator.of(y -> {
                    for (;;) {
                        y.yield(CarrierMain.carrierName());
                    }
                })) {
                    return List.of(CarrierMain.carrierName(), where.next(), where.next());
                }
            });
            List<String> seen = loop.runUntilComplete(caller);
            assertEquals(1, Set.copyOf(seen).size(), seen.toString());
            assertTrue(seen.get(0).startsWith("baton-carrier-"), seen.toString());
        }
    }

    private static Set<String> carriersOfOneLoop() {
        Set<String> carriers = new TreeSet<>();
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            for (int c = 0; c < 10; c++) {
                loop.spawn("switcher", () -> {
                    for (int k = 0; k < 100; k++) {
                        carriers.add(CarrierMain.carrierName());
                        Loop.sleep(Duration.ofMillis(1 + k % 3));
                    }
                });
            }
            loop.runForever();
        }
        return carriers;
    }

    /**
     * A closed loop's carrier thread ends: a process running many loops does not collect idle
     * threads. Real time, bounded: the thread ends when it finds nothing left to run, within
     * milliseconds; 10 s allows for a loaded machine.
     */
    @Test
    void aClosedLoopsCarrierThreadEnds() throws Exception {
        if (sharedExecution()) {
            return; // no carrier of its own to end; the shared scheduler's workers are the JDK's
        }
        String name = carriersOfOneLoop().iterator().next();
        Thread carrier = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElse(null);
        if (carrier != null) { // already gone is the outcome we want too
            carrier.join(10_000);
            assertFalse(carrier.isAlive(), name + " still alive 10 s after its loop closed");
        }
    }

    /**
     * Without java.lang opened and without a choice made, loops use the shared scheduler and one
     * line, once per JVM however many loops, names the flag to add.
     */
    @Test
    void withoutTheFlagOneLineSaysWhatToAdd() throws Exception {
        String out = run(List.of());
        assertEquals(1, count(out, "--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertEquals(1, count(out, "Add-Opens: java.base/java.lang"), out);
        assertTrue(out.contains("loop 2 carriers [ForkJoinPool"), out);
    }

    /** -Ddev.baton.carrier=shared: the shared scheduler, and not a word about it. */
    @Test
    void sharedByChoiceSaysNothing() throws Exception {
        String out = run(List.of("-Ddev.baton.carrier=shared", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        assertFalse(out.contains("add-opens"), out);
        assertTrue(out.contains("loop 2 carriers [ForkJoinPool"), out);
    }

    /** With the flag: each loop on one carrier of its own, and nothing logged. */
    @Test
    void withTheFlagEachLoopHasOneCarrierOfItsOwn() throws Exception {
        String out = run(ForkedJvm.OWN_CARRIER);
        assertFalse(out.contains("add-opens"), out);
        List<String> carriers = out.lines().filter(l -> l.startsWith("loop ")).map(l -> l.substring(l.indexOf('['))).toList();
        assertEquals(3, carriers.size(), out);
        for (String c : carriers) {
            assertTrue(c.matches("\\[baton-carrier-\\d+]"), out);
        }
        assertEquals(3, Set.copyOf(carriers).size(), out);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * CarrierMain's whole output (stdout and stderr) in a JVM of its own with no SLF4J provider, so
     * Baton's line goes to stderr. Real time, bounded to 30 s.
     */
    private static String run(List<String> flags) throws Exception {
        return ForkedJvm.withoutLogger(flags, CarrierMain.class, 30);
    }
}
