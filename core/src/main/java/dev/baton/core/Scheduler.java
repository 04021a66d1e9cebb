package dev.baton.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of a {@link Scheduler}: the baton, the ready queue, the timers, the live coroutines and the
 * scheduling step. {@link Scheduler} is its public face; coroutines, tasks and primitives hold this
 * object, never the Scheduler, so that a dropped Scheduler can be reclaimed (see Scheduler's design notes). The
 * guarantees are documented on {@link Scheduler}; this file is how they are kept.
 */
final class Scheduler {
    /*
     * Design notes.
     *
     * The baton (see Baton) is one volatile field naming the thread allowed to run loop code. A
     * thread gives it away by naming the next thread and unparking it; it then parks until the
     * baton names it again. There is no scheduler thread: the thread that gives the baton away first runs the
     * scheduling step itself (pickNext) and hands the baton straight to the next coroutine, so a
     * switch costs one unpark and one park of virtual threads. The thread that called a run
     * method (perhaps a platform thread) is a party too: it starts the first step and parks until
     * the baton comes back, when the run's condition holds. It is not in the path of a switch.
     *
     * Everything not marked otherwise is touched only by the baton holder, or, between runs, by the
     * one thread using the loop; the baton's volatile write and read order those accesses.
     *
     * Waiting for time on a real clock is done by whoever holds the baton when the loop goes
     * idle: it parks with a timeout and registers as `idleWaiter` so that another thread's
     * execute() or stop() can wake it early. On a virtual clock the holder moves the clock instead.
     *
     * No `synchronized` anywhere: it would pin carrier threads on JDK 21.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** No deadline: the sentinel for "no timer" and "no end". */
    static final long NEVER = Long.MAX_VALUE;

    /*
     * Which loop is the caller's? The newest running loop whose baton names the calling thread.
     * No ThreadLocal: setting one on each coroutine's fresh thread cost 136 bytes per coroutine
     * (a map and its table), over a tenth of a suspended coroutine's footprint.
     */
    /** The loops inside a run method, oldest first. Replaced whole under RUNNING_LOCK; read by anyone. */
    private static volatile Scheduler[] runningLoops = new Scheduler[0];
    private static final java.util.concurrent.locks.ReentrantLock RUNNING_LOCK = new java.util.concurrent.locks.ReentrantLock();



    private final LoopClock clock;
    /** The same object as `clock` when it is virtual, else null. */
    private final VirtualClock virtualClock;

    /** Names the thread allowed to run loop code; none when no run method is active. */
    private final Baton baton = new Baton();
    /** Mounts this loop's coroutines; null when they run on the JDK's shared scheduler. See Carrier. */
    private final Carrier carrier = Carrier.forNewLoop();
    /** The coroutine whose body holds the baton; null while scheduling or running a callback. */
    private Coroutine running;
    /** The active run method's condition; null when none is active. */
    private Run run;

    /** Ready work, FIFO: a {@link Coroutine} to resume or an {@link Entry} callback to run. */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    /** Pending timers by (deadline, sequence); cancelled ones are dropped when they reach the head. */
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    /** The sequence number of the next timer: ties on deadline fire in schedule order. */
    private long sequence;
    /** Coroutines whose task is not done, in spawn order: a doubly linked list through them. */
    private Coroutine liveHead;
    private Coroutine liveTail;
    private int liveCount;
    /** Coroutines in Loop.await() whose outside future has not completed yet. */
    private int outsideWaits;
    /** Handles unretrieved failures and failing callbacks. */
    private BiConsumer<String, Throwable> exceptionHandler = Scheduler::logFailure;
    /** Failures of tasks nobody has retrieved yet; reported at close() if still unsettled. */
    private final java.util.Set<UnretrievedFailure> unretrieved = new java.util.LinkedHashSet<>();
    /** Cancelled entries still in `timers`; when they are over half of it, it is rebuilt without them. */
    private int cancelledTimers;
    /** Set while close() unwinds the coroutines: a swallowed cancellation is then not waited for. */
    private boolean closing;
    /** A coroutine thread interrupted while it waited for work alone; its status is restored when it resumes. */
    private Thread interruptedWhileWaiting;
    /** Counts hand-offs and callbacks run, for the watchdog; written by the baton holder (opaque), read by the watchdog. */
    private long progress;
    /** The slow-coroutine warning threshold in nanoseconds, 0 when off. Scheduler thread writes; the watchdog reads. */
    private volatile long slowThresholdNanos;
    /** How many run methods have started; get() on other threads watches it. */
    private volatile long runsStarted;

    /** Work handed in by any thread; drained into `ready` by the baton holder. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** The thread parked waiting for time or the inbox, if any. Written by that thread. */
    private volatile Thread idleWaiter;
    /** Set by stop() on any thread; cleared by the run it stops. */
    private volatile boolean stopRequested;
    /** Set once by close(); read by any thread. */
    private volatile boolean closed;

    private static final java.lang.invoke.VarHandle PROGRESS;

    static {
        try {
            PROGRESS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Scheduler.class, "progress", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The public face of this scheduler, held weakly so that it can be dropped; see Loop. Set once. */
    private java.lang.ref.WeakReference<Loop> facade;

    Scheduler(LoopClock clock) {
        this.clock = clock;
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
    }

    /** Called once by the Loop this scheduler serves. */
    void attach(Loop loop) {
        facade = new java.lang.ref.WeakReference<>(loop);
    }

    /** The Loop of the calling coroutine or callback; see {@link Loop#current()}. */
    static Loop currentLoopFacade() {
        Scheduler scheduler = currentLoop();
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

    /**
     * Starts a coroutine: {@code body} will run on its own virtual thread, named {@code name},
     * when the loop reaches it (after the work already ready). Scheduler thread only.
     *
     * @return the task that completes with the body's result or exception
     * @throws NullPointerException if {@code name} or {@code body} is null
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if the loop is closed, or if called from another thread while
     *     the loop runs
     */
    <T> Task<T> spawn(String name, Callable<T> body) {
        Objects.requireNonNull(name, "spawn: name must not be null");
        Objects.requireNonNull(body, "spawn: body must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("spawn: name must not be blank (it names the coroutine in logs and dumps)");
        }
        checkLoopThread("spawn");
        if (closed) {
            throw new IllegalStateException("spawn('" + name + "'): the loop is closed; spawn coroutines before close()");
        }
        Task<T> task = new Task<>(this, name);
        Coroutine coroutine = new Coroutine(this, task, body);
        task.coroutine = coroutine;
        link(coroutine);
        ready.addLast(coroutine);
        return task;
    }

    /**
     * Starts a coroutine whose body returns nothing; see {@link #spawn(String, Callable)}.
     *
     * @return the task, whose result is null
     */
    Task<Void> spawn(String name, Loop.Body body) {
        Objects.requireNonNull(body, "spawn: body must not be null");
        return spawn(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Suspends the calling coroutine for {@code duration} of the loop's clock. Other coroutines
     * run meanwhile. {@link Duration#ZERO} lets every coroutine and callback that is ready now run
     * first, then resumes. A duration too long to represent waits "forever".
     *
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if the caller is not a coroutine (a plain thread, or a callback)
     * @throws CancellationException if the coroutine's task is cancelled before or during the sleep
     */
    static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "Loop.sleep: duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Loop.sleep: duration must not be negative, was " + duration);
        }
        Coroutine self = currentCoroutine("Loop.sleep");
        Scheduler loop = self.loop;
        loop.enterSuspension(self, true);
        if (duration.isZero()) {
            loop.ready.addLast(self);
        } else {
            Entry timer = loop.newTimer(loop.deadlineAfter(duration), self);
            self.waitingOn = timer;
        }
        loop.suspend(self);
    }

    /** The coroutine calling this method, holding the baton; else a clear error naming {@code operation}. */
    static Coroutine currentCoroutine(String operation) {
        Scheduler loop = currentLoop();
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

    /**
     * Suspends the calling coroutine until {@code stage}, completed by any thread, is done, and
     * returns its result; other coroutines run meanwhile. On a {@link VirtualClock}, virtual time
     * does not move while such a wait is pending: the loop waits for it in real time, so an outside
     * result is never overtaken by timers it should have preceded. The exception is a future made
     * by {@link Task#toCompletableFuture()} of a task of this loop, which is awaited like a
     * {@link Task#join()}, with time moving. A future the loop itself completes in any other way
     * (one derived from such a future, say) would stand time still for good: after a second of
     * real time the loop logs a warning naming the awaiting coroutine.
     *
     * @throws CompletionException if the stage failed (its exception is the cause)
     * @throws CancellationException if the stage was cancelled, or the coroutine is cancelled
     *     while it waits (the stage itself is left alone)
     * @throws IllegalStateException if the caller is not a coroutine
     */
    static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "Loop.await: stage must not be null");
        Coroutine self = currentCoroutine("Loop.await");
        Scheduler loop = self.loop;
        loop.enterSuspension(self, false);
        CompletableFuture<T> future = stage.toCompletableFuture();
        Task<?> own = Task.behind(future);
        if (!future.isDone() && own != null && own.loop() == loop) {
            // The loop itself completes it: a join, during which time moves as usual.
            own.awaitDone(self);
        } else if (!future.isDone()) {
            OutsideWait wait = loop.new OutsideWait();
            future.whenComplete((result, error) -> loop.post(() -> wait.complete(self)));
            self.waitingOn = wait;
            loop.suspend(self);
        }
        return future.join();
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
        Coroutine self = currentCoroutine("Loop.withTimeout");
        self.loop.enterSuspension(self, false);
        Task<T> child = self.loop.spawn(self.task.name() + "/timeout", body);
        try {
            return child.join(timeout);
        } catch (CancellationException e) {
            if (self.task.isCancelRequested()) {
                child.cancel();
                child.awaitDoneQuietly(self);
                if (child.isFailed()) {
                    e.addSuppressed(child.failure()); // the child's own failure while unwinding is not lost
                }
            }
            throw e;
        }
    }

    /**
     * A task whose result is the results of {@code tasks}, in their order (asyncio's
     * {@code gather}). On the first failure (in time) the other tasks are cancelled, and once they
     * have unwound the gather task fails with that exception. Cancelling the gather task cancels
     * them all. Scheduler thread only.
     *
     * @throws IllegalArgumentException if a task belongs to another loop
     */
    <T> Task<List<T>> gather(List<? extends Task<? extends T>> tasks) {
        List<Task<? extends T>> all = checkOwnTasks("gather", tasks);
        return spawn("gather(" + all.size() + " tasks)", () -> {
            Supervisor supervisor = new Supervisor(this, true, true);
            all.forEach(supervisor::watch);
            Coroutine self = currentCoroutine("gather");
            supervisor.awaitAll(self);
            supervisor.throwFailures();
            throwIfCancelled(self);
            List<T> results = new ArrayList<>(all.size());
            for (Task<? extends T> task : all) {
                results.add(task.joinResult());
            }
            return results;
        });
    }

    /**
     * A task whose result lists, for each of {@code tasks} in order, its result, or its exception
     * if it failed, or a {@link CancellationException} if it was cancelled (asyncio's
     * {@code gather(..., return_exceptions=True)}). It waits for all and never fails because of
     * them. Scheduler thread only.
     */
    Task<List<Object>> gatherSettled(List<? extends Task<?>> tasks) {
        List<Task<?>> all = checkOwnTasks("gatherSettled", tasks);
        return spawn("gatherSettled(" + all.size() + " tasks)", () -> {
            Supervisor supervisor = new Supervisor(this, false, false);
            all.forEach(supervisor::watch);
            Coroutine self = currentCoroutine("gatherSettled");
            supervisor.awaitAll(self);
            throwIfCancelled(self);
            List<Object> outcomes = new ArrayList<>(all.size());
            for (Task<?> task : all) {
                outcomes.add(task.isDone() && !task.isCancelled() && !task.isFailed() ? task.joinResult() : task.failure());
            }
            return outcomes;
        });
    }

    private <X extends Task<?>> List<X> checkOwnTasks(String operation, List<? extends X> tasks) {
        Objects.requireNonNull(tasks, operation + ": tasks must not be null");
        List<X> all = List.copyOf(tasks);
        for (X task : all) {
            if (task.loop() != this) {
                throw new IllegalArgumentException(operation + ": task '" + task.name() + "' belongs to another loop");
            }
        }
        return all;
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

    /**
     * Runs {@code callback} on the loop after the work already ready (FIFO). A callback must not
     * suspend; one that throws is reported to the exception handler. Scheduler thread only.
     */
    Loop.Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callSoon: callback must not be null");
        checkLoopThread("callSoon");
        Entry entry = enqueue(callback);
        entry.dropOnClose = true;
        return entry;
    }

    /**
     * Runs {@code callback} on the loop once {@code delay} of the loop's clock has passed; see
     * {@link #callSoon} for what a callback may do. Scheduler thread only.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    Loop.Handle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "callLater: delay must not be null");
        Objects.requireNonNull(callback, "callLater: callback must not be null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("callLater: delay must not be negative, was " + delay);
        }
        checkLoopThread("callLater");
        Entry entry = newTimer(deadlineAfter(delay), callback);
        entry.dropOnClose = true;
        return entry;
    }

    /**
     * Runs {@code callback} on the loop when the clock's wall time reaches {@code when} (at once
     * if it is in the past). The instant is turned into a monotonic deadline when this method is
     * called: a later wall-clock step does not move it. Scheduler thread only.
     */
    Loop.Handle callAt(Instant when, Runnable callback) {
        Objects.requireNonNull(when, "callAt: when must not be null");
        Objects.requireNonNull(callback, "callAt: callback must not be null");
        checkLoopThread("callAt");
        Entry entry = newTimer(deadlineAfter(untilWall(when)), callback);
        entry.dropOnClose = true;
        return entry;
    }

    /**
     * Runs {@code command} on the loop as a callback, after the work ready when it is picked up
     * (asyncio's {@code call_soon_threadsafe}). Safe from any thread; wakes a loop that is waiting
     * for time. A loop that is not running keeps it for its next run.
     *
     * @throws RejectedExecutionException if the loop is closed
     */
    void execute(Runnable command) {
        Objects.requireNonNull(command, "execute: command must not be null");
        if (closed) {
            throw new RejectedExecutionException("execute: the loop is closed");
        }
        post(new Executed(command));
    }

    /**
     * Replaces the handler of unretrieved task failures and failing callbacks. It receives a
     * description of the source ({@code "task 'name'"} or {@code "callback"}) and the exception,
     * and runs on the loop. Scheduler thread only.
     */
    void setExceptionHandler(BiConsumer<String, Throwable> handler) {
        Objects.requireNonNull(handler, "setExceptionHandler: handler must not be null");
        checkLoopThread("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /**
     * Warns when a coroutine or callback holds the baton for longer than {@code threshold} of real
     * time without suspending (asyncio's {@code slow_callback_duration}): a blocking call or a long
     * computation that stalls every other coroutine of the loop. The warning names the coroutine
     * and shows its stack at that moment, once per stall; it is logged at WARN (on standard error if
     * no SLF4J provider is bound). Off by default; {@code @VirtualTime} tests turn it on at 100 ms.
     * {@link Duration#ZERO} turns it off. Real time, whatever the loop's clock: it is the carrier
     * that is held. Any thread.
     *
     * <p>Independently of this setting, a hand-off that cannot complete because no carrier thread is
     * free (for example a coroutine that suspended inside a class initializer, which pins its
     * carrier, on a JVM with one carrier) is named after a second.
     *
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    void setSlowThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "setSlowThreshold: threshold must not be null");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("setSlowThreshold: threshold must not be negative, was " + threshold);
        }
        slowThresholdNanos = deadlineNanos(threshold);
    }

    private static long deadlineNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    // For the watchdog and for Task.get on other threads: racy reads, each safe on its own.

    long slowThresholdNanos() {
        return slowThresholdNanos;
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

    /** The coroutine whose body holds the baton, if any; a racy read. */
    Coroutine runningCoroutine() {
        return running;
    }

    /** The unfinished coroutines, a best-effort snapshot from any thread (as {@link #dump()} reads them). */
    List<Coroutine> liveSnapshot() {
        List<Coroutine> list = new ArrayList<>();
        int count = liveCount;
        try {
            for (Coroutine c = liveHead; c != null && list.size() <= count; c = c.nextLive) {
                list.add(c);
            }
        } catch (RuntimeException raced) {
            // the list changed while it was read; what was read stays
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------
    // Running

    /**
     * Runs the loop until {@code task} is done and returns its result.
     *
     * <p>On a {@link VirtualClock}, if the loop reaches a state where the task can never finish
     * (nothing ready, no timer pending), this throws {@link DeadlockException} at once, naming every
     * suspended coroutine with its stack. On a {@link SystemClock} it goes on waiting, since
     * another thread may still {@link #execute} or {@link Task#cancel()}.
     *
     * @throws CompletionException if the task failed (its exception is the cause)
     * @throws CancellationException if the task was cancelled
     * @throws DeadlockException see above
     * @throws IllegalStateException if {@link #stop()} ended the run first, or if called from a
     *     coroutine or callback of this loop, or if the loop is closed
     * @throws IllegalArgumentException if the task belongs to another loop
     */
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

    /**
     * Runs the loop until {@link #stop()} is called. On a {@link VirtualClock} it also returns
     * when there is nothing left that could ever run (nothing ready, no timer pending).
     */
    void runForever() {
        runLoop(new Run(NEVER), "runForever");
    }

    /**
     * Runs the loop for {@code duration} of its clock, then returns; see the boundary rule in the
     * class documentation. On a {@link VirtualClock} the clock then reads exactly start +
     * duration. {@link #stop()} ends it early.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    void runFor(Duration duration) {
        Objects.requireNonNull(duration, "runFor: duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("runFor: duration must not be negative, was " + duration);
        }
        runLoop(new Run(runEndAfter(duration)), "runFor");
    }

    /**
     * Runs the loop until its wall clock reads {@code when}: {@code runFor} of the time between the
     * clock's wall time now and {@code when} (zero if {@code when} is past). The end is fixed when
     * this is called; a wall-clock step during the run does not move it.
     */
    void runUntil(Instant when) {
        Objects.requireNonNull(when, "runUntil: when must not be null");
        runLoop(new Run(runEndAfter(untilWall(when))), "runUntil");
    }

    /**
     * Runs everything ready now, and the timers already due, until nothing is ready; does not
     * wait for or move time.
     */
    void runUntilIdle() {
        Run r = new Run(NEVER);
        r.untilIdle = true;
        runLoop(r, "runUntilIdle");
    }

    /**
     * Ends the active run method at its next scheduling step, or, if none is active, the next one
     * to start. Safe from any thread. The running coroutine, if any, goes on to its next
     * suspension point first.
     */
    void stop() {
        stopRequested = true;
        wakeIdle();
    }

    /**
     * Cancels every task that is not done and runs the loop until they have unwound (their
     * {@code finally} blocks ran); then the loop is closed and rejects new work. Callbacks pending
     * when this is called ({@link #callSoon}, {@link #callLater}, {@link #callAt},
     * {@link #execute}) are dropped; the loop's own work while the coroutines unwind still runs.
     * A coroutine that keeps swallowing its cancellation is given up after a few tries, reported,
     * and left parked, so this returns in bounded time. Failures nobody retrieved are reported to
     * the exception handler now. Does nothing if already closed. Not from inside the loop.
     *
     * @throws IllegalStateException if called from a coroutine or callback of this loop
     */
    void close() {
        if (closed) {
            return;
        }
        checkCanRun("close");
        drainInbox();
        dropUserCallbacks();
        closed = true;
        closing = true;
        for (Coroutine c = liveHead; c != null; c = c.nextLive) {
            c.task.cancel();
            wakeCancelled(c); // also those asked to cancel before, and sleeping on since
        }
        Run r = new Run(NEVER);
        r.untilNoLive = true;
        r.ignoreStop = true;
        try {
            runLoop(r, "close");
        } finally {
            if (liveCount > 0) {
                reportFailure("close", new DeadlockException(r.deadlock == null
                        ? liveCount + " coroutines did not unwind" : r.deadlock));
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
        for (Entry timer : timers) {
            if (timer.dropOnClose) {
                timer.cancelled = true;
            }
        }
    }

    /** Whether {@link #close()} was called. Any thread. */
    boolean isClosed() {
        return closed;
    }

    /** The tasks that are not done yet, in spawn order. Scheduler thread only. */
    List<Task<?>> tasks() {
        checkLoopThread("tasks");
        List<Task<?>> list = new ArrayList<>(liveCount);
        for (Coroutine c = liveHead; c != null; c = c.nextLive) {
            list.add(c.task);
        }
        return list;
    }

    @Override
    public String toString() {
        return "Loop[" + clock + ", " + liveCount + " tasks" + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------
    // The baton

    /** What ends the active run. Touched by the baton holder. */
    private static final class Run {
        final long end;
        /** Real clock, past the end: how many ready entries are left to run; -1 before that. */
        int overshoot = -1;
        Thread runner;
        Task<?> target;
        boolean untilIdle;
        boolean untilNoLive;
        boolean ignoreStop;
        String deadlock;
        Throwable crash;

        Run(long end) {
            this.end = end;
        }
    }

    private void runLoop(Run r, String operation) {
        checkCanRun(operation);
        if (!baton.claim()) {
            checkCanRun(operation); // another thread got in between the check and the claim
            throw new IllegalStateException(operation + ": the loop is already running on another thread");
        }
        Thread me = Thread.currentThread();
        if (closed && !operation.equals("close")) {
            baton.set(null);
            throw new IllegalStateException(operation + ": the loop is closed");
        }
        runsStarted++;
        r.runner = me;
        run = r;
        setRunning(true);
        boolean interrupted = false;
        try {
            Coroutine next = pickNext();
            if (next != null) {
                transfer(next);
                // An interrupted runner stops the loop at its next step, then keeps the interrupt.
                interrupted = baton.await(this::stop);
            }
        } finally {
            run = null;
            running = null;
            baton.set(null);
            setRunning(false);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.crash != null) {
            throw new IllegalStateException("the loop failed inside " + operation, r.crash);
        }
    }

    private void checkCanRun(String operation) {
        Thread o = baton.owner();
        if (o != null) {
            throw new IllegalStateException(operation + ": the loop is already running"
                    + (o == Thread.currentThread() ? "; inside a coroutine, wait with join() or Loop.sleep() instead" : " on another thread"));
        }
        if (closed && !operation.equals("close")) {
            throw new IllegalStateException(operation + ": the loop is closed");
        }
    }

    /**
     * Gives the baton away from the calling coroutine and returns when it holds it again.
     * The caller has already arranged to be woken (a timer, a join, the ready queue).
     *
     * @throws CancellationException if its task was cancelled meanwhile
     */
    void suspend(Coroutine self) {
        parkQuietly(self, self.waitingOn);
        throwIfCancelled(self);
    }

    /**
     * Called by a finishing coroutine: ends its task (outside the coroutine's context, so the
     * exception handler and done-callbacks cannot suspend it), then hands the baton on without
     * waiting for it back.
     */
    void exit(Coroutine coroutine, Object value, Throwable failure) {
        running = null;
        finish(coroutine, value, failure);
        transfer(pickNext());
    }

    /** Hands the baton to {@code next}, or back to the runner if null. Caller holds it. */
    private void transfer(Coroutine next) {
        if (next == null) {
            baton.handTo(run.runner);
            return;
        }
        if (next.thread == null) {
            next.thread = Carrier.newThread(carrier, next.task.name(), next);
            baton.start(next.thread);
        } else {
            baton.handTo(next.thread);
        }
    }

    /**
     * The scheduling step, run by the baton holder: runs callbacks, fires due timers, moves or
     * waits for time, until a coroutine is ready to resume (returned) or the run's condition holds
     * (null: the baton goes back to the runner).
     */
    private Coroutine pickNext() {
        Run r = run;
        try {
            for (;;) {
                drainInbox();
                if (stopRequested && !r.ignoreStop) {
                    stopRequested = false;
                    return null;
                }
                if (r.target != null && r.target.isDone() || r.untilNoLive && liveCount == 0) {
                    return null;
                }
                long now = clock.nanoTime();
                fireDueTimers(Math.min(now, r.end));
                if (now > r.end) {
                    // Only a real clock passes the end. Run the work that is ready by now, which
                    // includes every timer due by the end, then return; work that becomes ready
                    // meanwhile waits for the next run, so a busy coroutine cannot hold the run.
                    if (r.overshoot < 0) {
                        r.overshoot = ready.size();
                    }
                    if (r.overshoot == 0) {
                        return null;
                    }
                    r.overshoot--;
                }
                Object next = ready.pollFirst();
                if (next instanceof Coroutine c) {
                    if (c.thread == null && c.task.isCancelRequested()) {
                        finish(c, null, c.task.cancellationException());
                        continue;
                    }
                    return c;
                }
                if (next != null) {
                    runCallback((Entry) next);
                    continue;
                }
                if (r.untilIdle || now >= r.end) {
                    return null;
                }
                Entry head = timers.peek();
                long wake = head == null ? r.end : Math.min(head.deadline, r.end);
                if (virtualClock != null && outsideWaits > 0) {
                    // Virtual time stands still while outside work is pending: wait for it in real time.
                    waitForWork(NEVER);
                } else if (virtualClock != null) {
                    if (wake == NEVER) {
                        if (r.target != null || r.untilNoLive) {
                            r.deadlock = describeDeadlock(r);
                        }
                        return null;
                    }
                    virtualClock.advanceTo(wake);
                } else {
                    waitForWork(wake);
                }
            }
        } catch (Throwable t) {
            // A bug in the loop itself: give the baton back so the runner can report it.
            r.crash = t;
            return null;
        }
    }

    /** Moves every live timer due at or before {@code limit} to the ready queue, in order. */
    private void fireDueTimers(long limit) {
        Entry head;
        while ((head = timers.peek()) != null && (head.cancelled || head.deadline <= limit)) {
            timers.poll();
            head.heap = null;
            if (head.cancelled) {
                cancelledTimers--;
                continue;
            }
            if (head.action instanceof Coroutine c) {
                wake(c);
            } else {
                ready.addLast(head);
            }
        }
    }

    /** Real clock only: parks until {@code deadline} or until another thread posts work. */
    private void waitForWork(long deadline) {
        Thread me = Thread.currentThread();
        idleWaiter = me;
        try {
            if (!inbox.isEmpty() || stopRequested) {
                return;
            }
            if (deadline == NEVER) {
                LockSupport.park(this);
            } else {
                long delay = deadline - clock.nanoTime();
                if (delay > 0) {
                    LockSupport.parkNanos(this, delay);
                }
            }
            if (Thread.interrupted()) {
                if (me == run.runner) {
                    stopRequested = true;
                    me.interrupt();
                } else {
                    interruptedWhileWaiting = me; // a coroutine's: restored when it resumes
                }
            }
        } finally {
            idleWaiter = null;
        }
    }

    private void wakeIdle() {
        Thread waiter = idleWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Queues work from any thread and wakes the loop if it is waiting. */
    void post(Runnable command) {
        inbox.add(command);
        wakeIdle();
    }

    /**
     * Takes in what other threads handed over. A user's {@link #execute} command joins the ready
     * queue (FIFO); the loop's own updates (a cancellation's wake-up, an outside future's
     * completion) are applied at once, so a cancel asked between runs takes effect before any work
     * that was already ready, as it would have had it been asked on the loop.
     */
    private void drainInbox() {
        Runnable command;
        while ((command = inbox.poll()) != null) {
            if (command instanceof Executed) {
                enqueue(command).dropOnClose = true;
            } else {
                try {
                    command.run();
                } catch (Throwable t) {
                    reportFailure("callback", t);
                }
            }
        }
    }

    /** A command handed in by {@link #execute}: a user's callback, which close() drops. */
    private record Executed(Runnable command) implements Runnable {
        @Override
        public void run() {
            command.run();
        }
    }

    private void runCallback(Entry entry) {
        if (entry.cancelled) {
            return;
        }
        entry.cancelled = true; // ran: a later cancel() returns false
        PROGRESS.setOpaque(this, progress + 1);
        try {
            ((Runnable) entry.action).run();
        } catch (Throwable t) {
            reportFailure("callback", t);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Timers and time

    /** A timer; one at {@link #NEVER} is never due, so it is kept out of the queue (but can be cancelled). */
    private Entry newTimer(long deadline, Object action) {
        Entry entry = new Entry(deadline, sequence++, action);
        if (deadline != NEVER) {
            entry.heap = this;
            timers.add(entry);
        }
        return entry;
    }

    /**
     * A timer in the heap was cancelled. Cancelled timers are dropped when they reach the head;
     * once they are over half the heap, it is rebuilt without them (as asyncio does), so a loop
     * that keeps cancelling long timers holds memory for its live timers only. Baton holder only.
     */
    private void timerCancelled() {
        cancelledTimers++;
        if (cancelledTimers * 2 > timers.size()) {
            timers.removeIf(entry -> {
                if (entry.cancelled) {
                    entry.heap = null;
                    return true;
                }
                return false;
            });
            cancelledTimers = 0;
        }
    }

    /** How many entries the timer heap holds, cancelled ones included; for tests. Baton holder only. */
    int pendingTimers() {
        return timers.size();
    }

    /** The monotonic deadline {@code delay} from now, or {@link #NEVER} if that is beyond a long. */
    long deadlineAfter(Duration delay) {
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return NEVER;
        }
        long now = clock.nanoTime();
        return nanos >= NEVER - now ? NEVER : now + nanos;
    }

    /** The end of a run {@code duration} from now; a run that long ends at the last representable time. */
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
    // Tasks

    /** Ends a coroutine's task and wakes whoever waits for it. Baton holder only. */
    void finish(Coroutine coroutine, Object value, Throwable failure) {
        unlink(coroutine);
        Task<?> task = coroutine.task;
        boolean reportable = task.complete(value, failure);
        for (Coroutine joiner : task.takeJoiners()) {
            wake(joiner);
        }
        task.scheduleDoneCallbacks(this);
        if (reportable) {
            UnretrievedFailure pending = task.trackUnretrieved();
            if (pending != null) {
                unretrieved.add(pending);
            }
        }
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

    /** Queues a callback at the end of the ready queue. Baton holder only. */
    Entry enqueue(Runnable callback) {
        Entry entry = new Entry(NEVER, 0, callback);
        ready.addLast(entry);
        return entry;
    }

    /** Wakes a suspended coroutine whose task was just asked to cancel. Baton holder only. */
    void wakeCancelled(Coroutine coroutine) {
        Waitable waitingOn = coroutine.waitingOn;
        if (waitingOn == null) {
            return; // running, ready, or not yet started: it sees the request at its next check
        }
        waitingOn.removeWaiter(coroutine);
        wake(coroutine);
    }

    /** Makes a suspended coroutine ready to resume (FIFO). Baton holder only. */
    void wake(Coroutine coroutine) {
        coroutine.waitingOn = null;
        ready.addLast(coroutine);
    }

    /**
     * Suspends the calling coroutine on {@code on} until something {@link #wake}s it, without the
     * cancellation check at the end: for primitives that must finish an operation that completed
     * while the coroutine was being cancelled (the cancellation then surfaces at the next
     * suspension point). Cancellation still wakes it. Baton holder only.
     */
    void parkQuietly(Coroutine self, Waitable on) {
        self.waitingOn = on;
        running = null;
        Coroutine next = pickNext();
        if (next != self) {
            transfer(next);
            if (baton.await(null)) {
                self.thread.interrupt(); // keep the status for the coroutine's own code
            }
        }
        if (interruptedWhileWaiting == self.thread) {
            interruptedWhileWaiting = null;
            self.thread.interrupt();
        }
        markRunning(self);
    }

    /** {@code coroutine} holds the baton now; the watchdog sees the loop make progress. */
    private void markRunning(Coroutine coroutine) {
        running = coroutine;
        PROGRESS.setOpaque(this, progress + 1);
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
        if (self.task.isCancelRequested()) {
            deliverCancellation(self);
        }
    }

    private static void deliverCancellation(Coroutine self) {
        self.cancelDeliveries++;
        throw self.task.cancellationException();
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
        if (!self.task.isCancelRequested()) {
            return;
        }
        if (self.cancelDeliveries >= SWALLOWS_BEFORE_REPORT || closing && self.cancelDeliveries > 0) {
            swallowed(self);
            if (!closing) {
                if (timedSleep) {
                    return;
                }
                ready.addLast(self);
                parkQuietly(self, null);
            }
        }
        deliverCancellation(self);
    }

    /**
     * How many cancellations a coroutine may swallow before it counts as one that swallows them
     * for good: one is the common cleanup idiom (catch, try to clean up, which throws again).
     */
    private static final int SWALLOWS_BEFORE_REPORT = 2;
    /** How many swallowed cancellations close() tolerates from one coroutine before abandoning it. */
    private static final int SWALLOWS_BEFORE_ABANDON = 3;

    private void swallowed(Coroutine self) {
        String name = self.task.name();
        if (!self.swallowReported) {
            self.swallowReported = true;
            reportFailure("task '" + name + "'", new IllegalStateException("coroutine '" + name + "' swallowed its cancellation:"
                    + " it caught the CancellationException and suspended again at " + Coroutine.firstUserFrame(new Throwable())
                    + "; it gets the cancellation again at each suspension point. Let CancellationException propagate"
                    + " (catch it only to clean up, then rethrow it)"));
        }
        if (closing && ++self.swallowsWhileClosing >= SWALLOWS_BEFORE_ABANDON) {
            abandon(self);
        }
    }

    /**
     * Gives up on a coroutine that will not end while the loop closes: it leaves the live list,
     * its thread stays parked for good (a virtual thread cannot be killed), and the loop goes on
     * closing. Never returns.
     */
    private void abandon(Coroutine self) {
        unlink(self);
        reportFailure("task '" + self.task.name() + "'", new IllegalStateException("coroutine '" + self.task.name()
                + "' did not end: it swallowed its cancellation " + self.swallowsWhileClosing + " times while the loop closed;"
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

    void markStarted(Coroutine coroutine) {
        markRunning(coroutine);
    }

    /** The newest running loop whose baton the calling thread holds, or null. Any thread. */
    private static Scheduler currentLoop() {
        Thread me = Thread.currentThread();
        Scheduler[] loops = runningLoops;
        for (int i = loops.length - 1; i >= 0; i--) {
            if (loops[i].baton.owner() == me) {
                return loops[i];
            }
        }
        return null;
    }

    /** The loops inside a run method now; for the watchdog. Any thread. */
    static Scheduler[] runningLoops() {
        return runningLoops;
    }

    private void setRunning(boolean on) {
        if (on) {
            Watchdog.ensureStarted();
        }
        RUNNING_LOCK.lock();
        try {
            List<Scheduler> loops = new ArrayList<>(List.of(runningLoops));
            if (on) {
                loops.add(this);
            } else {
                loops.remove(this);
            }
            runningLoops = loops.toArray(new Scheduler[0]);
        } finally {
            RUNNING_LOCK.unlock();
        }
    }

    private void link(Coroutine c) {
        c.prevLive = liveTail;
        if (liveTail == null) {
            liveHead = c;
        } else {
            liveTail.nextLive = c;
        }
        liveTail = c;
        liveCount++;
    }

    private void unlink(Coroutine c) {
        if (c.prevLive == null) {
            liveHead = c.nextLive;
        } else {
            c.prevLive.nextLive = c.nextLive;
        }
        if (c.nextLive == null) {
            liveTail = c.prevLive;
        } else {
            c.nextLive.prevLive = c.prevLive;
        }
        c.prevLive = null;
        c.nextLive = null;
        liveCount--;
    }

    private String describeDeadlock(Run r) {
        StringBuilder text = new StringBuilder();
        if (r.target != null) {
            text.append("task '").append(r.target.name()).append("' can never complete");
        } else {
            text.append(liveCount).append(" tasks can never complete");
        }
        text.append(": nothing is ready and no timer is pending, so no suspended coroutine can ever be woken. ");
        return text.append(dump()).toString();
    }

    /**
     * A readable list of every unfinished coroutine, in spawn order: its name, what it waits for,
     * and its stack from where it suspended down to its body, for diagnosing a hang or a leak.
     * Safe from any thread; from another thread while the loop runs it is a best-effort snapshot.
     */
    String dump() {
        StringBuilder text = new StringBuilder();
        int count = liveCount;
        text.append("Unfinished coroutines (").append(count).append("):");
        int listed = 0;
        try {
            for (Coroutine c = liveHead; c != null && listed <= count; c = c.nextLive, listed++) {
                text.append("\n  coroutine '").append(c.task.name()).append("' ").append(c.describeWait());
                for (StackTraceElement frame : c.userStack()) {
                    text.append("\n      at ").append(frame);
                }
            }
        } catch (RuntimeException raced) {
            text.append("\n  (the list changed while it was read: ").append(raced).append(")");
        }
        return text.toString();
    }

    /** A coroutine's wait in {@link #await}: counted, so that virtual time stands still meanwhile. */
    private final class OutsideWait implements Waitable {
        /** Until the future completes or the coroutine is cancelled. Baton holder only. */
        private boolean active = true;

        OutsideWait() {
            outsideWaits++;
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
            }
        }

        @Override
        public String describe(Scheduler loop) {
            return "awaiting an outside future";
        }
    }

    /** A callback or a timer: a ready-queue entry, a timer-queue entry, or both in turn. */
    static final class Entry implements Loop.Handle, Comparable<Entry>, Waitable {
        final long deadline;
        final long sequence;
        /** A {@link Runnable} callback or a {@link Coroutine} to wake. */
        final Object action;
        /** The loop whose timer heap holds this entry; null once it left the heap (or never was in it). */
        Scheduler heap;
        /** Set when cancelled or run. Baton holder only. */
        boolean cancelled;
        /** A user's callback, which close() drops. Baton holder only. */
        boolean dropOnClose;

        Entry(long deadline, long sequence, Object action) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            if (heap != null) {
                heap.timerCancelled();
            }
            return true;
        }

        @Override
        public void removeWaiter(Coroutine waiter) {
            cancel();
        }

        @Override
        public String describe(Scheduler loop) {
            return deadline == NEVER ? "sleeping forever" : "sleeping until " + loop.wallTimeAt(deadline);
        }

        @Override
        public int compareTo(Entry other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
