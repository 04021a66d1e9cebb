package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * A test that takes too long in real time fails with a dump instead of hanging. These tests need
 * real time (that is what the guard measures); each fixture's timeout is 300 ms.
 */
class RealTimeGuardTest {

    @BeforeEach
    void armSpinners() {
        Spins.release = new CountDownLatch(1);
    }

    @AfterEach
    void releaseSpinners() {
        Spins.release.countDown();
    }

    @Test
    void coroutineSpinningInRealTimeFailsAtTheGuardWithADump() {
        Events events = EngineKit.run(Spins.class);
        Duration took = EngineKit.firstTestDuration(events);
        Throwable e = EngineKit.onlyFailure(events);
        String message = e.getMessage();
        assertTrue(message.startsWith("test() did not finish within 300 ms of real time (@VirtualTime(realTimeoutMillis = 300))"
                + " and is still running: its loop is abandoned, not closed."), message);
        assertTrue(message.contains("coroutine 'spinner' running without suspending for "), message);
        assertTrue(message.contains("a coroutine that runs without suspending"), message);
        assertTrue(message.contains("at dev.baton.testing.RealTimeGuardTest$Spins.spin("), "the spinner's stack: " + message);
        assertTrue(message.contains("coroutine 'bystander' sleeping"), message);
        // 300 ms of timeout and 200 ms of grace; the rest is slack for a loaded machine.
        assertTrue(took.compareTo(Duration.ofMillis(2_000)) < 0, "took " + took);
    }

