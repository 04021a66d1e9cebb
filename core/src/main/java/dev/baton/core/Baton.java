package dev.baton.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off under both {@link Loop} and {@link Generator}: one volatile field naming the thread
 * allowed to run. A thread gives the baton away by naming the next thread and unparking it, then
 * parks until the baton names it again (a platform thread spins for a few microseconds first, and
 * so, by yielding, does a generator's virtual caller on the JDK's shared scheduler). The
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

    /** How long a waiting thread spins (platform) or yields (virtual, shared scheduler) before it parks. */
    private static final long SPIN_NANOS = 20_000;
    /**
     * Whether the JDK's shared scheduler has more than one carrier, so that a thread just unparked
     * can be stolen by another: only then does a virtual thread yield rather than park.
     */
    private static final boolean SHARED_HAS_CARRIERS = sharedParallelism() > 1;

    private static int sharedParallelism() {
        String set = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        try {
            return set == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(set.trim());
        } catch (NumberFormatException unreadable) {
            return Runtime.getRuntime().availableProcessors(); // what the JDK then uses too
        }
    }

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
        return await(onInterrupt, false);
    }

    /**
     * {@link #await(Runnable)} for a caller that expects the baton back within microseconds (a
     * generator's {@code next()}): a virtual thread on the JDK's shared scheduler yields for a few
     * microseconds before it parks, as a platform thread spins.
     */
    boolean awaitSoon() {
        return await(null, true);
    }

    private boolean await(Runnable onInterrupt, boolean soon) {
        Thread me = Thread.currentThread();
        if (owner == me) {
            return false; // handed back before this thread parked
        }
        // A platform thread's park and unpark go through the OS, tens of microseconds each way; a
        // generator's next() driven from one gets its value back within a few: it spins that long
        // first (bounded: a run method's caller waits here for the whole run).
        //
        // A virtual thread on the JDK's shared scheduler that parks lets an idle carrier steal the
        // thread it just unparked, and a hand-off there crosses cores both ways (a generator's
        // next() took 0.6-2.3 us). One that expects the baton back soon yields instead, keeping
        // its carrier: the thread just unparked, queued before it, runs there next; if another
        // carrier took it, its hand-back finds this thread still queued, with no park to undo. Not
        // on a loop's own carrier, whose queue puts a yielding thread first, nor with one shared
        // carrier: there a park is the hand-off, and cheaper.
        boolean platform = !me.isVirtual();
        if (platform || soon && SHARED_HAS_CARRIERS && !Carrier.mayMount(me)) {
            long end = System.nanoTime() + SPIN_NANOS;
            while (owner != me && System.nanoTime() < end) {
                if (platform) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
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
