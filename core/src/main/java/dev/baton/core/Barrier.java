package dev.baton.core;

import java.util.concurrent.BrokenBarrierException;

/**
 * A meeting point for a fixed number of coroutines: asyncio's {@code Barrier}. Each of {@link
 * #parties()} coroutines calls {@link #await()}; all of them wait until the last one arrives, then
 * all pass together, and the barrier can be used again.
 *
 * <p>A cycle: while <em>filling</em>, arrivals wait. The last arrival releases them all and the
 * barrier is <em>draining</em> until every released coroutine has resumed; coroutines that arrive
 * meanwhile wait for the next cycle, which starts only once the barrier has drained (so a cycle
 * never mixes with the previous one). {@link #reset()} and {@link #abort()} end a cycle early.
 *
 * <p>Ordering: released coroutines resume in the order they arrived, after the releasing
 * coroutine, which does not suspend. {@code await()} returns the arrival index: 0 for the first
 * to arrive among the parties that passed, {@code parties() - 1} for the last; each index is
 * returned once per cycle.
 *
 * <p>Cancellation: a waiting coroutine that is cancelled leaves the barrier (it no longer counts
 * towards the parties) and {@code await()} throws {@link java.util.concurrent.CancellationException}.
 * A coroutine that was released (or refused by a reset or abort) before the cancellation reached it
 * returns (or throws {@link BrokenBarrierException}) as if it had not been cancelled; the
 * cancellation surfaces at its next suspension point. Likewise a reset or abort after the release
 * does not take a passage back (asyncio breaks the released coroutines that have not resumed yet).
 *
 * <p>Loop-local, like {@link Event}: the barrier belongs to the loop of the first coroutine that
 * waits on it. {@code reset}, {@code abort} and the queries never suspend.
 */
public final class Barrier {
    /*
     * `outstanding` counts coroutines released or refused but not yet resumed: each decrements it
     * when it runs, and the last one ends DRAINING/RESETTING. Arrivals during DRAINING/RESETTING
     * wait in `blocked` and look again when the state changes. Cancelled arrivals are taken out of
     * `arrivals` by the loop at once, so arrivals.size() is always the count of real waiters.
     */
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final LoopBound bound = new LoopBound("Barrier");
    private final int parties;
    /** Coroutines waiting for the last party. Baton holder only. */
    private final WaitQueue arrivals = new WaitQueue(() -> "waiting in Barrier.await(), " + describeCount());
    /** Coroutines that arrived while the barrier drained or reset. Baton holder only. */
    private final WaitQueue blocked = new WaitQueue(() -> "waiting in Barrier.await() for the barrier to drain");
    /** Baton holder only. */
    private State state = State.FILLING;
    /** Released or refused arrivals that have not resumed yet. Baton holder only. */
    private int outstanding;

    private Barrier(int parties) {
        this.parties = parties;
    }

    /**
     * A barrier for {@code parties} coroutines.
     *
     * @param parties how many coroutines each cycle waits for; at least 1
     * @return a new barrier, filling, with nobody waiting
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public static Barrier create(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier.create: parties must be at least 1, was " + parties);
        }
        return new Barrier(parties);
    }

    /**
     * Waits until {@link #parties()} coroutines have called this method, then returns this
     * coroutine's arrival index (0 to {@code parties() - 1}). The last to arrive does not suspend.
     *
     * @return this coroutine's arrival index in its cycle: 0 for the first to arrive among the
     *     parties that passed, {@code parties() - 1} for the last
     * @throws BrokenBarrierException if the barrier is broken ({@link #abort()}) when this is called
     *     or while it waits, or is {@link #reset()} while it waits
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled while it
     *     waits (it then no longer counts towards the parties)
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public int await() throws BrokenBarrierException {
        Coroutine self = bound.waiter("await");
        while (state == State.DRAINING || state == State.RESETTING) {
            blocked.await(self, null);
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier.await: the barrier is broken (aborted); reset() repairs it");
        }
        int index = arrivals.size();
        if (index + 1 == parties) {
            release();
            return index;
        }
        WaitQueue.Node node = arrivals.await(self, null);
        resumed();
        if (node.refused) {
            throw new BrokenBarrierException(state == State.BROKEN
                    ? "Barrier.await: the barrier was aborted while this coroutine waited"
                    : "Barrier.await: the barrier was reset while this coroutine waited");
        }
        return (Integer) node.item;
    }

    /**
     * Puts the barrier back to filling, empty: the coroutines waiting in it throw {@link
     * BrokenBarrierException}. Repairs a broken barrier. Coroutines that arrive before the refused
     * ones have resumed wait for them, as while draining. Never suspends.
     */
    public void reset() {
        bound.check("reset");
        outstanding += arrivals.refuseAll();
        state = outstanding > 0 ? State.RESETTING : State.FILLING;
        if (state == State.FILLING) {
            blocked.refuseAll();
        }
    }

    /**
     * Breaks the barrier: the coroutines waiting in it, and every later {@link #await()} until
     * {@link #reset()}, throw {@link BrokenBarrierException}. Never suspends.
     */
    public void abort() {
        bound.check("abort");
        state = State.BROKEN;
        outstanding += arrivals.refuseAll();
        blocked.refuseAll();
    }

    /**
     * How many coroutines {@link #await()} waits for.
     *
     * @return the count given to {@link #create(int)}, the same for every cycle
     */
    public int parties() {
        return parties;
    }

    /**
     * How many coroutines wait for the barrier to fill (0 unless it is filling).
     *
     * @return the arrivals of the current cycle still waiting, less than {@link #parties()}; 0 while
     *     the barrier drains, resets or is broken
     */
    public int waiting() {
        return state == State.FILLING ? arrivals.size() : 0;
    }

    /**
     * Whether the barrier is broken: aborted and not reset since.
     *
     * @return true from {@link #abort()} until the next {@link #reset()}
     */
    public boolean isBroken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "Barrier[" + state.name().toLowerCase(java.util.Locale.ROOT) + ", " + describeCount() + "]";
    }

    /** Releases the waiting arrivals with their indexes; the caller is the last party. */
    private void release() {
        int index = 0;
        while (arrivals.peekFirst() != null) {
            arrivals.peekFirst().item = index++;
            arrivals.grantFirst();
            outstanding++;
        }
        state = State.DRAINING;
        drained();
    }

    /** A released or refused arrival has resumed. */
    private void resumed() {
        outstanding--;
        drained();
    }

    /** Ends draining or resetting once every released or refused arrival has resumed. */
    private void drained() {
        if (outstanding == 0 && (state == State.DRAINING || state == State.RESETTING)) {
            state = State.FILLING;
            blocked.refuseAll(); // "refused" here means: look again
        }
    }

    private String describeCount() {
        return "waiters:" + waiting() + "/" + parties;
    }
}