    /**
     * A coroutine awaiting an outside future that does not complete in time: virtual time stands
     * still because something is pending outside, not because a coroutine runs without suspending,
     * and the message says which.
     */
    @Test
    void coroutineAwaitingAnOutsideFutureFailsAtTheGuardSayingSo() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(AwaitsOutside.class));
        String message = e.getMessage();
        assertTrue(message.contains("coroutine 'client' awaiting an outside future"), message);
        assertTrue(message.contains("while coroutines awaited outside futures"), message);
        assertTrue(!message.contains("runs without suspending"), message);
    }

    /**
     * A coroutine polling with Loop.sleep(Duration.ZERO) suspends all the time, yet virtual time
     * cannot move while it is always ready to run: the message says that, not that something
     * runs without suspending.
     */
    @Test
    void coroutinePollingWithZeroSleepsFailsAtTheGuardSayingItIsAlwaysReady() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(PollsWithZeroSleeps.class));
        String message = e.getMessage();
        assertTrue(message.contains("while coroutines kept suspending and were ready to run again at once"), message);
        assertTrue(message.contains("coroutine 'poller' ready to run") || message.contains("coroutine 'poller' running\n"), message);
        assertTrue(!message.contains("runs without suspending") && !message.contains("running without suspending"), message);
    }

    /**
     * A callback that runs without end (here on the thread of the coroutine whose sleep let it
     * run, as the loop runs ready callbacks) stops virtual time as a spinning coroutine does: the
     * message must not say that coroutines kept suspending and were ready again at once, nor
     * advise against polling with zero sleeps.
     */
    @Test
    void callbackSpinningInRealTimeIsNotSaidToBePolling() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(CallbackSpins.class));
        String message = e.getMessage();
        assertTrue(!message.contains("kept suspending and were ready to run again at once"), message);
        assertTrue(message.contains("running without suspending"), message);
    }

    /**
     * A test whose thread waits while another thread runs the loop (a server's loop started on a
     * thread of its own) is not "blocked outside the loop" with "no run method active": the loop
     * was running, and its coroutine awaited an outside future, which the message should say.
     */
    @Test
    void testWaitingWhileAnotherThreadRunsTheLoopIsNotSaidToHaveNoRunActive() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(WaitsForLoopOnAnotherThread.class));
        String message = e.getMessage();
        assertTrue(message.contains("coroutine 'client' awaiting an outside future"), message);
        assertTrue(!message.contains("no run method was active"), message);
    }

    @Test
    void afterATimedOutTestTheNextTestRunsNormally() {
        Events events = EngineKit.run(Spins.class);
        events.assertStatistics(s -> s.succeeded(1).failed(1));
    }

    @Test
    void timedOutStackTraceIsWhereTheTestsThreadWas() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(Spins.class));
        StackTraceElement[] stack = e.getStackTrace();
        boolean inRunFor = false;
        for (StackTraceElement frame : stack) {
            inRunFor |= frame.getClassName().equals(Loop.class.getName()) && frame.getMethodName().equals("runFor");
        }
        assertTrue(inRunFor, "the test's thread was parked in runFor");
    }

    @Test
    void testBlockedOutsideTheLoopIsInterruptedAndFails() {
        Events events = EngineKit.run(AwaitsForever.class);
        Throwable e = EngineKit.onlyFailure(events);
        Duration took = EngineKit.firstTestDuration(events);
        assertTrue(e.getMessage().startsWith("test() did not finish within 300 ms of real time (@VirtualTime(realTimeoutMillis = 300))"
                + " and was stopped (the loop stopped, its thread interrupted)."),
                e.getMessage());
        assertEquals("java.lang.InterruptedException", e.getSuppressed()[0].getClass().getName());
        assertTrue(took.compareTo(Duration.ofMillis(2_000)) < 0, "took " + took);
        // No coroutine held the baton: the test's own thread waited with no run method active.
        assertTrue(e.getMessage().contains("blocked outside the loop") && !e.getMessage().contains("runs without suspending"),
                e.getMessage());
    }

    @Test
    void dynamicTestsAreGuardedOneByOne() {
        Events events = EngineKit.run(DynamicBlocks.class);
        events.assertStatistics(s -> s.succeeded(1).failed(1));
        Throwable e = EngineKit.onlyFailure(events);
        assertTrue(e.getMessage().startsWith("dynamic test 'blocks' did not finish within 100 ms of real time"), e.getMessage());
    }

    @Test
    void guardCanBeTurnedOffForARunByConfiguration() {
        EngineKit.run(BlocksBriefly.class, Map.of(VirtualTime.TIMEOUT_MODE, "disabled"))
                .assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void guardIsOnUnlessTurnedOff() {
        EngineKit.run(BlocksBriefly.class).assertStatistics(s -> s.succeeded(0).failed(1));
    }

    @Test
    void unknownGuardModeFailsNamingTheParameterAndValue() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(BlocksBriefly.class, Map.of(VirtualTime.TIMEOUT_MODE, "off")));
        assertEquals("baton.testing.realTimeout.mode = \"off\": not a mode; use enabled, disabled or disabled_on_debug", e.getMessage());
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 100)
    static class DynamicBlocks {
        @TestFactory
        Stream<DynamicTest> tests(Loop loop) {
            return Stream.of(
                    DynamicTest.dynamicTest("runs a virtual day", () -> loop.runFor(Duration.ofDays(1))),
                    DynamicTest.dynamicTest("blocks", () -> new CountDownLatch(1).await()));
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 50)
    static class BlocksBriefly {
        @Test
        void test() throws InterruptedException {
            Thread.sleep(300); // the test's own thread, outside the loop: longer than the timeout
        }
    }

    @Fixture
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Spins {
        /**
         * Ends the spinners of one run, so that they do not keep a core, and a carrier thread of
         * the virtual-thread scheduler, for the rest of the build. Each run has its own latch.
         */
        static volatile CountDownLatch release = new CountDownLatch(0);

        @Test
        @Order(1)
        @VirtualTime(realTimeoutMillis = 300, allowLeaks = true)
        void test(Loop loop) {
            loop.spawn("bystander", () -> Loop.sleep(Duration.ofSeconds(1)));
            loop.spawn("spinner", Spins::spin);
            loop.runFor(Duration.ofHours(1));
        }

        @Test
        @Order(2)
        @VirtualTime(realTimeoutMillis = 300)
        void next(Loop loop) {
            loop.runUntilComplete(loop.spawn("quick", () -> Loop.sleep(Duration.ofDays(1))));
        }

        /** Busy in real time, never suspending: it holds the baton until released or 20 s pass. */
        static void spin() {
            CountDownLatch mine = release;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (mine.getCount() > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300)
    static class PollsWithZeroSleeps {
        @Test
        void test(Loop loop) {
            CountDownLatch mine = Spins.release;
            loop.runUntilComplete(loop.spawn("poller", () -> {
                while (mine.getCount() > 0) {
                    Loop.sleep(Duration.ZERO); // waits for a flag that only virtual time would set
                }
            }));
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300, allowLeaks = true)
    static class CallbackSpins {
        @Test
        void test(Loop loop) {
            loop.spawn("host", () -> {
                Loop.current().callSoon(Spins::spin);
                Loop.sleep(Duration.ofSeconds(1));
            });
            loop.runFor(Duration.ofHours(1));
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300)
    static class AwaitsOutside {
        @Test
        void test(Loop loop) {
            java.util.concurrent.CompletableFuture<String> never = new java.util.concurrent.CompletableFuture<>();
            loop.runUntilComplete(loop.spawn("client", () -> Loop.await(never)));
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300)
    static class AwaitsForever {
        @Test
        void test(Loop loop) throws InterruptedException {
            loop.runFor(Duration.ofHours(1));
            new CountDownLatch(1).await();
        }
    }

    @Fixture
    @VirtualTime(realTimeoutMillis = 300)
    static class WaitsForLoopOnAnotherThread {
        @Test
        void test(Loop loop) throws InterruptedException {
            java.util.concurrent.CompletableFuture<String> never = new java.util.concurrent.CompletableFuture<>();
            Thread server = Thread.ofPlatform().daemon().start(() -> {
                try {
                    loop.runUntilComplete(loop.spawn("client", () -> Loop.await(never)));
                } catch (IllegalStateException stoppedByTheGuard) {
                    // the guard stops the loop at the timeout
                }
            });
            server.join();
        }
    }
}
