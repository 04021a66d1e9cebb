package dev.baton.core;

/**
 * A counter of permits coroutines can wait for: asyncio's {@code Semaphore}, to bound how many
 * coroutines do something at once. {@link #acquire()} takes a permit, suspending while there is
 * none; {@link #release()} gives one back.
 *
 * <p>Fair: permits go to waiting coroutines in the order they started waiting; a coroutine that
 * arrives while others wait queues behind them even if a permit is free. A permit handed to a
 * coroutine that is cancelled before it resumes stays with it ({@code acquire()} returns, and the
 * cancellation comes at its next suspension point), so {@code acquire(); try { ... } finally
 * { release(); }} never leaks one.
 *
 * <p>{@link #bounded(int)} makes asyncio's {@code BoundedSemaphore}: a release that would raise the
 * free permits above the initial count throws, which catches a release without an acquire.
 *
 * <p>Loop-local, like {@link Event}.
 */
public final class Semaphore {
    private final LoopBound bound = new LoopBound("Semaphore");
    private final WaitQueue waiters = new WaitQueue("waiting in Semaphore.acquire()");
    /** Free permits; never above {@code limit}. Baton holder only. */
    private int permits;
    /** The most free permits a release may leave: the initial count if bounded, else MAX_VALUE. */
    private final int limit;

    private Semaphore(int permits, int limit) {
        this.permits = permits;
        this.limit = limit;
    }

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @param permits how many permits are free at first; zero or more
     * @return a new semaphore, unbounded: releases may raise its free permits past {@code permits}
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore create(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("Semaphore.create: permits must not be negative, was " + permits);
        }
        return new Semaphore(permits, Integer.MAX_VALUE);
    }

    /**
     * A semaphore with {@code permits} free permits that never holds more (asyncio's {@code
     * BoundedSemaphore}): {@link #release()} throws if it would leave more than {@code permits}
     * free.
     *
     * @param permits how many permits are free at first, and the most that may ever be free
     * @return a new bounded semaphore with {@code permits} free permits
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore bounded(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("Semaphore.bounded: permits must not be negative, was " + permits);
        }
        return new Semaphore(permits, permits);
    }

    /**
     * Takes a permit, suspending the calling coroutine until one is free.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before it
     *     gets a permit
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public void acquire() {
        Coroutine self = bound.waiter("acquire");
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
        } else {
            waiters.await(self, null);
        }
    }

    /**
     * Takes a permit if one is free and nobody waits; never suspends.
     *
     * @return true if the caller took a permit; false, with nothing changed, if none was free or
     *     coroutines wait for one
     */
    public boolean tryAcquire() {
        bound.check("tryAcquire");
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: to the first waiting coroutine, or to the pool. Never suspends.
     *
     * @throws IllegalStateException if the semaphore is {@linkplain #bounded(int) bounded} and all
     *     its permits are already free (a release without an acquire); nothing changes then
     */
    public void release() {
        bound.check("release");
        if (waiters.isEmpty() && permits >= limit) {
            throw new IllegalStateException("Semaphore.release: released too many times; all " + limit
                    + " permits of this bounded semaphore are already free");
        }
        if (waiters.grantFirst() == null) {
            permits++;
        }
    }

    /**
     * Free permits now.
     *
     * @return how many permits are free to take without suspending; 0 while coroutines wait for one
     */
    public int availablePermits() {
        return permits;
    }

    @Override
    public String toString() {
        return "Semaphore[" + permits + " free" + (limit == Integer.MAX_VALUE ? "" : " of " + limit) + ", " + waiters.size() + " waiting]";
    }
}
