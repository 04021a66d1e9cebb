package dev.baton.core;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches running loops from a thread of its own and names what stalls them, since a stalled
 * loop cannot speak for itself:
 * <ul>
 *   <li>a coroutine or callback holding the baton past the loop's slow threshold (a blocking call,
 *       a long computation), with its stack, once per stall; for a coroutine inside a call to a
 *       generator, the stack of the generator body that is running;
 *   <li>a hand-off that does not complete for a second because no carrier thread is free, with
 *       any coroutine or generator body suspended inside a class initializer (which pins its
 *       carrier);
 *   <li>on a virtual clock, time standing still for a second of real time while a coroutine awaits
 *       an outside future, which never ends if the loop itself was to complete that future.
 * </ul>
 */
final class Watchdog {
    /*
     * Design notes.
     *
     * Each loop counts its hand-offs and callbacks in `progress` (an opaque write by the baton
     * holder, a plain store on x86); the watchdog samples it every POLL. A count that has not moved
     * while the baton holder is not idle means someone holds the baton. Whether that someone is
     * running (slow) or was handed the baton and never got a carrier (stuck) is told by its stack:
     * a thread parked in Baton.await or Engine.park, or not started at all, is waiting for a carrier.
     *
     * A coroutine inside a call to a generator (parked in the generator's Baton.await, under
     * Generator.State.resume) holds the loop's baton while the body runs; the loop's count does not
     * move meanwhile. So the watchdog follows the call to the body (Generator.callOf: a scan of the
     * live generators, once per call, since the call is kept in Seen), and through nested calls to
     * the thread that runs for the coroutine; the calls' resume counts are progress of that
     * coroutine. Slow is judged on the loop's count (iterating for a second stalls the loop);
     * stuck on both (a generator that handed the baton back, or a body handed it, with neither
     * moving for a second, waits for a carrier). A call whose resumes moved since the last poll
     * is running whatever the stacks show: iterating is mostly hand-offs, so most polls find one
     * side parked.
     *
     * It measures real time (System.nanoTime), not the loop's clock: what it watches is carrier
     * time, which passes even when a virtual clock stands still. It is one platform daemon thread
     * for the whole JVM, started with the first run, so a pinned carrier cannot stop it.
     *
     * Garbage collection stops every thread, and a collection of a heap holding a million frozen
     * stacks can take seconds: time the JVM spent collecting since the loop last moved is not held
     * against the loop (a stall that was all collection is no stall of the loop's), and a warning
     * says how much of the time was collection.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The JVM's collectors; the set is fixed for the JVM's life. */
    private static final java.util.List<java.lang.management.GarbageCollectorMXBean> COLLECTORS =
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();

    /** Set once, by the first run method of the JVM. */
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    /** What the watchdog knows of one loop. Watchdog thread only. */
    private static final class Seen {
        long progress = -1;
        long since;
        /** The JVM's collection time, in milliseconds, at `since`. */
        long gcAtSince;
        boolean warned;
        long idleSince;
        boolean idleWarned;
        /** The generator call the baton holder was last seen inside (kept to skip a scan); null if none. */
        Generator.State call;
        /** The resumes of the generator calls the holder was inside, summed, when last seen; -1 before the first look. */
        long callResumes = -1;
        /** Whether the last look found the holder handed the baton and not running. */
        boolean waiting;
        /** When the loop or a generator call of its holder last moved, and the collection time then. */
        long movedSince;
        long gcAtMoved;
    }

    private Watchdog() {
    }

    static void ensureStarted() {
        if (!STARTED.get() && STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("baton-watchdog").start(Watchdog::watch);
        }
    }

    private static void watch() {
        Map<Scheduler, Seen> seen = new IdentityHashMap<>();
        for (;;) {
            LockSupport.parkNanos(POLL_NANOS);
            long now = System.nanoTime();
            Scheduler[] loops = RunningLoops.all();
            java.util.Set<Scheduler> running = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            running.addAll(java.util.Arrays.asList(loops));
            for (Scheduler ended : seen.keySet()) {
                if (!running.contains(ended)) {
                    ended.noteLook(null); // its run ended: a dump before the next run's first look finds nothing stale
                }
            }
            seen.keySet().retainAll(running);
            long gc = loops.length == 0 ? 0 : gcMillis();
            for (Scheduler loop : loops) {
                try {
                    check(loop, seen.computeIfAbsent(loop, l -> new Seen()), now, gc);
                } catch (RuntimeException raced) {
                    // a loop changed under a racy read; it is looked at again on the next poll
                }
            }
        }
    }

