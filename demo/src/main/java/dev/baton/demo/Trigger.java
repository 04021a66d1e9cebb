package dev.baton.demo;

import dev.baton.rotation.RotationOptions;
import dev.baton.rotation.RotationPolicy;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;

/**
 * When a block's files are rotated: {@code every}, a calendar unit ({@code hourly} ...
 * {@code yearly}) or {@code size}, with the values that go with it.
 *
 * @param kind "interval", "hourly", "daily", "weekly", "monthly", "yearly" or "size", as
 *     {@link RotationPolicy#kind()} names them
 * @param every the period of "interval", or how often "size" looks at the file; else null
 * @param maxBytes "size": rotate when the file is larger; else 0
 * @param zone the zone of a calendar kind, or null for the clock's
 * @param at the local time of day of daily, weekly, monthly, yearly; else null
 * @param minute the minute of "hourly"
 * @param day the day of "weekly"; else null
 * @param sizeCheck how often a time trigger with {@code maxsize} looks at the file, or null for
 *     {@link RotationPolicy#DEFAULT_SIZE_CHECK}; null for "size", whose {@code every} says it
 */
record Trigger(String kind, Duration every, long maxBytes, ZoneId zone, LocalTime at, int minute, DayOfWeek day, Duration sizeCheck) {

    static Trigger every(Duration period) {
        return new Trigger("interval", period, 0, null, null, 0, null, null);
    }

    static Trigger bySize(long maxBytes, Duration check) {
        return new Trigger("size", check, maxBytes, null, null, 0, null, null);
    }

    static Trigger calendar(String kind, ZoneId zone, LocalTime at, int minute, DayOfWeek day) {
        return new Trigger(kind, null, 0, zone, kind.equals("hourly") ? null : at, minute, day, null);
    }

    /** This time trigger with its {@code maxsize} checks every {@code check}. */
    Trigger withSizeCheck(Duration check) {
        return new Trigger(kind, every, maxBytes, zone, at, minute, day, check);
    }

    boolean isCalendar() {
        return every == null;
    }

    /** The policy of this trigger on {@code target}. */
    RotationPolicy toPolicy(Path target, RotationOptions options) {
        RotationPolicy policy = switch (kind) {
            case "interval" -> RotationPolicy.every(target, options, every);
            case "size" -> RotationPolicy.bySize(target, options, maxBytes, every);
            case "hourly" -> RotationPolicy.hourly(target, options, zone, minute);
            case "daily" -> RotationPolicy.daily(target, options, zone, at);
            case "weekly" -> RotationPolicy.weekly(target, options, zone, day, at);
            case "monthly" -> RotationPolicy.monthly(target, options, zone, 1, at);
            default -> RotationPolicy.yearly(target, options, zone, MonthDay.of(1, 1), at);
        };
        return sizeCheck == null ? policy : policy.withSizeCheckEvery(sizeCheck);
    }

    /** How often a glob of this trigger is expanded again: its period, or a minute for the calendar kinds. */
    Duration rescanEvery() {
        Duration minute = Duration.ofMinutes(1);
        return every == null || every.compareTo(minute) > 0 ? minute : every;
    }

    /** In words: {@code every 30s}, {@code daily at 00:00}, {@code when over 1024 bytes, checked every 1m}. */
    String describe() {
        String z = zone == null ? "" : " " + zone.getId();
        String when = switch (kind) {
            case "interval" -> "every " + Durations.format(every);
            case "size" -> "when over " + maxBytes + " bytes, checked every " + Durations.format(every);
            case "hourly" -> "hourly at minute " + minute + z;
            case "daily" -> "daily at " + at + z;
            case "weekly" -> "weekly on " + day.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH) + " at " + at + z;
            case "monthly" -> "monthly on the 1st at " + at + z;
            default -> "yearly on 1 January at " + at + z;
        };
        return sizeCheck == null ? when : when + " (maxsize checked every " + Durations.format(sizeCheck) + ")";
    }
}
