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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a file is rotated: every interval, hourly, daily, weekly, monthly, yearly, or by size. How
 * it is rotated is {@link Rotation#rotate(Path, RotationOptions)} with this policy's
 * {@link RotationOptions}.
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
 *       would only push out versions), and the schedule stays on the same grid. With a
 *       {@linkplain #withState state file}, the first slot is {@code last + N} instead (at once if
 *       that has passed).
 *   <li>Calendar ({@link #hourly}, {@link #daily(Path, RotationOptions, ZoneId, LocalTime) daily},
 *       {@link #weekly}, {@link #monthly}, {@link #yearly}): at each instant of the calendar rule
 *       in the zone. For dates: once per local date of the rule that exists in the zone, at the
 *       first instant of that date (or at the given local time of day, resolved by
 *       {@link ZonedDateTime#of}: a time in a gap moves later by the gap's length, a time in an
 *       overlap takes the earlier instant). Where midnight is skipped that is 01:00; where it
 *       repeats, the first of the two; a date the zone skipped entirely (Pacific/Apia 2011-12-30)
 *       gets no rotation. Hourly: at the given minute of each occurrence of a local hour. Wall
 *       time is re-read after every wake, and no sleep is longer than one hour, so a wall-clock
 *       step is noticed within an hour: a step forward past a rotation instant rotates once (not
 *       once per instant passed), a step back does not rotate an instant again. Without a state
 *       file the first rotation is at the first instant strictly after {@code run()} starts.
 *   <li>{@link #bySize by size}: every M (fixed rate, as above; with a state file also when
 *       {@code run()} starts) the file's size is read; if it is larger than N bytes it is rotated. A missing
 *       file is normal: nothing is logged or reported.
 * </ul>
 * With {@link RotationOptions#maxSize()}, the interval and calendar policies also read the file's
 * size every {@linkplain #withSizeCheckEvery size check period} (one minute by default) and rotate
 * it when larger (logrotate's {@code maxsize}: "daily, or sooner when over N"); their own
 * schedule is unchanged by it. {@link RotationOptions#minSize()} makes their scheduled rotations
 * skip a smaller file ({@link Outcome#SKIPPED_SMALL}).
 *
 * <h2>State across restarts</h2>
 * {@link #withState(Path)} records each rotation's instant in a state file. A policy started
 * after an instant it should have rotated at (it was down across midnight, two midnights, a
 * week) rotates once at start, not once per instant missed; one started right after a rotation
 * does not rotate again. An interval policy starts its grid at {@code last + N}; a size policy
 * checks at once instead of after its first period. A file with no
 * entry yet gets one at start (like logrotate, which records a file the first time it sees it).
 * Every policy first finishes an interrupted rotation of its file (see {@link Rotation}), and a
 * finished one is recorded as a rotation.
 *
 * <p>Time is read only from the loop's clock ({@code Loop.current().clock()}), so the same policy
 * runs on real time and, in tests, on a {@code VirtualClock}.
 *
 * <h2>Failures</h2>
 * Only failures are logged; every attempt, successful or not, goes to the
 * {@linkplain #withListener listener}. A rotation that fails (permission denied, disk full, a
 * refused symbolic link or directory) is logged through SLF4J at WARN with the path, the policy
 * and the cause on one line, once per attempt (the stack trace at DEBUG), reported to the
 * listener as {@link Outcome#FAILED}, and the policy keeps its schedule. It never ends the
 * policy's task, nor affects other coroutines of the loop. Only cancellation ends it.
 *
 * <h2>Threads</h2>
 * Instances are immutable and safe to share. {@link #run()} must run on a coroutine of a loop.
 * The renames of a rotation run between two suspension points; copying, scripts and compression
 * run on another thread while the policy's coroutine waits, so other coroutines keep their
 * schedule. A cancel while it waits ends the policy after that work is done or abandoned; a
 * rotation left unfinished that way is finished by the next start (see {@link Rotation}). The
 * {@linkplain #withListener listener} is called on the policy's coroutine (see
 * {@link RotationListener}).
 */
public final class RotationPolicy {
    /*
     * Design notes.
     *
     * One class, several kinds: the kinds share everything but the schedule (attempt(),
     * reporting, logging, state, the factories' checks), and the demo and docs want one type to
     * list in a table. The schedule is a switch in run(); the calendar arithmetic is CalendarRule.
     *
     * Fixed rate: the interval and size schedules and the maxsize checks are each a FixedRate
     * grid, one implementation of the slot arithmetic and its overflow rules.
     *
     * Calendar: the wall clock can step, the monotonic one cannot, so the policy sleeps on the
     * monotonic clock (Loop.sleep) towards a wall-clock target, at most maxSleep at a time, and
     * decides after each wake by re-reading the wall clock. Its only state is `target`, the
     * next rotation instant: it only moves forwards (the next one is the rule's first instant
     * after both the attempt and the old target), which is why a step back cannot rotate an
     * instant twice and a step forward rotates once.
     *
     * maxsize checks run in the same coroutine as the schedule, never in a second one: two
     * coroutines rotating one file could interleave at the suspension points of a rotation
     * (scripts, compression).
     */

    private static final Logger LOG = LoggerFactory.getLogger(RotationPolicy.class);

    /** The longest single sleep of a calendar policy: how soon a wall-clock step is noticed. */
    static final Duration MAX_DAILY_SLEEP = Duration.ofHours(1);

    /** How often interval and calendar policies read the size for {@code maxsize}, by default. */
    public static final Duration DEFAULT_SIZE_CHECK = Duration.ofMinutes(1);

    /** The kind's name, as users see it (kind(), events, logs, the task's name); never compared. */
    private final String kind;
    private final Path path;
    private final RotationOptions options;
    /** INTERVAL: the period; SIZE: the check period; calendar kinds: null. */
    private final Duration period;
    /** Calendar kinds: the rule; null for the others. */
    private final CalendarRule rule;
    /** Calendar kinds: the zone, or null for the loop clock's zone. */
    private final ZoneId zone;
    /** SIZE: rotate when the file is larger than this, positive; 0 for the other kinds (see isSize). */
    private final long maxBytes;
    /** Null for none. */
    private final RotationListener listener;
    /** Calendar kinds: the longest single sleep; MAX_DAILY_SLEEP except in tests. */
    private final Duration maxSleep;
    /** The state file, or null for none. */
    private final Path state;
    /** How often maxsize is checked by the time-triggered kinds. */
    private final Duration sizeCheck;

    private RotationPolicy(String kind, Path path, RotationOptions options, Duration period, CalendarRule rule,
                           ZoneId zone, long maxBytes, RotationListener listener, Duration maxSleep, Path state,
                           Duration sizeCheck) {
        this.kind = kind;
        this.path = path;
        this.options = options;
        this.period = period;
        this.rule = rule;
        this.zone = zone;
        this.maxBytes = maxBytes;
        this.listener = listener;
        this.maxSleep = maxSleep;
        this.state = state;
        this.sizeCheck = sizeCheck;
    }

    private static RotationPolicy calendar(Path path, RotationOptions options, ZoneId zoneOrNull, CalendarRule rule) {
        checkPath(path);
        Objects.requireNonNull(options, "options must not be null");
        return new RotationPolicy(rule.unit.label, path, options, null, rule, zoneOrNull, 0, null, MAX_DAILY_SLEEP, null,
                DEFAULT_SIZE_CHECK);
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
     * @throws IllegalArgumentException if {@code keep} is out of range or {@code interval} is not positive
     */
    public static RotationPolicy every(Path path, int keep, Duration interval) {
        checkPath(path);
        return every(path, RotationOptions.keep(keep), interval);
    }

    /**
     * {@link #every(Path, int, Duration)} with full options: rotates {@code path} every
     * {@code interval}, on a fixed-rate schedule (see the class documentation).
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param interval the period, positive
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options} or {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static RotationPolicy every(Path path, RotationOptions options, Duration interval) {
        checkPath(path);
        Objects.requireNonNull(options, "options must not be null");
        RotationOptions.checkPositive(interval, "interval");
        return new RotationPolicy("interval", path, options, interval, null, null, 0, null, null, null, DEFAULT_SIZE_CHECK);
    }

    /**
     * Rotates {@code path} at the start of every local day in the loop clock's zone, keeping
     * {@code keep} old versions. Same as {@code daily(path, keep, null, LocalTime.MIDNIGHT)}.
     *
     * @param path the file to rotate
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), at least 1
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code keep} is out of range
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
     * @throws IllegalArgumentException if {@code keep} is out of range
     */
    public static RotationPolicy daily(Path path, int keep, ZoneId zoneOrNull, LocalTime at) {
        checkPath(path);
        return daily(path, RotationOptions.keep(keep), zoneOrNull, at);
    }

    /**
     * {@link #daily(Path, int, ZoneId, LocalTime)} with full options: rotates {@code path} once
     * per local date in the zone, at {@code at} (see the class documentation for days with DST
     * changes).
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param at the local time of day; {@link LocalTime#MIDNIGHT} for the start of the day
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options} or {@code at} is null
     */
    public static RotationPolicy daily(Path path, RotationOptions options, ZoneId zoneOrNull, LocalTime at) {
        return calendar(path, options, zoneOrNull, CalendarRule.daily(checkAt(at)));
    }

    /**
     * Rotates {@code path} at minute {@code minute} of every local hour in {@code zone} (an hour
     * repeated by a fall-back rotates twice, an hour apart; an hour skipped does not rotate).
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param minute the minute of the hour, 0..59
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path} or {@code options} is null
     * @throws IllegalArgumentException if {@code minute} is not 0..59
     */
    public static RotationPolicy hourly(Path path, RotationOptions options, ZoneId zoneOrNull, int minute) {
        if (minute < 0 || minute > 59) {
            throw new IllegalArgumentException("minute must be 0..59, was " + minute);
        }
        return calendar(path, options, zoneOrNull, CalendarRule.hourly(minute));
    }

    /**
     * Rotates {@code path} every {@code day} of the week at {@code at} in {@code zone}, as daily
     * does.
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param day the day of the week
     * @param at the local time of day; {@link LocalTime#MIDNIGHT} for the start of the day
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options}, {@code day} or {@code at}
     *     is null
     */
    public static RotationPolicy weekly(Path path, RotationOptions options, ZoneId zoneOrNull, DayOfWeek day, LocalTime at) {
        Objects.requireNonNull(day, "day must not be null");
        return calendar(path, options, zoneOrNull, CalendarRule.weekly(day, checkAt(at)));
    }

    /**
     * Rotates {@code path} on day {@code dayOfMonth} of every month at {@code at} in {@code zone}
     * (on the month's last day if it is shorter), as daily does.
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param dayOfMonth the day of the month, 1..31
     * @param at the local time of day; {@link LocalTime#MIDNIGHT} for the start of the day
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options} or {@code at} is null
     * @throws IllegalArgumentException if {@code dayOfMonth} is not 1..31
     */
    public static RotationPolicy monthly(Path path, RotationOptions options, ZoneId zoneOrNull, int dayOfMonth, LocalTime at) {
        if (dayOfMonth < 1 || dayOfMonth > 31) {
            throw new IllegalArgumentException("dayOfMonth must be 1..31, was " + dayOfMonth);
        }
        return calendar(path, options, zoneOrNull, CalendarRule.monthly(dayOfMonth, checkAt(at)));
    }

    /**
     * Rotates {@code path} every year on {@code day} at {@code at} in {@code zone} (February 29:
     * the 28th in other years), as daily does.
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param zoneOrNull the zone of the calendar, or null for the loop clock's zone (read when
     *     {@link #run()} starts)
     * @param day the month and day of the year
     * @param at the local time of day; {@link LocalTime#MIDNIGHT} for the start of the day
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options}, {@code day} or {@code at}
     *     is null
     */
    public static RotationPolicy yearly(Path path, RotationOptions options, ZoneId zoneOrNull, MonthDay day, LocalTime at) {
        Objects.requireNonNull(day, "day must not be null");
        return calendar(path, options, zoneOrNull, CalendarRule.yearly(day, checkAt(at)));
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
     * @throws IllegalArgumentException if {@code keep} is out of range, {@code maxBytes < 1} or
     *     {@code checkEvery} is not positive
     */
    public static RotationPolicy bySize(Path path, int keep, long maxBytes, Duration checkEvery) {
        checkPath(path);
        return bySize(path, RotationOptions.keep(keep), maxBytes, checkEvery);
    }

    /**
     * {@link #bySize(Path, int, long, Duration)} with full options: every {@code checkEvery}
     * (fixed rate), rotates {@code path} if it is larger than {@code maxBytes} bytes.
     * {@link RotationOptions#minSize()} and {@link RotationOptions#maxSize()} do not apply to it.
     *
     * @param path the file to rotate
     * @param options how each rotation is done; {@link RotationOptions#keep()} old versions are kept
     * @param maxBytes the size a file must exceed to be rotated, positive
     * @param checkEvery the period of the checks, positive
     * @return the policy; {@link #start(Loop)} runs it
     * @throws NullPointerException if {@code path}, {@code options} or {@code checkEvery} is null
     * @throws IllegalArgumentException if {@code maxBytes < 1} or {@code checkEvery} is not
     *     positive
     */
    public static RotationPolicy bySize(Path path, RotationOptions options, long maxBytes, Duration checkEvery) {
        checkPath(path);
        Objects.requireNonNull(options, "options must not be null");
        RotationOptions.checkPositive(maxBytes, "maxBytes");
        RotationOptions.checkPositive(checkEvery, "checkEvery");
        return new RotationPolicy("size", path, options, checkEvery, null, null, maxBytes, null, null, null, DEFAULT_SIZE_CHECK);
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
        return new RotationPolicy(kind, path, options, period, rule, zone, maxBytes, listener, maxSleep, state, sizeCheck);
    }

    /**
     * What is wrong with {@code stateFile} if it cannot be read as a state file (another program
     * wrote over it), or null if it can, is empty, or does not exist. A policy given such a file
     * by {@link #withState} starts as if nothing were recorded and, at its first record, keeps the
     * file aside under the first free name of {@code <state>.unreadable}, {@code .unreadable.1},
     * ... (returned by {@link #unreadableStateAside}) and starts a new one. Reads only; may be
     * called from any thread.
     *
     * @param stateFile the state file
     * @return what is wrong, as "line N: expected ...", or null
     * @throws IOException if the file cannot be read at all (its permissions, a symbolic link)
     */
    public static String unreadableStateProblem(Path stateFile) throws IOException {
        try {
            StateFile.read(stateFile);
            return null;
        } catch (StateFile.Unreadable unreadable) {
            return unreadable.detail;
        }
    }

    /**
     * Where an unreadable {@code stateFile} would be kept aside now: the first of
     * {@code <state>.unreadable}, {@code .unreadable.1}, ... that does not exist. Reads only.
     *
     * @param stateFile the state file
     * @return the name it would be kept under
     */
    public static Path unreadableStateAside(Path stateFile) {
        for (int n = 0; ; n++) {
            Path aside = StateFile.asideName(stateFile, n);
            if (!Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                return aside;
            }
        }
    }

    /**
     * A copy of this policy that keeps its last rotation in {@code stateFile} (see the class
     * documentation). Several policies of one loop may share a state file. This policy is
     * unchanged.
     *
     * @param stateFile the file recording each rotation's instant, created when first written
     *     (its folder must exist); replaces this policy's state file, if any
     * @return the copy
     * @throws NullPointerException if {@code stateFile} is null
     */
    public RotationPolicy withState(Path stateFile) {
        Objects.requireNonNull(stateFile, "stateFile must not be null");
        return new RotationPolicy(kind, path, options, period, rule, zone, maxBytes, listener, maxSleep, stateFile, sizeCheck);
    }

    /**
     * A copy of this policy that checks {@link RotationOptions#maxSize()} every {@code every}
     * (default {@link #DEFAULT_SIZE_CHECK}). No effect without {@code maxSize} or on a size policy.
     * This policy is unchanged.
     *
     * @param every the period of the {@code maxsize} checks, positive; they run on a fixed-rate
     *     grid of their own, independent of the policy's schedule
     * @return the copy
     * @throws NullPointerException if {@code every} is null
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    public RotationPolicy withSizeCheckEvery(Duration every) {
        RotationOptions.checkPositive(every, "sizeCheckEvery");
        return new RotationPolicy(kind, path, options, period, rule, zone, maxBytes, listener, maxSleep, state, every);
    }

    /** A copy whose calendar schedule sleeps at most {@code maxSleep} at a time. For tests. */
    RotationPolicy withMaxDailySleep(Duration maxSleep) {
        RotationOptions.checkPositive(maxSleep, "maxSleep");
        return new RotationPolicy(kind, path, options, period, rule, zone, maxBytes, listener, maxSleep, state, sizeCheck);
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
        return options.keep();
    }

    /**
     * How each rotation is done.
     *
     * @return the options this policy rotates with
     */
    public RotationOptions options() {
        return options;
    }

    /**
     * The kind of schedule; also {@link RotationEvent#policy()}.
     *
     * @return {@code "interval"}, {@code "hourly"}, {@code "daily"}, {@code "weekly"},
     *     {@code "monthly"}, {@code "yearly"} or {@code "size"}
     */
    public String kind() {
        return kind;
    }

    /**
     * The schedule in words, for logs and tables: {@code "every 30s, keep 3"},
     * {@code "daily at 00:00 (loop zone), keep 5"}, {@code "daily at 02:30 Europe/London, keep 5"},
     * {@code "over 1024 bytes, checked every 1m, keep 3"}.
     *
     * @return the description
     */
    public String describe() {
        String when;
        if (rule != null) {
            when = rule.describe() + " " + (zone == null ? "(loop zone)" : zone.getId());
        } else if (isSize()) {
            when = "over " + maxBytes + " bytes, checked every " + words(period);
        } else {
            when = "every " + words(period);
        }
        return when + ", " + options;
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
        return loop.spawn(kind + ":" + path, this::run);
    }

    /**
     * The coroutine body: follows this policy's schedule on the current loop until cancelled.
     * It never returns normally and never fails because of a rotation.
     *
     * @throws CancellationException when its task is cancelled (at a suspension point, never in
     *     the middle of a rename)
     * @throws IllegalStateException if not called on a coroutine of a loop
     */
    public void run() {
        LoopClock clock = Loop.current().clock();
        recoverAtStart(clock);
        Instant last = lastRotation(clock);
        if (rule != null) {
            runCalendar(clock, last);
        } else if (isSize()) {
            // With a state file (a daemon that restarts) the size is checked at once; without
            // one, at the first period, as the original's rotate_by_size does.
            runFixedRate(clock, state != null ? Duration.ZERO : period, true);
        } else {
            Duration first = period;
            if (last != null) {
                Duration left = Duration.between(clock.instant(), last.plus(period));
                first = left.isNegative() ? Duration.ZERO : left;
            }
            runFixedRate(clock, first, false);
        }
    }

    /** Whether this is a size policy ({@link #bySize}): the only kind with a positive maxBytes. */
    private boolean isSize() {
        return maxBytes > 0;
    }

    @Override
    public String toString() {
        return "RotationPolicy[" + kind + " " + path + ": " + describe() + "]";
    }

    // ---------------------------------------------------------------------------------------
    // Start

    private void recoverAtStart(LoopClock clock) {
        Instant now = clock.instant();
        try {
            Rotator rotator = new Rotator(path, options, now, false, true, true);
            if (rotator.recover()) {
                report(rotated(now, rotator, record(now)));
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            fail(now, e);
        }
    }

    /** The recorded last rotation, or null; records "now" for a file seen for the first time. */
    private Instant lastRotation(LoopClock clock) {
        if (state == null) {
            return null;
        }
        Instant now = clock.instant();
        try {
            Instant last;
            try {
                last = StateFile.lastRotation(state, path);
            } catch (StateFile.Unreadable unreadable) {
                last = null; // as for a file seen for the first time; the record below keeps the file aside
                LOG.warn("Could not read the state file {} for {} ({}); starting without it: {}", state, path, kind,
                        unreadable.getMessage());
            }
            if (last == null) {
                record(now);
            }
            return last;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.warn("Could not read or write the state file {} for {} ({}); starting without it: {}", state, path, kind,
                    e.toString());
            return null;
        }
    }

    /** Records a rotation (or a first sighting) in the state file; returns why that failed (logged), or null. */
    private Exception record(Instant when) {
        if (state == null) {
            return null;
        }
        try {
            Path kept = StateFile.record(state, path, when);
            if (kept != null) {
                LOG.warn("The state file {} could not be read, so it was renamed to {} (kept, for a look) and a new one"
                        + " started with {}", state, kept.getFileName(), path);
            }
            return null;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.warn("Could not record the rotation of {} in the state file {}: {}", path, state, e.toString());
            return new IOException("the rotation stands, but could not be recorded in the state file " + state
                    + " (a restart may rotate again): " + e, e);
        }
    }

    /** The event of a rotation made: with the failure of a step after it (postrotate, compression, the state record), if any. */
    private RotationEvent rotated(Instant now, Rotator rotator, Exception recordFailure) {
        Exception error = rotator.afterFailure();
        if (error == null) {
            error = recordFailure;
        } else if (recordFailure != null) {
            error.addSuppressed(recordFailure);
        }
        return new RotationEvent(now, path, kind, Outcome.ROTATED, error);
    }

    // ---------------------------------------------------------------------------------------
    // Schedules

    /**
     * Runs a turn at start + first + k*period for k = 0, 1, ..., skipping slots already past;
     * a turn rotates ({@code sizeOnly}: if over maxBytes). Also checks maxsize in between.
     */
    private void runFixedRate(LoopClock clock, Duration first, boolean sizeOnly) {
        FixedRate grid = new FixedRate(clock, first, period);
        SizeCheck sizes = sizeOnly ? null : sizeCheck(clock);
        for (;;) {
            Duration wait = grid.untilNext();
            if (sizes != null && !wait.isNegative() && !wait.isZero()) {
                Duration untilCheck = sizes.untilNext();
                if (untilCheck.compareTo(wait) < 0) {
                    Loop.sleep(untilCheck);
                    sizes.check();
                    continue;
                }
            }
            Loop.sleep(wait.isNegative() ? Duration.ZERO : wait);
            if (sizeOnly) {
                checkSize(clock, maxBytes);
            } else {
                attempt(clock, true);
            }
            grid.advance();
        }
    }

    private void runCalendar(LoopClock clock, Instant last) {
        ZoneId z = zone != null ? zone : clock.zone();
        Instant target = rule.firstAfter(last != null ? last : clock.instant(), z);
        SizeCheck sizes = sizeCheck(clock);
        for (;;) {
            Instant now = clock.instant();
            if (now.isBefore(target)) {
                Duration left = Duration.between(now, target);
                Duration sleep = left.compareTo(maxSleep) < 0 ? left : maxSleep;
                Duration untilCheck = sizes == null ? null : sizes.untilNext();
                if (untilCheck != null && untilCheck.compareTo(sleep) < 0) {
                    Loop.sleep(untilCheck);
                    sizes.check();
                } else {
                    Loop.sleep(sleep);
                }
                continue;
            }
            Instant attempted = attempt(clock, true);
            target = rule.firstAfter(attempted.isAfter(target) ? attempted : target, z);
        }
    }

    /** maxsize checks on their own fixed-rate grid, or null if the options have no maxsize. */
    private SizeCheck sizeCheck(LoopClock clock) {
        return options.maxSize() > 0 ? new SizeCheck(clock) : null;
    }

    /** The maxsize grid of one run; touched only by the policy's coroutine. */
    private final class SizeCheck {
        private final LoopClock clock;
        private final FixedRate grid;

        SizeCheck(LoopClock clock) {
            this.clock = clock;
            this.grid = new FixedRate(clock, sizeCheck, sizeCheck);
        }

        /** The time until the next check; zero if it is due. */
        Duration untilNext() {
            Duration d = grid.untilNext();
            return d.isNegative() ? Duration.ZERO : d;
        }

        void check() {
            checkSize(clock, options.maxSize());
            grid.advance();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Attempts

    private void checkSize(LoopClock clock, long limit) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile() && attributes.size() <= limit) {
                return;
            }
            // Not a regular file: attempt() refuses it, and logs and reports that.
        } catch (NoSuchFileException missing) {
            return;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            fail(clock.instant(), e);
            return;
        }
        attempt(clock, false);
    }

    /**
     * One rotation attempt, logged and reported; returns the wall-clock instant it was made at.
     * {@code timeTriggered}: minsize applies.
     */
    private Instant attempt(LoopClock clock, boolean timeTriggered) {
        Instant now = clock.instant();
        Outcome outcome;
        Rotator rotator = new Rotator(path, options, now, timeTriggered, true, true);
        try {
            outcome = rotator.rotate();
        } catch (Rotator.CancelledAfterRotation cancelled) {
            // Stopped during postrotate or compression: the rotation itself was made, so it is
            // recorded and reported like any other before the task ends cancelled.
            report(rotated(now, rotator, record(now)));
            throw cancelled;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            fail(now, e);
            return now;
        }
        // Successes are not logged: the listener reports them, and a daily policy in a test can
        // run for decades of virtual time. A failed postrotate, compression or state record was
        // logged, and rides on the event.
        report(outcome == Outcome.ROTATED ? rotated(now, rotator, record(now)) : new RotationEvent(now, path, kind, outcome, null));
        return now;
    }

    private void fail(Instant now, Exception cause) {
        // One line per failed attempt; the stack trace only at DEBUG: a policy that keeps failing
        // (a directory where the file should be) would otherwise print one on every attempt.
        LOG.warn("Could not rotate {} ({}, {}): {}", path, kind, describe(), cause.toString());
        LOG.debug("Could not rotate {}: stack trace", path, cause);
        report(new RotationEvent(now, path, kind, Outcome.FAILED, cause));
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
            LOG.warn("Rotation listener failed for {} ({}): {}", path, kind, e.toString(), e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Arguments and words

    private static void checkPath(Path path) {
        Objects.requireNonNull(path, "path must not be null");
    }

    private static LocalTime checkAt(LocalTime at) {
        return Objects.requireNonNull(at, "at must not be null (use LocalTime.MIDNIGHT for the start of the day)");
    }

    /** {@code PT1M30S} as {@code 1m30s}. */
    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
