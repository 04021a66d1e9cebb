package dev.baton.testing;

import dev.baton.core.Loop;
import dev.baton.core.Simulation;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.AssertionFailedError;

/**
 * What a test of a loop on virtual time writes by hand otherwise: run until a local date-time,
 * set the wall clock to one, declare a coroutine that may outlive the test, run work in the
 * background, and kotlinx-coroutines-test's three time controls under their own names
 * ({@link #runCurrent}, {@link #advanceTimeBy}, {@link #advanceUntilIdle}). Injected by
 * {@link VirtualTime} for the test's own loop.
 *
 * <p><b>Background work</b> ({@link #spawnInBackground}, {@link #markBackground}), like kotlinx's
 * {@code backgroundScope}: it runs with the rest of the loop, {@link #advanceUntilIdle} does not
 * wait for it, it is cancelled when the test method returns (and left to unwind, without moving
 * time), it is not a leak, and if it fails (other than by being cancelled) the test fails at its
 * end with that exception.
 *
 * <p><b>Local date-times</b> are resolved in the clock's zone as {@link ZonedDateTime#of} does,
 * the same rule as {@link VirtualTime#start()} and {@link VirtualClock#of(LocalDateTime,
 * java.time.ZoneId)}: one in a gap (the hour skipped when clocks go forward) moves later by the
 * gap's length, so {@code 01:30} on the spring-forward day in {@code Europe/London} is
 * {@code 02:30+01:00}; one in an overlap (the hour repeated when clocks go back) is the earlier
 * of the two instants, the first {@code 01:30}. For the later one, use
 * {@code loop.runUntil(ZonedDateTime.of(...).withLaterOffsetAtOverlap().toInstant())}.
 *
 * <p>Like the loop's run methods, these are called from the test's thread while the loop is not
 * running.
 */
public final class LoopTester {
    /*
     * Design notes.
     *
     * This class adds to Loop only what needs the zone or the extension: Loop's own verbs
     * (runFor, runUntil(Instant), runUntilIdle, runUntilComplete) are used directly, so there is
     * one boundary rule, Loop's, and no second name for the same thing. The kotlinx controls are
     * the exception, under kotlinx's names so that nobody takes advanceTimeBy (end excluded) for
     * runFor (end included): runCurrent is loop.runUntilIdle, named for readers of kotlinx tests.
     */

    private final Loop loop;
    private final VirtualClock clock;
    /** Tasks the test declared may be unfinished at its end. Any thread (a concurrent set). */
    private final Set<Task<?>> expectedUnfinished = ConcurrentHashMap.newKeySet();

    /** Tasks in the background. Any thread (a concurrent set). */
    private final Set<Task<?>> background = ConcurrentHashMap.newKeySet();
    /** The test's trace, for {@link #expectNoEvent}. */
    private final Trace trace;

    LoopTester(Loop loop, VirtualClock clock, Trace trace) {
        this.loop = loop;
        this.clock = clock;
        this.trace = trace;
    }

    // ---------------------------------------------------------------------------------------
    // kotlinx-coroutines-test's time controls

    /**
     * kotlinx's {@code runCurrent()}: runs everything ready now and every timer due now,
     * including work they make ready, without moving time. The same as {@link Loop#runUntilIdle()}.
     */
    public void runCurrent() {
        loop.runUntilIdle();
    }

    /**
     * kotlinx's {@code advanceTimeBy(d)}: runs every timer due in {@code now ..< now + d}, the
     * end <b>excluded</b>, then the clock reads {@code now + d}; a timer due exactly then waits for
     * the next run ({@link #runCurrent}). {@link Loop#runFor} is the same with the end included.
     * Background work runs too. See {@link Simulation#runBefore}.
     *
     * @param duration how far to move virtual time, the end excluded
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advanceTimeBy(Duration duration) {
        Simulation.runBefore(loop, duration);
    }

    /**
     * kotlinx's {@code advanceUntilIdle()}: runs the loop, moving time, until nothing is ready
     * and no timer is pending except those of background work, which stays scheduled. A
     * heartbeat in the background does not keep it going (where {@link Loop#runForever()} would
     * never return); one in the foreground does, until the real-time guard stops it. A timer of a
     * callback ({@code callLater}, a {@code ScheduledExecutorService} task) counts as foreground.
     * See {@link Simulation#runUntilOnlyBackground}.
     */
    public void advanceUntilIdle() {
        Simulation.runUntilOnlyBackground(loop, this::isBackground);
    }

