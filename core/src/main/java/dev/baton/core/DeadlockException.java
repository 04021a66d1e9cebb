package dev.baton.core;

/**
 * Thrown by {@link Loop#runUntilComplete} on a {@link VirtualClock} when the awaited task can never
 * complete: nothing is ready to run and no timer is pending, so no suspended coroutine can ever be
 * woken. The message names every unfinished coroutine, what it waits for, and its stack from the
 * suspension point down to its body.
 *
 * <p>The coroutines stay suspended; {@link Loop#close()} cancels and unwinds them.
 */
public final class DeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DeadlockException(String message) {
        super(message);
    }
}
