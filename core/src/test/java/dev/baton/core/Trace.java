package dev.baton.core;

import java.util.ArrayList;
import java.util.List;

/** Records "event@millis" against a loop's monotonic clock; touched only from the loop. */
final class Trace {
    private final Loop loop;
    private final long origin;
    private final List<String> events = new ArrayList<>();

    Trace(Loop loop) {
        this.loop = loop;
        this.origin = loop.clock().nanoTime();
    }

    void record(String event) {
        events.add(event + "@" + (loop.clock().nanoTime() - origin) / 1_000_000);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    static Loop virtualLoop() {
        return Loop.create(VirtualClock.of(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC));
    }
}
