package dev.baton.rotation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * The rotation instants of a calendar policy: hourly at a minute, daily at a local time, weekly
 * on a day of the week, monthly on a day of the month, yearly on a day of the year. The one
 * question it answers is {@link #firstAfter}: the first rotation instant strictly after a given
 * one. The instants are strictly increasing, which is what lets a policy remember only the last
 * one it handled. Immutable and thread-safe.
 *
 * <p>The DST rules, the same for every unit but hourly: a rotation date is a local date; one that
 * the zone skipped entirely (Pacific/Apia 2011-12-30) gets no rotation; midnight is the date's
 * first instant ({@link LocalDate#atStartOfDay(ZoneId)}: 01:00 where midnight is skipped, the
 * first of two midnights where it repeats); another time of day is resolved by
 * {@link ZonedDateTime#of} (a time in a gap moves later by the gap, a time in an overlap takes the
 * earlier instant). Hourly: every instant whose local time is {@code hh:mm} for the given minute,
 * that is, once per occurrence of a local hour: an hour skipped by a gap gets none, an hour
 * repeated by an overlap gets two, an hour apart.
 */
final class CalendarRule {
    /*
     * Design notes.
     *
     * Search instead of arithmetic: each unit enumerates its candidate local dates (or hours)
     * from a little before the given instant and returns the first whose instant is after it.
     * Starting a day (or two hours) early covers a rotation instant that a gap pushed past the
     * end of its own date. The loops end within a few candidates: at most one candidate date is
     * skipped per DST transition.
     */

    enum Unit {
        HOURLY("hourly"), DAILY("daily"), WEEKLY("weekly"), MONTHLY("monthly"), YEARLY("yearly");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    final Unit unit;
    /** The local time of day; for HOURLY only its minute and second count. */
    final LocalTime at;
    /** WEEKLY only. */
    final DayOfWeek dayOfWeek;
    /** MONTHLY only: 1..31, clamped to the month's length. */
    final int dayOfMonth;
    /** YEARLY only; February 29 is February 28 in other years. */
    final MonthDay dayOfYear;

    private CalendarRule(Unit unit, LocalTime at, DayOfWeek dayOfWeek, int dayOfMonth, MonthDay dayOfYear) {
        this.unit = unit;
        this.at = at;
        this.dayOfWeek = dayOfWeek;
        this.dayOfMonth = dayOfMonth;
        this.dayOfYear = dayOfYear;
    }

    static CalendarRule hourly(int minute) {
        return new CalendarRule(Unit.HOURLY, LocalTime.of(0, minute), null, 0, null);
    }

    static CalendarRule daily(LocalTime at) {
        return new CalendarRule(Unit.DAILY, at, null, 0, null);
    }

    static CalendarRule weekly(DayOfWeek day, LocalTime at) {
        return new CalendarRule(Unit.WEEKLY, at, day, 0, null);
    }

    static CalendarRule monthly(int dayOfMonth, LocalTime at) {
        return new CalendarRule(Unit.MONTHLY, at, null, dayOfMonth, null);
    }

    static CalendarRule yearly(MonthDay day, LocalTime at) {
        return new CalendarRule(Unit.YEARLY, at, null, 0, day);
    }

    /** The first rotation instant strictly after {@code t} in {@code zone}. */
    Instant firstAfter(Instant t, ZoneId zone) {
        if (unit == Unit.HOURLY) {
            return hourAfter(t, zone);
        }
        LocalDate date = firstOnOrAfter(t.atZone(zone).toLocalDate().minusDays(1));
        for (;; date = next(date)) {
            if (exists(date, zone)) {
                Instant fire = fire(date, zone);
                if (fire.isAfter(t)) {
                    return fire;
                }
            }
        }
    }

    private Instant hourAfter(Instant t, ZoneId zone) {
        LocalDateTime hour = t.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.HOURS).minusHours(2);
        for (;; hour = hour.plusHours(1)) {
            LocalDateTime local = hour.withMinute(at.getMinute()).withSecond(at.getSecond());
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            Instant best = null;
            for (ZoneOffset offset : offsets) {
                Instant i = local.toInstant(offset);
                if (i.isAfter(t) && (best == null || i.isBefore(best))) {
                    best = i;
                }
            }
            if (best != null) {
                return best;
            }
        }
    }

    /** The first candidate date on or after {@code d}. */
    private LocalDate firstOnOrAfter(LocalDate d) {
        return switch (unit) {
            case DAILY -> d;
            case WEEKLY -> d.with(TemporalAdjusters.nextOrSame(dayOfWeek));
            case MONTHLY -> {
                LocalDate here = inMonth(YearMonth.from(d));
                yield here.isBefore(d) ? inMonth(YearMonth.from(d).plusMonths(1)) : here;
            }
            case YEARLY -> {
                LocalDate here = dayOfYear.atYear(d.getYear());
                yield here.isBefore(d) ? dayOfYear.atYear(d.getYear() + 1) : here;
            }
            case HOURLY -> throw new AssertionError("hourly has no dates");
        };
    }

    private LocalDate next(LocalDate candidate) {
        return switch (unit) {
            case DAILY -> candidate.plusDays(1);
            case WEEKLY -> candidate.plusWeeks(1);
            case MONTHLY -> inMonth(YearMonth.from(candidate).plusMonths(1));
            case YEARLY -> dayOfYear.atYear(candidate.getYear() + 1);
            case HOURLY -> throw new AssertionError("hourly has no dates");
        };
    }

    private LocalDate inMonth(YearMonth month) {
        return month.atDay(Math.min(dayOfMonth, month.lengthOfMonth()));
    }

    /** Whether any instant has {@code date} as its local date in {@code zone}. */
    static boolean exists(LocalDate date, ZoneId zone) {
        return date.atStartOfDay(zone).toLocalDate().equals(date);
    }

    private Instant fire(LocalDate date, ZoneId zone) {
        ZonedDateTime when = at.equals(LocalTime.MIDNIGHT) ? date.atStartOfDay(zone) : ZonedDateTime.of(date, at, zone);
        return when.toInstant();
    }

    /** "daily at 00:00", "weekly on SUNDAY at 02:00", "hourly at minute 05", ... */
    String describe() {
        return switch (unit) {
            case HOURLY -> "hourly at minute " + String.format("%02d", at.getMinute());
            case DAILY -> "daily at " + at;
            case WEEKLY -> "weekly on " + dayOfWeek + " at " + at;
            case MONTHLY -> "monthly on day " + dayOfMonth + " at " + at;
            case YEARLY -> "yearly on " + dayOfYear + " at " + at;
        };
    }
}
