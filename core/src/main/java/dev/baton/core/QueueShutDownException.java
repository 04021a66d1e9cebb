package dev.baton.core;

/**
 * Thrown by a {@link Queue} that is shut down (asyncio's {@code QueueShutDown}): by {@code put} and
 * {@code offer} once {@link Queue#shutdown()} has been called, by {@code take} and {@code poll} once
 * the queue is also empty, and in the coroutines that were waiting in {@code put} or {@code take}
 * when it was shut down. The message says which.
 */
public final class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    QueueShutDownException(String message) {
        super(message);
    }
}
