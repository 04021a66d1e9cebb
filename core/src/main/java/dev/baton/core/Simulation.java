package dev.baton.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What only a test or a simulation on a {@link VirtualClock} asks of a loop, beyond the run
 * methods of {@link Loop}: kotlinx-coroutines-test's exclusive {@code advanceTimeBy}, its
 * {@code advanceUntilIdle} that ignores background work, and schedule exploration. The testing
 * module's {@code LoopTester} and {@code @VirtualTime(explore = ...)} are built on these.
 *
 * <p>Like the run methods of {@link Loop}, the run methods here are called by the thread using
 * the loop while no run method is active, and throw {@link IllegalStateException} otherwise or on
 * a loop that is not on a {@link VirtualClock}.
 */
public final class Simulation {
    /*
     * Design notes.
     *
     * A separate class so that Loop's page stays the API of production code: none of this means
     * anything on a SystemClock. The hooks themselves are package-private in Scheduler, each off
     * (null or false) unless a method here turns it on for one run or one loop.
     */

    private Simulation() {
    }

    /**
     * A loop on {@code clock} that explores schedules: each time the scheduler takes equally
     * ready work it takes it in an order shuffled by a generator seeded with {@code seed},
     * instead of first in, first out. Perturbed: the order within one batch of ready work
     * (coroutines starting or resuming, callbacks, timers that fell due together, which on a
     * virtual clock are timers with equal deadlines). A batch is everything ready when the previous
     * one is used up; work made ready meanwhile waits for the next. Kept: a coroutine that yields
     * with {@code Loop.sleep(Duration.ZERO)} stays after all that was ready before it, so it still
     * lets that work run first; timers still fire in deadline order; virtual time is unchanged.
     * The same seed and the same program give the same order on every run.
     *
     * @param clock the virtual clock of the new loop
     * @param seed what the order of equally ready work is drawn from
     * @return a new loop that explores with that seed
     * @throws NullPointerException if {@code clock} is null
     */
    public static Loop exploring(VirtualClock clock, long seed) {
        Loop loop = Loop.create(clock);
        loop.scheduler().setTieBreak(new TieBreak(seed));
        return loop;
    }

    /**
     * Runs the loop for {@code duration} with an exclusive end, as kotlinx's
     * {@code advanceTimeBy(d)}: every timer due in {@code now ..< now + duration} runs, with the
     * work it makes ready; a timer due exactly at {@code now + duration} does not, and the clock
     * then reads exactly {@code now + duration}, so that {@link Loop#runUntilIdle()} (kotlinx's
     * {@code runCurrent}) runs it next. Compare {@link Loop#runFor}, whose end is included.
     *
     * @param loop a loop on a virtual clock, not running
     * @param duration how far to move virtual time
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if the loop is not on a {@link VirtualClock}, is closed, or is running
     */
    public static void runBefore(Loop loop, Duration duration) {
        Objects.requireNonNull(loop, "runBefore: loop must not be null");
        loop.scheduler().runBefore(duration);
    }

    /**
     * Runs the loop, moving virtual time, until nothing is ready and every pending timer wakes a
     * coroutine whose task is in {@code background}, as kotlinx's {@code advanceUntilIdle} ignores
     * its {@code backgroundScope}: a heartbeat in the background does not keep it going, and stays
     * scheduled when this returns; then not even its timers due now fire. Work that is ready runs,
     * background or not. A timer that runs a callback ({@link Loop#callLater},
     * {@link Loop#callAt}) counts as foreground work, whoever scheduled it. It also returns when
     * nothing at all is pending; it does not detect deadlocks (use {@link Loop#runUntilComplete}).
     *
     * @param loop a loop on a virtual clock, not running
     * @param background whether a task is background work
     * @throws IllegalStateException if the loop is not on a {@link VirtualClock}, is closed, or is running
     */
    public static void runUntilOnlyBackground(Loop loop, Predicate<Task<?>> background) {
        Objects.requireNonNull(loop, "runUntilOnlyBackground: loop must not be null");
        loop.scheduler().runUntilOnlyBackground(background);
    }
}
