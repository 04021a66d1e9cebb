package dev.baton.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * A loop's own carrier: one platform thread that mounts every virtual thread of the loop, so a
 * hand-off of the baton from one coroutine to the next never moves to another carrier and never
 * wakes another OS thread. Where the JVM does not allow it, loops use the JDK's shared
 * virtual-thread scheduler, as they always did.
 *
 * <p>Which: {@code -Ddev.baton.carrier=own} (the default) gives each loop a carrier of its own
 * when {@code java.base/java.lang} is open to Baton ({@code --add-opens
 * java.base/java.lang=ALL-UNNAMED} on the command line, {@code Add-Opens: java.base/java.lang} in
 * an executable jar's manifest); otherwise the loop uses the shared scheduler and one line, logged
 * once per JVM, says what to add. {@code -Ddev.baton.carrier=shared} always uses the shared
 * scheduler, silently. Nothing process-wide is changed either way: the JDK's scheduler, its
 * parallelism and other code's virtual threads are left as they are.
 *
 * <p>Thread-safety: {@link #execute} is safe from any thread; the rest is called by the loop's
 * baton holder.
 */
final class Carrier implements Executor {
    /*
     * Design notes.
     *
     * The JDK lets a virtual thread run on an Executor of one's own only through the
     * package-private constructor ThreadBuilders.VirtualThreadBuilder(Executor), "invoked by
     * tests" (present from JDK 19 to 25 at least); java.lang must be opened to reach it. The
     * executor receives the virtual thread's continuation task each time the thread is started or
     * unparked, and mounts it by running the task.
     *
     * Why it is faster: with the shared ForkJoinPool, the unpark of the next coroutine signals an
     * idle carrier, which is often still spinning and steals the task before the first carrier has
     * parked: the switch then crosses cores, and a third of the CPU goes to the spinning (measured:
     * 64-70% of hand-offs migrate). Here the unpark only queues the task; the coroutine that gave
     * the baton away parks, its continuation returns to this carrier's loop, which runs the next
     * task on the same OS thread.
     *
     * The thread comes and goes with work: started by the first task, it parks when the queue is
     * empty, and ends after KEEP_ALIVE with nothing to do (at once once the loop is closed); the
     * next task starts a new one. So a loop that is not running holds no thread, a dropped loop
     * none either, and a late task (an interrupt of a parked coroutine) still runs.
     *
     * Whose threads. The JDK gives a new virtual thread its parent's scheduler, so a virtual thread
     * that code in a coroutine starts (directly, through an executor, through a library) would be
     * carried here too, between the loop's hand-offs: one that computes for a second would hold
     * the loop for that second, and one that waits on a lock a coroutine holds would never let go.
     * So execute() looks at whose continuation it is given: the loop's own threads (coroutines, and
     * generator bodies started by them) carry a mark, LOOP_THREAD as their uncaught-exception
     * handler, set when they are made; any other task goes to the JDK's shared scheduler, where it
     * would have run without Baton. The thread behind a task is read from the task itself (the
     * JDK's VirtualThread::runContinuation, a bound method reference; read through java.lang, which
     * is open here anyway). Where that cannot be read, every task stays here, as before. A
     * misread mark costs only speed: a loop's thread run by the shared scheduler still holds the
     * baton as always.
     *
     * Tasks come from two places. A virtual thread of this carrier unparking another (the
     * hand-off) runs on the carrier thread itself: its task goes to `local`, a plain deque. Any
     * other thread's goes to `queue`, and may need to wake or start the carrier thread.
     *
     * state: RUNNING (a thread is polling or about to), IDLE (the thread is parked), NONE (no
     * thread). execute() after queueing reads the state: RUNNING needs nothing, IDLE an unpark,
     * NONE a new thread (CAS NONE -> RUNNING, so one starts). The thread going from IDLE to NONE
     * checks the queue again after the change, so a task queued in between is never stranded.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Carrier.class);

    /** The system property that chooses: "own" (the default) or "shared". */
    static final String PROPERTY = "dev.baton.carrier";

    /** How long an idle carrier thread waits for work before it ends. */
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final int RUNNING = 0;
    private static final int IDLE = 1;
    private static final int NONE = 2;

    /** new VirtualThreadBuilder(Executor) as (Executor)Thread.Builder.OfVirtual; null where unavailable. */
    private static final MethodHandle NEW_BUILDER;
    /** VirtualThread.scheduler as (Thread)Executor, to see whether a thread is carried by a loop's carrier; null if absent. */
    private static final MethodHandle SCHEDULER_OF;
    /** VirtualThread.carrierThread as (Thread)Thread, to see whether a caller runs on this carrier now; null if absent. */
    private static final MethodHandle CARRIER_OF;
    /** Why NEW_BUILDER is null: the line logged once; null when it is available or not wanted. */
    private static final String FALLBACK_LINE;
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final VarHandle STATE;

    /**
     * The mark of a loop's own virtual threads, as their uncaught-exception handler: it hands an
     * exception on as if no handler were set (a loop's thread lets none out).
     */
    static final Thread.UncaughtExceptionHandler LOOP_THREAD = (t, e) -> {
        Thread.UncaughtExceptionHandler fallback = Thread.getDefaultUncaughtExceptionHandler();
        if (fallback != null) {
            fallback.uncaughtException(t, e);
        } else {
            t.getThreadGroup().uncaughtException(t, e);
        }
    };
    /** The class of the JDK's continuation tasks (VirtualThread::runContinuation); null where unknown. */
    private static final Class<?> TASK_CLASS;
    /** (Runnable)Thread: the virtual thread a continuation task runs; null where unknown. */
    private static final MethodHandle THREAD_OF_TASK;
    /** (Thread)UncaughtExceptionHandler: a thread's handler field as set; null where unknown. */
    private static final MethodHandle HANDLER_OF;
    /** The JDK's shared virtual-thread scheduler, for the threads that are not a loop's; null where unknown. */
    private static final Executor SHARED;

    static {
        MethodHandle builder = null;
        String line = null;
        String mode = System.getProperty(PROPERTY, "own");
        if (mode.equals("own")) {
            try {
                Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                var constructor = type.getDeclaredConstructor(Executor.class);
                constructor.setAccessible(true); // throws unless java.lang is open to this module
                builder = MethodHandles.lookup().unreflectConstructor(constructor)
                        .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            } catch (RuntimeException | ReflectiveOperationException | LinkageError unavailable) {
                String module = Carrier.class.getModule().isNamed() ? Carrier.class.getModule().getName() : "ALL-UNNAMED";
                line = "Baton loops run on the JDK's shared virtual-thread scheduler, where a hand-off between"
                        + " coroutines may cross carrier threads (about twice as slow; see docs/performance.md)."
                        + " To give each loop a carrier thread of its own, add --add-opens java.base/java.lang=" + module
                        + " to the java command (for tests, to Surefire's argLine; or 'Add-Opens: java.base/java.lang' to an"
                        + " executable jar's manifest);"
                        + " -D" + PROPERTY + "=shared keeps the shared scheduler without this line. (" + unavailable + ")";
            }
        } else if (!mode.equals("shared")) {
            line = "-D" + PROPERTY + "=" + mode + " is not one of 'own' or 'shared'; Baton loops use the JDK's shared"
                    + " virtual-thread scheduler";
        }
        MethodHandle schedulerOf = null;
        MethodHandle carrierOf = null;
        Class<?> taskClass = null;
        MethodHandle threadOfTask = null;
        MethodHandle handlerOf = null;
        Executor shared = null;
        if (builder != null) {
            MethodHandles.Lookup inVirtual = null;
            Class<?> virtual = null;
            try {
                virtual = Class.forName("java.lang.VirtualThread");
                inVirtual = MethodHandles.privateLookupIn(virtual, MethodHandles.lookup());
                schedulerOf = inVirtual.findGetter(virtual, "scheduler", Executor.class)
                        .asType(MethodType.methodType(Executor.class, Thread.class));
                carrierOf = inVirtual.findGetter(virtual, "carrierThread", Thread.class)
                        .asType(MethodType.methodType(Thread.class, Thread.class));
            } catch (RuntimeException | ReflectiveOperationException | LinkageError absent) {
                carrierOf = null; // every task then goes through the shared queue, a little slower
            }
            // Sorting a loop's threads from the others: all four handles, or none.
            if (inVirtual != null) {
                try {
                    Thread probe = Thread.ofVirtual().unstarted(() -> { }); // never started
                    Runnable task = (Runnable) inVirtual.findGetter(virtual, "runContinuation", Runnable.class).invoke(probe);
                    java.lang.reflect.Field bound = null;
                    for (java.lang.reflect.Field f : task.getClass().getDeclaredFields()) {
                        if (Thread.class.isAssignableFrom(f.getType())) {
                            bound = f;
                        }
                    }
                    if (bound != null) {
                        bound.setAccessible(true);
                        MethodHandle read = MethodHandles.lookup().unreflectGetter(bound)
                                .asType(MethodType.methodType(Thread.class, Runnable.class));
                        if ((Thread) read.invokeExact(task) == probe) {
                            MethodHandle handler = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                                    .findGetter(Thread.class, "uncaughtExceptionHandler", Thread.UncaughtExceptionHandler.class);
                            Executor pool = (Executor) inVirtual.findStaticGetter(virtual, "DEFAULT_SCHEDULER",
                                    java.util.concurrent.ForkJoinPool.class).invoke();
                            handlerOf = handler;
                            shared = pool;
                            threadOfTask = read;
                            taskClass = task.getClass();
                        }
                    }
                } catch (Throwable unreadable) {
                    // none set: every task then stays on the loop's carrier, as the JDK would have it
                }
            }
        }
        TASK_CLASS = taskClass;
        THREAD_OF_TASK = threadOfTask;
        HANDLER_OF = handlerOf;
        SHARED = shared;
        SCHEDULER_OF = schedulerOf;
        CARRIER_OF = carrierOf;
        NEW_BUILDER = builder;
        FALLBACK_LINE = line;
        try {
            STATE = MethodHandles.lookup().findVarHandle(Carrier.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Tasks queued by other threads: continuations of virtual threads to mount. Any thread adds; the carrier thread takes. */
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /**
     * Tasks queued by the virtual threads running on this carrier: the hand-off's path, with no
     * atomic operation. Only the carrier thread touches it (one runs tasks at a time; see the
     * design notes), and it is empty whenever that thread goes idle.
     */
    private final java.util.ArrayDeque<Runnable> local = new java.util.ArrayDeque<>();
    /** RUNNING, IDLE or NONE; see the design notes. The carrier thread, and execute() from NONE. */
    private volatile int state = NONE;
    /** The current carrier thread; written before it starts, by whoever moved the state from NONE. */
    private volatile Thread thread;
    /** Set once by the loop's close(): an idle thread then ends at once. */
    private volatile boolean retired;
    /** Makes this carrier's virtual threads. Baton holder only. */
    private final Thread.Builder.OfVirtual builder;

    private Carrier() throws Throwable {
        builder = ((Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact((Executor) this)).uncaughtExceptionHandler(LOOP_THREAD);
    }

    /**
     * A carrier for a new loop, or null if loops use the shared scheduler here (logging why, once
     * per JVM, unless -Ddev.baton.carrier=shared asked for it).
     */
    static Carrier forNewLoop() {
        if (NEW_BUILDER != null) {
            try {
                return new Carrier();
            } catch (Throwable unavailable) {
                logFallback("Baton loops run on the JDK's shared virtual-thread scheduler: making a carrier failed (" + unavailable + ")");
                return null;
            }
        }
        if (FALLBACK_LINE != null) {
            logFallback(FALLBACK_LINE);
        }
        return null;
    }

    /** Whether loops created now get a carrier of their own. */
    static boolean available() {
        return NEW_BUILDER != null;
    }

    private static void logFallback(String line) {
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            if (LOG instanceof NOPLogger) {
                System.err.println("[baton] " + line);
            } else {
                LOG.info(line);
            }
        }
    }

    /**
     * An unstarted virtual thread named {@code name} running {@code task}: on {@code carrier}, or on
     * the JDK's shared scheduler if it is null. Baton holder only.
     */
    static Thread newThread(Carrier carrier, String name, Runnable task) {
        return carrier == null ? Thread.ofVirtual().name(name).unstarted(task) : carrier.builder.name(name).unstarted(task);
    }

    /**
     * An unstarted virtual thread for a generator's body: marked as the loop's when the caller is
     * a loop's thread (so the body shares its caller's carrier), else an ordinary one. Any thread.
     */
    static Thread newGeneratorThread(Runnable body) {
        Thread.Builder.OfVirtual b = Thread.ofVirtual().name("generator");
        if (isLoopThread(Thread.currentThread())) {
            b.uncaughtExceptionHandler(LOOP_THREAD);
        }
        return b.unstarted(body);
    }

    /** Whether {@code t} is a loop's own virtual thread (marked when made). */
    private static boolean isLoopThread(Thread t) {
        if (HANDLER_OF == null || !t.isVirtual()) {
            return false;
        }
        try {
            return (Thread.UncaughtExceptionHandler) HANDLER_OF.invokeExact(t) == LOOP_THREAD;
        } catch (Throwable unexpected) {
            return false;
        }
    }

    /**
     * Whether {@code task} continues a virtual thread that is not a loop's own, which then belongs
     * on the JDK's shared scheduler; false where that cannot be told.
     */
    private static boolean isForeign(Runnable task) {
        if (TASK_CLASS == null || task.getClass() != TASK_CLASS) {
            return false;
        }
        try {
            return !isLoopThread((Thread) THREAD_OF_TASK.invokeExact(task));
        } catch (Throwable unexpected) {
            return false;
        }
    }

    /** The loop is closed: its carrier thread ends as soon as it has nothing to run. Any thread. */
    static void retire(Carrier carrier) {
        if (carrier != null) {
            carrier.retired = true;
            Thread t = carrier.thread;
            if (carrier.state == IDLE && t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Queues a virtual thread's continuation to be mounted on this carrier, or passes it to the
     * JDK's shared scheduler if the thread is not one of the loop's own (one a coroutine started).
     * Any thread; never rejects.
     */
    @Override
    public void execute(Runnable task) {
        if (isForeign(task)) {
            SHARED.execute(task);
            return;
        }
        if (onThisCarrier()) {
            local.addLast(task); // this thread runs it as soon as the caller parks
            return;
        }
        queue.offer(task);
        int s = state;
        if (s == RUNNING) {
            return;
        }
        if (s == IDLE) {
            LockSupport.unpark(thread);
        } else if (STATE.compareAndSet(this, NONE, RUNNING)) {
            startThread();
        } else if (state == IDLE) {
            LockSupport.unpark(thread); // another thread started one, which has already gone idle
        }
    }

    /**
     * Whether virtual thread {@code t} may be mounted by a loop's carrier rather than the JDK's
     * shared scheduler: true if it is, or if carriers exist and that cannot be told.
     */
    static boolean mayMount(Thread t) {
        if (NEW_BUILDER == null) {
            return false;
        }
        if (SCHEDULER_OF == null) {
            return true;
        }
        try {
            // A thread a coroutine started has a carrier as its scheduler too, but runs on the shared one.
            return (Executor) SCHEDULER_OF.invokeExact(t) instanceof Carrier && (SHARED == null || isLoopThread(t));
        } catch (Throwable unexpected) {
            return true;
        }
    }

    /**
     * Whether the caller is a virtual thread mounted on this carrier's thread now. (Not "whose
     * scheduler is this carrier": a thread a coroutine started has that scheduler too, and runs on
     * the JDK's shared scheduler; a task it queued in `local` would wait there for good.)
     */
    private boolean onThisCarrier() {
        Thread current = Thread.currentThread();
        if (CARRIER_OF == null || !current.isVirtual()) {
            return false;
        }
        try {
            return (Thread) CARRIER_OF.invokeExact(current) == thread; // a running virtual thread always has one
        } catch (Throwable unexpected) {
            return false;
        }
    }

    private void startThread() {
        Thread t = Thread.ofPlatform().daemon().name("baton-carrier-" + THREADS.incrementAndGet()).unstarted(this::carry);
        thread = t;
        t.start();
    }

    /** The carrier thread's body: mounts queued virtual threads until it has been idle long enough. */
    private void carry() {
        for (;;) {
            Runnable task;
            // Other threads' tasks first: the hand-off chain keeps `local` from ever emptying
            // while coroutines switch, and a wake-up from outside must not wait for it.
            while ((task = queue.poll()) != null || (task = local.pollFirst()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    Reports.error(LOG, "a virtual thread's continuation failed on its loop's carrier: " + Reports.describe(t), t);
                }
            }
            state = IDLE;
            if (!queue.isEmpty()) {
                state = RUNNING;
                continue;
            }
            // Real time, not a loop's clock: how long this OS thread stays around without work.
            long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
            long left;
            while (queue.isEmpty() && !retired && (left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left); // an unpark, spurious or not, only means look again
                Thread.interrupted(); // nothing interrupts this thread on purpose; no reason to end
            }
            if (!queue.isEmpty()) {
                state = RUNNING;
                continue;
            }
            state = NONE;
            if (queue.isEmpty() || !STATE.compareAndSet(this, NONE, RUNNING)) {
                // Nothing queued, or a task came and execute() started another thread for it.
                return;
            }
            // A task came after NONE and this thread took it back to RUNNING: go on.
        }
    }
}
