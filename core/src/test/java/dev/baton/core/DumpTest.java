package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DumpTest {

    @Test
    void dumpNamesEachUnfinishedCoroutineWhatItWaitsForAndWhere() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> sleeper = loop.spawn("napper", () -> Loop.sleep(Duration.ofDays(1)));
            loop.spawn("waiter", () -> {
                sleeper.join();
            });
            loop.spawn("fresh", () -> { });
            loop.runFor(Duration.ofSeconds(1));
            loop.spawn("unstarted", () -> { });
            String dump = loop.dump();
            assertTrue(dump.startsWith("Unfinished coroutines (3):"), dump);
            assertTrue(dump.contains("coroutine 'napper' sleeping until 2026-01-02T00:00:00Z\n      at dev.baton.core.Loop.sleep"), dump);
            assertTrue(dump.contains("coroutine 'waiter' joining task 'napper'\n      at dev.baton.core.Task.join"), dump);
            assertTrue(dump.contains("coroutine 'unstarted' not started"), dump);
            assertTrue(dump.contains("DumpTest.lambda$"), "the user's frames: " + dump);
        }
    }

    /**
     * A coroutine holding the baton is "running", and after a while "running without suspending
     * for N ms"; one that yielded and waits its turn is "ready to run". Real time, bounded: the
     * holder blocks until the test thread has read the dump, 300 ms after it began.
     */
    @Test
    @Timeout(5)
    void dumpFromAnotherThreadShowsACoroutineThatHoldsTheBaton() throws Exception {
        try (Loop loop = Loop.create()) {
            CountDownLatch spinning = new CountDownLatch(1);
            CountDownLatch dumped = new CountDownLatch(1);
            loop.spawn("yielder", () -> Loop.sleep(Duration.ZERO));
            loop.spawn("spinner", () -> {
                spinning.countDown();
                dumped.await();
            });
            String[] dump = new String[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    spinning.await();
                    Thread.sleep(300);
                    dump[0] = loop.dump();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    dumped.countDown();
                }
            });
            loop.runUntilIdle();
            reader.join();
            assertTrue(dump[0].contains("coroutine 'spinner' running without suspending for "), dump[0]);
            assertTrue(dump[0].contains("coroutine 'yielder' ready to run"), dump[0]);
            assertTrue(dump[0].contains("DumpTest.lambda$"), dump[0]);
        }
    }

    /**
     * "Running without suspending for N ms" is about the coroutine that holds the baton now: one
     * that has just been handed it, right after another coroutine held it for 200 ms, is plain
     * "running". Real time, bounded (about 0.2 s): the earlier holder's long hold is the subject.
     */
    @Test
    @Timeout(5)
    void dumpDoesNotLendThePreviousHoldersTimeToACoroutineJustHandedTheBaton() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.spawn("hog", () -> {
                long end = System.nanoTime() + Duration.ofMillis(200).toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            Task<String> fresh = loop.spawn("fresh", loop::dump);
            String dump = loop.runUntilComplete(fresh);
            assertTrue(dump.contains("coroutine 'fresh' running") && !dump.contains("'fresh' running without"), dump);
        }
    }

    /**
     * A coroutine handed the baton that never got a carrier (a class initializer pins the only
     * one) has not run: the dump does not call it "running without suspending", nor speak of a
     * callback on its thread. Real time, bounded: a JVM of its own whose carrier is really pinned.
     */
    @Test
    void dumpDoesNotCallACoroutineLeftWithoutACarrierRunningNorACallback() throws Exception {
        String dump = ForkedJvm.lastLine(ForkedJvm.OWN_CARRIER, PinnedSleeper.class, 30, "dump");
        assertTrue(dump.contains("coroutine 'bystander' holding the baton but not run for "), dump);
        assertTrue(!dump.contains("'bystander' running without suspending"), dump);
        assertTrue(!dump.contains("a callback on thread 'bystander'"), dump);
    }

    /**
     * A callback runs on the thread of whichever coroutine is suspending (the loop runs ready
     * callbacks inside that coroutine's park). One that has held the baton for 300 ms there is
     * "running without suspending", in a line of its own or on that coroutine's entry; the dump
     * must not show only the coroutine's own wait. Real time, bounded (about 0.3 s): the hold is
     * the subject.
     */
    @Test
    @Timeout(5)
    void dumpNamesALongCallbackRunningOnTheThreadOfACoroutineThatSuspended() {
        try (Loop loop = Trace.virtualLoop()) {
            String[] dump = new String[1];
            loop.spawn("sleeper", () -> {
                Loop.current().callSoon(() -> {
                    long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    dump[0] = Loop.current().dump();
                });
                Loop.sleep(Duration.ofSeconds(1)); // parks: the loop runs the callback on this thread
            });
            loop.runFor(Duration.ofSeconds(2));
            assertTrue(dump[0].contains(" running without suspending for "), dump[0]);
        }
    }
}
