package dev.baton.core;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Schedule exploration: the order in which the scheduler takes equally ready work, when it is not
 * FIFO. Work is taken in batches, as trio does: a batch is everything ready at the moment the
 * previous batch is used up, shuffled by a generator seeded with {@link #seed()}; work that becomes
 * ready while a batch runs waits for the next batch. Within a batch, a coroutine that yielded with
 * {@code Loop.sleep(Duration.ZERO)} stays after everything queued before it, as the loop promises.
 * The same seed and program give the same order.
 */
final class TieBreak {
    /*
     * Design notes.
     *
     * What is perturbed: the order within one batch of the ready queue, which holds coroutines to
     * start or resume, callSoon and execute() callbacks, done-callbacks, and the timers that fell
     * due at the same step (on a virtual clock, timers with equal deadlines: the clock only ever
     * moves to the next deadline, so one step's due timers share it).
     *
     * What is not: the place of a coroutine that yielded with Loop.sleep(Duration.ZERO), after all
     * that was queued before it, so that it still lets everything ready then run before it resumes
     * (a batch is cut into segments at such coroutines, and each segment shuffled on its own);
     * deadline order, so a timer never fires before one with an earlier deadline; virtual time
     * itself; what a coroutine does between two suspension points. Perturbed on purpose: the FIFO
     * order of spawn, callSoon, execute and wake-ups, which code should not depend on.

     * Cost when off: none beyond one null check per scheduling step (Scheduler.tieBreak is null).
     */

    private final long seed;
    private final SplittableRandom random;
    /** Coroutines queued by Loop.sleep(Duration.ZERO) and not yet in a batch; by identity. Baton holder only. */
    private final java.util.Set<Object> yielders = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Entries of the current batch still at the head of the ready queue. Baton holder only. */
    private int batchLeft;

    TieBreak(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    long seed() {
        return seed;
    }

    /** The next entry to run, taken from the head of {@code ready}; null if it is empty. Baton holder only. */
    Object next(ArrayDeque<Object> ready) {
        if (batchLeft <= 0 || batchLeft > ready.size()) {
            batchLeft = ready.size();
            shuffle(ready);
        }
        if (batchLeft == 0) {
            return null;
        }
        batchLeft--;
        return ready.pollFirst();
    }

    /** {@code coroutine} was just queued by {@code Loop.sleep(Duration.ZERO)}: all queued before it stays before it. Baton holder only. */
    void yielded(Object coroutine) {
        yielders.add(coroutine);
    }

    /**
     * Shuffles the batch (the whole queue) segment by segment: a coroutine that yielded with
     * {@code Loop.sleep(Duration.ZERO)} stays after every entry queued before it.
     */
    private void shuffle(ArrayDeque<Object> ready) {
        Object[] batch = ready.toArray();
        int from = 0;
        for (int i = 0; i <= batch.length; i++) {
            if (i == batch.length || yielders.remove(batch[i])) {
                shuffle(batch, from, i);
                from = i + 1;
            }
        }
        ready.clear();
        for (Object entry : batch) {
            ready.addLast(entry);
        }
    }

    /** Fisher-Yates over {@code batch[from ..< to]}. */
    private void shuffle(Object[] batch, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            Object swap = batch[i];
            batch[i] = batch[j];
            batch[j] = swap;
        }
    }

    @Override
    public String toString() {
        return "TieBreak[seed " + seed + "]";
    }
}
