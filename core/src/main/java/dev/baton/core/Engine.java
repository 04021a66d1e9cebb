package dev.baton.core;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off and the scheduling step of a loop: how the baton passes from one coroutine to the
 * next, and how the next is chosen. Read this file to see how a loop works; {@link Scheduler}
 * builds the loop's operations (spawning, sleeping, callbacks, running, closing) on it, and
 * {@link Loop} is their public face, where the guarantees are documented.
 */
abstract sealed class Engine permits Scheduler {
    /*
     * Design notes.
     *
     * The baton (see Baton) is one volatile field naming the thread allowed to run loop code. A
     * thread gives it away by naming the next thread and unparking it; it then parks until the
     * baton names it again. There is no scheduler thread: the thread that gives the baton away
     * first runs the scheduling step itself (pickNext) and hands the baton straight to the next
     * coroutine, so a switch costs one unpark and one park of virtual threads. The thread that
     * called a run method (perhaps a platform thread) is a party too: it starts the first step and
     * parks until the baton comes back, when the run's condition holds. It is not in the path of a
     * switch.
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

    /** No deadline: the sentinel for "no timer" and "no end". */
    static final long NEVER = Long.MAX_VALUE;

    final LoopClock clock;
    /** The same object as `clock` when it is virtual, else null. */
    final VirtualClock virtualClock;

    /** Names the thread allowed to run loop code; none when no run method is active. */
    final Baton baton = new Baton();
    /** Mounts this loop's coroutines; null when they run on the JDK's shared scheduler. See Carrier. */
    final Carrier carrier = Carrier.forNewLoop();
    /** The coroutine whose body holds the baton; null while scheduling or running a callback. */
    Coroutine running;
    /** The coroutine whose new thread is about to take the baton; read by that thread's first act. Baton holder only. */
    private Coroutine starting;
    /** Every coroutine thread's Runnable. */
    private final Starter starter = new Starter(this);
    /** The active run method's condition; null when none is active. */
    Run run;

    /** Ready work, FIFO: a {@link Coroutine} to resume or an {@link Entry} callback to run. */
    final ArrayDeque<Object> ready = new ArrayDeque<>();
    /** Pending timers by (deadline, sequence). */
    final Timers timers = new Timers();
    /** Coroutines whose task is not done, in spawn order. */
    final LiveList live = new LiveList();
    /** Coroutines in Loop.await() whose outside future has not completed yet. */
    int outsideWaits;
    /** Those of them waiting for their own Loop.toThread work. */
    int workWaits;

    /** A coroutine thread interrupted while it waited for work alone; its status is restored when it resumes. */
    Thread interruptedWhileWaiting;
    /** Counts hand-offs and callbacks run, for the watchdog; written by the baton holder (opaque), read by the watchdog. */
    long progress;

    /** How many run methods have started; get() on other threads watches it. */
    volatile long runsStarted;

    /** Work handed in by any thread; drained into `ready` by the baton holder. */
    final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** The thread parked waiting for time or the inbox, if any. Written by that thread. */
    volatile Thread idleWaiter;
    /** Set by stop() on any thread; cleared by the run it stops. */
    volatile boolean stopRequested;
    /** Set once by close(); read by any thread. */
    volatile boolean closed;

    static final java.lang.invoke.VarHandle PROGRESS;

