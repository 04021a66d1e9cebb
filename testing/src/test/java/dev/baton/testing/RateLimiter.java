package dev.baton.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Code under test, written as most Java code is: against a {@link ScheduledExecutorService} and a
 * {@link Clock}, no Baton type anywhere. A token bucket refilled every minute, and a quota per
 * local calendar day that resets at each local midnight of the clock's zone. Thread-safe.
 */
final class RateLimiter implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final int perMinute;
    private final int perDay;
    private final Consumer<String> log;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private int tokens;
    /** Guarded by lock. */
    private int usedToday;
    /** Guarded by lock. */
    private ScheduledFuture<?> nextReset;
    private final ScheduledFuture<?> refill;

    RateLimiter(ScheduledExecutorService executor, Clock clock, int perMinute, int perDay, Consumer<String> log) {
        this.executor = Objects.requireNonNull(executor);
        this.clock = Objects.requireNonNull(clock);
        this.perMinute = perMinute;
        this.perDay = perDay;
        this.log = log;
        this.tokens = perMinute;
        this.refill = executor.scheduleAtFixedRate(this::refill, 1, 1, TimeUnit.MINUTES);
        scheduleReset();
    }

    /** Takes a permit if both the minute's bucket and the day's quota allow it. */
    boolean tryAcquire() {
        lock.lock();
        try {
            if (tokens == 0 || usedToday == perDay) {
                return false;
            }
            tokens--;
            usedToday++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        lock.lock();
        try {
            tokens = perMinute;
        } finally {
            lock.unlock();
        }
    }

    /** Schedules the quota's reset at the next local midnight, read from the clock each time (days are 23 to 25 hours long). */
    private void scheduleReset() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime midnight = LocalDate.now(clock).plusDays(1).atStartOfDay(clock.getZone());
        long delay = Duration.between(now, midnight).toNanos();
        lock.lock();
        try {
            nextReset = executor.schedule(this::reset, delay, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void reset() {
        int used;
        lock.lock();
        try {
            used = usedToday;
            usedToday = 0;
        } finally {
            lock.unlock();
        }
        log.accept("reset after " + used);
        scheduleReset();
    }

    @Override
    public void close() {
        refill.cancel(false);
        lock.lock();
        try {
            nextReset.cancel(false);
        } finally {
            lock.unlock();
        }
    }
}
