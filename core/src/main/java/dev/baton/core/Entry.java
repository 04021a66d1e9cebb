package dev.baton.core;

/**
 * A callback: on the ready queue, on the timer heap until it falls due, or both in turn. A
 * sleeping coroutine needs none: it is its own timer.
 */
final class Entry extends Timer implements Loop.Handle {
    final Runnable action;
    /** The timer heap it was scheduled on; null for a callback that went straight to the ready queue. */
    final Timers heap;
    /** Set when cancelled or run. Baton holder only. */
    boolean cancelled;
    /** A user's callback, which close() drops. Baton holder only. */
    boolean dropOnClose;

    /** A callback for the ready queue. */
    Entry(Runnable action) {
        this(action, null);
    }

    /** A timer: the caller adds it to {@code heap}. */
    Entry(Runnable action, Timers heap) {
        this.action = action;
        this.heap = heap;
    }

    @Override
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        if (heap != null) {
            heap.remove(this);
        }
        return true;
    }
}
