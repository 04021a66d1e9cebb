package dev.baton.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off under both {@link Loop} and {@link Generator}: one volatile field naming the thread
 * allowed to run. A thread gives the baton away by naming the next thread and unparking it, then
 * parks until the baton names it again (a platform thread spins for a few microseconds first). The
 * write and read of the field order everything the two threads did, so the state they share needs
 * no other synchronization.
 */
final class Baton {
    private static final java.lang.invoke.VarHandle OWNER;

    static {
        try {
            OWNER = java.lang.invoke.MethodHandles.lookup().findVarHandle(Baton.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How long a platform thread spins for the baton before it parks. */
    private static final long PLATFORM_SPIN_NANOS = 20_000;

    /** The thread allowed to run; null when none is. Written only by the thread holding it, or to claim it. */
    private volatile Thread owner;

    Thread owner() {
        return owner;
    }

    boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Makes the calling thread the holder if nobody holds the baton: the one atomic step by which a
     * run method starts, so two threads starting at once cannot both get in.
     */
    boolean claim() {
        return OWNER.compareAndSet(this, null, Thread.currentThread());
    }

    /** Makes {@code thread} the holder without waking anything: the caller is that thread, or none runs. */
    void set(Thread thread) {
        owner = thread;
    }

    /** Gives the baton to {@code next}, a started thread parked in {@link #await} (or about to be). */
    void handTo(Thread next) {
        owner = next;
        LockSupport.unpark(next);
    }

    /** Gives the baton to {@code fresh}, a thread not yet started, and starts it. */
    void start(Thread fresh) {
        owner = fresh;
        fresh.start();
    }

    /**
     * Parks the calling thread until the baton names it. An interrupt does not end the wait: it is
     * cleared, {@code onInterrupt} runs (if given), and the wait goes on.
     *
     * @return whether the thread was interrupted while it waited
     */
    boolean await(Runnable onInterrupt) {
        Thread me = Thread.currentThread();
        if (owner == me) {
            return false; // handed back before this thread parked
        }
        if (!me.isVirtual()) {
            // A platform thread's park and unpark go through the OS, tens of microseconds each way;
            // a generator's next() driven from one gets its value back within a few. Spin that long
            // first (bounded: a run method's caller waits here for the whole run).
            long end = System.nanoTime() + PLATFORM_SPIN_NANOS;
            while (owner != me && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            if (owner == me) {
                return false;
            }
        }
        // do-while, not while: a loop compiled while every coroutine parks on its first pass would
        // have never seen the exit, and each later resume would deoptimize it (measured: ~1M traps
        // in a run of a million coroutines).
        boolean interrupted = false;
        do {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                if (onInterrupt != null) {
                    onInterrupt.run();
                }
            }
        } while (owner != me);
        return interrupted;
    }
}
