package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.logs.RecordedLogs;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class GeneratorReclaimTest {

    /**
     * A million generators, each dropped while suspended, in a JVM whose heap could hold a small
     * fraction of their threads: it finishes, and their finally blocks ran. Real time, bounded
     * (240 s): it needs its own JVM to fix the heap size.
     */
    @Test
    void aMillionAbandonedGeneratorsFitInA32MiBHeapAndAreClosed() throws Exception {
        int count = 1_000_000;
        long started = System.nanoTime();
        String last = ForkedJvm.lastLine(List.of("-Xmx32m"), AbandonedGenerators.class, 240, String.valueOf(count));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(last.startsWith("created " + count + " sum " + count + " closed "), last);
        long closed = Long.parseLong(last.substring(last.lastIndexOf(' ') + 1));
        // Most are closed while the program runs; the ones dropped since the last collection are not yet.
        assertTrue(closed > count / 2, "closed only " + closed + " of " + count);
        System.out.println("GeneratorReclaimTest: " + last + " in " + millis + " ms");
    }

    /**
     * A thread that holds a lock and creates generators must not end up waiting for a dropped
     * generator's finally that needs the same lock: reclaiming runs elsewhere, and the finally runs
     * once the lock is free. Real time, bounded (30 s each wait): the collector decides when it
     * finds the dropped generators.
     */
    @Test
    void creatingAGeneratorNeverWaitsForADroppedGeneratorsCleanup() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        int dropped = 64;
        CountDownLatch cleanedUp = new CountDownLatch(dropped);
        List<WeakReference<Generator<Integer>>> found = dropSuspended(dropped, lock, cleanedUp);
        Thread creator = new Thread(() -> {
            lock.lock();
            try {
                // Create generators while the collector finds the dropped ones, then some more.
                while (found.stream().anyMatch(reference -> reference.get() != null)) {
                    System.gc();
                    Generator.of(y -> y.yield(0)).close();
                }
                for (int i = 0; i < 10_000; i++) {
                    Generator.of(y -> y.yield(0)).close();
                }
            } finally {
                lock.unlock();
            }
        }, "creator holding the lock");
        creator.setDaemon(true); // left behind if it deadlocks
        creator.start();
        creator.join(30_000);
        assertFalse(creator.isAlive(), "Generator.of() deadlocked: it ran a dropped generator's finally on the"
                + " creating thread and waited for it, and that finally waits for the lock the creator holds");
        assertTrue(cleanedUp.await(30, TimeUnit.SECONDS),
                "the dropped generators' finally blocks did not all run once the lock was free: "
                        + cleanedUp.getCount() + " of " + dropped + " left");
        assertEquals(0, lock.getQueueLength());
    }

    /** Starts {@code count} generators, each suspended in a try whose finally takes {@code lock}, and drops them. */
    private static List<WeakReference<Generator<Integer>>> dropSuspended(int count, ReentrantLock lock, CountDownLatch cleanedUp) {
        List<WeakReference<Generator<Integer>>> references = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Generator<Integer> generator = Generator.of(y -> {
                try {
                    y.yield(1);
                } finally {
                    lock.lock();
                    try {
                        cleanedUp.countDown();
                    } finally {
                        lock.unlock();
                    }
                }
            });
            generator.next();
            references.add(new WeakReference<>(generator));
        }
        return references;
    }

    /**
     * A dropped generator whose finally throws, and one that catches the exit and yields again:
     * each is reported in the log, naming the exception or the value (Python reports both through
     * sys.unraisablehook: "Exception ignored while closing generator"). Real time, bounded (30 s):
     * the collector decides when it finds them.
     */
    @Test
    void aDroppedGeneratorThatFailsOrIgnoresTheExitIsLogged() throws Exception {
        IllegalStateException failure = new IllegalStateException("finally-failed-while-reclaimed-4711");
        dropSuspendedFailing(failure);
        dropSuspendedIgnoringTheExit("ignored-exit-value-4712");
        for (int i = 0; i < 3_000 && (logged(failure).isEmpty() || logged("ignored-exit-value-4712").isEmpty()); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, logged(failure).size(), RecordedLogs.all()::toString);
        List<RecordedLogs.Event> ignored = logged("ignored-exit-value-4712");
        assertEquals(1, ignored.size(), RecordedLogs.all()::toString);
        assertTrue(ignored.get(0).message().contains("ignored its close"), ignored.get(0).message());
    }

    private static List<RecordedLogs.Event> logged(Throwable error) {
        return RecordedLogs.matching(event -> event.error() == error);
    }

    private static List<RecordedLogs.Event> logged(String text) {
        return RecordedLogs.containing(text);
    }

    private static void dropSuspendedFailing(RuntimeException failure) {
        Generator<Integer> failing = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                throw failure;
            }
        });
        failing.next();
    }

    private static void dropSuspendedIgnoringTheExit(String value) {
        Generator<String> stubborn = Generator.of(y -> {
            try {
                y.yield("first");
            } catch (CancellationException exit) {
                y.yield(value);
            }
        });
        stubborn.next();
    }
}
