package dev.baton.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable between coroutines: asyncio's {@code Condition}. A coroutine holding the
 * condition's {@link Lock} calls {@link #await()} to release the lock and wait until another
 * coroutine, holding the lock, calls {@link #signal()} or {@link #signalAll()}; {@code await()}
 * takes the lock back before it returns.
 *
 * <pre>{@code
 * lock.acquire();
 * try {
 *     ready.awaitUntil(() -> !items.isEmpty());
 *     use(items.remove());
 * } finally {
 *     lock.release();
 * }
 * }</pre>
 *
 * <p>asyncio's {@code notify}/{@code notify_all} are {@code signal}/{@code signalAll} here, as in
 * {@code java.util.concurrent.locks.Condition}: Java's {@code Object.notify()} is final.
 *
 * <p>Ordering: waiters are signalled in the order they started waiting. A signalled waiter takes
 * the lock back in line with every other coroutine waiting for the lock (fairly, after the ones
 * that queued before it was signalled).
 *
 * <p>Cancellation: {@code await()} always returns or throws holding the lock again, so a {@code
 * finally} that releases it is right on every path. A waiter cancelled before it is signalled
 * throws {@link java.util.concurrent.CancellationException} (after taking the lock back). A waiter
 * signalled before the cancellation reached it returns normally, and the cancellation surfaces at
 * its next suspension point: a signal is never lost to a cancellation. Taking the lock back is not
 * interrupted by cancellation (asyncio retries it the same way).
 *
 * <p>Loop-local, like {@link Lock}: every method must be called from a coroutine of the lock's
 * loop; {@code signal} and {@code await} require the caller to hold the lock.
 */
public final class Condition {
    /*
     * Signalled waiters are granted in the WaitQueue; a waiter resumes, then takes the lock back
     * with Lock.acquireShielded, which keeps its place in the lock's queue through cancellation.
     */
    private final LoopBound bound = new LoopBound("Condition");
    private final Lock lock;
    private final WaitQueue waiters = new WaitQueue("waiting in Condition.await()");

    private Condition(Lock lock) {
        this.lock = lock;
    }

    /**
     * A condition with a new lock of its own, reachable through {@link #lock()}.
     *
     * @return a new condition, nobody waiting, on a new lock that is free
     */
    public static Condition create() {
        return new Condition(Lock.create());
    }

    /**
     * A condition on {@code lock}; several conditions may share one lock.
     *
     * @param lock the lock a caller must hold to wait or signal
     * @return a new condition on {@code lock}, nobody waiting
     * @throws NullPointerException if {@code lock} is null
     */
    public static Condition create(Lock lock) {
        Objects.requireNonNull(lock, "Condition.create: lock must not be null");
        return new Condition(lock);
    }

    /**
     * The lock a caller must hold to wait or signal.
     *
     * @return the lock given to {@link #create(Lock)}, or the condition's own
     */
    public Lock lock() {
        return lock;
    }

    /**
     * Releases the lock, waits until signalled, and takes the lock back.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before it is
     *     signalled (it holds the lock again when this throws); if it is cancelled before waiting,
     *     the lock is never released
     * @throws IllegalStateException if the calling coroutine does not hold the lock, or if not
     *     called from a coroutine of the lock's loop
     */
    public void await() {
        Coroutine self = enter("await");
        lock.handOver();
        try {
            waiters.await(self, null);
        } finally {
            lock.acquireShielded(self);
        }
    }

    /**
     * Like {@link #await()}, but gives up after {@code timeout} of the loop's clock; the lock is
     * held again either way.
     *
     * @param timeout how long to wait for a signal, on the loop's clock
     * @return true if signalled, false if the timeout passed first
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException as {@link #await()}
     * @throws IllegalStateException as {@link #await()}
     */
    public boolean await(Duration timeout) {
        Objects.requireNonNull(timeout, "Condition.await: timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("Condition.await: timeout must not be negative, was " + timeout);
        }
        Coroutine self = enter("await");
        lock.handOver();
        try {
            return waiters.await(self, null, timeout).granted;
        } finally {
            lock.acquireShielded(self);
        }
    }

    /**
     * Waits until {@code predicate} is true (asyncio's {@code wait_for}): checks it first, and
     * again each time the coroutine is signalled and holds the lock. Returns at once, without
     * waiting, if it is true already.
     *
     * @param predicate the state to wait for, read while the caller holds the lock
     * @throws java.util.concurrent.CancellationException as {@link #await()}
     * @throws IllegalStateException as {@link #await()}; also if the predicate is false and the
     *     caller does not hold the lock
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "Condition.awaitUntil: predicate must not be null");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes the first waiting coroutine, if any. It resumes once this coroutine releases the
     * lock and the coroutines ahead of it in the lock's queue have had it.
     *
     * @throws IllegalStateException if the calling coroutine does not hold the lock
     */
    public void signal() {
        wake("signal", 1);
    }

    /**
     * Wakes the first {@code n} waiting coroutines (fewer if fewer wait), in the order they
     * waited.
     *
     * @param n how many waiting coroutines to wake; zero wakes none
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the calling coroutine does not hold the lock
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal: n must not be negative, was " + n);
        }
        wake("signal", n);
    }

    /**
     * Wakes every waiting coroutine, in the order they waited.
     *
     * @throws IllegalStateException if the calling coroutine does not hold the lock
     */
    public void signalAll() {
        wake("signalAll", Integer.MAX_VALUE);
    }

    private void wake(String operation, int n) {
        ownerCheck(operation);
        for (int i = 0; i < n && waiters.grantFirst() != null; i++) {
            // each granted waiter now queues for the lock when it runs
        }
    }

    /**
     * How many coroutines wait to be signalled.
     *
     * @return the coroutines in {@link #await()} not yet signalled; those signalled and waiting
     *     for the lock are not counted
     */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Condition[" + (lock.isLocked() ? "locked" : "unlocked") + ", " + waiters.size() + " waiting]";
    }

    /** Checks the caller may wait: a coroutine of the loop, not cancelled, holding the lock. */
    private Coroutine enter(String operation) {
        Coroutine self = bound.waiter(operation);
        lock.checkOwner(self, "Condition." + operation);
        return self;
    }

    private void ownerCheck(String operation) {
        Coroutine self = Lock.caller();
        if (self == null) {
            throw new IllegalStateException("Condition." + operation + ": only a coroutine holding the lock may signal,"
                    + " and thread '" + Thread.currentThread().getName() + "' is not running a coroutine");
        }
        bound.check(operation);
        lock.checkOwner(self, "Condition." + operation);
    }
}
