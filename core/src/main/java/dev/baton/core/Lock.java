package dev.baton.core;

/**
 * A mutual-exclusion lock between coroutines that knows its owner: asyncio's {@code Lock}, with
 * the check asyncio leaves out. {@link #acquire()} suspends while another coroutine holds the
 * lock; {@link #release()} must come from the coroutine that holds it.
 *
 * <pre>{@code
 * lock.acquire();
 * try {
 *     // at most one coroutine here, even across suspension points
 * } finally {
 *     lock.release();
 * }
 * }</pre>
 *
 * <p>Fair: the lock goes to waiting coroutines in the order they started waiting, handed over
 * directly on release; a coroutine that arrives while others wait queues behind them even if the
 * lock is free at that moment. The lock handed to a coroutine that is cancelled before it resumes
 * stays with it ({@code acquire()} returns, and the cancellation comes at its next suspension
 * point), so the {@code try/finally} above never leaks it.
 *
 * <p>Not reentrant: {@code acquire()} by the coroutine that already holds the lock throws instead
 * of waiting forever. A coroutine that ends while holding the lock keeps it held; the loop's
 * deadlock report names the holder.
 *
 * <p>Loop-local, like {@link Event}: the lock belongs to the loop of the first coroutine that
 * uses it; {@code acquire}, {@code tryAcquire} and {@code release} must be called from a coroutine
 * of that loop. Not thread-safe.
 */
public final class Lock {
    /*
     * Ownership passes in release(): the first waiter becomes the owner before it runs, which is
     * what makes the hand-over fair and the "granted then cancelled" case safe. Condition uses
     * acquireShielded to take the lock back whatever cancellation comes.
     */
    private final LoopBound bound = new LoopBound("Lock");
    private final WaitQueue waiters = new WaitQueue(() -> "waiting in Lock.acquire(), held by " + describeOwner());
    /** The coroutine holding the lock; null when free. Baton holder only. */
    private Coroutine owner;

    private Lock() {
    }

    /**
     * A new lock, free.
     *
     * @return a lock that nobody holds or waits for, bound to no loop until first used
     */
    public static Lock create() {
        return new Lock();
    }

    /**
     * Takes the lock, suspending the calling coroutine until it is free and every coroutine that
     * waited before has had it.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before it
     *     gets the lock (it then does not hold it)
     * @throws IllegalStateException if the calling coroutine already holds the lock, if not called
     *     from a coroutine, or from another loop's
     */
    public void acquire() {
        Coroutine self = bound.waiter("acquire");
        if (owner == self) {
            throw new IllegalStateException("Lock.acquire: task '" + self.name()
                    + "' already holds this lock; a Lock is not reentrant");
        }
        if (owner == null && waiters.isEmpty()) {
            owner = self;
        } else {
            waiters.await(self, null);
        }
    }

    /**
     * Takes the lock if it is free and nobody waits; never suspends.
     *
     * @return whether the calling coroutine now holds the lock
     * @throws IllegalStateException if the calling coroutine already holds the lock, or if not
     *     called from a coroutine of the lock's loop
     */
    public boolean tryAcquire() {
        Coroutine self = bound.caller("tryAcquire");
        if (owner == self) {
            throw new IllegalStateException("Lock.tryAcquire: task '" + self.name()
                    + "' already holds this lock; a Lock is not reentrant");
        }
        if (owner == null && waiters.isEmpty()) {
            owner = self;
            return true;
        }
        return false;
    }

    /**
     * Releases the lock, handing it to the first waiting coroutine if there is one (which then
     * holds it before it resumes). Never suspends.
     *
     * @throws IllegalStateException if the calling coroutine does not hold the lock (it is free,
     *     or another coroutine holds it), or if not called from a coroutine
     */
    public void release() {
        Coroutine self = caller();
        if (self == null) {
            throw new IllegalStateException("Lock.release: only the coroutine that holds the lock may release it,"
                    + " and thread '" + Thread.currentThread().getName() + "' is not running a coroutine"
                    + " (a callback or a plain thread cannot own a lock)");
        }
        checkOwner(self, "Lock.release");
        handOver();
    }

    /**
     * Whether some coroutine holds the lock.
     *
     * @return true if a coroutine holds it, including one it was handed to that has not resumed
     */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Whether the calling coroutine holds the lock; false when not called from a coroutine.
     *
     * @return true only if the caller is a coroutine and owns the lock
     */
    public boolean isHeldByCurrentCoroutine() {
        return owner != null && owner == caller();
    }

    @Override
    public String toString() {
        return "Lock[" + (owner == null ? "unlocked" : "locked by task '" + owner.name() + "'")
                + ", " + waiters.size() + " waiting]";
    }

    /** Throws unless {@code self} holds the lock; {@code operation} names the caller's method. */
    void checkOwner(Coroutine self, String operation) {
        if (owner != self) {
            throw new IllegalStateException(operation + ": task '" + self.name() + "' does not hold the lock ("
                    + (owner == null ? "it is not locked" : "task '" + owner.name() + "' holds it") + ")");
        }
    }

    /** Gives the lock to the first waiter, or frees it. The caller has checked ownership. */
    void handOver() {
        WaitQueue.Node next = waiters.grantFirst();
        owner = next == null ? null : next.coroutine;
    }

    /**
     * Takes the lock back for a condition's waiter: queues behind the other waiters and waits
     * whatever cancellation comes. Binds like {@link #acquire()} but does not check cancellation.
     */
    void acquireShielded(Coroutine self) {
        if (owner == null && waiters.isEmpty()) {
            owner = self;
        } else {
            waiters.awaitShielded(self, null);
        }
    }

    /** The coroutine running on this thread; null on a plain thread or in a callback. */
    static Coroutine caller() {
        try {
            return Scheduler.currentCoroutine("Lock");
        } catch (IllegalStateException notACoroutine) {
            return null;
        }
    }

    private String describeOwner() {
        Coroutine o = owner;
        return o == null ? "nobody" : "task '" + o.name() + "'";
    }
}
