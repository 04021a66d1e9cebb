package dev.baton.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Real time: {@link System#nanoTime()} for timers, {@link Instant#now()} for the wall clock.
 * Immutable and safe to share between loops and threads.
 */
public final class SystemClock implements LoopClock {
    private final ZoneId zone;

    private SystemClock(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * Real time in the system's default zone, as read when this method is called.
     *
     * @return a clock in that zone; a later change of the system's default zone does not affect it
     */
    public static SystemClock systemDefaultZone() {
        return new SystemClock(ZoneId.systemDefault());
    }

    /**
     * Real time in the given zone.
     *
     * @param zone the zone for calendar work
     * @return a clock on real time in {@code zone}
     * @throws NullPointerException if {@code zone} is null
     */
    public static SystemClock of(ZoneId zone) {
        return new SystemClock(Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return "SystemClock[" + zone + "]";
    }
}
