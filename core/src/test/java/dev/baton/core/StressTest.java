package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Outside threads hammer a running loop (execute, cancel, stop, dump) while its coroutines finish,
 * fail, swallow their cancellations and report through a handler that itself throws. Nothing may
 * hang, no executed callback may be lost, and every failure is reported exactly once.
 *
 * <p>Real time, bounded (about 3 s of hammering, 30 s at most): the subject is real concurrency
 * between the loop and other threads, which a virtual clock does not have.
 */
class StressTest {

    private static final int WORKERS = 300;
    private static final Duration HAMMERING = Duration.ofSeconds(3);

    @Test
    void outsideThreadsCannotHangTheLoopLoseACallbackOrAFailure() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), this::stress);
    }

    private void stress() throws Exception {
        Loop loop = Loop.create();
        Map<Throwable, AtomicInteger> reports = new ConcurrentHashMap<>();
        List<String> swallowReports = new CopyOnWriteArrayList<>();
        List<String> abandonReports = new CopyOnWriteArrayList<>();
        AtomicLong handlerCalls = new AtomicLong();
        loop.setExceptionHandler((source, failure) -> {
            handlerCalls.incrementAndGet();
            String message = failure.getMessage() == null ? "" : failure.getMessage();
            if (message.contains("swallowed its cancellation") && message.contains("suspended again")) {
                swallowReports.add(source);
            } else if (message.contains("did not end")) {
                abandonReports.add(source);
            } else {
                reports.computeIfAbsent(failure, f -> new AtomicInteger()).incrementAndGet();
            }
            if (handlerCalls.get() % 3 == 0) {
                throw new IllegalStateException("the handler fails too");
            }
        });

        List<Throwable> thrownByTasks = new CopyOnWriteArrayList<>();
        List<Task<?>> tasks = new ArrayList<>();
        AtomicInteger finishedNormally = new AtomicInteger();
        for (int i = 0; i < WORKERS; i++) {
            int kind = i % 4;
            String name = "worker-" + i + "-" + List.of("finisher", "failer", "swallower", "joiner").get(kind);
            int n = i;
            tasks.add(loop.spawn(name, () -> {
                SplittableRandom random = new SplittableRandom(n);
                switch (kind) {
                    case 0 -> {
                        Loop.sleep(Duration.ofMillis(1 + random.nextInt(20)));
                        finishedNormally.incrementAndGet();
                    }
                    case 1 -> {
                        Loop.sleep(Duration.ofMillis(1 + random.nextInt(50)));
                        IOException failure = new IOException("failure of " + name);
                        thrownByTasks.add(failure);
                        throw failure;
                    }
                    case 2 -> {
                        for (int round = 0; round < 1_000; round++) {
                            try {
                                Loop.sleep(Duration.ofMillis(2));
                            } catch (Exception swallowed) {
                                // the daemon idiom this survives
                            }
                        }
                    }
                    default -> {
                        Task<?> other = tasks.get(n - 3);
                        try {
                            other.join();
                        } catch (RuntimeException failedOrCancelled) {
                            // retrieved: not reported
                        }
                    }
                }
                return null;
            }));
        }

        AtomicBoolean hammering = new AtomicBoolean(true);
        AtomicLong posted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        List<Throwable> outsideErrors = new CopyOnWriteArrayList<>();
        List<Thread> outsiders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            outsiders.add(Thread.ofPlatform().name("outsider-" + t).start(() -> {
                SplittableRandom random = new SplittableRandom(100 + seed);
                try {
                    while (hammering.get()) {
                        switch (random.nextInt(10)) {
                            case 0 -> tasks.get(random.nextInt(WORKERS)).cancel();
                            case 1 -> loop.stop();
                            case 2 -> loop.dump();
                            default -> {
                                posted.incrementAndGet();
                                loop.execute(ran::incrementAndGet);
                            }
                        }
                        if (random.nextInt(50) == 0) {
                            Thread.sleep(1);
                        }
                    }
                } catch (Throwable e) {
                    outsideErrors.add(e);
                }
            }));
        }

        long end = System.nanoTime() + HAMMERING.toNanos();
        int runs = 0;
        while (System.nanoTime() < end) {
            loop.runFor(Duration.ofMillis(50)); // stop() from outside ends some of these early
            runs++;
        }
        hammering.set(false);
        for (Thread outsider : outsiders) {
            outsider.join(10_000);
        }
        loop.runUntilIdle(); // a stop() asked last ends this one at once (stop applies to the next run)...
        loop.runUntilIdle(); // ...and this one runs what the outsiders executed last
        assertEquals(List.of(), outsideErrors);
        assertEquals(posted.get(), ran.get(), "every executed callback ran");

        for (Task<?> task : tasks) {
            task.cancel();
        }
        loop.close();
        assertTrue(runs > 10, "the runner ran " + runs + " times");

        // Every task failure was reported exactly once (joiners retrieved some: those are not reported).
        Map<Throwable, Integer> counts = new IdentityHashMap<>();
        reports.forEach((failure, count) -> counts.put(failure, count.get()));
        for (Throwable failure : thrownByTasks) {
            Integer count = counts.get(failure);
            assertTrue(count == null || count == 1, failure + " was reported " + count + " times");
        }
        long reportedTaskFailures = thrownByTasks.stream().filter(counts::containsKey).count();
        long joinedFailures = tasks.stream()
                .filter(t -> t.name().endsWith("joiner"))
                .map(t -> tasks.get(tasks.indexOf(t) - 3))
                .filter(t -> t.isDone() && !t.isCancelled() && t.name().endsWith("failer"))
                .count();
        assertTrue(reportedTaskFailures >= thrownByTasks.size() - joinedFailures,
                "reported " + reportedTaskFailures + " of " + thrownByTasks.size() + " failures, " + joinedFailures + " joined");
        for (String source : swallowReports) {
            assertTrue(source.contains("swallower"), source);
        }
        assertEquals(swallowReports.size(), swallowReports.stream().distinct().count(), "each swallower reported once");
        assertTrue(swallowReports.containsAll(abandonReports), "only swallowers are abandoned at close: " + abandonReports);
        assertEquals(abandonReports.size(), abandonReports.stream().distinct().count(), "each abandoned once");
        assertTrue(tasks.stream().filter(t -> !t.name().endsWith("swallower")).allMatch(Task::isDone), "every task but the swallowers ended");
        assertTrue(finishedNormally.get() > 0);
        try {
            loop.execute(() -> { });
        } catch (RejectedExecutionException expected) {
            return;
        }
        throw new AssertionError("a closed loop accepted work");
    }
}
