package dev.baton.core.conformance;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Records "event@millis" against a loop's virtual clock, and what the loop's exception handler
 * received. Touched only from the loop (or between runs, by the test's thread).
 */
final class Trace {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Loop loop;
    private final List<String> events = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();

    private Trace(Loop loop) {
        this.loop = loop;
        loop.setExceptionHandler((source, failure) -> reports.add(source + ": " + failure));
    }

    /** A loop on a fresh virtual clock, and a trace that also captures the loop's exception reports. */
    static Trace on(Loop loop) {
        return new Trace(loop);
    }

    static Loop virtualLoop() {
        return Loop.create(VirtualClock.of(START, ZoneOffset.UTC));
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /**
     * A real-time guard for the few tests where a missing feature would make the loop wait in
     * real time forever: after {@code seconds}, it stops the loop's active run. Close it when done.
     */
    static AutoCloseable watchdog(Loop loop, long seconds) {
        Thread guard = Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(seconds * 1000);
                loop.stop();
            } catch (InterruptedException done) {
                // the test finished in time
            }
        });
        return guard::interrupt;
    }

    /** Virtual milliseconds since the loop's clock started. */
    long now() {
        return loop.clock().nanoTime() / 1_000_000;
    }

    void record(String event) {
        events.add(event + "@" + now());
    }

    List<String> events() {
        return List.copyOf(events);
    }

    /** What the exception handler received, as "source: exception", in order. */
    List<String> reports() {
        return List.copyOf(reports);
    }
}
