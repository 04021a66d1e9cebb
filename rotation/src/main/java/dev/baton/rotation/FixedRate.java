package dev.baton.rotation;

import dev.baton.core.LoopClock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A fixed-rate grid on the loop clock's monotonic time: slot k (k = 0, 1, ...) is due at
 * {@code start + first + k*period}, with {@code start} the time the grid was made. After a turn
 * the next slot is the first one not before the turn's end (and after the slot just due): slots
 * that passed during the turn are skipped, not caught up, and the grid does not drift. The
 * interval and size schedules use one, and so do the maxsize checks of the other policies.
 *
 * <p>Not thread-safe: touched only by the coroutine of the policy run that made it.
 */
final class FixedRate {
    /*
     * Design notes.
     *
     * Deadlines are computed from the monotonic start and the slot number, never from "now + N",
     * so neither a turn's own time nor a late wake accumulates. Durations are kept as
     * java.time.Duration so that enormous periods do not overflow a long of nanos: the wait is
     * then "forever" (Loop.sleep's rule), and the slot after it is never computed.
     */

    /** Longer than any loop can wait: Loop.sleep waits "forever". */
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private final LoopClock clock;
    /** The monotonic time the grid was made at. */
    private final long start;
    /** How long after {@code start} slot 0 is due. */
    private final Duration first;
    /** {@code first} in nanoseconds, or {@code Long.MAX_VALUE} if it does not fit a long. */
    private final long firstNanos;
    /** The distance between two slots, positive. */
    private final Duration period;
    /** The next slot due; it only grows. Touched only by the owning coroutine. */
    private long slot;

    /** A grid whose slot 0 is {@code first} from now on {@code clock}, then one every {@code period}. */
    FixedRate(LoopClock clock, Duration first, Duration period) {
        this.clock = clock;
        this.start = clock.nanoTime();
        this.first = first;
        this.firstNanos = saturatedNanos(first);
        this.period = period;
    }

    /**
     * The time from now until the next slot: negative if it has passed, {@link ChronoUnit#FOREVER}
     * if it is too far to compute.
     */
    Duration untilNext() {
        try {
            return first.plus(period.multipliedBy(slot)).minus(Duration.ofNanos(clock.nanoTime() - start));
        } catch (ArithmeticException beyondDuration) {
            return FOREVER;
        }
    }

    /** After a turn: the next slot is the first one not before now, and at least the one after the last. */
    void advance() {
        slot = Math.max(slot + 1, firstSlotNotBefore(clock.nanoTime() - start - firstNanos));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException beyondLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The smallest k with k * period >= elapsedNanos (0 if negative). */
    private long firstSlotNotBefore(long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        // In longs: Duration.dividedBy(Duration) divides BigDecimals, and this runs after every
        // turn. A period too long for a long of nanos (292 years) is longer than any elapsed.
        long periodNanos;
        try {
            periodNanos = period.toNanos();
        } catch (ArithmeticException beyondLong) {
            return 1;
        }
        long k = elapsedNanos / periodNanos;
        return elapsedNanos % periodNanos == 0 ? k : k + 1;
    }
}
