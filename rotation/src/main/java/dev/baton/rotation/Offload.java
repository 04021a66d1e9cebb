package dev.baton.rotation;

import dev.baton.core.Loop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking work (copying, gzip, scripts) off the loop: on a coroutine, on a platform thread
 * while the coroutine waits in {@link Loop#await}, so the loop's other coroutines keep their
 * schedule; on any other thread, right there.
 *
 * <p>Thread rules: safe from any thread. A coroutine cancelled while it waits stops waiting; the
 * work itself runs to its end (it is never interrupted halfway through a file).
 */
final class Offload {
    /*
     * Design notes.
     *
     * Platform threads, not virtual ones: gzip is CPU work that would hold a carrier thread for
     * its whole run, and a loop on one carrier (-Djdk.virtualThreadScheduler.parallelism=1) would
     * then stop until it ends. Daemon threads, cached: rotations are rare and the pool must not
     * keep a JVM alive. Core is to offer a Loop.toThread for this; until then, supplyAsync.
     */

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Shared by all rotations of the JVM; its threads end after a minute idle. */
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "baton-rotation-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Offload() {
    }

    /** Blocking work that may throw an IOException. */
    @FunctionalInterface
    interface Work<T> {
        T call() throws IOException;
    }

    /**
     * The result of {@code work}, run off the loop if the caller is on one.
     *
     * @throws IOException if the work threw one
     */
    static <T> T run(Work<T> work) throws IOException {
        if (!onLoop()) {
            return work.call();
        }
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, EXECUTOR);
        try {
            return Loop.await(future);
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private static boolean onLoop() {
        try {
            Loop.current();
            return true;
        } catch (IllegalStateException notOnALoop) {
            return false;
        }
    }
}