    static {
        try {
            PROGRESS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Engine.class, "progress", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Hook for schedule exploration (see {@link TieBreak}): null means FIFO, the documented order.
     * Set once, before the first run, by {@link Simulation#exploring}; read by the baton holder.
     */
    TieBreak tieBreak;

    Engine(LoopClock clock) {
        this.clock = clock;
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
    }

    /** Ends a coroutine's task and wakes whoever waits for it. */
    abstract void finish(Coroutine coroutine, Object value, Throwable failure);

    /** Hands a failure to the exception handler; never throws. */
    abstract void reportFailure(String source, Throwable failure);

    /** Throws the calling coroutine's cancellation if its task was asked to cancel. */
    abstract void throwIfCancelled(Coroutine self);

    /** See {@link Loop#stop()}. */
    abstract void stop();

    /** What ends the active run. Touched by the baton holder. */
    static final class Run {
        final long end;
        /** Real clock, past the end: how many ready entries are left to run; -1 before that. */
        int overshoot = -1;
        Thread runner;
        Task<?> target;
        boolean untilIdle;
        boolean untilNoLive;
        boolean ignoreStop;
        /** Simulation hook: timers due exactly at {@code end} stay pending (kotlinx's advanceTimeBy). */
        boolean endExclusive;
        /** Simulation hook: when non-null, the run ends once no pending timer belongs to work outside this set. */
        java.util.function.Predicate<Task<?>> background;
        String deadlock;
        Throwable crash;

        Run(long end) {
            this.end = end;
        }
    }

    void runLoop(Run r, String operation) {
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
        RunningLoops.set((Scheduler) this, true); // the only kind of Engine
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
            RunningLoops.set((Scheduler) this, false);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.crash != null) {
            throw new IllegalStateException("the loop failed inside " + operation, r.crash);
        }
    }

    void checkCanRun(String operation) {
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
    void transfer(Coroutine next) {
        if (next == null) {
            baton.handTo(run.runner);
            return;
        }
        if (next.thread == null) {
            next.thread = Carrier.newThread(carrier, next.name(), starter);
            starting = next;
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
    Coroutine pickNext() {
        Run r = run;
        try {
            for (;;) {
                drainInbox();
                if (stopRequested && !r.ignoreStop) {
                    stopRequested = false;
                    return null;
                }
                if (r.target != null && r.target.isDone() || r.untilNoLive && live.size() == 0) {
                    return null;
                }
                if (r.background != null && ready.isEmpty() && outsideWaits == 0 && !timers.hasForeground(r.background)) {
                    return null; // only background work is left: not even its due timers run (kotlinx's advanceUntilIdle)
                }
                long now = clock.nanoTime();
                fireDueTimers(Math.min(now, r.endExclusive ? r.end - 1 : r.end));
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
                Object next = tieBreak == null ? ready.pollFirst() : tieBreak.next(ready);
                if (next instanceof Coroutine c) {
                    if (c.thread == null && c.isCancelRequested()) {
                        finish(c, null, c.cancellationException());
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
                long wake = Math.min(timers.nextDeadline(), r.end);
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
    void fireDueTimers(long limit) {
        Timer head;
        while ((head = timers.pollDue(limit)) != null) {
            if (head instanceof Coroutine c) {
                wake(c);
            } else {
                ready.addLast(head);
            }
        }
    }

    /** Real clock only: parks until {@code deadline} or until another thread posts work. */
    void waitForWork(long deadline) {
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

    void wakeIdle() {
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
    void drainInbox() {
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
    record Executed(Runnable command) implements Runnable {
        @Override
        public void run() {
            command.run();
        }
    }

    void runCallback(Entry entry) {
        if (entry.cancelled) {
            return;
        }
        entry.cancelled = true; // ran: a later cancel() returns false
        PROGRESS.setOpaque(this, progress + 1);
        try {
            entry.action.run();
        } catch (Throwable t) {
            reportFailure("callback", t);
        }
    }

    /**
     * Suspends the calling coroutine on {@code on}: gives the baton away and returns when the
     * coroutine holds it again. The caller has already arranged to be woken (a timer, a join, a
     * place in a primitive's queue, the ready queue). Baton holder only.
     *
     * <p>{@code cancellable}: then throws the coroutine's cancellation if its task was asked to
     * cancel meanwhile. Without it, for primitives that must finish an operation that completed
     * while the coroutine was being cancelled, the cancellation surfaces at the next suspension
     * point (cancellation still wakes it).
     *
     * @throws CancellationException if {@code cancellable} and the coroutine's task was cancelled
     */
    void park(Coroutine self, Waitable on, boolean cancellable) {
        // Every frame between a coroutine's body and this park is frozen into the stack of every
        // coroutine that waits, so this is one method: no suspend() around it, and Baton.await's
        // wait written out. Each frame less took 40-50 bytes off every suspended coroutine
        // (docs/performance.md, "Memory per suspended coroutine").
        self.waitingOn = on;
        running = null;
        Coroutine next = pickNext();
        if (next != self) {
            transfer(next);
            Thread me = self.thread;
            if (baton.owner() != me) {
                boolean interrupted = false;
                do { // do-while, as in Baton.await
                    LockSupport.park(baton);
                    interrupted |= Thread.interrupted();
                } while (baton.owner() != me);
                if (interrupted) {
                    me.interrupt(); // keep the status for the coroutine's own code
                }
            }
        }
        if (interruptedWhileWaiting == self.thread) {
            interruptedWhileWaiting = null;
            self.thread.interrupt();
        }
        markRunning(self);
        if (cancellable) {
            throwIfCancelled(self);
        }
    }

    /** {@code coroutine} holds the baton now; the watchdog sees the loop make progress. */
    void markRunning(Coroutine coroutine) {
        running = coroutine;
        PROGRESS.setOpaque(this, progress + 1);
    }

    /**
     * What every coroutine's thread runs: the coroutine it was started for (the loop's
     * {@code starting}, read as the thread's first act, holding the baton), whose task it then
     * ends, handing the baton on. One per loop, so a coroutine needs no Runnable of its own; and
     * the only frame between the thread's start and the body, because every frame there is frozen
     * into every suspended coroutine's stack.
     */
    private static final class Starter implements Runnable {
        private final Engine loop;

        Starter(Engine loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            Engine loop = this.loop;
            Coroutine self = loop.starting;
            loop.starting = null;
            loop.markStarted(self);
            Object value = null;
            Throwable failure = null;
            try {
                loop.throwIfCancelled(self);
                if (self.body instanceof Loop.Body b) {
                    b.run();
                } else {
                    value = ((Callable<?>) self.body).call();
                }
            } catch (Throwable t) {
                failure = t;
            }
            loop.exit(self, value, failure);
        }
    }

    void markStarted(Coroutine coroutine) {
        markRunning(coroutine);
    }

    /** Makes a suspended coroutine ready to resume (FIFO). Baton holder only. */
    void wake(Coroutine coroutine) {
        coroutine.waitingOn = null;
        ready.addLast(coroutine);
    }

    /** Queues a callback at the end of the ready queue. Baton holder only. */
    Entry enqueue(Runnable callback) {
        Entry entry = new Entry(callback);
        ready.addLast(entry);
        return entry;
    }

    String describeDeadlock(Run r) {
        StringBuilder text = new StringBuilder();
        if (r.target != null) {
            text.append("task '").append(r.target.name()).append("' can never complete");
        } else {
            text.append(live.size()).append(" tasks can never complete");
        }
        text.append(": nothing is ready and no timer is pending, so no suspended coroutine can ever be woken. ");
        return text.append(live.dump()).toString();
    }
}
