package dev.baton.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop's operations, built on the hand-off and scheduling step of {@link Engine}: spawning,
 * sleeping and awaiting, callbacks, the run methods and close, cancellation as the coroutines see
 * it, and failure reports. {@link Loop} is the public face and documents the guarantees;
 * coroutines, tasks and primitives hold this object, never the Loop, so that a dropped Loop can be
 * reclaimed (see Loop's design notes).
 */
final class Scheduler extends Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);




    /** Handles unretrieved failures and failing callbacks. */
    private BiConsumer<String, Throwable> exceptionHandler = Scheduler::logFailure;
    /** Failures of tasks nobody has retrieved yet; reported at close() if still unsettled. */
    private final java.util.Set<UnretrievedFailure> unretrieved = new java.util.LinkedHashSet<>();
    /** Set while close() unwinds the coroutines: a swallowed cancellation is then not waited for. */
    private boolean closing;
    /** The slow-coroutine warning threshold in nanoseconds, 0 when off. loop thread writes; the watchdog reads. */
    private volatile long slowThresholdNanos;
    /** What the watchdog's last look (every 10 ms while a run is active) found; null if nothing held the baton long. The watchdog writes; a dump reads. */
    private volatile Watchdog.Look look;

    /** The public face of this scheduler, held weakly so that it can be dropped; see Loop. Set once. */
    private java.lang.ref.WeakReference<Loop> facade;

    Scheduler(LoopClock clock) {
        super(clock);
    }

    /** Called once by the Loop this scheduler serves. */
    void attach(Loop loop) {
        facade = new java.lang.ref.WeakReference<>(loop);
    }

    /** The Loop of the calling coroutine or callback; see {@link Loop#current()}. */
    static Loop currentLoopFacade() {
        Scheduler scheduler = RunningLoops.current();
        Loop loop = scheduler == null ? null : scheduler.facade.get();
        if (loop == null) {
            throw new IllegalStateException("Loop.current() must be called from a coroutine or callback running on a loop;"
                    + " thread '" + Thread.currentThread().getName() + "' is not running one");
        }
        return loop;
    }

    /** This loop's clock: the only source of time for its coroutines. Any thread. */
    LoopClock clock() {
        return clock;
    }

    // ---------------------------------------------------------------------------------------
    // Coroutines

    /** See {@link Loop#spawn}. */
    <T> Task<T> spawn(String name, Callable<T> body) {
        Objects.requireNonNull(name, "spawn: name must not be null");
        Objects.requireNonNull(body, "spawn: body must not be null");
        return spawnCoroutine(name, body);
    }

    /** A new coroutine running {@code body}, a Callable or a Loop.Body, checked by the caller. */
    private <T> Task<T> spawnCoroutine(String name, Object body) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("spawn: name must not be blank (it names the coroutine in logs and dumps)");
        }
        checkLoopThread("spawn");
        if (closed) {
            throw new IllegalStateException("spawn('" + name + "'): the loop is closed; spawn coroutines before close()");
        }
        Coroutine coroutine = new Coroutine(this, name, body);
        live.add(coroutine);
        ready.addLast(coroutine);
        @SuppressWarnings("unchecked") // the coroutine's body returns a T: it is a Task<T>
        Task<T> task = (Task<T>) (Task<?>) coroutine;
        return task;
    }

    /** See {@link Loop#spawn}. */
    Task<Void> spawn(String name, Loop.Body body) {
        Objects.requireNonNull(name, "spawn: name must not be null");
        Objects.requireNonNull(body, "spawn: body must not be null");
        if (body instanceof Callable<?>) {
            // Both kinds at once: honour the overload that was called, which the coroutine cannot tell.
            return spawn(name, () -> {
                body.run();
                return null;
            });
        }
        return spawnCoroutine(name, body);
    }

    /** See {@link Loop#sleep}. */
    static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "Loop.sleep: duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Loop.sleep: duration must not be negative, was " + duration);
        }
        Coroutine self = currentCoroutine("Loop.sleep");
        Scheduler loop = self.loop();
        loop.enterSuspension(self, true);
        if (duration.isZero()) {
            loop.ready.addLast(self);
            if (loop.tieBreak != null) {
                loop.tieBreak.yielded(self); // exploration keeps sleep(ZERO)'s promise
            }
        } else {
            loop.timers.add(self, loop.deadlineAfter(duration)); // the coroutine is its own timer
        }
        loop.park(self, duration.isZero() ? null : self, true); // a sleeper waits on itself: its timer
    }

    /** The coroutine calling this method, holding the baton; else a clear error naming {@code operation}. */
    static Coroutine currentCoroutine(String operation) {
        Scheduler loop = RunningLoops.current();
        Thread me = Thread.currentThread();
        if (loop == null) {
            throw new IllegalStateException(operation + " must be called from a coroutine running on a loop"
                    + " (start one with loop.spawn); thread '" + me.getName() + "' is not one");
        }
        Coroutine coroutine = loop.running;
        if (coroutine == null || coroutine.thread != me) {
            throw new IllegalStateException(operation + " was called from a callback or a run method;"
                    + " only a coroutine can suspend (start one with loop.spawn)");
        }
        return coroutine;
    }

    /** See {@link Loop#await}. */
    static <T> T await(CompletionStage<T> stage) {
        return await(stage, false);
    }

    /**
     * {@link #await(CompletionStage)}; {@code ownWork} when the future is the caller's own
     * {@link Loop#toThread} work, which stops virtual time as any outside wait does but is not a
     * future the watchdog should ask about.
     */
    static <T> T await(CompletionStage<T> stage, boolean ownWork) {
        Objects.requireNonNull(stage, "Loop.await: stage must not be null");
        Coroutine self = currentCoroutine("Loop.await");
        Scheduler loop = self.loop();
        loop.enterSuspension(self, false);
        CompletableFuture<T> future = stage.toCompletableFuture();
        Task<?> own = Task.behind(future);
        if (!future.isDone() && own != null && own.loop() == loop) {
            // The loop itself completes it: a join, during which time moves as usual.
            own.awaitDone(self);
        } else if (!future.isDone()) {
            OutsideWait wait = loop.new OutsideWait(ownWork);
            future.whenComplete((result, error) -> loop.post(() -> wait.complete(self)));
            loop.park(self, wait, true);
        }
        return future.join();
    }

    /** {@code failure} as something a Callable can throw. */
    static Exception rethrowable(Throwable failure) {
        if (failure instanceof Exception e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new CompletionException(failure);
    }

    // ---------------------------------------------------------------------------------------
    // Callbacks

    /** See {@link Loop#callSoon}. */
    Loop.Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callSoon: callback must not be null");
        checkLoopThread("callSoon");
        Entry entry = enqueue(callback);
        entry.dropOnClose = true;
        return entry;
    }

    /** See {@link Loop#callLater}. */
    Loop.Handle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "callLater: delay must not be null");
        Objects.requireNonNull(callback, "callLater: callback must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("callLater: delay must not be negative, was " + delay);
        }
        checkLoopThread("callLater");
        return userTimer(deadlineAfter(delay), callback);
    }

    /** See {@link Loop#callAt}. */
    Loop.Handle callAt(Instant when, Runnable callback) {
        Objects.requireNonNull(when, "callAt: when must not be null");
        Objects.requireNonNull(callback, "callAt: callback must not be null");
        checkLoopThread("callAt");
        return userTimer(deadlineAfter(untilWall(when)), callback);
    }

    /** See {@link Loop#execute}. */
    void execute(Runnable command) {
        Objects.requireNonNull(command, "execute: command must not be null");
        if (closed) {
            throw new RejectedExecutionException("execute: the loop is closed");
        }
        post(new Executed(command));
    }

    /** See {@link Loop#setExceptionHandler}. */
    void setExceptionHandler(BiConsumer<String, Throwable> handler) {
        Objects.requireNonNull(handler, "setExceptionHandler: handler must not be null");
        checkLoopThread("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /** See {@link Loop#setSlowThreshold}. */
    void setSlowThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "setSlowThreshold: threshold must not be null");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("setSlowThreshold: threshold must not be negative, was " + threshold);
        }
        slowThresholdNanos = saturatedNanos(threshold);
    }

    /** {@code d} in nanoseconds, or {@link #NEVER} if it does not fit a long. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return NEVER;
        }
    }

    /** See {@link Loop#dump()}. Any thread. */
    String dump() {
        String coroutines = live.dump();
        Thread owner = batonOwner();
        String hold = owner == null ? null : describeHold(owner);
        if (hold == null || live.snapshot().stream().anyMatch(c -> c.thread == owner && c.waitingOn == null)) {
            return coroutines; // nothing held long, or a running coroutine holds it and its entry says so
        }
        // A callback: on the run method's thread, or on the thread of a coroutine that suspended
        // (ready callbacks run inside its park), whose entry shows its own wait.
        return coroutines + "\n  a callback on thread '" + owner.getName() + "' " + hold;
    }

    /** The tasks that are not done yet, in spawn order. Loop thread only. */
    List<Task<?>> tasks() {
        checkLoopThread("tasks");
        return live.tasks();
    }

    /** The unfinished coroutines, a best-effort snapshot from any thread (as {@link #dump()} reads them). */
    List<Coroutine> liveSnapshot() {
        return live.snapshot();
    }

    /** How many timers are pending; for tests. Baton holder only. */
    int pendingTimers() {
        return timers.size();
    }

    // For the watchdog and for Task.get on other threads: racy reads, each safe on its own.

    long slowThresholdNanos() {
        return slowThresholdNanos;
    }

    void noteLook(Watchdog.Look look) {
        this.look = look;
    }

    /**
     * What a dump says of {@code holder}'s hold on the baton, from the watchdog's last look, or
     * null: the look is of another holder, the loop has moved since, or the hold was short.
     */
    String describeHold(Thread holder) {
        Watchdog.Look l = look;
        return l == null || l.holder() != holder || l.progress() != progress() ? null : l.describe();
    }

    long progress() {
        return (long) PROGRESS.getOpaque(this);
    }

    long runsStarted() {
        return runsStarted;
    }

    boolean isRunning() {
        return baton.owner() != null;
    }

    Thread batonOwner() {
        return baton.owner();
    }

    /** Whether the baton holder is parked waiting for time or outside work (not stalling anything). */
    boolean isIdle() {
        return idleWaiter != null;
    }

    boolean isVirtual() {
        return virtualClock != null;
    }

    int outsideWaits() {
        return outsideWaits;
    }

    /** How many of the outside waits are coroutines' own Loop.toThread work. Racy read from the watchdog. */
    int workWaits() {
        return workWaits;
    }

    /** The coroutine whose body holds the baton, if any; a racy read. */
    Coroutine runningCoroutine() {
        return running;
    }

    // ---------------------------------------------------------------------------------------
    // Running

    /** See {@link Loop#runUntilComplete}. */
    <T> T runUntilComplete(Task<T> task) {
        Objects.requireNonNull(task, "runUntilComplete: task must not be null");
        if (task.loop() != this) {
            throw new IllegalArgumentException("runUntilComplete: task '" + task.name() + "' belongs to another loop");
        }
        task.markObserved();
        Run r = new Run(NEVER);
        r.target = task;
        runLoop(r, "runUntilComplete");
        if (!task.isDone()) {
            if (r.deadlock != null) {
                throw new DeadlockException(r.deadlock);
            }
            throw new IllegalStateException("runUntilComplete: the loop was stopped before task '" + task.name() + "' completed");
        }
        return task.joinResult();
    }

    /** See {@link Loop#runForever}. */
    void runForever() {
        runLoop(new Run(NEVER), "runForever");
    }

    /** See {@link Loop#runFor}. */
    void runFor(Duration duration) {
        Objects.requireNonNull(duration, "runFor: duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("runFor: duration must not be negative, was " + duration);
        }
        runLoop(new Run(runEndAfter(duration)), "runFor");
    }

    /** See {@link Loop#runUntil}. */
    void runUntil(Instant when) {
        Objects.requireNonNull(when, "runUntil: when must not be null");
        runLoop(new Run(runEndAfter(untilWall(when))), "runUntil");
    }

    /** See {@link Loop#runUntilIdle}. */
    void runUntilIdle() {
        Run r = new Run(NEVER);
        r.untilIdle = true;
        runLoop(r, "runUntilIdle");
    }

    /** See {@link Loop#stop}. */
    void stop() {
        stopRequested = true;
        wakeIdle();
    }

    /** See {@link Loop#close}. */
    void close() {
        if (closed) {
            return;
        }
        checkCanRun("close");
        drainInbox();
        dropUserCallbacks();
        closed = true;
        closing = true;
        for (Coroutine c = live.first(); c != null; c = c.nextLive) {
            c.cancel();
            wakeCancelled(c); // also those asked to cancel before, and sleeping on since
        }
        Run r = new Run(NEVER);
        r.untilNoLive = true;
        r.ignoreStop = true;
        try {
            runLoop(r, "close");
        } finally {
            if (live.size() > 0) {
                reportFailure("close", new DeadlockException(r.deadlock == null
                        ? live.size() + " coroutines did not unwind" : r.deadlock));
            }
            for (UnretrievedFailure pending : List.copyOf(unretrieved)) {
                pending.reportIfUnsettled();
            }
            unretrieved.clear();
            ready.clear();
            timers.clear();
            inbox.clear();
            Carrier.retire(carrier);
        }
    }

    /** Cancels the callbacks users scheduled; the loop's own (wake-ups, done-callbacks) stay. */
    private void dropUserCallbacks() {
        for (Object item : ready) {
            if (item instanceof Entry entry && entry.dropOnClose) {
                entry.cancelled = true;
            }
        }
        timers.dropUserCallbacks();
    }

    /** Whether {@link #close()} was called. Any thread. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Loop[" + clock + ", " + live.size() + " tasks" + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------
    // The baton

    // ---------------------------------------------------------------------------------------
    // Timers and time

    /** The monotonic deadline {@code delay} from now, or {@link #NEVER} if that is beyond a long. */
    long deadlineAfter(Duration delay) {
        return deadlineAfterNanos(saturatedNanos(delay));
    }

    /** The monotonic deadline {@code nanos} from now, or {@link #NEVER} if that is beyond a long. */
    long deadlineAfterNanos(long nanos) {
        long now = clock.nanoTime();
        return nanos >= NEVER - now ? NEVER : now + nanos;
    }

    /** A timer for the loop's own work, which close() does not drop. Baton holder only. */
    Entry internalTimer(long deadline, Runnable action) {
        Entry entry = new Entry(action, timers);
        timers.add(entry, deadline);
        return entry;
    }

    /** A timer for a user's callback, which close() drops. Baton holder only. */
    private Entry userTimer(long deadline, Runnable callback) {
        Entry entry = internalTimer(deadline, callback);
        entry.dropOnClose = true;
        return entry;
    }

    /** The wall-clock time at which monotonic {@code deadline} falls, as the clock reads now. Any thread. */
    Instant wallTimeAt(long deadline) {
        return clock.instant().plusNanos(deadline - clock.nanoTime());
    }

    private long runEndAfter(Duration duration) {
        return Math.min(deadlineAfter(duration), NEVER - 1);
    }

    /** The wall clock's distance (as it reads now) to {@code when}; zero if it is past. */
    private Duration untilWall(Instant when) {
        Duration delay = Duration.between(clock.instant(), when);
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    // ---------------------------------------------------------------------------------------
    // Simulation hooks: package-private, used only through Simulation; all off by default.

    /** Installs schedule exploration; before the first run only. */
    void setTieBreak(TieBreak tieBreak) {
        checkCanRun("Simulation.exploring");
        if (runsStarted > 0) {
            throw new IllegalStateException("Simulation.exploring: the loop has already run; explore from its first run");
        }
        this.tieBreak = tieBreak;
    }

    /** kotlinx's advanceTimeBy: runs what is due before now + duration, then the clock reads now + duration. Virtual clock only. */
    void runBefore(Duration duration) {
        Objects.requireNonNull(duration, "runBefore: duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("runBefore: duration must not be negative, was " + duration);
        }
        requireVirtual("runBefore");
        Run r = new Run(runEndAfter(duration));
        r.endExclusive = true;
        runLoop(r, "runBefore");
    }

    /** kotlinx's advanceUntilIdle with a background scope: moves time while a pending timer is not background work. Virtual clock only. */
    void runUntilOnlyBackground(java.util.function.Predicate<Task<?>> background) {
        Objects.requireNonNull(background, "runUntilOnlyBackground: background must not be null");
        requireVirtual("runUntilOnlyBackground");
        Run r = new Run(NEVER);
        r.background = background;
        runLoop(r, "runUntilOnlyBackground");
    }

    private void requireVirtual(String operation) {
        if (virtualClock == null) {
            throw new IllegalStateException(operation + " needs a loop on a VirtualClock; this one runs on " + clock);
        }
    }


    // ---------------------------------------------------------------------------------------
    // Tasks

    /** Ends a coroutine's task and wakes whoever waits for it. Baton holder only. */
    void finish(Coroutine coroutine, Object value, Throwable failure) {
        live.remove(coroutine);
        coroutine.forgetRunner();
        boolean reportable = coroutine.complete(value, failure);
        coroutine.notifyDone();
        if (reportable) {
            coroutine.trackUnretrieved();
        }
    }

    /**
     * Keeps {@code failure}, held by {@code holder} (a task or a future), to be reported once nobody can
     * retrieve it: when {@code holder} is collected, or when the loop closes. Baton holder only.
     */
    UnretrievedFailure trackUnretrieved(Object holder, String source, Throwable failure) {
        UnretrievedFailure pending = UnretrievedFailure.track(this, holder, source, failure);
        unretrieved.add(pending);
        return pending;
    }

    /**
     * Called by the cleaner once a failed task is unreachable: reports its failure on the loop.
     * Any thread.
     *
     * @return false if the loop is closed, so the caller must report it itself
     */
    boolean postUnretrieved(UnretrievedFailure pending) {
        if (closed) {
            return false;
        }
        post(() -> {
            unretrieved.remove(pending);
            pending.reportIfUnsettled();
        });
        return true;
    }

    /** Wakes a suspended coroutine whose task was just asked to cancel. Baton holder only. */
    void wakeCancelled(Coroutine coroutine) {
        Waitable waitingOn = coroutine.waitingOn;
        if (waitingOn == null) {
            return; // running, ready, or not yet started: it sees the request at its next check
        }
        if (coroutine.scope() != null && pendingCancellation(coroutine) == null) {
            return; // a shield stands between it and the cancellation
        }
        waitingOn.removeWaiter(coroutine);
        wake(coroutine);
    }

    /** Routes a cancellation request: directly on the baton holder, through the inbox otherwise. */
    void requestWake(Coroutine coroutine) {
        if (baton.isHeldByCurrentThread()) {
            wakeCancelled(coroutine);
        } else {
            post(() -> wakeCancelled(coroutine));
        }
    }

    /** Throws the cancellation if the coroutine's task was asked to cancel. Baton holder only. */
    void throwIfCancelled(Coroutine self) {
        CancellationException pending = pendingCancellation(self);
        if (pending != null) {
            deliverCancellation(self, pending);
        }
    }

    private static void deliverCancellation(Coroutine self, CancellationException pending) {
        Extras e = self.extras();
        if (e.cancelDeliveries < Byte.MAX_VALUE) {
            e.cancelDeliveries++;
        }
        throw pending;
    }

    /**
     * The cancellation a suspension point of {@code c} must throw now, or null: the task's own,
     * unless a shielding {@link CancelScope} stands between; else the outermost cancelled scope's
     * below the first shield. Baton holder only.
     */
    CancellationException pendingCancellation(Coroutine c) {
        CancelScope scope = c.scope();
        if (scope == null) {
            return c.isCancelRequested() ? c.cancellationException() : null;
        }
        CancelScope outermostCancelled = null;
        for (; scope != null; scope = scope.outer) {
            if (scope.isCancelled()) {
                outermostCancelled = scope;
            }
            if (scope.isShield()) {
                return outermostCancelled == null ? null : outermostCancelled.exception();
            }
        }
        if (c.isCancelRequested()) {
            return c.cancellationException();
        }
        return outermostCancelled == null ? null : outermostCancelled.exception();
    }

    /**
     * The check at the start of every suspension point: returns if the coroutine may suspend,
     * throws its cancellation if it was asked to cancel. A coroutine that swallowed the cancellation
     * twice (it caught it and came back to suspend again, typically in a loop) is reported once,
     * and from then on gets the cancellation again without freezing the loop: a {@code sleep} first
     * sleeps its time ({@code timedSleep}; the cancellation is thrown when it wakes), any other wait
     * first lets every ready coroutine run. While the loop closes, it is thrown at once, and a
     * coroutine that swallows it a few times is abandoned. Baton holder only.
     */
    void enterSuspension(Coroutine self, boolean timedSleep) {
        CancellationException pending = pendingCancellation(self);
        if (pending == null) {
            return;
        }
        Extras extras = self.extrasOrNull();
        int delivered = extras == null ? 0 : extras.cancelDeliveries;
        if (delivered >= SWALLOWS_BEFORE_REPORT || closing && delivered > 0) {
            swallowed(self);
            if (!closing) {
                if (timedSleep) {
                    return;
                }
                ready.addLast(self);
                park(self, null, false);
                pending = pendingCancellation(self);
                if (pending == null) {
                    return; // a scope that was cancelled has ended meanwhile
                }
            }
        }
        deliverCancellation(self, pending);
    }

    /**
     * How many cancellations a coroutine may swallow before it counts as one that swallows them
     * for good: one is the common cleanup idiom (catch, try to clean up, which throws again).
     */
    private static final int SWALLOWS_BEFORE_REPORT = 2;
    /** How many swallowed cancellations close() tolerates from one coroutine before abandoning it. */
    private static final int SWALLOWS_BEFORE_ABANDON = 3;

    private void swallowed(Coroutine self) {
        String name = self.name();
        Extras e = self.extras();
        if (!e.swallowReported) {
            e.swallowReported = true;
            reportFailure("task '" + name + "'", new IllegalStateException("coroutine '" + name + "' swallowed its cancellation:"
                    + " it caught the CancellationException and suspended again at " + Coroutine.firstUserFrame(new Throwable())
                    + "; it gets the cancellation again at each suspension point. Let CancellationException propagate"
                    + " (catch it only to clean up, then rethrow it)"));
        }
        if (closing && ++e.swallowsWhileClosing >= SWALLOWS_BEFORE_ABANDON) {
            abandon(self);
        }
    }

    /**
     * Gives up on a coroutine that will not end while the loop closes: it leaves the live list,
     * its thread stays parked for good (a virtual thread cannot be killed), and the loop goes on
     * closing. Never returns.
     */
    private void abandon(Coroutine self) {
        live.remove(self);
        reportFailure("task '" + self.name() + "'", new IllegalStateException("coroutine '" + self.name()
                + "' did not end: it swallowed its cancellation " + self.extras().swallowsWhileClosing + " times while the loop closed;"
                + " its virtual thread is left parked for good"));
        running = null;
        transfer(pickNext());
        for (;;) {
            LockSupport.park(this);
        }
    }

    boolean isOwnedByCurrentThread() {
        return baton.isHeldByCurrentThread();
    }

    /** Fails fast when a confined method is called from a thread other than the running loop's. */
    void checkLoopThread(String operation) {
        Thread o = baton.owner();
        if (o != null && o != Thread.currentThread()) {
            throw new IllegalStateException(operation + " was called from thread '" + Thread.currentThread().getName()
                    + "' while the loop runs on another; from other threads use loop.execute(...) or stop()");
        }
    }

    /** Hands a failure to the exception handler; never throws, whatever the handler or the failure does. */
    void reportFailure(String source, Throwable failure) {
        try {
            exceptionHandler.accept(source, failure);
        } catch (Throwable handlerFailure) {
            Reports.error(LOG, "the exception handler failed on " + source + ": " + Reports.describe(handlerFailure), handlerFailure);
            logFailure(source, failure);
        }
    }

    /** The default handler: SLF4J at ERROR, or standard error when no SLF4J provider is bound. */
    private static void logFailure(String source, Throwable failure) {
        Reports.error(LOG, source + " failed and nobody retrieved the exception: " + Reports.describe(failure), failure);
    }

    /** A coroutine's wait in {@link #await}: counted, so that virtual time stands still meanwhile. */
    private final class OutsideWait implements Waitable {
        /** Until the future completes or the coroutine is cancelled. Baton holder only. */
        private boolean active = true;
        /** Whether the future is the coroutine's own Loop.toThread work. */
        private final boolean ownWork;

        OutsideWait(boolean ownWork) {
            this.ownWork = ownWork;
            outsideWaits++;
            if (ownWork) {
                workWaits++;
            }
        }

        /** Posted by the completing thread; runs on the loop. */
        void complete(Coroutine waiter) {
            if (active) {
                removeWaiter(waiter);
                wake(waiter);
            }
        }

        @Override
        public void removeWaiter(Coroutine waiter) {
            if (active) {
                active = false;
                outsideWaits--;
                if (ownWork) {
                    workWaits--;
                }
            }
        }

        @Override
        public String describe(Scheduler loop) {
            return ownWork ? "awaiting its Loop.toThread work" : "awaiting an outside future";
        }
    }


}
