package dev.baton.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A region of one coroutine's code that can be cancelled on its own, by a deadline or by
 * {@link #cancel()}, without cancelling the coroutine's task: trio's {@code CancelScope}
 * ({@code move_on_after}, {@code fail_after}), asyncio's {@code timeout()} and
 * {@code timeout_at()} with {@code reschedule()}, kotlinx's {@code withTimeoutOrNull}.
 *
 * <pre>{@code
 * CancelScope scope = CancelScope.after(Duration.ofSeconds(5));
 * String reply = scope.run(() -> fetch());      // null if the deadline passed first
 * if (scope.cancelledCaught()) { ... }          // it did, and the scope caught its cancellation
 * }</pre>
 *
 * <p>Once the scope is cancelled (its deadline passed, or {@link #cancel()}), every suspension
 * point of the code inside it throws a {@link CancellationException} (level-triggered, like a
 * task's cancellation), the code unwinds, and {@link #run} catches that exception when it reaches
 * the scope: {@code run} then returns null ({@link #failAfter} throws {@link TimeoutException}
 * instead). Code between suspension points is never interrupted.
 *
 * <p>Nesting: a cancelled outer scope cancels the code of the scopes inside it too, and only the
 * outermost cancelled scope catches the cancellation; so the earliest deadline wins. A task's own
 * cancellation counts as the outermost of all: it passes through every scope. A
 * {@link #shielded() shielded} scope blocks both: code inside it is cancelled only by the scope
 * itself or scopes nested in it (trio's {@code shield=True}, kotlinx's {@code NonCancellable}).
 *
 * <p>The deadline can be read ({@link #deadline()}) and moved ({@link #reschedule}) while the scope
 * runs. Loop-local: create, run and change a scope on its loop's coroutines only.
 */
public final class CancelScope {
    /*
     * Design notes.
     *
     * Each coroutine keeps its innermost active scope (Coroutine.scope); scopes link outwards. The
     * loop's cancellation check (Scheduler.pendingCancellation) walks that chain at each suspension
     * point: the outermost cancelled scope below the first shield decides, unless the task itself
     * is cancelled and no shield stands between. With no scope active the check is the task's alone,
     * so scopes cost nothing to code that does not use them.
     */

    /** The cancellation a scope throws into its own code; the scope recognises it by identity. */
    private static final class ScopeCancelled extends CancellationException {
        private static final long serialVersionUID = 1L;

        ScopeCancelled(String message) {
            super(message);
        }
    }

    /** The deadline on the loop's monotonic clock, or relative to the start of run() until then. */
    private long deadline;
    /** Whether `deadline` is still a relative duration (nanoseconds) to fix when run() starts. */
    private boolean relative;
    private boolean shield;
    /** Set once cancelled: by the deadline or by cancel(). Baton holder only. */
    private boolean cancelCalled;
    /** Set when run() caught this scope's own cancellation. Baton holder only. */
    private boolean cancelledCaught;
    /** The coroutine running inside, while run() is active; null before and after. */
    private Coroutine owner;
    private Scheduler loop;
    /** The enclosing scope of the same coroutine while active. */
    CancelScope outer;
    private boolean used;
    /** The deadline's timer while active. */
    private Entry timer;
    private ScopeCancelled exception;

    private CancelScope(long deadline, boolean relative) {
        this.deadline = deadline;
        this.relative = relative;
    }

    /**
     * A scope with no deadline: only {@link #cancel()} cancels it.
     *
     * @return a new scope, not cancelled, not a shield, not yet run
     */
    public static CancelScope create() {
        return new CancelScope(Scheduler.NEVER, false);
    }

    /**
     * A scope whose deadline is {@code timeout} after {@link #run} starts (trio's
     * {@code move_on_after}).
     *
     * @param timeout the time from the start of {@link #run} to the deadline, on the loop's clock
     * @return a new scope, not cancelled, not a shield, not yet run
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static CancelScope after(Duration timeout) {
        Objects.requireNonNull(timeout, "CancelScope.after: timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("CancelScope.after: timeout must not be negative, was " + timeout);
        }
        return new CancelScope(Scheduler.saturatedNanos(timeout), true);
    }

    /**
     * A scope whose deadline is the instant {@code when} of the loop's wall clock (asyncio's
     * {@code timeout_at}; trio's {@code move_on_at}). An instant in the past cancels the scope as
     * soon as it runs. Like {@link Loop#callAt}, the instant becomes a deadline on the loop's
     * monotonic clock when {@link #run} starts.
     *
     * @param when the deadline, an instant of the loop's wall clock
     * @return a new scope, not cancelled, not a shield, not yet run
     * @throws NullPointerException if {@code when} is null
     */
    public static CancelScope at(Instant when) {
        Objects.requireNonNull(when, "CancelScope.at: when must not be null");
        CancelScope scope = new CancelScope(Scheduler.NEVER, false);
        scope.wallDeadline = when;
        return scope;
    }

    /** For at(): the wall-clock deadline, turned into a monotonic one when run() starts. */
    private Instant wallDeadline;

    /**
     * Makes this scope a shield: cancellations from outside it (enclosing scopes, the task's own)
     * do not reach the code inside; they take effect once it has returned. Before {@link #run}.
     *
     * @return this scope
     */
    public CancelScope shielded() {
        checkNotUsed("shielded");
        shield = true;
        return this;
    }

    /**
     * Runs {@code body} in this scope in the calling coroutine, and returns its result; or null if
     * this scope was cancelled and caught its cancellation. Other exceptions, and cancellations
     * from outside, pass through.
     *
     * @param <T> the type of the body's result
     * @param body the code to run in this scope, in the calling coroutine
     * @return what {@code body} returned; null if this scope caught its own cancellation
     * @throws Exception what {@code body} threw, unchanged, other than this scope's own cancellation
     * @throws IllegalStateException if the caller is not a coroutine, or the scope ran before
     */
    public <T> T run(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "CancelScope.run: body must not be null");
        Coroutine self = Scheduler.currentCoroutine("CancelScope.run");
        checkNotUsed("run");
        used = true;
        enter(self);
        try {
            return body.call();
        } catch (CancellationException e) {
            if (e == exception) {
                cancelledCaught = true;
                self.extras().cancelDeliveries = 0; // unwound as asked: not a swallowed cancellation
                return null;
            }
            throw e;
        } finally {
            exit(self);
        }
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now, and returns its result, or null
     * if the deadline passed first (trio's {@code move_on_after}, kotlinx's
     * {@code withTimeoutOrNull}).
     *
     * @param <T> the type of the body's result
     * @param timeout the time from now to the deadline, on the loop's clock
     * @param body the code to run, in the calling coroutine
     * @return what {@code body} returned; null if the deadline passed first
     * @throws Exception what {@code body} threw, unchanged
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <T> T moveOnAfter(Duration timeout, Callable<T> body) throws Exception {
        return after(timeout).run(body);
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now, and returns its result; throws
     * {@link TimeoutException} if the deadline passed first (trio's {@code fail_after}, asyncio's
     * {@code timeout()}). Unlike {@link Loop#withTimeout}, the body runs in the calling coroutine.
     *
     * @param <T> the type of the body's result
     * @param timeout the time from now to the deadline, on the loop's clock
     * @param body the code to run, in the calling coroutine
     * @return what {@code body} returned
     * @throws TimeoutException if the deadline passed first and the body unwound from it
     * @throws Exception what {@code body} threw, unchanged
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <T> T failAfter(Duration timeout, Callable<T> body) throws Exception {
        return after(timeout).runOrFail(body, timeout.toString());
    }

    /**
     * {@link #failAfter} with a deadline at the wall-clock instant {@code when} (asyncio's {@code timeout_at}).
     *
     * @param <T> the type of the body's result
     * @param when the deadline, an instant of the loop's wall clock; one in the past cancels at once
     * @param body the code to run, in the calling coroutine
     * @return what {@code body} returned
     * @throws TimeoutException if the deadline passed first and the body unwound from it
     * @throws Exception what {@code body} threw, unchanged
     */
    public static <T> T failAt(Instant when, Callable<T> body) throws Exception {
        return at(when).runOrFail(body, "the deadline " + when);
    }

    private <T> T runOrFail(Callable<T> body, String what) throws Exception {
        T result = run(body);
        if (cancelledCaught) {
            throw new TimeoutException("the code did not complete within " + what);
        }
        return result;
    }

    /**
     * Cancels this scope now: the code inside it is woken at its suspension point and unwinds.
     * Does nothing if already cancelled. Before {@link #run}, the scope will be cancelled from
     * the start. Loop thread only.
     */
    public void cancel() {
        if (cancelCalled) {
            return;
        }
        cancelCalled = true;
        if (owner != null) {
            loop.checkLoopThread("CancelScope.cancel");
            loop.wakeCancelled(owner);
        }
    }

    /**
     * Moves the deadline to the wall-clock instant {@code when} of the loop's clock, also while the
     * scope runs (asyncio's {@code Timeout.reschedule}). An instant in the past cancels the scope.
     * A scope already cancelled stays cancelled.
     *
     * @param when the new deadline, an instant of the loop's wall clock
     */
    public void reschedule(Instant when) {
        Objects.requireNonNull(when, "CancelScope.reschedule: when must not be null");
        if (loop == null) {
            wallDeadline = when;
            relative = false;
            deadline = Scheduler.NEVER;
            return;
        }
        setDeadline(loop.deadlineAfter(nonNegative(Duration.between(loop.clock().instant(), when))));
    }

    /**
     * Moves the deadline to {@code timeout} from now (from the start of {@link #run}, before it runs).
     *
     * @param timeout the time to the new deadline, on the loop's clock
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void reschedule(Duration timeout) {
        Objects.requireNonNull(timeout, "CancelScope.reschedule: timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("CancelScope.reschedule: timeout must not be negative, was " + timeout);
        }
        if (loop == null) {
            wallDeadline = null;
            relative = true;
            deadline = Scheduler.saturatedNanos(timeout);
            return;
        }
        setDeadline(loop.deadlineAfter(timeout));
    }

    /** Removes the deadline (asyncio's {@code reschedule(None)}); only {@link #cancel()} cancels the scope then. */
    public void removeDeadline() {
        wallDeadline = null;
        relative = false;
        setDeadline(Scheduler.NEVER);
    }

    /**
     * The deadline as an instant of the loop's wall clock, as it reads now; null if there is none
     * (or, before {@link #run}, if it is relative to the start).
     *
     * @return the deadline as a wall-clock instant, or null
     */
    public Instant deadline() {
        if (wallDeadline != null && loop == null) {
            return wallDeadline;
        }
        if (loop == null || deadline == Scheduler.NEVER) {
            return null;
        }
        return loop.wallTimeAt(deadline);
    }

    /**
     * Whether the scope was cancelled (its deadline passed, or {@link #cancel()}).
     *
     * @return true once the scope is cancelled; it stays true
     */
    public boolean cancelCalled() {
        return cancelCalled;
    }

    /**
     * Whether {@link #run} caught this scope's own cancellation (and so returned null).
     *
     * @return true if the code inside unwound from this scope's cancellation and {@link #run}
     *     caught it; false if the code completed, failed, or let an outer cancellation through
     */
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    /**
     * Whether this scope shields its code from cancellations outside it.
     *
     * @return true if {@link #shielded()} was called
     */
    public boolean isShield() {
        return shield;
    }

    @Override
    public String toString() {
        return "CancelScope[" + (cancelCalled ? "cancelled" : "active") + (shield ? ", shield" : "")
                + (deadline() == null ? "" : ", deadline " + deadline()) + "]";
    }

    // ---------------------------------------------------------------------------------------
    // For the loop

    /** The cancellation to throw into this scope's code; the same object every time. */
    CancellationException exception() {
        if (exception == null) {
            exception = new ScopeCancelled("the cancel scope " + (deadline == Scheduler.NEVER ? "was cancelled"
                    : "reached its deadline") + " (" + (owner == null ? "" : "in coroutine '" + owner.name() + "'") + ")");
        }
        return exception;
    }

    boolean isCancelled() {
        return cancelCalled;
    }

    private void enter(Coroutine self) {
        loop = self.loop();
        owner = self;
        outer = self.scope();
        self.extras().scope = this;
        if (wallDeadline != null) {
            deadline = loop.deadlineAfter(nonNegative(Duration.between(loop.clock().instant(), wallDeadline)));
            wallDeadline = null;
        } else if (relative) {
            deadline = loop.deadlineAfterNanos(deadline);
            relative = false;
        }
        armTimer();
    }

    private void exit(Coroutine self) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        self.extras().scope = outer;
        outer = null;
        owner = null;
    }

    private void setDeadline(long newDeadline) {
        deadline = newDeadline;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (owner != null) {
            armTimer();
        }
    }

    private void armTimer() {
        if (cancelCalled || deadline == Scheduler.NEVER) {
            return;
        }
        if (deadline <= loop.clock().nanoTime()) {
            cancelCalled = true; // past already: the first suspension point inside throws
            return;
        }
        timer = loop.internalTimer(deadline, this::cancel);
    }

    private void checkNotUsed(String operation) {
        if (used) {
            throw new IllegalStateException("CancelScope." + operation + ": this scope has already run; create a new one");
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
