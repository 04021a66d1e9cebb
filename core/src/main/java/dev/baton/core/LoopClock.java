package dev.baton.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The only place a {@link Loop} reads time from: a monotonic counter for timers, a wall clock and
 * a zone for calendar work.
 *
 * <p>Two implementations exist: {@link SystemClock}, real time, and {@link VirtualClock}, time
 * that moves only when the loop has nothing else to do. Code that needs "now" should ask the loop's
 * clock ({@code Loop.current().clock()}), never the system, so the same code runs on both.
 *
 * <p>The monotonic and the wall clock are independent: a wall-clock step (an NTP correction, a
 * manual change) moves {@link #instant()} but never {@link #nanoTime()}, so timers are unaffected
 * and calendar code must re-read the wall clock after each wake.
 *
 * <p>Implementations are safe to read from any thread.
 */
public sealed interface LoopClock permits SystemClock, VirtualClock {

    /**
     * Monotonic time in nanoseconds from an arbitrary origin; it never goes backwards. Only
     * differences between two readings of the same clock are meaningful.
     *
     * @return the monotonic time now, in nanoseconds; never less than an earlier reading
     */
    long nanoTime();

    /**
     * Wall-clock time. It may jump forwards or backwards between two readings.
     *
     * @return the wall-clock time now
     */
    Instant instant();

    /**
     * The zone in which calendar work (such as "the start of the next local day") is done.
     *
     * @return the clock's zone, the same for the clock's whole life
     */
    ZoneId zone();

    /**
     * {@link #instant()} in {@link #zone()}.
     *
     * @return the wall-clock time now, in the clock's zone
     */
    default ZonedDateTime now() {
        return instant().atZone(zone());
    }

    /**
     * A {@link java.time.Clock} (and so an {@link java.time.InstantSource}) that reads this
     * clock's wall time, for code that takes a standard clock. It reflects later changes of this
     * clock, including virtual time and wall-clock steps.
     *
     * @return a new view of this clock, in this clock's zone
     */
    default Clock asJavaClock() {
        return new JavaClockView(this, zone());
    }
}
