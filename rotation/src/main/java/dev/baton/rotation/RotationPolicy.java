package dev.baton.rotation;

import dev.baton.core.Loop;
import dev.baton.core.LoopClock;
import dev.baton.core.Task;
import dev.baton.rotation.RotationEvent.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a file is rotated: every interval, daily, or by size. How it is rotated is
 * {@link Rotation#rotate(Path, int)}.
 *
 * <p>A policy is an immutable description; {@link #run()} is its coroutine body, which runs on the
 * current {@link Loop} until its task is cancelled, and {@link #start(Loop)} spawns it:
 * <pre>{@code
 * Loop loop = Loop.create();
 * RotationPolicy.every(Path.of("/tmp/file1"), 3, Duration.ofSeconds(30)).start(loop);
 * RotationPolicy.daily(Path.of("/tmp/file4"), 5).start(loop);
 * loop.runForever();
 * }</pre>
 *
 * <h2>Schedules</h2>
 * <ul>
 *   <li>{@link #every every N}: fixed rate. With {@code t0} the loop clock's monotonic time when
 *       {@code run()} starts, the k-th rotation is at {@code t0 + k*N}; the time a rotation (or
 *       the listener) takes is not added to the schedule. If an attempt ends after later slots
 *       have passed, those slots are skipped, not caught up (rotating several times in a row
 *       would only push out versions), and the schedule stays on the same grid.
 *   <li>{@link #daily(Path, int, ZoneId, LocalTime) daily}: once per local date that exists in
 *       the zone, at the first instant of that date (or at the given local time of day, resolved
 *       by {@link ZonedDateTime#of}: a time in a gap moves later by the gap's length, a time in an
 *       overlap takes the earlier instant). Where midnight is skipped that is 01:00; where it
 *       repeats, the first of the two; a date the zone skipped entirely (Pacific/Apia 2011-12-30)
 *       gets no rotation. Wall time is re-read after every wake, and no sleep is longer than one
 *       hour, so a wall-clock step is noticed within an hour: a step forward past the rotation
 *       time rotates once (not once per day passed), a step back does not rotate a date again.
 *       The first rotation is at the first such instant strictly after {@code run()} starts.
 *   <li>{@link #bySize by size}: every M (fixed rate, as above) the file's size is read; if it
 *       is larger than N bytes it is rotated. A missing file is normal: nothing is logged or
 *       reported.
 * </ul>
 * Time is read only from the loop's clock ({@code Loop.current().clock()}), so the same policy
 * runs on real time and, in tests, on a {@code VirtualClock}.
 *
 * <h2>Failures</h2>
 * Only failures are logged; every attempt, successful or not, goes to the
 * {@linkplain #withListener listener}. A rotation that fails (permission denied, disk full, a refused symbolic link or directory) is
 * logged through SLF4J at WARN with the path, the policy and the cause on one line, once per
 * attempt (the stack trace at DEBUG), reported to the
 * listener as {@link Outcome#FAILED}, and the policy keeps its schedule. It never ends the
 * policy's task, nor affects other coroutines of the loop. Only cancellation ends it.
 *
 * <h2>Threads</h2>
 * Instances are immutable and safe to share. {@link #run()} must run on a coroutine of a loop. Each
 * rotation attempt runs between two suspension points, so a cancel never leaves it half done. The
 * {@linkplain #withListener listener} is called on the policy's coroutine (see
 * {@link RotationListener}).
 */
public final class RotationPolicy {
    /*
     * Design notes.
     *
     * One class, three kinds: the kinds share everything but the schedule (attempt(), reporting,
     * logging, the factories' checks), and the demo and docs want one type to list in a table.
     * The schedule is a switch in run().
     *
     * Fixed rate: deadlines are computed from the monotonic start and the slot number, never from
     * "now + N", so neither the rotation's own time nor a late wake accumulates. Durations are
     * kept as java.time.Duration so that enormous intervals do not overflow a long of nanos: the
     * first sleep is then "forever" (Loop.sleep's rule), and slot 2 is never computed.
     *
     * Daily: the wall clock can step, the monotonic one cannot, so the policy sleeps on the
     * monotonic clock (Loop.sleep) towards a wall-clock target, at most MAX_DAILY_SLEEP at a time,
     * and decides after each wake by re-reading the wall clock. Its only state is `due`, the next
     * local date to rotate: it only moves forwards, which is why a step back cannot rotate a date
     * twice; and it is chosen as the first existing date after the last one whose start is
     * strictly after the attempt, which is why a step forward rotates once.
     * For midnight it uses atStartOfDay (the first instant of the date, also when a gap does not
     * start at midnight); for another time of day ZonedDateTime.of, as documented.
     */

    private static final Logger LOG = LoggerFactory.getLogger(RotationPolicy.class);

    /** The longest single sleep of a daily policy: how soon a wall-clock step is noticed. */
    static final Duration MAX_DAILY_SLEEP = Duration.ofHours(1);

    /** Longer than any loop can wait: Loop.sleep waits "forever". */
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private enum Kind {
        INTERVAL("interval"), DAILY("daily"), SIZE("size");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final Path path;
    private final int keep;
    /** INTERVAL: the period; SIZE: the check period; DAILY: null. */
    private final Duration period;
    /** DAILY: the zone, or null for the loop clock's zone. */
    private final ZoneId zone;
    /** DAILY: the local time of day; null for the other kinds. */
    private final LocalTime at;
    /** SIZE: rotate when the file is larger than this; 0 for the other kinds. */
    private final long maxBytes;
    /** Null for none. */
    private final RotationListener listener;
    /** DAILY: the longest single sleep; MAX_DAILY_SLEEP except in tests. */
    private final Duration maxSleep;

    private RotationPolicy(Kind kind, Path path, int keep, Duration period, ZoneId zone, LocalTime at,
                           long maxBytes, RotationListener listener, Duration maxSleep) {
        this.kind = kind;
        this.path = path;
        this.keep = keep;
        this.period = period;
        this.zone = zone;
        this.at = at;
        this.maxBytes = maxBytes;
        this.listener = listener;
        this.maxSleep = maxSleep;
    }

    /**
     * Rotates {@code path} every {@code interval}, on a fixed-rate schedule (see the class
     * documentation), keeping {@code keep} old versions. The original's
     * {@code rotate_by_interval}.
     *
     * @param path the file to rotate
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), at least 1
     * @param interval the period, positive
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} or {@code interval} is null
     * @throws IllegalArgumentException if {@code keep < 1} or {@code interval} is not positive
     */
    public static RotationPolicy every(Path path, int keep, Duration interval) {
        checkPath(path);
        Rotation.checkKeep(keep);
        checkPositive(interval, "interval");
        return new RotationPolicy(Kind.INTERVAL, path, keep, interval, null, null, 0, null, null);
    }

    /**
     * Rotates {@code path} at the start of every local day in the loop clock's zone, keeping
     * {@code keep} old versions. Same as {@code daily(path, keep, null, LocalTime.MIDNIGHT)}.
     *
     * @param path the file to rotate
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), at least 1
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code keep < 1}
     */
    public static RotationPolicy daily(Path path, int keep) {
        return daily(path, keep, null, LocalTime.MIDNIGHT);
    }

    /**
     * Rotates {@code path} once per local date in {@code zone}, at {@code at} (see the class
     * documentation for days with DST changes), keeping {@code keep} old versions.
     *
     * @param path the file to rotate
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), at least 1
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param at the local time of day; {@link LocalTime#MIDNIGHT} for the start of the day
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} or {@code at} is null
     * @throws IllegalArgumentException if {@code keep < 1}
     */
    public static RotationPolicy daily(Path path, int keep, ZoneId zoneOrNull, LocalTime at) {
        checkPath(path);
        Rotation.checkKeep(keep);
        Objects.requireNonNull(at, "at must not be null (use LocalTime.MIDNIGHT for the start of the day)");
        return new RotationPolicy(Kind.DAILY, path, keep, null, zoneOrNull, at, 0, null, MAX_DAILY_SLEEP);
    }

    /**
     * Every {@code checkEvery} (fixed rate), rotates {@code path} if it is larger than
     * {@code maxBytes} bytes, keeping {@code keep} old versions. A file of exactly
     * {@code maxBytes} is not rotated; a missing file is skipped silently. The original's
     * {@code rotate_by_size}.
     *
     * @param path the file to rotate
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), at least 1
     * @param maxBytes the size a file must exceed to be rotated, positive
     * @param checkEvery the period of the checks, positive
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} or {@code checkEvery} is null
     * @throws IllegalArgumentException if {@code keep < 1}, {@code maxBytes < 1} or
     *     {@code checkEvery} is not positive
     */
    public static RotationPolicy bySize(Path path, int keep, long maxBytes, Duration checkEvery) {
        checkPath(path);
        Rotation.checkKeep(keep);
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        checkPositive(checkEvery, "checkEvery");
        return new RotationPolicy(Kind.SIZE, path, keep, checkEvery, null, null, maxBytes, null, null);
    }

    /**
     * A copy of this policy that reports every rotation attempt to {@code listener} (instead of
     * this policy's listener, if any). This policy is unchanged.
     *
     * @param listener told of every rotation attempt
     * @return the copy
     * @throws NullPointerException if {@code listener} is null
     */
    public RotationPolicy withListener(RotationListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        return new RotationPolicy(kind, path, keep, period, zone, at, maxBytes, listener, maxSleep);
    }

    /** A copy whose daily schedule sleeps at most {@code maxSleep} at a time. For tests. */
    RotationPolicy withMaxDailySleep(Duration maxSleep) {
        checkPositive(maxSleep, "maxSleep");
        return new RotationPolicy(kind, path, keep, period, zone, at, maxBytes, listener, maxSleep);
    }

    /**
     * The file this policy rotates.
     *
     * @return the path given to the factory
     */
    public Path path() {
        return path;
    }

    /**
     * How many old versions are kept.
     *
     * @return {@code keep}, at least 1
     */
    public int keep() {
        return keep;
    }

    /**
     * The kind of schedule; also {@link RotationEvent#policy()}.
     *
     * @return {@code "interval"}, {@code "daily"} or {@code "size"}
     */
    public String kind() {
        return kind.label;
    }

    /**
     * The schedule in words, for logs and tables: {@code "every 30s, keep 3"},
     * {@code "daily at 00:00 (loop zone), keep 5"}, {@code "daily at 02:30 Europe/London, keep 5"},
     * {@code "over 1024 bytes, checked every 1m, keep 3"}.
     *
     * @return the description
     */
    public String describe() {
        return switch (kind) {
            case INTERVAL -> "every " + words(period) + ", keep " + keep;
            case DAILY -> "daily at " + at + " " + (zone == null ? "(loop zone)" : zone.getId()) + ", keep " + keep;
            case SIZE -> "over " + maxBytes + " bytes, checked every " + words(period) + ", keep " + keep;
        };
    }

    /**
     * Spawns {@link #run()} on {@code loop} as a coroutine named {@code kind() + ":" + path()}.
     * Stop it with {@link Task#cancel()}. Same thread rules as {@link Loop#spawn}.
     *
     * @param loop the loop to run on
     * @return the policy's task; it runs until cancelled
     */
    public Task<Void> start(Loop loop) {
        Objects.requireNonNull(loop, "loop must not be null");
        return loop.spawn(kind.label + ":" + path, this::run);
    }

    /**
     * The coroutine body: follows this policy's schedule on the current loop until cancelled.
     * It never returns normally and never fails because of a rotation.
     *
     * @throws CancellationException when its task is cancelled (at a suspension point, never in
     *     the middle of a rotation)
     * @throws IllegalStateException if not called on a coroutine of a loop
     */
    public void run() {
        LoopClock clock = Loop.current().clock();
        List<Path> versions = Rotation.versions(path, keep);
        switch (kind) {
            case INTERVAL -> runFixedRate(clock, () -> attempt(clock, versions));
            case SIZE -> runFixedRate(clock, () -> checkSize(clock, versions));
            case DAILY -> runDaily(clock, versions);
        }
    }

    @Override
    public String toString() {
        return "RotationPolicy[" + kind.label + " " + path + ": " + describe() + "]";
    }

    // ---------------------------------------------------------------------------------------
    // Schedules

    /** Runs {@code turn} at start + k*period for k = 1, 2, ..., skipping slots already past. */
    private void runFixedRate(LoopClock clock, Runnable turn) {
        long start = clock.nanoTime();
        long slot = 1;
        for (;;) {
            Duration wait;
            try {
                wait = period.multipliedBy(slot).minus(Duration.ofNanos(clock.nanoTime() - start));
            } catch (ArithmeticException beyondDuration) {
                wait = FOREVER;
            }
            Loop.sleep(wait.isNegative() ? Duration.ZERO : wait);
            turn.run();
            slot = Math.max(slot + 1, firstSlotNotBefore(clock.nanoTime() - start));
        }
    }

    /** The smallest k with k * period >= elapsedNanos (which is not negative). */
    private long firstSlotNotBefore(long elapsedNanos) {
        // In longs: Duration.dividedBy(Duration) divides BigDecimals, and this runs after every
        // attempt. A period too long for a long of nanos (292 years) is longer than any elapsed.
        long periodNanos;
        try {
            periodNanos = period.toNanos();
        } catch (ArithmeticException beyondLong) {
            return elapsedNanos == 0 ? 0 : 1;
        }
        long k = elapsedNanos / periodNanos;
        return elapsedNanos % periodNanos == 0 ? k : k + 1;
    }

    private void runDaily(LoopClock clock, List<Path> versions) {
        ZoneId z = zone != null ? zone : clock.zone();
        LocalDate due = nextDue(null, clock.instant(), z);
        Instant target = fireInstant(due, z);
        for (;;) {
            Instant now = clock.instant();
            if (now.isBefore(target)) {
                Duration left = Duration.between(now, target);
                Loop.sleep(left.compareTo(maxSleep) < 0 ? left : maxSleep);
                continue;
            }
            Instant attempted = attempt(clock, versions);
            due = nextDue(due, attempted, z);
            target = fireInstant(due, z);
        }
    }

    /**
     * The first local date after {@code after} (any date if null) that exists in {@code z} and
     * whose rotation instant is strictly after {@code now}.
     */
    private LocalDate nextDue(LocalDate after, Instant now, ZoneId z) {
        // A date's rotation instant is on that date or, pushed by a gap, just after it; so no date
        // before yesterday can still be due.
        LocalDate date = now.atZone(z).toLocalDate().minusDays(1);
        if (after != null && !date.isAfter(after)) {
            date = after.plusDays(1);
        }
        for (;; date = date.plusDays(1)) {
            if (exists(date, z) && fireInstant(date, z).isAfter(now)) {
                return date;
            }
        }
    }

    /** Whether any instant has {@code date} as its local date in {@code z}. */
    private static boolean exists(LocalDate date, ZoneId z) {
        return date.atStartOfDay(z).toLocalDate().equals(date);
    }

    /** When {@code date}'s rotation is due in {@code z}. */
    private Instant fireInstant(LocalDate date, ZoneId z) {
        ZonedDateTime when = at.equals(LocalTime.MIDNIGHT) ? date.atStartOfDay(z) : ZonedDateTime.of(date, at, z);
        return when.toInstant();
    }

    // ---------------------------------------------------------------------------------------
    // Attempts

    private void checkSize(LoopClock clock, List<Path> versions) {
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile() && attributes.size() <= maxBytes) {
                return;
            }
            // Not a regular file: attempt() refuses it, and logs and reports that.
        } catch (NoSuchFileException missing) {
            return;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            fail(clock.instant(), e);
            return;
        }
        attempt(clock, versions);
    }

    /**
     * One rotation attempt, logged and reported; returns the wall-clock instant it was made at.
     * {@code versions} are {@link Rotation#versions}{@code (path, keep)}.
     */
    private Instant attempt(LoopClock clock, List<Path> versions) {
        Instant now = clock.instant();
        boolean rotated;
        try {
            rotated = Rotation.rotateIfPresent(path, versions);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            fail(now, e);
            return now;
        }
        // Successes are not logged: the listener reports them, and a daily policy in a test can
        // run for decades of virtual time.
        report(new RotationEvent(now, path, kind.label, rotated ? Outcome.ROTATED : Outcome.SKIPPED_MISSING, null));
        return now;
    }

    private void fail(Instant now, Exception cause) {
        // One line per failed attempt; the stack trace only at DEBUG: a policy that keeps failing
        // (a directory where the file should be) would otherwise print one on every attempt.
        LOG.warn("Could not rotate {} ({}, {}): {}", path, kind.label, describe(), cause.toString());
        LOG.debug("Could not rotate {}: stack trace", path, cause);
        report(new RotationEvent(now, path, kind.label, Outcome.FAILED, cause));
    }

    private void report(RotationEvent event) {
        if (listener == null) {
            return;
        }
        try {
            listener.onRotation(event);
        } catch (CancellationException cancelled) {
            throw cancelled;
        } catch (RuntimeException e) {
            LOG.warn("Rotation listener failed for {} ({}): {}", path, kind.label, e.toString(), e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Arguments and words

    private static void checkPath(Path path) {
        Objects.requireNonNull(path, "path must not be null");
    }

    private static void checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** {@code PT1M30S} as {@code 1m30s}. */
    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
