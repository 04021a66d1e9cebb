package dev.baton.rotation;

import dev.baton.core.Loop;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * Runs blocking work (copying, gzip, scripts) off the loop: from a coroutine, through
 * {@link Loop#toThread}, so the loop's other coroutines keep their schedule; on any other thread,
 * right there.
 *
 * <p>Thread rules: safe from any thread. A coroutine cancelled while it waits stops waiting, and
 * the work is interrupted (toThread's rule): an interrupted copy or compression fails like any
 * other failed step, and the rotation's recovery or the kept plain version covers it.
 */
final class Offload {
    private Offload() {
    }

    /** Blocking work that may throw an IOException. */
    @FunctionalInterface
    interface Work<T> {
        T call() throws IOException;
    }

    /**
     * The result of {@code work}, run off the loop if the caller is a coroutine.
     *
     * @throws IOException if the work threw one
     */
    static <T> T run(Work<T> work) throws IOException {
        if (!onLoop()) {
            return work.call();
        }
        try {
            return Loop.toThread(work::call);
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    /**
     * {@link #run}, but a coroutine cancelled meanwhile waits for the work to end instead of
     * interrupting it: the cancellation takes effect at its next suspension point. For work whose
     * interruption costs more than the wait (a postrotate script that tells a writer to reopen its
     * file); the work's own timeout bounds the wait.
     *
     * @throws IOException if the work threw one
     */
    static <T> T runToEnd(Work<T> work) throws IOException {
        if (!onLoop()) {
            return work.call();
        }
        try {
            return dev.baton.core.CancelScope.create().shielded().run(() -> run(work));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception other) {
            throw new IOException(other);
        }
    }

    private static boolean onLoop() {
        try {
            Loop.currentTask();
            return true;
        } catch (IllegalStateException notACoroutine) {
            return false;
        }
    }
}
