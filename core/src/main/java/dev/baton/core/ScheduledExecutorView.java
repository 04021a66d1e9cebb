package dev.baton.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ScheduledExecutorService} whose tasks run as callbacks of one loop, on the loop's
 * clock; see {@link Loop#asScheduledExecutor()}.
 */
final class ScheduledExecutorView extends AbstractExecutorService implements ScheduledExecutorService {
    /*
     * Design notes.
     *
     * Each task is a FutureTask (result, exception, cancellation, get) armed as a loop timer
     * (Scheduler.callLater) on the loop: directly when the caller holds the baton, else through
     * execute(), which is safe from any thread and keeps the call for the loop's next run. The
     * deadline is fixed when the task is submitted, from the loop's clock, so a task posted from
     * another thread fires at the time it asked for (or at once, if that has passed meanwhile).
     *
     * Shutdown follows ScheduledThreadPoolExecutor's default policies: delayed one-shot tasks
     * still run after shutdown(); periodic ones are cancelled. The executor's own state (the
     * shutdown flag and the set of pending tasks) is guarded by a ReentrantLock, not the baton,
     * because any thread may shut it down or ask whether it terminated; no synchronized (it
     * would pin carrier threads).
     *
     * It holds the Scheduler, never the Loop, like every other object coroutines can reach, so a
     * dropped Loop can still be reclaimed.
     */

    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the executor terminates. */
    private final Condition terminatedSignal = lock.newCondition();
    /** Tasks accepted and not yet done, in submission order. Guarded by lock. */
    private final Set<ScheduledTask<?>> pending = new LinkedHashSet<>();
    /** Guarded by lock. */
    private boolean shutdown;
    /** Guarded by lock. */
    private boolean terminated;
    /** Set when a coroutine waits in awaitTermination; set on the loop when the executor terminates. Guarded by lock. */
    private Event terminationEvent;
    /** Tie-breaker for compareTo. Any thread. */
    private final AtomicLong sequencer = new AtomicLong();

    ScheduledExecutorView(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    // ---------------------------------------------------------------------------------------
    // Scheduling

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "schedule: command must not be null");
        return submit(new ScheduledTask<Void>(Executors.callable(command, null), deadline(delay, unit), 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "schedule: callable must not be null");
        return submit(new ScheduledTask<>(callable, deadline(delay, unit), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "scheduleAtFixedRate: command must not be null");
        long periodNanos = positive("scheduleAtFixedRate", "period", period, unit);
        return submit(new ScheduledTask<Void>(Executors.callable(command, null), deadline(initialDelay, unit), periodNanos, true));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "scheduleWithFixedDelay: command must not be null");
        long delayNanos = positive("scheduleWithFixedDelay", "delay", delay, unit);
        return submit(new ScheduledTask<Void>(Executors.callable(command, null), deadline(initialDelay, unit), -delayNanos, true));
    }

    /** Runs {@code command} as soon as possible; an exception it throws goes to the loop's exception handler. */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "execute: command must not be null");
        submit(new ScheduledTask<Void>(Executors.callable(command, null), scheduler.clock().nanoTime(), 0, true));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "submit: task must not be null");
        return schedule(Executors.callable(task, result), 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        checkMayBlock("invokeAll");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        checkMayBlock("invokeAll");
        return super.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        checkMayBlock("invokeAny");
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        checkMayBlock("invokeAny");
        return super.invokeAny(tasks, timeout, unit);
    }

    private long deadline(long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit must not be null");
        // A negative delay means "now", as in ScheduledThreadPoolExecutor; an enormous one, never.
        return scheduler.deadlineAfter(Duration.ofNanos(Math.max(0, unit.toNanos(delay))));
    }

    private static long positive(String operation, String name, long value, TimeUnit unit) {
        Objects.requireNonNull(unit, operation + ": unit must not be null");
        if (value <= 0) {
            throw new IllegalArgumentException(operation + ": " + name + " must be positive, was " + value + " " + unit);
        }
        return Math.max(1, unit.toNanos(value));
    }

    private <V> ScheduledTask<V> submit(ScheduledTask<V> task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the executor was shut down; it accepts no new tasks");
            }
            pending.add(task);
        } finally {
            lock.unlock();
        }
        try {
            onLoop(task::arm);
        } catch (RejectedExecutionException closed) {
            ended(task);
            throw new RejectedExecutionException("the executor's loop is closed; it accepts no new tasks", closed);
        }
        return task;
    }

    /** Runs {@code action} on the loop: now if the caller holds the baton, else at the loop's next step. */
    private void onLoop(Runnable action) {
        if (scheduler.isOwnedByCurrentThread()) {
            action.run();
        } else {
            scheduler.execute(action);
        }
    }

    private void checkMayBlock(String operation) {
        if (scheduler.isOwnedByCurrentThread()) {
            throw new IllegalStateException(operation + " was called on the loop's own thread, where waiting would block"
                    + " the loop forever; from a coroutine, wait with Loop.sleep or join instead");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Rejects new tasks from now on; delayed one-shot tasks already scheduled still run, periodic
     * ones are cancelled (ScheduledThreadPoolExecutor's default policies). Any thread.
     */
    @Override
    public void shutdown() {
        List<ScheduledTask<?>> periodic = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            for (ScheduledTask<?> task : pending) {
                if (task.isPeriodic()) {
                    periodic.add(task);
                }
            }
        } finally {
            lock.unlock();
        }
        periodic.forEach(task -> task.cancel(false));
        tryTerminate();
    }

    /** Rejects new tasks, cancels every pending one, and returns those that never started. Any thread. */
    @Override
    public List<Runnable> shutdownNow() {
        List<ScheduledTask<?>> all;
        lock.lock();
        try {
            shutdown = true;
            all = new ArrayList<>(pending);
        } finally {
            lock.unlock();
        }
        List<Runnable> neverStarted = new ArrayList<>();
        for (ScheduledTask<?> task : all) {
            if (!task.started) {
                neverStarted.add(task);
            }
            task.cancel(false);
        }
        tryTerminate();
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return terminated;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the executor has terminated (shut down, and every remaining task done), or the
     * timeout passes. Where it waits depends on the caller: a coroutine of the loop suspends, and
     * the timeout is on the loop's clock; a thread using a loop that is not running runs the loop
     * meanwhile (as {@link Loop#runUntilComplete} does), on the loop's clock too; a thread outside
     * a loop that another thread runs blocks, in real time. A callback of the loop cannot wait and
     * gets {@link IllegalStateException}.
     *
     * @return true if terminated, false if the timeout passed first
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "awaitTermination: unit must not be null");
        if (isTerminated()) {
            return true;
        }
        Duration limit = Duration.ofNanos(Math.max(0, unit.toNanos(timeout)));
        if (scheduler.isOwnedByCurrentThread()) {
            Scheduler.currentCoroutine("awaitTermination"); // a callback cannot suspend: a clear error
            return awaitOnLoop(limit);
        }
        if (!scheduler.isRunning() && !scheduler.isClosed()) {
            try {
                return scheduler.runUntilComplete(scheduler.spawn("awaitTermination", () -> awaitOnLoop(limit)));
            } catch (IllegalStateException startedElsewhere) {
                if (!scheduler.isRunning()) {
                    throw startedElsewhere;
                }
            }
        }
        long nanos = limit.toNanos();
        lock.lock();
        try {
            while (!terminated) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminatedSignal.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A coroutine's wait for termination, on the loop's clock. */
    private boolean awaitOnLoop(Duration limit) {
        Event event;
        lock.lock();
        try {
            if (terminated) {
                return true;
            }
            if (terminationEvent == null) {
                terminationEvent = Event.create();
            }
            event = terminationEvent;
        } finally {
            lock.unlock();
        }
        try {
            Loop.withTimeout(limit, () -> {
                event.await();
                return null;
            });
            return true;
        } catch (TimeoutException passed) {
            return isTerminated();
        }
    }

    /** A task is done: it leaves the pending set, and the executor may terminate. Any thread. */
    private void ended(ScheduledTask<?> task) {
        lock.lock();
        try {
            pending.remove(task);
        } finally {
            lock.unlock();
        }
        tryTerminate();
    }

    private void tryTerminate() {
        Event event;
        lock.lock();
        try {
            if (terminated || !shutdown || !pending.isEmpty()) {
                return;
            }
            terminated = true;
            terminatedSignal.signalAll();
            event = terminationEvent;
        } finally {
            lock.unlock();
        }
        if (event != null) {
            try {
                onLoop(event::set);
            } catch (RejectedExecutionException closed) {
                // the loop is closed: no coroutine is left waiting
            }
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ScheduledExecutor[" + scheduler + ", " + pending.size() + " pending"
                    + (terminated ? ", terminated" : shutdown ? ", shut down" : "") + "]";
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------

    /** One scheduled task: a FutureTask armed as a loop timer, re-armed after each run if periodic. */
    private final class ScheduledTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        /** Monotonic deadline of the next run on the loop's clock. Written on the loop; read by any thread. */
        private volatile long deadline;
        /** 0: one-shot; positive: fixed rate; negative: fixed delay (ScheduledThreadPoolExecutor's convention). */
        private final long period;
        /** Whether a failure goes to the loop's exception handler (execute and periodic tasks). */
        private final boolean reportFailure;
        private final long sequence = sequencer.getAndIncrement();
        /** The armed loop timer. Loop only. */
        private Loop.Handle handle;
        /** Set once a run began. Any thread. */
        private volatile boolean started;
        /** A one-shot task's failure until someone retrieves it; see setException. Set on the loop, read by any thread. */
        private volatile UnretrievedFailure unretrieved;

        ScheduledTask(Callable<V> callable, long deadline, long period, boolean reportFailure) {
            super(callable);
            this.deadline = deadline;
            this.period = period;
            this.reportFailure = reportFailure;
        }

        /** Puts the task on the loop's timers. Loop only. */
        void arm() {
            if (isDone()) {
                return; // cancelled before it reached the loop
            }
            long delay = deadline == Scheduler.NEVER ? Long.MAX_VALUE : Math.max(0, deadline - scheduler.clock().nanoTime());
            handle = scheduler.callLater(delay == Long.MAX_VALUE ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofNanos(delay), this);
        }

        /** Runs on the loop as the timer's callback. */
        @Override
        public void run() {
            if (isDone()) {
                return;
            }
            started = true;
            if (period == 0) {
                super.run();
                ended(this);
            } else if (runAndReset()) {
                deadline = period > 0 ? deadline + period : scheduler.clock().nanoTime() - period;
                arm();
            } else {
                ended(this); // it threw (subsequent runs suppressed) or was cancelled
            }
        }

        /**
         * Periodic and execute() tasks report a failure at once (nobody can retrieve it; the JDK's
         * executors lose it). A one-shot task's failure waits in its future, and is reported as a
         * task's is if nobody retrieves it: when the future is collected, or the loop closes.
         */
        @Override
        protected void setException(Throwable failure) {
            if (reportFailure) {
                super.setException(failure);
                scheduler.reportFailure("executor " + this, failure);
                return;
            }
            // Tracked before the future completes, so a get() that returns at once settles it.
            UnretrievedFailure pending = scheduler.trackUnretrieved(this, "executor one-shot task #" + sequence
                    + ", whose future nobody asked for its result,", failure);
            unretrieved = pending;
            super.setException(failure);
            if (isCancelled()) {
                pending.settle(); // cancelled meanwhile: the future holds no failure to retrieve
            }
        }

        /** The failure, if any, is retrieved now: it will not be reported. Any thread. */
        private void retrieved() {
            UnretrievedFailure pending = unretrieved;
            if (pending != null) {
                pending.settle();
            }
        }

        @Override
        public Throwable exceptionNow() {
            Throwable failure = super.exceptionNow(); // throws if there is none to hand over yet
            retrieved();
            return failure;
        }

        /**
         * Cancels the task: it will not run (again). Never interrupts: the task runs on the loop's
         * thread, which an interrupt would stop. Any thread.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(false);
            if (cancelled) {
                try {
                    onLoop(() -> {
                        if (handle != null) {
                            handle.cancel();
                        }
                    });
                } catch (RejectedExecutionException closed) {
                    // the loop is closed: its timers are gone already
                }
                ended(this);
            }
            return cancelled;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            if (!isDone()) {
                checkMayBlock("get");
            }
            try {
                return super.get();
            } catch (ExecutionException failure) {
                retrieved(); // only a get that hands the failure over retrieves it; one that timed out did not
                throw failure;
            }
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!isDone()) {
                checkMayBlock("get");
            }
            try {
                return super.get(timeout, unit);
            } catch (ExecutionException failure) {
                retrieved();
                throw failure;
            }
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            long d = deadline;
            return unit.convert(d == Scheduler.NEVER ? Long.MAX_VALUE : d - scheduler.clock().nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            if (other instanceof ScheduledTask<?> task) {
                int byDeadline = Long.compare(deadline, task.deadline);
                return byDeadline != 0 ? byDeadline : Long.compare(sequence, task.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public String toString() {
            long d = deadline;
            String state = isCancelled() ? "cancelled" : isDone() ? "done" : d == Scheduler.NEVER ? "never due" : "due at " + scheduler.wallTimeAt(d);
            return (period == 0 ? "one-shot" : period > 0 ? "fixed-rate" : "fixed-delay") + " task #" + sequence + " (" + state + ")";
        }
    }
}
