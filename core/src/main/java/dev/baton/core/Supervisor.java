package dev.baton.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches a set of tasks for one waiting coroutine: collects failures in the order they happen,
 * cancels the rest on the first one (if asked), and waits until all are done. The waiting is
 * structured: if the waiting coroutine is cancelled, it cancels the tasks and still waits for
 * them to unwind before it throws. The engine of gather and TaskGroup. Baton holder only.
 */
final class Supervisor implements Waitable {
    private final Scheduler loop;
    private final boolean cancelOnFailure;
    private final boolean cancelledTaskFails;
    /** Every watched task, in the order it was watched. */
    private final List<Task<?>> watched = new ArrayList<>();
    /** Failures, in the order the tasks ended. */
    private final List<Throwable> failures = new ArrayList<>();
    /** Watched tasks whose done-callback has not run yet. */
    private int pending;
    /** Whether this supervisor cancelled the tasks (their cancellations are then not failures). */
    private boolean cancelling;
    /** The coroutine in awaitAll(), while it is suspended. */
    private Coroutine waiter;

    Supervisor(Scheduler loop, boolean cancelOnFailure, boolean cancelledTaskFails) {
        this.loop = loop;
        this.cancelOnFailure = cancelOnFailure;
        this.cancelledTaskFails = cancelledTaskFails;
    }

    void watch(Task<?> task) {
        watched.add(task);
        pending++;
        task.onDone(this::ended);
    }

    private void ended(Task<?> task) {
        pending--;
        if (task.isFailed()) {
            failures.add(task.failure());
        } else if (task.isCancelled() && cancelledTaskFails && !cancelling) {
            failures.add(task.failure());
        }
        if (!failures.isEmpty() && cancelOnFailure && !cancelling) {
            cancelAll();
        }
        if (waiter != null) {
            Coroutine w = waiter;
            waiter = null;
            loop.wake(w);
        }
    }

    void cancelAll() {
        cancelling = true;
        for (Task<?> task : watched) {
            task.cancel();
        }
    }

    /**
     * Suspends {@code self} until every watched task is done, including tasks added meanwhile. If
     * {@code self} is cancelled, the tasks are cancelled too, and this still waits for them to
     * unwind; it never throws the cancellation itself, so that the caller can report the tasks'
     * failures first.
     */
    void awaitAll(Coroutine self) {
        while (pending > 0) {
            if (!cancelling && loop.pendingCancellation(self) != null) {
                cancelAll();
            }
            waiter = self;
            loop.park(self, this, false);
        }
    }

    /** Whether the tasks are being cancelled: one failed, or the waiter was cancelled. */
    boolean isShuttingDown() {
        return cancelling;
    }

    /**
     * Throws the first failure, with the later ones added to it as suppressed, if any task failed.
     * Nothing else is done with the failures, so none is lost.
     */
    void throwFailures() throws Exception {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        for (Throwable later : failures.subList(1, failures.size())) {
            if (later != first && !java.util.Arrays.asList(first.getSuppressed()).contains(later)) {
                first.addSuppressed(later);
            }
        }
        throw Scheduler.rethrowable(first);
    }

    /** The failures, in the order the tasks ended. */
    List<Throwable> failures() {
        return failures;
    }

    @Override
    public void removeWaiter(Coroutine coroutine) {
        waiter = null;
    }

    @Override
    public String describe(Scheduler unused) {
        return "waiting for " + pending + " tasks";
    }
}
