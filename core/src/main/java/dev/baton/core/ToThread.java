package dev.baton.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * asyncio's {@code to_thread}: blocking work on a thread outside the loop, awaited by a coroutine.
 * The documentation users read is on {@link Loop#toThread}.
 */
final class ToThread {
    /*
     * Design notes.
     *
     * Platform threads, not virtual ones: the point is to keep blocking or CPU-bound work off the
     * carriers, and with one carrier per loop (parallelism=1) a virtual worker would take the very
     * carrier the loop needs. Daemon threads from a cached pool, named after the coroutine, so a
     * thread dump says whose work it is; idle ones end after a minute.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(work -> Thread.ofPlatform()
            .daemon().name("baton-to-thread-" + COUNT.incrementAndGet()).unstarted(work));

    private ToThread() {
    }

    static <T> T run(Callable<T> work) {
        Objects.requireNonNull(work, "Loop.toThread: work must not be null");
        Coroutine self = Scheduler.currentCoroutine("Loop.toThread");
        self.loop().enterSuspension(self, false);
        String name = self.name();
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> worker = WORKERS.submit(() -> {
            Thread.currentThread().setName("baton-to-thread for '" + name + "'");
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return Scheduler.await(result, true);
        } catch (CancellationException cancelled) {
            if (!result.isDone()) {
                worker.cancel(true); // interrupts the worker
                result.whenComplete((value, failure) -> reportLate(name, value, failure));
            }
            throw cancelled;
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException r ? r : failed;
        }
    }

    /** The work ended after its coroutine was cancelled: nobody will see its outcome, so it is logged. */
    private static void reportLate(String name, Object value, Throwable failure) {
        if (failure instanceof InterruptedException || failure instanceof CancellationException) {
            return; // it obeyed the interrupt: nothing was produced
        }
        if (failure != null) {
            Reports.error(LOG, "Loop.toThread work of coroutine '" + name + "' failed after the coroutine was cancelled",
                    failure);
        } else {
            Reports.warn(LOG, "Loop.toThread work of coroutine '" + name + "' finished after the coroutine was cancelled;"
                    + " its result was discarded: " + value);
        }
    }
}
