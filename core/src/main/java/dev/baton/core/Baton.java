package dev.baton.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off under both {@link Loop} and {@link Generator}: one volatile field naming the thread
 * allowed to run. A thread gives the baton away by naming the next thread and unparking it, then
 * parks until the baton names it again. The write and read of the field order everything the two
 * threads did, so the state they share needs no other synchronization.
 */
final class Baton {
    /** The thread allowed to run; null when none is. Written only by the thread holding it, or to start. */
    private volatile Thread owner;

    Thread owner() {
        return owner;
    }

    boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** Makes {@code thread} the holder without waking anything: the caller is that thread, or none runs. */
    void set(Thread thread) {
        owner = thread;
    }

    /** Gives the baton to {@code next}, starting it if it was never started. */
    void handTo(Thread next) {
        owner = next;
        if (next.getState() == Thread.State.NEW) {
            next.start();
        } else {
            LockSupport.unpark(next);
        }
    }

    /**
     * Parks the calling thread until the baton names it. An interrupt does not end the wait: it is
     * cleared, {@code onInterrupt} runs (if given), and the wait goes on.
     *
     * @return whether the thread was interrupted while it waited
     */
    boolean await(Runnable onInterrupt) {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (owner != me) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                if (onInterrupt != null) {
                    onInterrupt.run();
                }
            }
        }
        return interrupted;
    }
}
