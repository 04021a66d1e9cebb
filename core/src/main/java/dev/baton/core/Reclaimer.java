package dev.baton.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the scheduler of a {@link Loop} that was dropped without {@link Loop#close()}: its
 * suspended coroutines are cancelled and unwound (their {@code finally} blocks run) and their
 * virtual threads end, instead of staying parked for the life of the JVM. The leak is reported at
 * WARN with the coroutines' names, since the program has a bug: it should have closed the loop.
 */
final class Reclaimer {
    /*
     * Design notes.
     *
     * The collector queues a phantom reference to each Loop once the Loop is unreachable; the
     * reference holds the Scheduler. Coroutine threads hold only the Scheduler, so a parked
     * coroutine does not keep its Loop alive (a coroutine body that captured its Loop does, and
     * then the loop is not reclaimed: Loop.current() is the way to reach it).
     *
     * Closing runs the loop's coroutines, so it must not happen on a thread that might hold a lock
     * they need: it is done by a platform daemon thread of its own, never by the thread that
     * creates the next loop. Loop creation only checks the queue and hands what it finds over.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
    private static final ReferenceQueue<Loop> DROPPED = new ReferenceQueue<>();
    /** The references of loops not closed yet; keeps the references themselves reachable. */
    private static final Set<Dropped> TRACKED = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon().name("baton-loop-reclaimer").start(() -> {
            for (;;) {
                try {
                    reclaim(DROPPED.remove());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static final class Dropped extends PhantomReference<Loop> {
        final Scheduler scheduler;

        Dropped(Loop loop, Scheduler scheduler) {
            super(loop, DROPPED);
            this.scheduler = scheduler;
        }
    }

    private Reclaimer() {
    }

    /** Starts watching a new loop; returns the key that {@link #forget} takes once it is closed. */
    static Object track(Loop loop, Scheduler scheduler) {
        Dropped dropped = new Dropped(loop, scheduler);
        TRACKED.add(dropped);
        return dropped;
    }

    /** A closed loop needs no reclaiming. */
    static void forget(Object key) {
        if (key instanceof Dropped dropped && TRACKED.remove(dropped)) {
            dropped.clear();
        }
    }

    private static void reclaim(Reference<? extends Loop> reference) {
        if (!(reference instanceof Dropped dropped) || !TRACKED.remove(dropped)) {
            return;
        }
        Scheduler scheduler = dropped.scheduler;
        if (scheduler.isClosed()) {
            return;
        }
        List<String> names = scheduler.liveSnapshot().stream().map(c -> c.name()).toList();
        if (!names.isEmpty()) {
            Reports.warn(LOG, "a loop was dropped without close() with " + names.size() + " unfinished coroutines "
                    + names + "; they are cancelled and unwound now. Close every loop (try-with-resources)");
        }
        try {
            scheduler.close();
        } catch (RuntimeException | Error failure) {
            Reports.error(LOG, "closing a dropped loop failed", failure);
        }
    }
}
