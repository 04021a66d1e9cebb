package dev.baton.core;

/**
 * What a suspended coroutine waits on: a timer, a task it joins, a place in a primitive's queue,
 * an outside future. Cancellation takes the coroutine out of it; dumps describe it.
 */
interface Waitable {
    /** Forgets {@code waiter}, which is being woken by cancellation. Baton holder only. */
    void removeWaiter(Coroutine waiter);

    /** What the waiter is doing, for dumps: {@code "sleeping until ..."}, {@code "joining task 'x'"}. */
    String describe(Scheduler loop);
}