    /**
     * Reactor's {@code expectNoEvent(d)}: advances time as {@link #advanceTimeBy} does, over
     * {@code now ..< now + window}, and fails if the test's {@link Trace} recorded anything
     * meanwhile. An event due exactly at the end is not in the window; it is recorded by the next
     * run.
     *
     * @param window how far to move virtual time while nothing may happen, the end excluded
     * @throws AssertionFailedError naming the window and the events recorded in it
     */
    public void expectNoEvent(Duration window) {
        Objects.requireNonNull(window, "expectNoEvent: window must not be null");
        int before = trace.events().size();
        OffsetDateTime from = OffsetDateTime.ofInstant(clock.instant(), clock.zone());
        advanceTimeBy(window);
        List<String> events = trace.events();
        if (events.size() > before) {
            List<String> inWindow = new ArrayList<>(events.subList(before, events.size()));
            throw new AssertionFailedError("expected no event for " + window + " from " + from + " (end excluded), but "
                    + inWindow.size() + (inWindow.size() == 1 ? " was" : " were") + " recorded: " + inWindow, List.of(), inWindow);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Background work

    /**
     * Starts a coroutine in the background (see the class documentation): {@link Loop#spawn}, then
     * {@link #markBackground}.
     *
     * @param <T> the type of the body's result
     * @param name the coroutine's name, as for {@link Loop#spawn}
     * @param body what it runs, typically until it is cancelled
     * @return its task, cancelled when the test method returns
     */
    public <T> Task<T> spawnInBackground(String name, Callable<T> body) {
        Task<T> task = loop.spawn(name, body);
        background.add(task);
        return task;
    }

    /**
     * {@link #spawnInBackground(String, Callable)} for a body that returns nothing.
     *
     * @param name the coroutine's name, as for {@link Loop#spawn}
     * @param body what it runs, typically until it is cancelled
     * @return its task, cancelled when the test method returns
     */
    public Task<Void> spawnInBackground(String name, Loop.Body body) {
        Task<Void> task = loop.spawn(name, body);
        background.add(task);
        return task;
    }

    /**
     * Moves tasks already spawned (by code under test, say) to the background: see the class
     * documentation.
     *
     * @param tasks tasks of this test's loop
     * @throws IllegalArgumentException if a task belongs to another loop
     */
    public void markBackground(Task<?>... tasks) {
        addOwnTasks("markBackground", tasks, background);
    }

    boolean isBackground(Task<?> task) {
        return background.contains(task);
    }

    /** Cancels the background tasks not done yet and lets them unwind, without moving time; true if there were any. */
    boolean cancelBackground() {
        boolean any = false;
        for (Task<?> task : background) {
            if (!task.isDone()) {
                task.cancel();
                any = true;
            }
        }
        if (any && !loop.isClosed()) {
            loop.runUntilIdle();
        }
        return any;
    }

    /**
     * Runs the loop until its wall clock reads {@code localTime} in the clock's zone (resolved as
     * described in the class documentation): {@link Loop#runUntil(java.time.Instant)}, with its
     * boundary rule: a timer due exactly then runs, and the clock then reads exactly that time.
     *
     * @param localTime the wall time to run to, in the clock's zone
     * @return {@code localTime} resolved in the zone: the time the clock now reads
     * @throws IllegalArgumentException if the clock already reads a later time: virtual time
     *     does not go backwards ({@link #stepWallTo} moves the wall clock alone, either way)
     * @throws IllegalStateException as {@link Loop#runUntil(java.time.Instant)} does
     */
    public ZonedDateTime runUntil(LocalDateTime localTime) {
        Objects.requireNonNull(localTime, "runUntil: localTime must not be null");
        ZonedDateTime target = ZonedDateTime.of(localTime, clock.zone());
        ZonedDateTime now = clock.now();
        if (target.isBefore(now)) {
            throw new IllegalArgumentException("runUntil(" + localTime + "): the clock already reads " + now.toOffsetDateTime()
                    + ", later than " + target.toOffsetDateTime() + "; virtual time does not go backwards"
                    + " (stepWallTo moves the wall clock alone, either way)");
        }
        loop.runUntil(target.toInstant());
        return target;
    }

    /**
     * Steps the wall clock, and only it, so that it reads {@code localTime} in the clock's zone
     * (resolved as described in the class documentation), forwards or backwards, as an NTP
     * correction or an operator would: {@link VirtualClock#stepWall(Duration)} by the difference.
     * Monotonic time, and so every pending sleep, is unaffected. Nothing runs.
     *
     * @param localTime the wall time the clock reads afterwards, in the clock's zone
     * @return {@code localTime} resolved in the zone: the time the clock now reads
     */
    public ZonedDateTime stepWallTo(LocalDateTime localTime) {
        Objects.requireNonNull(localTime, "stepWallTo: localTime must not be null");
        ZonedDateTime target = ZonedDateTime.of(localTime, clock.zone());
        clock.stepWall(Duration.between(clock.instant(), target.toInstant()));
        return target;
    }

    /**
     * Declares that {@code tasks} may still be unfinished when the test ends: they are not
     * reported as leaks (the loop's close still cancels them). Use it for a coroutine meant to
     * run forever, such as a rotation policy, when cancelling it is not part of the test.
     *
     * @param tasks tasks of this test's loop
     * @throws IllegalArgumentException if a task belongs to another loop
     */
    public void expectUnfinished(Task<?>... tasks) {
        addOwnTasks("expectUnfinished", tasks, expectedUnfinished);
    }

    /** Adds {@code tasks} to {@code set} after checking each is a task of this test's loop, naming {@code operation} if not. */
    private void addOwnTasks(String operation, Task<?>[] tasks, Set<Task<?>> set) {
        for (Task<?> task : tasks) {
            Objects.requireNonNull(task, operation + ": task must not be null");
            if (!isOfThisLoop(task)) {
                throw new IllegalArgumentException(operation + ": task '" + task.name() + "' belongs to another loop than this test's");
            }
            set.add(task);
        }
    }

    /** Whether the test declared {@code task} with {@link #expectUnfinished}, or put it in the background. */
    boolean isExpectedUnfinished(Task<?> task) {
        return expectedUnfinished.contains(task) || background.contains(task);
    }

    private boolean isOfThisLoop(Task<?> task) {
        // Task does not expose its loop; a task of this loop that is not done is in loop.tasks(),
        // and a done one can no longer leak, so accepting it is harmless.
        return task.isDone() || loop.tasks().contains(task);
    }
}
