package dev.baton.core;

/** A callback or a timer: a ready-queue entry, a timer-queue entry, or both in turn. */
final class Entry implements Loop.Handle, Comparable<Entry>, Waitable {
    final long deadline;
    final long sequence;
    /** A {@link Runnable} callback or a {@link Coroutine} to wake. */
    final Object action;
    /** The timer heap that holds this entry; null once it left the heap (or never was in it). */
    Timers heap;
    /** Set when cancelled or run. Baton holder only. */
    boolean cancelled;
    /** A user's callback, which close() drops. Baton holder only. */
    boolean dropOnClose;

    Entry(long deadline, long sequence, Object action) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.action = action;
    }

    @Override
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        if (heap != null) {
            heap.cancelled();
        }
        return true;
    }

    @Override
    public void removeWaiter(Coroutine waiter) {
        cancel();
    }

    @Override
    public String describe(Scheduler loop) {
        return deadline == Scheduler.NEVER ? "sleeping forever" : "sleeping until " + loop.wallTimeAt(deadline);
    }

    @Override
    public int compareTo(Entry other) {
        int byDeadline = Long.compare(deadline, other.deadline);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
