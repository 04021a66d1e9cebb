package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The only tests that take real time: they check that the loop waits for the system clock and
 * wakes for other threads. Each bounds itself with @Timeout so a regression fails instead of hanging.
 */
class RealClockTest {

    @Test
    @Timeout(5)
    void aTickerEvery50msSeesFourTicksIn220ms() {
        // A tick more than 70 ms late on a loaded machine comes after the run's end, and the one
        // due at 200 ms, asked for only then, waits for the next run (ticks at ms [50, 112, 232]
        // seen at a load of 8 on 2 cores); a stall just before the end can likewise let a fifth
        // in. So up to three attempts, each on a fresh loop, all named if none passes; one must
        // see exactly four ticks.
        List<List<Long>> attempts = new ArrayList<>();
        for (int i = 0; i < 3 && (attempts.isEmpty() || attempts.get(i - 1).size() != 4); i++) {
            attempts.add(ticksIn220ms());
        }
        assertEquals(4, attempts.get(attempts.size() - 1).size(), () -> "ticks at ms, in each attempt: " + attempts);
    }

    /** The ticks, in ms from the start, of a fixed-rate 50 ms ticker during runFor(220 ms). */
    private static List<Long> ticksIn220ms() {
        try (Loop loop = Loop.create()) {
            List<Long> ticks = new ArrayList<>();
            long start = loop.clock().nanoTime();
            loop.spawn("ticker", () -> {
                // Fixed rate (the k-th tick due at start + k*50 ms), so lateness under load does not add up.
                for (int k = 1; ; k++) {
                    Loop.sleep(Duration.ofNanos(Math.max(0, start + k * 50_000_000L - loop.clock().nanoTime())));
                    ticks.add((loop.clock().nanoTime() - start) / 1_000_000);
                }
            });
            loop.runFor(Duration.ofMillis(220));
            assertTrue(loop.clock().nanoTime() - start >= Duration.ofMillis(220).toNanos(), "runFor waited out the real time");
            return ticks;
        }
    }

    @Test
    @Timeout(5)
    void stopFromAnotherThreadEndsRunForeverWithin100ms() throws Exception {
        // The latency includes waking two threads, which a loaded machine delays by itself (105 and
        // 171 ms seen in 25 runs at a load of 15 on 2 cores). So up to five attempts, each on a
        // fresh loop, all named if none passes; the best must be under 100 ms. A loop that missed
        // the stop would sleep out its hour and fail at the timeout.
        List<Long> micros = new ArrayList<>();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5 && best >= 100_000; i++) {
            micros.add(stopLatencyMicros());
            best = Math.min(best, micros.get(i));
        }
        assertTrue(best < 100_000, "runForever returned " + micros + " us after stop(), in each attempt");
    }

    /** How long runForever takes to return after stop() from another thread, the loop waiting for an hour-long sleep. */
    private static long stopLatencyMicros() throws InterruptedException {
        try (Loop loop = Loop.create()) {
            CountDownLatch started = new CountDownLatch(1);
            loop.spawn("sleeper", () -> {
                started.countDown();
                Loop.sleep(Duration.ofHours(1));
            });
            long[] stoppedAt = new long[1];
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    started.await();
                    Thread.sleep(50); // let the loop settle into its hour-long wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stoppedAt[0] = System.nanoTime();
                loop.stop();
            });
            loop.runForever();
            long latency = System.nanoTime() - stoppedAt[0];
            stopper.join();
            return latency / 1_000;
        }
    }

    @Test
    @Timeout(5)
    void executeFromAnotherThreadWakesAWaitingLoop() throws Exception {
        try (Loop loop = Loop.create()) {
            List<String> ran = new ArrayList<>();
            loop.spawn("sleeper", () -> Loop.sleep(Duration.ofHours(1)));
            Thread poster = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.execute(() -> {
                    ran.add("posted on " + (Loop.current() == loop ? "the loop" : "?"));
                    loop.stop();
                });
            });
            loop.runForever();
            poster.join();
            assertEquals(List.of("posted on the loop"), ran);
        }
    }

    @Test
    @Timeout(5)
    void getBlocksAnOutsideThreadUntilTheLoopFinishesTheTask() throws Exception {
        try (Loop loop = Loop.create()) {
            Task<String> task = loop.spawn("worker", () -> {
                Loop.sleep(Duration.ofMillis(20));
                return "done";
            });
            String[] got = new String[1];
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    got[0] = task.get(4, TimeUnit.SECONDS);
                } catch (Exception e) {
                    got[0] = e.toString();
                }
            });
            loop.runUntilComplete(task);
            waiter.join();
            assertEquals("done", got[0]);
        }
    }

    @Test
    @Timeout(5)
    void interruptingTheRunnerStopsTheLoop() throws Exception {
        try (Loop loop = Loop.create()) {
            loop.spawn("sleeper", () -> Loop.sleep(Duration.ofHours(1)));
            Thread runner = Thread.currentThread();
            Thread interrupter = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                }
                runner.interrupt();
            });
            loop.runForever();
            boolean kept = Thread.interrupted();
            interrupter.join();
            assertTrue(kept, "the runner's interrupt status is kept");
        }
    }
}
