package dev.baton.core;

import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A cooperative scheduler: coroutines on virtual threads, exactly one running at a time.
 *
 * <p>Each coroutine ({@link #spawn}) runs plain blocking Java on its own virtual thread, but only
 * the one holding the loop's <em>baton</em> runs. It gives the baton back only at a suspension
 * point: {@link #sleep(Duration)}, {@link Task#join()}. Between two suspension points a
 * coroutine's code is atomic with respect to every other coroutine and callback of its loop, so
 * state shared only by them needs no locks or volatile fields: each hand-off of the baton is a
 * happens-before edge.
 *
 * <h2>Ordering</h2>
 * <ul>
 *   <li>Timers (sleeps, {@link #callLater}, {@link #callAt}) fire in order of deadline; timers with
 *       equal deadlines fire in the order they were scheduled.
 *   <li>Ready work (new coroutines, woken coroutines, {@link #callSoon} callbacks, done-callbacks,
 *       due timers) runs first in, first out.
 *   <li>Timers fire no sooner than their deadline, with no real-time guarantee of how late on a
 *       {@link SystemClock}. On a {@link VirtualClock} they fire exactly at their deadline, and the
 *       same program produces the same order of events on every run.
 * </ul>
 *
 * <h2>Running</h2>
 * Nothing runs until a run method is called; it returns when its condition holds, leaving
 * suspended coroutines suspended for the next run. The same methods serve both clocks; on a virtual
 * clock they take no real time. <b>Boundary rule:</b> a run that ends at a time {@code t}
 * ({@link #runFor}, {@link #runUntil}) runs every timer due at or before {@code t}, and the work
 * that becomes ready from them at {@code t}, then returns; a virtual clock then reads exactly
 * {@code t}. On a {@link SystemClock}, whose time passes while work runs, a run that finds itself
 * past {@code t} still runs the work ready at that moment (including every timer due by {@code t})
 * and then returns; work that becomes ready after that waits for the next run.
 *
 * <h2>Threads</h2>
 * A loop is confined: while a run method is active, only its coroutines and callbacks may call it;
 * while none is, one thread at a time may (typically the one that then calls a run method). Calls
 * from a wrong thread fail fast with {@link IllegalStateException}. The exceptions, safe from any
 * thread at any time: {@link #stop()}, {@link #execute(Runnable)}, {@link Task#cancel()} and the
 * reading methods of {@link Task}.
 *
 * <h2>Failures</h2>
 * A coroutine that throws fails its own task and nothing else. If nobody is waiting for that task
 * when it fails (no {@link Task#join()}, no done-callback, not the task of
 * {@link #runUntilComplete}, no {@link Task#get()} or {@link Task#toCompletableFuture()}), the
 * exception goes to the loop's exception handler, once; by default it is logged through SLF4J
 * with the task's name. A failing callback goes to the same handler.
 */
public final class Loop implements Executor, AutoCloseable {
    /*
     * Design notes.
     *
     * This class is the API and nothing else: every method hands over to the loop's Scheduler,
     * where the baton, the scheduling step and the timers live (read Scheduler.java for the
     * hand-off). The split is what lets a dropped loop be reclaimed: the coroutines' threads
     * reference the Scheduler, never this object, so a Loop nobody holds becomes unreachable even
     * while its coroutines are parked, and the Reclaimer then closes its Scheduler, which unwinds
     * them and ends their threads. A run method keeps this object reachable until it returns
     * (reachabilityFence), so a loop is never reclaimed while it runs.
     */

    /** A coroutine body that returns nothing; see {@link #spawn(String, Body)}. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the coroutine. It may suspend and may throw.
         *
         * @throws Exception anything; it fails the coroutine's task, and nothing else
         */
        void run() throws Exception;
    }

    /** A scheduled callback, returned by {@link #callSoon}, {@link #callLater}, {@link #callAt}. */
    public interface Handle {
        /**
         * Cancels the callback if it has not run yet. Loop thread only.
         *
         * @return true if this call cancelled it; false if it had run or was cancelled before
         */
        boolean cancel();
    }

    /** The scheduler doing the work; it never references this object except weakly. */
    private final Scheduler scheduler;
    /** This loop's entry with the Reclaimer, dropped once it is closed. */
    private final Object reclaimKey;

    private Loop(Scheduler scheduler) {
        this.scheduler = scheduler;
        scheduler.attach(this);
        this.reclaimKey = Reclaimer.track(this, scheduler);
    }

    /**
     * A loop on real time in the system's default zone ({@link SystemClock#systemDefaultZone()}).
     *
     * @return a new loop, not running: nothing runs until a run method is called
     */
    public static Loop create() {
        return new Loop(new Scheduler(SystemClock.systemDefaultZone()));
    }

    /**
     * A loop on the given clock. A {@link VirtualClock} should serve one loop only.
     *
     * @param clock the loop's only source of time, for its timers and for its coroutines
     * @return a new loop on {@code clock}, not running: nothing runs until a run method is called
     * @throws NullPointerException if {@code clock} is null
     */
    public static Loop create(LoopClock clock) {
        return new Loop(new Scheduler(Objects.requireNonNull(clock, "clock")));
    }

    /**
     * The clock this loop reads time from: the one it was created with. Any thread.
     *
     * @return the loop's clock, the same object for the loop's whole life
     */
    public LoopClock clock() {
        return scheduler.clock();
    }

    /**
     * The loop of the calling coroutine or callback.
     *
     * @return the loop whose coroutine or callback is running on the calling thread
     * @throws IllegalStateException if the caller is not running on a loop
     */
    public static Loop current() {
        return Scheduler.currentLoopFacade();
    }

    // ---------------------------------------------------------------------------------------
    // Coroutines

    /**
     * Starts a coroutine: {@code body} will run on its own virtual thread, named {@code name},
     * when the loop reaches it (after the work already ready). Loop thread only.
     *
     * @param <T> the type of the body's result
     * @param name the coroutine's name: its thread's name, and how logs and {@link #dump()} refer to it
     * @param body the code the coroutine runs; it may suspend and may throw
     * @return the task that completes with the body's result or exception
     * @throws NullPointerException if {@code name} or {@code body} is null
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if the loop is closed, or if called from another thread while
     *     the loop runs
     */
    public <T> Task<T> spawn(String name, Callable<T> body) {
        return scheduler.spawn(name, body);
    }

    /**
     * Starts a coroutine whose body returns nothing; see {@link #spawn(String, Callable)}.
     *
     * @param name the coroutine's name: its thread's name, and how logs and {@link #dump()} refer to it
     * @param body the code the coroutine runs; it may suspend and may throw
     * @return the task, whose result is null
     */
    public Task<Void> spawn(String name, Body body) {
        return scheduler.spawn(name, body);
    }

    /**
     * Suspends the calling coroutine for {@code duration} of the loop's clock. Other coroutines
     * run meanwhile. {@link Duration#ZERO} lets every coroutine and callback that is ready now run
     * first, then resumes. A duration too long to represent waits "forever".
     *
     * @param duration how long to suspend, on the loop's clock; zero or more
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if the caller is not a coroutine (a plain thread, or a callback)
     * @throws CancellationException if the coroutine's task is cancelled before or during the sleep
     */
    public static void sleep(Duration duration) {
        Scheduler.sleep(duration);
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
     * @param <T> the type of the stage's result
     * @param stage the stage to wait for, completed by any thread
     * @return the stage's result, once it is complete
     * @throws CompletionException if the stage failed (its exception is the cause)
     * @throws CancellationException if the stage was cancelled, or the coroutine is cancelled
     *     while it waits (the stage itself is left alone)
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <T> T await(CompletionStage<T> stage) {
        return Scheduler.await(stage);
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
     * @param <T> the type of the body's result
     * @param timeout how long, on the loop's clock, the child may run before it is cancelled
     * @param body the code the child coroutine runs
     * @return what the body returned, also if it returned while unwinding from the deadline
     * @throws TimeoutException if the deadline passed first and the body ended cancelled
     * @throws CompletionException if the body failed (its exception is the cause)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <T> T withTimeout(Duration timeout, Callable<T> body) throws TimeoutException {
        return Timeouts.withTimeout(timeout, body);
    }

    /**
     * A task whose result is the results of {@code tasks}, in their order (asyncio's
     * {@code gather}). On the first failure (in time) the other tasks are cancelled, and once they
     * have unwound the gather task fails with that exception. Cancelling the gather task cancels
     * them all. Loop thread only.
     *
     * @param <T> the type of the tasks' results
     * @param tasks the tasks to wait for, of this loop; their results are listed in this order
     * @return a new task of this loop: it completes with every result, in the order of
     *     {@code tasks}, or fails with the first failure once the others have unwound
     * @throws IllegalArgumentException if a task belongs to another loop
     */
    public <T> Task<List<T>> gather(List<? extends Task<? extends T>> tasks) {
        return Gather.gather(scheduler, tasks);
    }

    /**
     * A task whose result lists, for each of {@code tasks} in order, its result, or its exception
     * if it failed, or a {@link CancellationException} if it was cancelled (asyncio's
     * {@code gather(..., return_exceptions=True)}). It waits for all and never fails because of
     * them. Loop thread only.
     *
     * @param tasks the tasks to wait for, of this loop; their outcomes are listed in this order
     * @return a new task of this loop that completes once every one of {@code tasks} is done, with
     *     one outcome per task, in the order of {@code tasks}
     */
    public Task<List<Object>> gatherSettled(List<? extends Task<?>> tasks) {
        return Gather.gatherSettled(scheduler, tasks);
    }

    /**
     * The task of the calling coroutine (asyncio's {@code current_task()}).
     *
     * @return the task of the coroutine running on the calling thread
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static Task<?> currentTask() {
        return Scheduler.currentCoroutine("Loop.currentTask");
    }

    /**
     * Runs {@code body} in the calling coroutine, shielded from cancellation: the coroutine's own
     * cancellation, and that of enclosing {@link CancelScope}s, do not reach the suspension points
     * inside it; they take effect at the first suspension point after it returns (kotlinx's
     * {@code withContext(NonCancellable)}, trio's shielded scope). For cleanup that must suspend,
     * such as a final flush in a {@code finally} block. asyncio's {@code shield(task)} is
     * {@link Task#join()} here, since a join never cancels the task it joins.
     *
     * @param <T> the type of the body's result
     * @param body the code to run shielded, in the calling coroutine
     * @return what {@code body} returned
     * @throws Exception what {@code body} threw, unchanged
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <T> T shield(Callable<T> body) throws Exception {
        return CancelScope.create().shielded().run(body);
    }

    /** When {@link #wait(List, ReturnWhen)} returns: asyncio's {@code return_when}. */
    public enum ReturnWhen {
        /** As soon as any task is done. */
        FIRST_COMPLETED,
        /** As soon as any task fails, or when all are done. */
        FIRST_EXCEPTION,
        /** When every task is done. */
        ALL_COMPLETED
    }

    /**
     * What {@link #wait(List, ReturnWhen)} found: the tasks done and those still pending, each in
     * the order given.
     *
     * @param done the tasks that are done
     * @param pending the tasks that are not
     */
    public record Waited(List<Task<?>> done, List<Task<?>> pending) {
    }

    /**
     * Suspends the calling coroutine until {@code when} holds for {@code tasks} (asyncio's
     * {@code wait}), and returns which are done and which are pending. Nothing is cancelled: the
     * pending tasks go on, and the tasks' outcomes are not retrieved (join them, or an unretrieved
     * failure is reported as usual).
     *
     * @param tasks the tasks to watch, of this loop; not empty
     * @param when the condition to wait for
     * @return the tasks done and those pending once {@code when} held, each in the order of
     *     {@code tasks}
     * @throws IllegalArgumentException if {@code tasks} is empty or holds a task of another loop
     * @throws CancellationException if the calling coroutine is cancelled while it waits
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static Waited wait(List<? extends Task<?>> tasks, ReturnWhen when) {
        return Gather.wait(tasks, when, null);
    }

    /**
     * {@link #wait(List, ReturnWhen)} for at most {@code timeout} of the loop's clock; when it
     * passes, returns what is done by then (nothing is cancelled, as in asyncio).
     *
     * @param tasks the tasks to watch, of this loop; not empty
     * @param when the condition to wait for
     * @param timeout the longest wait, on the loop's clock
     * @return the tasks done and those pending once {@code when} held or {@code timeout} passed,
     *     each in the order of {@code tasks}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Waited wait(List<? extends Task<?>> tasks, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(timeout, "Loop.wait: timeout must not be null");
        return Gather.wait(tasks, when, timeout);
    }

    /**
     * The tasks in the order they complete (asyncio's {@code as_completed}): each {@code next()} of
     * the iterator suspends the calling coroutine until one more is done and returns it. Nothing is
     * cancelled. Call from a coroutine; iterate in one.
     *
     * @param <T> the type of the tasks' results
     * @param tasks the tasks to watch, of this loop
     * @return an iterable to iterate once: its iterator returns each of {@code tasks} exactly once,
     *     in the order they complete
     * @throws IllegalArgumentException if a task belongs to another loop
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <T> Iterable<Task<T>> asCompleted(List<? extends Task<T>> tasks) {
        return Gather.asCompleted(tasks);
    }

    /**
     * Runs blocking {@code work} (a big file copy, compression, a DNS lookup) on a platform thread
     * outside the loop and suspends the calling coroutine until it returns, so that the loop goes
     * on running other coroutines meanwhile (asyncio's {@code to_thread}, kotlinx's
     * {@code withContext(Dispatchers.IO)}). If the coroutine is cancelled while it waits, the worker
     * is interrupted and this throws the cancellation at once; a result or failure the work still
     * produces is logged, not lost silently. On a {@link VirtualClock} this is an outside wait:
     * virtual time stands still until the work returns (see {@link #await}).
     *
     * @param <T> the type of the work's result
     * @param work the blocking code to run on a platform thread, outside the loop
     * @return what {@code work} returned
     * @throws RuntimeException what {@code work} threw, if unchecked; a checked exception comes as
     *     the cause of a {@link CompletionException}
     * @throws CancellationException if the calling coroutine is cancelled first
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <T> T toThread(Callable<T> work) {
        return ToThread.run(work);
    }

    // ---------------------------------------------------------------------------------------
    // Callbacks

    /**
     * Runs {@code callback} on the loop after the work already ready (FIFO). A callback must not
     * suspend; one that throws is reported to the exception handler. Loop thread only.
     *
     * @param callback the code to run on the loop; it must not suspend
     * @return a handle that cancels the callback if it has not run yet
     */
    public Handle callSoon(Runnable callback) {
        return scheduler.callSoon(callback);
    }

    /**
     * Runs {@code callback} on the loop once {@code delay} of the loop's clock has passed; see
     * {@link #callSoon} for what a callback may do. Loop thread only.
     *
     * @param delay how long after this call, on the loop's clock, the callback runs
     * @param callback the code to run on the loop; it must not suspend
     * @return a handle that cancels the callback if it has not run yet
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Handle callLater(Duration delay, Runnable callback) {
        return scheduler.callLater(delay, callback);
    }

    /**
     * Runs {@code callback} on the loop when the clock's wall time reaches {@code when} (at once
     * if it is in the past). The instant is turned into a monotonic deadline when this method is
     * called: a later wall-clock step does not move it. Loop thread only.
     *
     * @param when the instant of the loop's wall clock at which the callback runs
     * @param callback the code to run on the loop; it must not suspend
     * @return a handle that cancels the callback if it has not run yet
     */
    public Handle callAt(Instant when, Runnable callback) {
        return scheduler.callAt(when, callback);
    }

    /**
     * Runs {@code command} on the loop as a callback, after the work ready when it is picked up
     * (asyncio's {@code call_soon_threadsafe}). Safe from any thread; wakes a loop that is waiting
     * for time. A loop that is not running keeps it for its next run.
     *
     * @throws RejectedExecutionException if the loop is closed
     */
    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }

    /**
     * A {@link java.util.concurrent.ScheduledExecutorService} whose tasks run as callbacks of this
     * loop, on its clock: on a {@link VirtualClock}, code written against the JDK's executor runs
     * on virtual time. A new executor on each call, with its own shutdown state; it never closes
     * the loop. Safe from any thread; a task submitted from outside the loop keeps the deadline it
     * asked for and is armed at the loop's next step. It follows the interface's contract and
     * {@code ScheduledThreadPoolExecutor}'s default policies (delayed tasks still run after
     * {@code shutdown()}, periodic ones are cancelled; fixed-rate runs are due at
     * {@code initialDelay + n * period}; a failing periodic task is not run again), with these
     * differences: tasks never run concurrently (one loop, one baton) and are never interrupted;
     * a failure of a periodic task or of an {@code execute} command is also reported to the
     * loop's exception handler, and so is a one-shot task's if nobody asks its future for it
     * ({@code get}, {@code exceptionNow}) before the future is collected or the loop closes, as
     * for a task; {@code get}, {@code invokeAll} and {@code invokeAny} refuse to wait
     * on the loop's own thread ({@link IllegalStateException}); {@code awaitTermination} from a
     * coroutine, or from a thread while the loop is not running, waits on the loop's clock (in the
     * latter case by running the loop). Once the loop is closed, submissions are rejected and
     * pending tasks never run.
     *
     * @return a new executor view of this loop
     */
    public java.util.concurrent.ScheduledExecutorService asScheduledExecutor() {
        return new ScheduledExecutorView(scheduler);
    }

    /**
     * Replaces the handler of unretrieved task failures and failing callbacks. It receives a
     * description of the source ({@code "task 'name'"} or {@code "callback"}) and the exception,
     * and runs on the loop. Loop thread only.
     *
     * @param handler what receives, on the loop, the source's description and the exception of
     *     each failure nobody retrieved
     */
    public void setExceptionHandler(BiConsumer<String, Throwable> handler) {
        scheduler.setExceptionHandler(handler);
    }

    /**
     * Warns when a coroutine or callback holds the baton for longer than {@code threshold} of real
     * time without suspending (asyncio's {@code slow_callback_duration}): a blocking call or a long
     * computation that stalls every other coroutine of the loop. The warning names the coroutine
     * and shows its stack at that moment, once per stall; it is logged at WARN (on standard error if
     * no SLF4J provider is bound). Off by default; {@code @VirtualTime} tests turn it on at 100 ms.
     * {@link Duration#ZERO} turns it off. Real time, whatever the loop's clock: it is the carrier
     * that is held. Time the JVM spent in garbage collection meanwhile is not counted (it stops
     * every thread; a warning says how much there was). Any thread.
     *
     * <p>Independently of this setting, a hand-off that cannot complete because no carrier thread is
     * free (for example a coroutine that suspended inside a class initializer, which pins its
     * carrier, on a JVM with one carrier) is named after a second.
     *
     * @param threshold the longest real time a coroutine or callback may hold the baton without a
     *     warning; {@link Duration#ZERO} for no warnings
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public void setSlowThreshold(Duration threshold) {
        scheduler.setSlowThreshold(threshold);
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
     * @param <T> the type of the task's result
     * @param task the task to run the loop for, a task of this loop
     * @return the task's result
     * @throws CompletionException if the task failed (its exception is the cause)
     * @throws CancellationException if the task was cancelled
     * @throws DeadlockException see above
     * @throws IllegalStateException if {@link #stop()} ended the run first, or if called from a
     *     coroutine or callback of this loop, or if the loop is closed
     * @throws IllegalArgumentException if the task belongs to another loop
     */
    public <T> T runUntilComplete(Task<T> task) {
        try {
            return scheduler.runUntilComplete(task);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Runs the loop until {@link #stop()} is called. On a {@link VirtualClock} it also returns
     * when there is nothing left that could ever run (nothing ready, no timer pending).
     */
    public void runForever() {
        try {
            scheduler.runForever();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Runs the loop for {@code duration} of its clock, then returns; see the boundary rule in the
     * class documentation. On a {@link VirtualClock} the clock then reads exactly start +
     * duration. {@link #stop()} ends it early.
     *
     * @param duration how long to run, on the loop's clock; zero or more
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void runFor(Duration duration) {
        try {
            scheduler.runFor(duration);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Runs the loop until its wall clock reads {@code when}: {@code runFor} of the time between the
     * clock's wall time now and {@code when} (zero if {@code when} is past). The end is fixed when
     * this is called; a wall-clock step during the run does not move it.
     *
     * @param when the instant of the loop's wall clock at which the run ends
     */
    public void runUntil(Instant when) {
        try {
            scheduler.runUntil(when);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Runs everything ready now, and the timers already due, until nothing is ready; does not
     * wait for or move time.
     */
    public void runUntilIdle() {
        try {
            scheduler.runUntilIdle();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Ends the active run method at its next scheduling step, or, if none is active, the next one
     * to start. Safe from any thread. The running coroutine, if any, goes on to its next
     * suspension point first.
     */
    public void stop() {
        scheduler.stop();
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
    @Override
    public void close() {
        try {
            scheduler.close();
            Reclaimer.forget(reclaimKey);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Whether {@link #close()} was called: from then on the loop rejects new work, also while its
     * coroutines are still unwinding. Any thread.
     *
     * @return true once {@link #close()} has begun closing this loop; it never turns false again
     */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    /**
     * Whether one of this loop's run methods is active, on any thread (asyncio's
     * {@code is_running()}): true from the moment a run method starts until it returns or throws.
     * Safe from any thread; from another thread the answer may be out of date once read.
     *
     * @return true while a run method of this loop is active
     */
    public boolean isRunning() {
        return scheduler.isRunning();
    }

    /**
     * The tasks of the coroutines that have not finished, in spawn order. Loop thread only.
     *
     * @return a new list: a snapshot that later spawns and completions leave unchanged
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public List<Task<?>> tasks() {
        return scheduler.tasks();
    }

    /**
     * A readable list of every unfinished coroutine, in spawn order: its name, what it waits for,
     * and its stack from where it suspended down to its body, for diagnosing a hang or a leak.
     * One that waits for nothing is "ready to run", or "running" if it holds the baton, and
     * "running without suspending for N ms" once it has held it for 20 ms (as the loop's watchdog
     * last saw, every 10 ms), or "holding the baton but not run for N ms" when no carrier thread is
     * free to run it; a callback that has held it that long gets a line of its own. Safe from any
     * thread; from another thread while the loop runs it is a best-effort snapshot.
     *
     * @return the text of the dump: a header with the count, then one entry per unfinished
     *     coroutine; just the header if there is none
     */
    public String dump() {
        return scheduler.dump();
    }

    @Override
    public String toString() {
        return scheduler.toString();
    }

    Scheduler scheduler() {
        return scheduler;
    }
}
