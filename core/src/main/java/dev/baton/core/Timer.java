package dev.baton.core;

/**
 * Something a loop's {@link Timers} can hold: a callback's {@link Entry}, or a sleeping
 * {@link Coroutine} (a {@link Task}), which is its own timer so that a sleep allocates nothing. Its deadline is kept
 * by the heap, not here. Baton holder only.
 */
abstract sealed class Timer permits Entry, Task {
    /** Its index in the heap's array while it heads a chain there; -1 otherwise. */
    int slot = -1;
    /** The timer with the same deadline scheduled right after it, which follows it out of the heap. */
    Timer nextSame;
    /** The timer it follows; null for a chain's head or a timer not pending. */
    Timer prevSame;
}
