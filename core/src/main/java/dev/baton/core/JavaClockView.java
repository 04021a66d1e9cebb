package dev.baton.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A {@link Clock} that reads a {@link LoopClock}'s wall time in a chosen zone. Immutable. */
final class JavaClockView extends Clock {
    private final LoopClock source;
    private final ZoneId zone;

    JavaClockView(LoopClock source, ZoneId zone) {
        this.source = Objects.requireNonNull(source, "source");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new JavaClockView(source, newZone);
    }

    @Override
    public Instant instant() {
        return source.instant();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JavaClockView view && view.source == source && view.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(source) * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return "JavaClockView[" + source + ", " + zone + "]";
    }
}
