package dev.baton.core;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Schedule exploration: the order in which the scheduler takes equally ready work, when it is not
 * FIFO. Work is taken in batches, as trio does: a batch is everything ready at the moment the
 * previous batch is used up, shuffled by a generator seeded with {@link #seed()}; work that becomes
 * ready while a batch runs waits for the next batch. The same seed and program give the same order.
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
     * What is not: the batch boundary, so Loop.sleep(Duration.ZERO) still lets everything ready
     * now run before the caller resumes, and a callback scheduled by a running coroutine still runs
     * after everything that was ready; deadline order, so a timer never fires before one with an
     * earlier deadline; virtual time itself; what a coroutine does between two suspension points.
     * These are promises of Loop, not accidents of FIFO, and code may rely on them.
     *
     * Cost when off: none beyond one null check per scheduling step (Scheduler.tieBreak is null).
     */

    private final long seed;
    private final SplittableRandom random;
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

    private void shuffle(ArrayDeque<Object> ready) {
        if (ready.size() < 2) {
            return;
        }
        Object[] batch = ready.toArray();
        for (int i = batch.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Object swap = batch[i];
            batch[i] = batch[j];
            batch[j] = swap;
        }
        ready.clear();
        for (Object entry : batch) {
            ready.addLast(entry);
        }
    }

    @Override
    public String toString() {
        return "TieBreak[seed " + seed + "]";
    }
}