    /** How long the JVM's collectors have run, in milliseconds, as far as they tell. */
    private static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean bean : COLLECTORS) {
            total += Math.max(0, bean.getCollectionTime());
        }
        return total;
    }

    private static void check(Scheduler loop, Seen s, long now, long gc) {
        long progress = loop.progress();
        boolean idle = loop.isIdle();
        // A coroutine's own Loop.toThread work stops virtual time too, but it is work under way,
        // not a future that may wait for this loop's timers: only other outside waits are named.
        if (idle && loop.isVirtual() && loop.outsideWaits() > loop.workWaits()) {
            if (s.idleSince == 0) {
                s.idleSince = now;
            } else if (!s.idleWarned && now - s.idleSince >= STUCK_NANOS) {
                s.idleWarned = true;
                Reports.warn(LOG, standingStill(loop, now - s.idleSince));
            }
        } else {
            s.idleSince = 0;
            s.idleWarned = false;
        }
        if (progress != s.progress || idle) {
            s.progress = progress;
            s.since = now;
            s.gcAtSince = gc;
            s.warned = false;
            s.callResumes = -1;
            s.movedSince = now;
            s.gcAtMoved = gc;
            loop.noteLook(null);
            return;
        }
        long collecting = TimeUnit.MILLISECONDS.toNanos(gc - s.gcAtSince);
        long held = now - s.since - collecting;
        Thread owner = loop.batonOwner();
        if (owner == null) {
            loop.noteLook(null);
            return;
        }
        if (s.warned) { // warned once for this stall: no more stack walks, but a dump still learns how long
            loop.noteLook(new Look(progress, owner, s.waiting ? still(s, now, gc) : held, s.waiting));
            return;
        }
        StackTraceElement[] stack = owner.getStackTrace();
        // A coroutine inside a generator call holds the baton while the generator's body runs:
        // follow the calls to the thread that runs for it, and count their resumes as progress.
        Thread runner = owner;
        StackTraceElement[] runnerStack = stack;
        java.util.List<Thread> bodies = new java.util.ArrayList<>();
        boolean handedBack = false;
        long resumes = 0;
        for (int depth = 0; depth < 16 && insideGeneratorCall(runnerStack); depth++) {
            Generator.State call = depth == 0 && s.call != null && s.call.isCallOf(runner) ? s.call : Generator.callOf(runner);
            if (call == null) {
                return; // the call ended meanwhile: look again at the next poll
            }
            if (depth == 0) {
                s.call = call;
            }
            resumes += call.resumes();
            Thread body = call.body();
            if (body != null) {
                bodies.add(body);
            }
            if (call.holder() == runner || body == null) {
                handedBack = true; // the generator gave the baton back, and the runner has not run since
                break;
            }
            runner = body;
            runnerStack = body.getStackTrace();
        }
        // A call that moved since the last poll is running, whatever this poll's stacks show: a
        // coroutine iterating a generator spends most of each next() in the hand-off itself, so
        // most polls catch one side parked (about 9 in 10, measured), which alone reads as waiting.
        boolean moving = s.callResumes >= 0 && resumes != s.callResumes;
        if (resumes != s.callResumes) {
            s.callResumes = resumes;
            s.movedSince = now;
            s.gcAtMoved = gc;
        }
        s.waiting = !moving && (handedBack || waitsForCarrier(runner, runnerStack));
        if (s.waiting) {
            long still = still(s, now, gc);
            loop.noteLook(new Look(progress, owner, still, true));
            if (still >= STUCK_NANOS) {
                s.warned = true;
                Reports.warn(LOG, stuckHandOff(loop, owner, runner, handedBack, bodies, still, TimeUnit.MILLISECONDS.toNanos(gc - s.gcAtMoved)));
            }
            return;
        }
        loop.noteLook(new Look(progress, owner, held, false));
        long slow = loop.slowThresholdNanos();
        if (slow > 0 && held >= slow) {
            s.warned = true;
            Reports.warn(LOG, slowHolder(loop, owner, runner, runnerStack, held, collecting));
        }
    }

    /** How long neither the loop nor a generator call of its holder has moved, less collection time. */
    private static long still(Seen s, long now, long gc) {
        return now - s.movedSince - TimeUnit.MILLISECONDS.toNanos(gc - s.gcAtMoved);
    }

    /**
     * What the watchdog's last look at a loop found, for {@link Scheduler#dump()}: the baton's
     * holder, at the loop's progress count then, had held it for {@code nanos} without the loop
     * moving, running ({@code waitingForCarrier} false) or handed the baton and not running.
     * Immutable; it describes the present only while the holder and the count are unchanged.
     */
    record Look(long progress, Thread holder, long nanos, boolean waitingForCarrier) {
        /** What a dump says of the holder, or null when the hold is too short to mention (under 20 ms). */
        String describe() {
            if (nanos < HELD_LONG_NANOS) {
                return null;
            }
            return waitingForCarrier
                    ? "holding the baton but not run for " + millis(nanos) + ": no carrier thread is free to run it"
                    : "running without suspending for " + millis(nanos);
        }
    }

    /** From how long a hold a dump mentions it: two of the watchdog's looks. */
    private static final long HELD_LONG_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * A thread handed the baton that is not running: never started, or still parked in Baton.await
     * or Engine.park. (A thread parked in a generator call's Baton.await is not counted: it waits
     * for the generator's body, which the caller of this follows.)
     */
    private static boolean waitsForCarrier(Thread owner, StackTraceElement[] stack) {
        if (owner.getState() == Thread.State.NEW || stack.length == 0) {
            return true;
        }
        int at = batonWait(stack);
        return at >= 0 && !resumesAGenerator(stack, at);
    }

    /** Whether the thread with this stack is parked inside a generator call, waiting for the body. */
    private static boolean insideGeneratorCall(StackTraceElement[] stack) {
        int at = batonWait(stack);
        return at >= 0 && resumesAGenerator(stack, at);
    }

    /**
     * The index of the top frame that parks for the baton (Baton.await, Engine.park), or -1. Only
     * the JDK's parking frames may be above it: a callback run inside a coroutine's park (the
     * loop's ready callbacks run there) has its own code and Baton's above Engine.park, and is
     * running, not waiting.
     */
    private static int batonWait(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 24); i++) {
            String type = stack[i].getClassName();
            String method = stack[i].getMethodName();
            if (type.equals(Engine.class.getName()) && method.equals("park") || type.equals(Baton.class.getName()) && method.equals("await")) {
                return i;
            }
            if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                return -1; // code of its own runs above any park
            }
        }
        return -1;
    }

    /** Whether the first frame below {@code at} that is not the Baton's own is a generator call's resume. */
    private static boolean resumesAGenerator(StackTraceElement[] stack, int at) {
        for (int i = at; i < stack.length; i++) {
            String type = stack[i].getClassName();
            if (!type.equals(Baton.class.getName())) {
                return type.equals(Generator.State.class.getName()) && stack[i].getMethodName().equals("resume");
            }
        }
        return false;
    }

    private static String who(Scheduler loop, Thread owner) {
        Coroutine c = loop.runningCoroutine();
        if (c != null && c.thread == owner) {
            return "coroutine '" + c.name() + "'";
        }
        return "a callback on thread '" + owner.getName() + "'";
    }

    private static String slowHolder(Scheduler loop, Thread owner, Thread runner, StackTraceElement[] stack, long held, long collecting) {
        StringBuilder text = new StringBuilder();
        text.append(who(loop, owner));
        if (runner != owner) {
            text.append(", in a call to a generator whose body (thread '").append(runner.getName()).append("') is running,");
        }
        text.append(" has held the loop's baton for ").append(millis(held)).append(besidesCollection(collecting))
                .append(" without suspending: a blocking call or a long computation stalls every other coroutine of"
                        + " the loop. Move blocking work off the loop, or suspend now and then. ")
                .append(runner == owner ? "Its stack:" : "The generator body's stack:");
        for (int i = 0; i < Math.min(stack.length, 20); i++) {
            text.append("\n    at ").append(stack[i]);
        }
        return text.toString();
    }

    private static String stuckHandOff(Scheduler loop, Thread owner, Thread runner, boolean handedBack, java.util.List<Thread> bodies,
            long held, long collecting) {
        StringBuilder text = new StringBuilder();
        String ago = millis(held) + besidesCollection(collecting) + " ago";
        if (runner == owner && !handedBack) {
            text.append("coroutine '").append(owner.getName()).append("' was handed the loop's baton ").append(ago)
                    .append(" and has not started running: no carrier thread is free to run it.");
        } else if (runner == owner) {
            text.append("coroutine '").append(owner.getName()).append("' was handed the baton back by the generator it called ")
                    .append(ago).append(" and has not run since: no carrier thread is free to run it.");
        } else {
            text.append("coroutine '").append(owner.getName()).append("' is in a call to a generator, and the generator body on thread '")
                    .append(runner.getName()).append(handedBack ? "' was handed the baton back by the generator it called "
                            : "' was handed the baton ")
                    .append(ago).append(" and has not run since: no carrier thread is free to run it.");
        }
        boolean suspect = false;
        for (Thread body : bodies) {
            StackTraceElement frame = classInitializerFrame(body);
            if (frame != null) {
                suspect = true;
                text.append(" The generator body on thread '").append(body.getName()).append("' is suspended inside a class"
                        + " initializer (at ").append(frame).append("), which pins its carrier thread; with one carrier"
                        + " nothing else of the loop can run. Do not yield inside a static initializer.");
            }
        }
        for (Coroutine c : loop.liveSnapshot()) {
            Thread t = c.thread;
            StackTraceElement frame = t == null || t == owner ? null : classInitializerFrame(t);
            if (frame != null) {
                suspect = true;
                text.append(" Coroutine '").append(c.name()).append("' suspended inside a class initializer (at ")
                        .append(frame).append("), which pins its carrier thread; with one carrier"
                                + " (the loop's own carrier, or jdk.virtualThreadScheduler.parallelism=1) nothing"
                                + " else of the loop can run. Move the"
                                + " suspension out of the static initializer.");
            }
        }
        if (!suspect) {
            text.append(" A carrier may be blocked by a pinned virtual thread (a native frame or class initializer,"
                    + " or synchronized before JDK 24) or by a blocking call; see docs/performance.md.");
        }
        return text.toString();
    }

    /** The first class-initializer frame on {@code t}'s stack (it pins its carrier), or null. */
    private static StackTraceElement classInitializerFrame(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getMethodName().equals("<clinit>")) {
                return frame;
            }
        }
        return null;
    }

    private static String standingStill(Scheduler loop, long waited) {
        StringBuilder text = new StringBuilder("virtual time has stood still for ").append(millis(waited))
                .append(" of real time while coroutines await outside futures:");
        java.util.Map<Timer, Timer> heads = new java.util.IdentityHashMap<>(); // each timer chain walked once
        for (Coroutine c : loop.liveSnapshot()) {
            String wait = c.describeWait(heads);
            if (wait.startsWith("awaiting an outside")) {
                text.append(" '").append(c.name()).append("' ").append(wait);
                java.util.List<StackTraceElement> frames = c.userStack();
                if (!frames.isEmpty()) {
                    text.append(" at ").append(frames.get(0));
                }
                if (frames.size() > 1) {
                    text.append(" from ").append(frames.get(1));
                }
                text.append(";");
            }
        }
        return text.append(" time moves only when nothing is pending outside. That is expected while outside work runs"
                + " (Loop.toThread, I/O); but a future that waits for this loop's own timers (one derived from a task of"
                + " this loop) never completes: join the task instead").toString();
    }

    private static String besidesCollection(long collecting) {
        return collecting <= 0 ? "" : " (besides " + millis(collecting) + " of garbage collection)";
    }

    private static String millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis() + " ms";
    }
}
