package dev.baton.core;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task's failure (or a one-shot executor task's) that nobody has retrieved yet. It is reported to the loop's exception handler
 * once it is known that nobody ever will: when the task has been garbage-collected, or when the
 * loop closes with it still unretrieved (asyncio reports from the task's finalizer for the same
 * reason). Retrieving it before that (join, get, onDone, toCompletableFuture) settles it silently.
 */
final class UnretrievedFailure implements Runnable {
    /** Its thread runs only {@link #run()}, which posts to the loop and returns. */
    private static final Cleaner CLEANER = Cleaner.create();

    final String source;
    final Throwable failure;
    private final Scheduler loop;
    /** Set once: by a retrieval (any thread) or by the report itself (the loop). */
    private final AtomicBoolean settled = new AtomicBoolean();

    private UnretrievedFailure(Scheduler loop, String source, Throwable failure) {
        this.loop = loop;
        this.source = source;
        this.failure = failure;
    }

    /**
     * Tracks {@code failure}, which {@code holder} (a future) keeps, until it is retrieved or
     * {@code holder} is collected. Baton holder only.
     */
    static UnretrievedFailure track(Scheduler loop, Object holder, String source, Throwable failure) {
        UnretrievedFailure pending = new UnretrievedFailure(loop, source, failure);
        CLEANER.register(holder, pending);
        return pending;
    }

    /** Someone retrieved the failure: it will not be reported. Any thread. */
    void settle() {
        settled.set(true);
    }

    /** Reports the failure unless it was retrieved or reported already. Baton holder, or a closed loop. */
    void reportIfUnsettled() {
        if (settled.compareAndSet(false, true)) {
            loop.reportFailure(source, failure);
        }
    }

    /** The task was collected: report on the loop (on this thread if the loop is closed). */
    @Override
    public void run() {
        if (!loop.postUnretrieved(this)) {
            reportIfUnsettled();
        }
    }
}
