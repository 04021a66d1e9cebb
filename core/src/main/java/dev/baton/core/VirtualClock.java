package dev.baton.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Deterministic time for tests and simulations. Time stands still while any coroutine or callback
 * of the loop is running; when every coroutine is suspended, the {@link Loop} moves this clock
 * straight to the next timer's deadline. A day of timers runs in milliseconds of real time and
 * gives the same result on every run.
 *
 * <p>{@link #nanoTime()} starts at 0. {@link #instant()} starts at the instant given to the factory
 * and moves with {@code nanoTime()}, plus whatever {@link #stepWall(Duration)} added.
 *
 * <p>Only the loop that uses this clock moves its monotonic time, and only forwards. The wall
 * clock may be stepped by a test at any point when no run method of the loop is active, or from a
 * coroutine or callback of the loop. Reading is safe from any thread. A clock serves one loop.
 */
public final class VirtualClock implements LoopClock {
    private final Instant start;
    private final ZoneId zone;
    /** Virtual monotonic time; never decreases. Written only by the loop holding its baton. */
    private volatile long nanos;
    /** Sum of all wall-clock steps. Written by the thread that steps it (see class doc). */
    private volatile Duration wallStep = Duration.ZERO;

    private VirtualClock(Instant start, ZoneId zone) {
        this.start = start;
        this.zone = zone;
    }

    /**
     * A virtual clock whose wall time starts at {@code start}, doing calendar work in {@code zone}.
     *
     * @param start the instant the wall clock reads at first
     * @param zone the zone for calendar work
     * @return a new clock: monotonic time 0, wall time {@code start}
     * @throws NullPointerException if an argument is null
     */
    public static VirtualClock of(Instant start, ZoneId zone) {
        return new VirtualClock(Objects.requireNonNull(start, "start"), Objects.requireNonNull(zone, "zone"));
    }

    /**
     * A virtual clock that starts at the local date-time {@code start} in {@code zone}. A local
     * time that falls in a gap (spring forward) is moved later by the length of the gap; one that
     * falls in an overlap (fall back) takes the earlier offset, as {@link ZonedDateTime#of} does.
     *
     * @param start the local date-time the wall clock reads at first, in {@code zone}
     * @param zone the zone in which {@code start} is read, and for calendar work
     * @return a new clock: monotonic time 0, wall time {@code start} resolved in {@code zone}
     * @throws NullPointerException if an argument is null
     */
    public static VirtualClock of(LocalDateTime start, ZoneId zone) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(zone, "zone");
        return new VirtualClock(ZonedDateTime.of(start, zone).toInstant(), zone);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos).plus(wallStep);
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    /**
     * Steps the wall clock alone by {@code delta} (positive or negative), as an NTP correction or
     * an operator would. Monotonic time and so every pending timer are unaffected.
     *
     * @param delta how far to move the wall clock: positive forwards, negative backwards
     * @throws NullPointerException if {@code delta} is null
     */
    public void stepWall(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        wallStep = wallStep.plus(delta);
    }

    /** Moves monotonic time forwards to {@code target}. Loop only, holding the baton. */
    void advanceTo(long target) {
        if (target < nanos) {
            throw new IllegalStateException("virtual time can't go backwards: " + target + " < " + nanos);
        }
        nanos = target;
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now() + "]";
    }
}
