package dev.baton.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A coroutine started by {@link Loop#spawn}, and its outcome: asyncio's {@code Task}.
 *
 * <p>A task is <em>pending</em> until its body returns (it <em>succeeded</em>), throws (it
 * <em>failed</em>), or unwinds after {@link #cancel()} (it was <em>cancelled</em>). Once done it
 * never changes.
 *
 * <p>Waiting for it: from a coroutine of the same loop, {@link #join()} suspends until it is done;
 * from outside, {@link Loop#runUntilComplete} runs the loop until it is done, and {@link #get()}
 * or {@link #toCompletableFuture()} serve threads while another thread runs the loop.
 *
 * <p>Thread-safety: {@link #name()}, {@link #isDone()}, {@link #isCancelled()}, {@link #cancel()},
 * {@link #get()} and {@link #toCompletableFuture()} are safe from any thread; {@link #join()} and
 * {@link #onDone} belong to the loop.
 *
 * <p>Unlike {@link java.util.concurrent.FutureTask}, a cancelled task is done only after its body
 * has unwound: {@link #cancel()} returns at once, and {@link #isDone()} becomes true once the
 * body's {@code finally} blocks have run.
 *
 * @param <T> the type of the task's result
 */
public final class Task<T> implements Future<T> {
    /*
     * State machine: PENDING -> CANCEL_REQUESTED (any thread, by CAS in cancel()), then
     * PENDING or CANCEL_REQUESTED -> SUCCEEDED | FAILED | CANCELLED (the loop, by CAS in
     * complete()). `value` and `failure` are written before the final CAS, so a reader that sees a
     * done state sees them too.
     */
    private static final int PENDING = 0;
    private static final int CANCEL_REQUESTED = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;

    private static final VarHandle STATE;
    private static final VarHandle MIRROR;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Task.class, "state", int.class);
            MIRROR = lookup.findVarHandle(Task.class, "mirror", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Scheduler loop;
    private final String name;
    /** The coroutine that completes this task; set once by Loop.spawn before anyone sees the task. */
    Coroutine coroutine;
    /** See the state machine above. Any thread reads; writes by CAS only. */
    private volatile int state;
    /** The result; written by the loop before the final state. */
    private T value;
    /** The exception (a CancellationException when cancelled); written by the loop before the final state. */
    private Throwable failure;
    /** Whether someone waits for or has asked for the outcome; any thread sets it, once. */
    private volatile boolean observed;
    /** Why the task was cancelled, if the canceller said; written before the cancel request. */
    private volatile String cancelMessage;
    /** A failure nobody had retrieved when the task failed; set once by the loop, read by any thread. */
    private volatile UnretrievedFailure unretrieved;
    /** Coroutines suspended in join(), and what they wait on; made by the first joiner. Baton holder only. */
    private Joiners joiners;
    /** Coroutines in Loop.wait() to wake when done, without retrieving the outcome. Baton holder only. */
    private List<Gather.Waiter> doneWaiters;
    /** Callbacks to run when done. Baton holder only. */
    private List<Consumer<? super Task<T>>> doneCallbacks;
    /** Completed when the task is done; created on first use by get() or toCompletableFuture(). */
    @SuppressWarnings("unused") // accessed through MIRROR
    private volatile CompletableFuture<T> mirror;

    Task(Scheduler loop, String name) {
        this.loop = loop;
        this.name = name;
    }

    /**
     * The name given to {@link Loop#spawn}; also the name of the coroutine's thread. Any thread.
     *
     * @return the task's name, the same for its whole life
     */
    public String name() {
        return name;
    }

    Scheduler loop() {
        return loop;
    }

    /** Whether the task succeeded, failed or was cancelled. */
    @Override
    public boolean isDone() {
        return state >= SUCCEEDED;
    }

    /** Whether the task is done and ended cancelled. */
    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * Asks the task to stop: the coroutine's current suspension point (or its next one, if it is
     * running or ready) throws {@link CancellationException}, and so does every later one, so its
     * {@code finally} blocks run and it ends. Code between suspension points is never interrupted.
     * A task cancelled before its body started never runs it.
     *
     * <p>Cancellation is a request: the task ends cancelled if its body lets the
     * {@link CancellationException} out; if the body, unwinding, returns a value or throws another
     * exception, the task succeeds with that value or fails with that exception (asyncio and trio
     * agree), so nothing the body was handed is lost. Safe from any thread; from another thread the
     * coroutine is woken at the loop's next step.
     *
     * @return true if the task is not done and is now (or already was) being cancelled; false if it
     *     was already done, in which case nothing changes
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * {@link #cancel()} with a message that the {@link CancellationException} thrown in the
     * coroutine (and by {@link #join()}, {@link #get()}) carries (asyncio's {@code cancel(msg)}).
     * The first message given wins.
     *
     * @param message why; may be null
     * @return see {@link #cancel()}
     */
    public boolean cancel(String message) {
        if (message != null && cancelMessage == null && state == PENDING) {
            cancelMessage = message;
        }
        for (;;) {
            int s = state;
            if (s == CANCEL_REQUESTED) {
                return true;
            }
            if (s != PENDING) {
                return false;
            }
            if (STATE.compareAndSet(this, PENDING, CANCEL_REQUESTED)) {
                loop.requestWake(coroutine);
                return true;
            }
        }
    }

    /** Same as {@link #cancel()}: a coroutine is never interrupted, so the argument is ignored. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancel();
    }

    /**
     * Suspends the calling coroutine until this task is done, and returns its result.
     *
     * @return the task's result, once it has succeeded
     * @throws CompletionException if the task failed; its cause is the task's exception
     * @throws CancellationException if the task was cancelled, or if the calling coroutine is
     *     cancelled while it waits
     * @throws IllegalStateException if not called from a coroutine of this task's loop, or if a task
     *     joins itself
     */
    public T join() {
        Coroutine self = checkJoiner();
        if (!isDone()) {
            joiners.add(self);
            loop.park(self, joiners, true);
        }
        return joinResult();
    }

    /** The calling coroutine, checked as a joiner of this task, with the joiner list ready. */
    private Coroutine checkJoiner() {
        Coroutine self = Scheduler.currentCoroutine("Task.join");
        if (self.loop() != loop) {
            throw new IllegalStateException("Task.join: task '" + name + "' belongs to another loop;"
                    + " wait for it there, or use toCompletableFuture()");
        }
        if (self.task == this) {
            throw new IllegalStateException("Task.join: task '" + name + "' cannot join itself; it would wait forever");
        }
        markObserved();
        loop.enterSuspension(self, false);
        joiners();
        return self;
    }

    /**
     * Like {@link #join()}, but waits at most {@code timeout} of the loop's clock. At the deadline
     * the task is cancelled and, once it has unwound, this throws {@link TimeoutException}
     * (asyncio's {@code wait_for}), unless the task did not end cancelled: if its body returned a
     * value anyway, that value is returned; if it threw another exception while unwinding, that
     * exception is thrown as by {@link #join()}. A task that completes exactly at the deadline
     * counts as done if it completed first in the loop's order.
     *
     * @param timeout how long to wait, on the loop's clock, before the task is cancelled
     * @return the task's result, also if its body returned a value while unwinding after the deadline
     * @throws TimeoutException if the deadline passed first and the task ended cancelled
     * @throws CompletionException if the task failed, also while unwinding after the deadline
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T join(Duration timeout) throws TimeoutException {
        Objects.requireNonNull(timeout, "Task.join: timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("Task.join: timeout must not be negative, was " + timeout);
        }
        Coroutine self = checkJoiner();
        if (!isDone()) {
            boolean[] expired = new boolean[1];
            Loop.Handle deadline = loop.callLater(timeout, () -> {
                if (self.waitingOn == joiners && joiners != null && joiners.remove(self)) {
                    expired[0] = true;
                    cancel(); // at the deadline, before work due at the same instant but scheduled later
                    loop.wake(self);
                }
            });
            joiners.add(self);
            try {
                loop.park(self, joiners, true);
            } finally {
                deadline.cancel();
            }
            if (expired[0]) {
                cancel();
                awaitDoneQuietly(self);
                loop.throwIfCancelled(self);
                if (isCancelled()) {
                    throw new TimeoutException("task '" + name + "' did not complete within " + timeout + "; it was cancelled");
                }
                // It returned or failed while unwinding: that outcome is the answer, never swallowed.
            }
        }
        return joinResult();
    }

    /**
     * Suspends {@code self} until this task is done, without taking its outcome.
     *
     * @throws CancellationException if {@code self} is cancelled while it waits
     */
    void awaitDone(Coroutine self) {
        if (!isDone()) {
            joiners().add(self);
            loop.park(self, joiners, true);
        }
    }

    /** The task behind a future made by {@link #toCompletableFuture()}, or null for any other stage. */
    static Task<?> behind(CompletableFuture<?> future) {
        return future instanceof View<?> view ? view.task : null;
    }

    /** What {@link #toCompletableFuture()} returns: a plain future that remembers its task. */
    private static final class View<T> extends CompletableFuture<T> {
        private final Task<T> task;

        View(Task<T> task) {
            this.task = task;
        }
    }

    /** Suspends {@code self} until this task is done, ignoring {@code self}'s own cancellation. */
    void awaitDoneQuietly(Coroutine self) {
        while (!isDone()) {
            joiners().add(self);
            loop.park(self, joiners, false);
        }
    }

    /**
     * Runs {@code callback} on the loop once this task is done (at once, as a new callback, if it
     * already is). Callbacks run FIFO with the loop's other ready work. Loop thread only.
     *
     * @param callback what receives this task, done, on the loop; it must not suspend
     */
    public void onDone(Consumer<? super Task<T>> callback) {
        Objects.requireNonNull(callback, "onDone: callback must not be null");
        loop.checkLoopThread("Task.onDone");
        markObserved();
        if (isDone()) {
            loop.enqueue(() -> callback.accept(this));
        } else {
            if (doneCallbacks == null) {
                doneCallbacks = new ArrayList<>(2);
            }
            doneCallbacks.add(callback);
        }
    }

    /**
     * Waits, blocking the calling thread, until the task is done, for threads outside the loop
     * while another thread runs it.
     *
     * @throws ExecutionException if the task failed
     * @throws CancellationException if the task was cancelled
     * @throws IllegalStateException if called on the loop's own thread while the task is not done
     *     (that would block the loop forever; a coroutine uses {@link #join()}), or if no run
     *     method has been active on the loop for a second while the task is not done, or the loop
     *     is closed (nothing would ever complete it; run the loop, for example with
     *     {@link Loop#runUntilComplete})
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        markObserved();
        if (!isDone()) {
            checkMayBlock();
            awaitOutside(Long.MAX_VALUE);
        }
        return getResult();
    }

    /** {@link #get()} with a bound; throws {@link TimeoutException} when it passes. */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        markObserved();
        if (!isDone()) {
            checkMayBlock();
            if (!awaitOutside(unit.toNanos(timeout))) {
                throw new TimeoutException("task '" + name + "' did not complete within " + timeout + " " + unit);
            }
        }
        return getResult();
    }

    /** How long get() waits in one go before checking that a run method could still finish the task. */
    private static final long GET_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long get() lets a loop go without any active run before it fails. */
    private static final long GET_NO_RUN_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Blocks until the task is done (true) or {@code nanos} of real time pass (false), failing fast
     * when nothing could ever complete it. Real time, not the loop's clock: this bounds a plain
     * thread's wait, and the loop may be on virtual time.
     */
    private boolean awaitOutside(long nanos) throws InterruptedException {
        CompletableFuture<T> m = mirror();
        long start = System.nanoTime();
        long idleSince = start;
        long runs = loop.runsStarted();
        for (;;) {
            long left = nanos - (System.nanoTime() - start);
            if (left <= 0) {
                return isDone();
            }
            try {
                m.get(Math.min(left, GET_SLICE_NANOS), TimeUnit.NANOSECONDS);
                return true;
            } catch (ExecutionException | CancellationException outcome) {
                return true; // the outcome is read from this task's own state
            } catch (TimeoutException slice) {
                // check below that someone could still complete it
            }
            if (loop.isClosed() && !isDone()) {
                throw new IllegalStateException("Task.get: task '" + name + "' can never complete: its loop is closed");
            }
            if (loop.isRunning() || loop.runsStarted() != runs) {
                runs = loop.runsStarted();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince >= GET_NO_RUN_NANOS && !isDone()) {
                throw new IllegalStateException("Task.get: task '" + name + "' is not done and no run method has been active"
                        + " on its loop for a second, so nothing can complete it; get() waits while another thread runs"
                        + " the loop (runForever, runUntilComplete); to run it yourself, call loop.runUntilComplete(task)");
            }
        }
    }

    /**
     * A new {@link CompletableFuture} that completes with this task's outcome: its result, its
     * exception, or cancellation. Completing or cancelling the returned future does not affect the
     * task. It completes on the loop's thread, so its non-async dependent stages run there and
     * must not block. Any thread.
     *
     * @return a new future on each call, completed with the task's outcome once it is done
     */
    public CompletableFuture<T> toCompletableFuture() {
        markObserved();
        CompletableFuture<T> view = new View<>(this);
        mirror().whenComplete((result, error) -> completeMirror(view));
        return view;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case PENDING -> "pending";
            case CANCEL_REQUESTED -> "cancelling";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            default -> "cancelled";
        };
        return "Task['" + name + "', " + s + "]";
    }

    // ---------------------------------------------------------------------------------------
    // For the loop

    boolean isCancelRequested() {
        int s = state;
        return s == CANCEL_REQUESTED || s == CANCELLED;
    }

    CancellationException cancellationException() {
        String message = cancelMessage;
        return new CancellationException("task '" + name + "' was cancelled" + (message == null ? "" : ": " + message));
    }

    /** Someone has the outcome, or will: a failure is theirs to see, not the handler's. Any thread. */
    void markObserved() {
        observed = true;
        UnretrievedFailure pending = unretrieved;
        if (pending != null) {
            pending.settle();
        }
    }

    /**
     * Called by the loop once the task has failed: if nobody has retrieved the failure yet, it is
     * tracked until someone does or nobody can. Baton holder only.
     *
     * @return the tracker, or null if the failure was retrieved already
     */
    UnretrievedFailure trackUnretrieved() {
        if (state != FAILED || observed) {
            return null;
        }
        UnretrievedFailure pending = UnretrievedFailure.track(loop, this);
        unretrieved = pending;
        if (observed) { // retrieved meanwhile by another thread, which may not have seen `unretrieved`
            pending.settle();
        }
        return pending;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * Ends the task with the body's outcome. Baton holder only.
     *
     * @return whether the task failed with nobody observing it, so the failure must be reported
     */
    @SuppressWarnings("unchecked")
    boolean complete(Object result, Throwable thrown) {
        for (;;) {
            int s = state;
            int end;
            if (thrown == null) {
                // The body's outcome wins: cancel() was a request, and the body returned anyway.
                end = SUCCEEDED;
                value = (T) result;
                failure = null;
            } else if (thrown instanceof CancellationException) {
                end = CANCELLED;
                value = null;
                failure = thrown;
            } else {
                end = FAILED;
                value = null;
                failure = thrown;
            }
            if (STATE.compareAndSet(this, s, end)) {
                CompletableFuture<T> m = (CompletableFuture<T>) MIRROR.getVolatile(this);
                if (m != null) {
                    completeMirror(m);
                }
                return end == FAILED && !observed;
            }
        }
    }

    /** Wakes {@code waiter} when this task is done (not if it is already). Baton holder only. */
    void whenDoneNotify(Gather.Waiter waiter) {
        if (!isDone()) {
            if (doneWaiters == null) {
                doneWaiters = new ArrayList<>(2);
            }
            doneWaiters.add(waiter);
        }
    }

    void forgetNotify(Gather.Waiter waiter) {
        if (doneWaiters != null) {
            doneWaiters.remove(waiter);
        }
    }

    /** Wakes the coroutines in Loop.wait() on this task. Baton holder only. */
    void notifyDoneWaiters() {
        List<Gather.Waiter> list = doneWaiters;
        doneWaiters = null;
        if (list != null) {
            list.forEach(Gather.Waiter::wakeUp);
        }
    }

    List<Coroutine> takeJoiners() {
        List<Coroutine> list = joiners;
        joiners = null;
        return list == null ? List.of() : list;
    }

    private Joiners joiners() {
        if (joiners == null) {
            joiners = new Joiners(name);
        }
        return joiners;
    }

    /**
     * The coroutines in join(), and the {@link Waitable} they wait on: one object, made only for a
     * task that someone joins.
     */
    private static final class Joiners extends ArrayList<Coroutine> implements Waitable {
        private final String taskName;

        Joiners(String taskName) {
            super(2);
            this.taskName = taskName;
        }

        @Override
        public void removeWaiter(Coroutine coroutine) {
            remove(coroutine);
        }

        @Override
        public String describe(Scheduler unused) {
            return "joining task '" + taskName + "'";
        }
    }

    boolean isFailed() {
        return state == FAILED;
    }

    void scheduleDoneCallbacks(Scheduler target) {
        List<Consumer<? super Task<T>>> list = doneCallbacks;
        doneCallbacks = null;
        if (list != null) {
            for (Consumer<? super Task<T>> callback : list) {
                target.enqueue(() -> callback.accept(this));
            }
        }
    }

    /** The outcome as join() and runUntilComplete() report it. The task must be done. */
    T joinResult() {
        return switch (state) {
            case SUCCEEDED -> value;
            case FAILED -> throw new CompletionException("task '" + name + "' failed: " + failure, failure);
            default -> throw cancellationException();
        };
    }

    private T getResult() throws ExecutionException {
        return switch (state) {
            case SUCCEEDED -> value;
            case FAILED -> throw new ExecutionException("task '" + name + "' failed: " + failure, failure);
            default -> throw cancellationException();
        };
    }

    private void checkMayBlock() {
        if (loop.isOwnedByCurrentThread()) {
            throw new IllegalStateException("Task.get: task '" + name + "' is not done, and waiting for it on the loop's"
                    + " thread would block the loop forever; in a coroutine use join()");
        }
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<T> mirror() {
        CompletableFuture<T> m = (CompletableFuture<T>) MIRROR.getVolatile(this);
        if (m == null) {
            CompletableFuture<T> fresh = new CompletableFuture<>();
            m = MIRROR.compareAndSet(this, null, fresh) ? fresh : (CompletableFuture<T>) MIRROR.getVolatile(this);
        }
        if (isDone()) {
            completeMirror(m);
        }
        return m;
    }

    /** Completes {@code m} with this task's outcome, which must be final. */
    private void completeMirror(CompletableFuture<T> m) {
        switch (state) {
            case SUCCEEDED -> m.complete(value);
            case FAILED -> m.completeExceptionally(failure);
            case CANCELLED -> m.cancel(false);
            default -> throw new IllegalStateException("task '" + name + "' is not done");
        }
    }
}
