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
 * <p>Tasks are made by {@link Loop#spawn} only; the class is sealed to the loop's own coroutine,
 * which is the task itself.
 *
 * @param <T> the type of the task's result
 */
public abstract sealed class Task<T> extends Timer implements Future<T> permits Coroutine {
    /*
     * Design notes.
     *
     * One object per coroutine. The task is the coroutine (the only subclass, Coroutine, adds the
     * body, the thread, what it waits on and its place in the loop's list), and both are a Timer,
     * so a sleeping coroutine is its own timer. What most tasks never need lives in Extras, made on
     * first need. So a coroutine costs Baton 64 bytes (13 four-byte fields and a 12-byte header,
     * with compressed references), and a sleep allocates nothing.
     *
     * State machine, in the low bits of `state`: PENDING -> CANCEL_REQUESTED (any thread, by CAS
     * in cancel()), then PENDING or CANCEL_REQUESTED -> SUCCEEDED | FAILED | CANCELLED (the loop,
     * by CAS in complete()). `outcome` is written before the final CAS, so a reader that sees a
     * done state sees it too. The OBSERVED bit says someone waits for or has asked for the outcome;
     * any thread sets it, once, by CAS, and every transition keeps it.
     */
    private static final int PENDING = 0;
    private static final int CANCEL_REQUESTED = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;
    private static final int PHASE = 7;
    private static final int OBSERVED = 8;

    private static final VarHandle STATE;
    private static final VarHandle EXTRAS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Task.class, "state", int.class);
            EXTRAS = lookup.findVarHandle(Task.class, "extras", Extras.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Scheduler loop;
    private final String name;
    /** See the state machine above. Any thread reads; writes by CAS only. */
    private volatile int state;
    /** The result, or the exception (a CancellationException when cancelled); written by the loop before the final state. */
    private Object outcome;
    /** What few tasks need; made on first need, by any thread (CAS). */
    @SuppressWarnings("unused") // written through EXTRAS
    private volatile Extras extras;

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
        return (state & PHASE) >= SUCCEEDED;
    }

    /** Whether the task is done and ended cancelled. */
    @Override
    public boolean isCancelled() {
        return (state & PHASE) == CANCELLED;
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
        if (message != null && (state & PHASE) == PENDING) {
            extras().offerCancelMessage(message);
        }
        for (;;) {
            int s = state;
            int phase = s & PHASE;
            if (phase == CANCEL_REQUESTED) {
                return true;
            }
            if (phase != PENDING) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s & OBSERVED) | CANCEL_REQUESTED)) {
                loop.requestWake(coroutine());
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
            Extras.Joiners joiners = joiners();
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
        if (self == this) {
            throw new IllegalStateException("Task.join: task '" + name + "' cannot join itself; it would wait forever");
        }
        markObserved();
        loop.enterSuspension(self, false);
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
            Extras.Joiners joiners = joiners();
            Loop.Handle deadline = loop.callLater(timeout, () -> {
                if (self.waitingOn == joiners && joiners.remove(self)) {
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
            Extras.Joiners joiners = joiners();
            joiners.add(self);
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
            Extras.Joiners joiners = joiners();
            joiners.add(self);
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
            Extras e = extras();
            if (e.doneCallbacks == null) {
                e.doneCallbacks = new ArrayList<>(2);
            }
            e.doneCallbacks.add(() -> callback.accept(this));
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
        String s = switch (state & PHASE) {
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
        int phase = state & PHASE;
        return phase == CANCEL_REQUESTED || phase == CANCELLED;
    }

    CancellationException cancellationException() {
        String message = extras().cancelMessage(); // fixed from here on: a message offered later is not taken
        return new CancellationException("task '" + name + "' was cancelled" + (message == null ? "" : ": " + message));
    }

    /** Someone has the outcome, or will: a failure is theirs to see, not the handler's. Any thread. */
    void markObserved() {
        int s;
        while (((s = state) & OBSERVED) == 0 && !STATE.compareAndSet(this, s, s | OBSERVED)) {
            // another thread changed the state meanwhile: try again
        }
        Extras e = extras;
        UnretrievedFailure pending = e == null ? null : e.unretrieved;
        if (pending != null) {
            pending.settle();
        }
    }

    private boolean isObserved() {
        return (state & OBSERVED) != 0;
    }

    /**
     * Called by the loop once the task has failed: if nobody has retrieved the failure yet, the
     * loop tracks it until someone does or nobody can. Baton holder only.
     */
    void trackUnretrieved() {
        if ((state & PHASE) != FAILED || isObserved()) {
            return;
        }
        UnretrievedFailure pending = loop.trackUnretrieved(this, "task '" + name + "'", failure());
        extras().unretrieved = pending;
        if (isObserved()) { // retrieved meanwhile by another thread, which may not have seen `unretrieved`
            pending.settle();
        }
    }

    /** The exception of a failed or cancelled task; null while pending or if it succeeded. */
    Throwable failure() {
        return (state & PHASE) > SUCCEEDED ? (Throwable) outcome : null;
    }

    /**
     * Ends the task with the body's outcome. Baton holder only.
     *
     * @return whether the task failed with nobody observing it, so the failure must be reported
     */
    @SuppressWarnings("unchecked")
    boolean complete(Object result, Throwable thrown) {
        // The body's outcome wins: cancel() was a request, and the body may have returned anyway.
        int end = thrown == null ? SUCCEEDED : thrown instanceof CancellationException ? CANCELLED : FAILED;
        outcome = thrown == null ? result : thrown;
        int s;
        do {
            s = state;
        } while (!STATE.compareAndSet(this, s, (s & OBSERVED) | end));
        Extras e = extras;
        CompletableFuture<T> m = e == null ? null : (CompletableFuture<T>) e.mirrorIfMade();
        if (m != null) {
            completeMirror(m);
        }
        return end == FAILED && !isObserved();
    }

    /** Wakes {@code waiter} when this task is done (not if it is already). Baton holder only. */
    void whenDoneNotify(Gather.Waiter waiter) {
        if (!isDone()) {
            Extras e = extras();
            if (e.doneWaiters == null) {
                e.doneWaiters = new ArrayList<>(2);
            }
            e.doneWaiters.add(waiter);
        }
    }

    void forgetNotify(Gather.Waiter waiter) {
        Extras e = extras;
        if (e != null && e.doneWaiters != null) {
            e.doneWaiters.remove(waiter);
        }
    }

    /**
     * Wakes whoever waits for this task, which just ended: joiners first, then the coroutines in
     * Loop.wait(), then its done-callbacks go on the loop's ready queue. Baton holder only.
     */
    void notifyDone() {
        Extras e = extras;
        if (e == null) {
            return;
        }
        List<Coroutine> joiners = e.joiners;
        e.joiners = null;
        if (joiners != null) {
            joiners.forEach(loop::wake);
        }
        List<Gather.Waiter> waiters = e.doneWaiters;
        e.doneWaiters = null;
        if (waiters != null) {
            waiters.forEach(Gather.Waiter::wakeUp);
        }
        List<Runnable> callbacks = e.doneCallbacks;
        e.doneCallbacks = null;
        if (callbacks != null) {
            callbacks.forEach(loop::enqueue);
        }
    }

    private Extras.Joiners joiners() {
        Extras e = extras();
        if (e.joiners == null) {
            e.joiners = new Extras.Joiners(name);
        }
        return e.joiners;
    }

    /** The parts few tasks need, made now if this is the first need. Any thread. */
    final Extras extras() {
        Extras e = extras;
        if (e == null) {
            Extras fresh = new Extras();
            e = (Extras) EXTRAS.compareAndExchange(this, null, fresh);
            if (e == null) {
                e = fresh;
            }
        }
        return e;
    }

    /** The parts few tasks need, or null if none was needed yet. Any thread. */
    final Extras extrasOrNull() {
        return extras;
    }

    /** The coroutine that is this task. */
    final Coroutine coroutine() {
        return (Coroutine) (Task<?>) this;
    }

    boolean isFailed() {
        return (state & PHASE) == FAILED;
    }

    /** The outcome as join() and runUntilComplete() report it. The task must be done. */
    @SuppressWarnings("unchecked")
    T joinResult() {
        return switch (state & PHASE) {
            case SUCCEEDED -> (T) outcome;
            case FAILED -> throw new CompletionException("task '" + name + "' failed: " + outcome, (Throwable) outcome);
            default -> throw cancellationException();
        };
    }

    @SuppressWarnings("unchecked")
    private T getResult() throws ExecutionException {
        return switch (state & PHASE) {
            case SUCCEEDED -> (T) outcome;
            case FAILED -> throw new ExecutionException("task '" + name + "' failed: " + outcome, (Throwable) outcome);
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
        CompletableFuture<T> m = (CompletableFuture<T>) extras().mirror();
        if (isDone()) {
            completeMirror(m);
        }
        return m;
    }

    /** Completes {@code m} with this task's outcome, which must be final. */
    @SuppressWarnings("unchecked")
    private void completeMirror(CompletableFuture<T> m) {
        switch (state & PHASE) {
            case SUCCEEDED -> m.complete((T) outcome);
            case FAILED -> m.completeExceptionally((Throwable) outcome);
            case CANCELLED -> m.cancel(false);
            default -> throw new IllegalStateException("task '" + name + "' is not done");
        }
    }
}
