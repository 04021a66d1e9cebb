package dev.baton.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The loops inside a run method, so that {@code Loop.sleep()} and the other static entry points
 * find the caller's loop: the newest running loop whose baton names the calling thread. No
 * ThreadLocal: setting one on each coroutine's fresh thread cost 136 bytes per coroutine (a map
 * and its table), over a tenth of a suspended coroutine's footprint.
 */
final class RunningLoops {
    /** Oldest first. Replaced whole under LOCK; read by anyone. */
    private static volatile Scheduler[] loops = new Scheduler[0];
    private static final ReentrantLock LOCK = new ReentrantLock();

    private RunningLoops() {
    }

    /** The newest running loop whose baton the calling thread holds, or null. Any thread. */
    static Scheduler current() {
        Thread me = Thread.currentThread();
        Scheduler[] all = loops;
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i].batonOwner() == me) {
                return all[i];
            }
        }
        return null;
    }

    /** The loops running now; for the watchdog. Any thread. */
    static Scheduler[] all() {
        return loops;
    }

    /** A run method of {@code loop} starts ({@code true}) or ends. */
    static void set(Scheduler loop, boolean running) {
        if (running) {
            Watchdog.ensureStarted();
        }
        LOCK.lock();
        try {
            List<Scheduler> list = new ArrayList<>(List.of(loops));
            if (running) {
                list.add(loop);
            } else {
                list.remove(loop);
            }
            loops = list.toArray(new Scheduler[0]);
        } finally {
            LOCK.unlock();
        }
    }
}
