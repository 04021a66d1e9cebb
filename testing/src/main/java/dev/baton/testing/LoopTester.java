package dev.baton.testing;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a test of a loop on virtual time writes by hand otherwise: run until a local date-time,
 * set the wall clock to one, and declare a coroutine that may outlive the test. Injected by
 * {@link VirtualTime} for the test's own loop.
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
     * one boundary rule, Loop's, and no second name for the same thing.
     */

    private final Loop loop;
    private final VirtualClock clock;
    /** Tasks the test declared may be unfinished at its end. Any thread (a concurrent set). */
    private final Set<Task<?>> expectedUnfinished = ConcurrentHashMap.newKeySet();

    LoopTester(Loop loop, VirtualClock clock) {
        this.loop = loop;
        this.clock = clock;
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
        for (Task<?> task : tasks) {
            Objects.requireNonNull(task, "expectUnfinished: task must not be null");
            if (!isOfThisLoop(task)) {
                throw new IllegalArgumentException("expectUnfinished: task '" + task.name() + "' belongs to another loop than this test's");
            }
            expectedUnfinished.add(task);
        }
    }

    /** Whether the test declared {@code task} with {@link #expectUnfinished}. */
    boolean isExpectedUnfinished(Task<?> task) {
        return expectedUnfinished.contains(task);
    }

    private boolean isOfThisLoop(Task<?> task) {
        // Task does not expose its loop; a task of this loop that is not done is in loop.tasks(),
        // and a done one can no longer leak, so accepting it is harmless.
        return task.isDone() || loop.tasks().contains(task);
    }
}
