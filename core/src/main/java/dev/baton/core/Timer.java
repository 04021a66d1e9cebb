package dev.baton.core;

/**
 * Something a loop's {@link Timers} heap can hold: a callback's {@link Entry}, or a sleeping
 * {@link Coroutine}, which is its own timer so that a sleep allocates nothing. Baton holder only.
 */
abstract sealed class Timer permits Entry, Coroutine {
    /** When it is due, on the loop's monotonic clock; {@link Scheduler#NEVER} for never. */
    long deadline;
    /** Breaks ties between equal deadlines: the order the timers were scheduled (FIFO). */
    long sequence;
    /** Its index in the heap's array; -1 while it is not in the heap. */
    int slot = -1;

    /** Whether it is pending in a heap. */
    final boolean isScheduled() {
        return slot >= 0;
    }

    final boolean isBefore(Timer other) {
        return deadline < other.deadline || deadline == other.deadline && sequence < other.sequence;
    }
}
