package dev.baton.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** asyncio's {@code wait_for}: a body run as a child coroutine under a deadline. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * Runs {@code body} as a child coroutine and waits at most {@code timeout} for it (asyncio's
     * {@code wait_for}): at the deadline the child is cancelled, its {@code finally} blocks run, and
     * this throws {@link TimeoutException}; but if the body, unwinding, returns a value or throws
     * another exception, that outcome is what this returns or throws (see
     * {@link Task#join(Duration)}). If the calling coroutine is cancelled, so is the child, and this
     * returns only after the child has unwound; a failure of the child meanwhile is added to the
     * thrown {@link CancellationException} as suppressed. A negative timeout is rejected before
     * anything runs (as trio does; asyncio times out at once).
     *
     * @throws TimeoutException if the deadline passed first and the body ended cancelled
     * @throws CompletionException if the body failed (its exception is the cause)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a coroutine
     */
    static <T> T withTimeout(Duration timeout, Callable<T> body) throws TimeoutException {
        Objects.requireNonNull(timeout, "Loop.withTimeout: timeout must not be null");
        Objects.requireNonNull(body, "Loop.withTimeout: body must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("Loop.withTimeout: timeout must not be negative, was " + timeout);
        }
        Coroutine self = Scheduler.currentCoroutine("Loop.withTimeout");
        self.loop().enterSuspension(self, false);
        Task<T> child = self.loop().spawn(self.name() + "/timeout", body);
        try {
            return child.join(timeout);
        } catch (CancellationException e) {
            if (self.loop().pendingCancellation(self) != null) {
                child.cancel();
                child.awaitDoneQuietly(self);
                if (child.isFailed()) {
                    e.addSuppressed(child.failure()); // the child's own failure while unwinding is not lost
                }
            }
            throw e;
        }
    }
}
