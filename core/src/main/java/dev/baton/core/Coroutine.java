package dev.baton.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One coroutine: the task a user holds, with its body, the virtual thread it runs on, what it waits
 * on and its place in the loop's list of unfinished coroutines. The loop's private side of a
 * {@link Task}: one object, so a coroutine costs Baton no second one. While it sleeps it is its
 * own timer on the loop's heap (the {@link Timer} fields) and what it waits on ({@link Waitable}),
 * so a sleep allocates nothing.
 */
final class Coroutine extends Task<Object> implements Waitable {
    /**
     * A {@link Callable} or a {@link Loop.Body}: kept as given, so a spawn allocates no adapter. Run
     * by Engine's Starter; null once the task is done. Baton holder only.
     */
    Object body;
    /** Created when the coroutine first gets the baton; null before, and again once the task is done. Baton holder only. */
    Thread thread;
    /** What a suspended coroutine waits on; null while running, ready, or not started. Baton holder only. */
    Waitable waitingOn;
    /** Neighbours in the loop's list of unfinished coroutines. Baton holder only. */
    Coroutine prevLive;
    Coroutine nextLive;

    Coroutine(Scheduler loop, String name, Object body) {
        super(loop, name);
        this.body = body;
    }

    /**
     * Drops the body and the thread of a coroutine that has ended, so that a task a program keeps
     * holds its outcome only, not what it captured or the ended thread. Baton holder only.
     */
    void forgetRunner() {
        body = null;
        thread = null;
    }

    /** The innermost {@link CancelScope} the coroutine runs in, or null. Baton holder only. */
    CancelScope scope() {
        Extras e = extrasOrNull();
        return e == null ? null : e.scope;
    }

    /** Cancellation wakes it from its sleep: its timer leaves the heap. */
    @Override
    public void removeWaiter(Coroutine waiter) {
        loop().timers.remove(this);
    }

    /** What it does while it waits on itself: it sleeps. */
    @Override
    public String describe(Scheduler loop) {
        return describeSleep(loop, loop.timers.deadlineOf(this));
    }

    private static String describeSleep(Scheduler loop, long deadline) {
        return deadline == Scheduler.NEVER ? "sleeping forever" : "sleeping until " + loop.wallTimeAt(deadline);
    }

    String describeWait() {
        return describeWait(null);
    }

    /**
     * What it waits on, for a dump; {@code heads}: see {@link Timers#deadlineOf(Timer, java.util.Map)}.
     * One waiting on nothing is running (it holds the baton; for how long, as the watchdog last
     * saw) or ready to run. Racy reads, any thread.
     */
    String describeWait(java.util.Map<Timer, Timer> heads) {
        Waitable on = waitingOn;
        if (on == this) {
            Scheduler loop = loop();
            return describeSleep(loop, loop.timers.deadlineOf(this, heads));
        }
        if (on != null) {
            return on.describe(loop());
        }
        Thread t = thread;
        if (t == null) {
            return "not started";
        }
        Scheduler loop = loop();
        if (loop.batonOwner() != t) {
            return "ready to run";
        }
        String hold = loop.describeHold(t);
        return hold == null ? "running" : hold;
    }

    /**
     * The coroutine's stack from the Baton call where it suspended down to its body: the frames a
     * user can act on, without the JDK's parking frames and the loop's own.
     */
    List<StackTraceElement> userStack() {
        List<StackTraceElement> frames = new ArrayList<>();
        if (thread == null) {
            return frames;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        int first = 0;
        while (first < stack.length && isInternal(stack[first])) {
            first++;
        }
        if (first > 0) {
            first--; // keep the public Baton method that suspended (Loop.sleep, Task.join)
        }
        int last = stack.length;
        for (int i = first; i < stack.length; i++) {
            if (stack[i].getClassName().equals(STARTER)) {
                last = i;
                break;
            }
        }
        while (last > first && isInternal(stack[last - 1])) {
            last--; // the loop's adapters between the body and the Starter
        }
        for (int i = first; i < last; i++) {
            frames.add(stack[i]);
        }
        return frames;
    }

    /** The class whose run() is the first frame of every coroutine's thread, below the body. */
    private static final String STARTER = Engine.class.getName() + "$Starter";

    /** The core classes a user's suspension passes through on its way to the loop. */
    private static final java.util.Set<String> SUSPENDING_CLASSES = java.util.Set.of(
            WaitQueue.class.getName(), LoopBound.class.getName(), Supervisor.class.getName(),
            Queue.class.getName(), Semaphore.class.getName(), Event.class.getName(), TaskGroup.class.getName());

    /** The first frame of {@code where}'s stack outside the JDK and core's own classes: the user's call. */
    static String firstUserFrame(Throwable where) {
        for (StackTraceElement frame : where.getStackTrace()) {
            if (!isInternal(frame) && !SUSPENDING_CLASSES.contains(frame.getClassName())) {
                return frame.toString();
            }
        }
        return "an unknown place";
    }

    private static boolean isInternal(StackTraceElement frame) {
        String name = frame.getClassName();
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.equals(Task.class.getName()) || name.equals(Coroutine.class.getName())
                || name.equals(Baton.class.getName())
                || name.startsWith(Scheduler.class.getName()) || name.startsWith(Loop.class.getName())
                || name.startsWith(Engine.class.getName()) || name.equals(Timeouts.class.getName())
                || name.equals(Gather.class.getName()) || name.equals(LiveList.class.getName());
    }
}
