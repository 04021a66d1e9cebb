package dev.baton.core.toolkit;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Records "event@millis" against a loop's clock, and the helpers the ported tests share. Loop only. */
final class Trail {
    private final Loop loop;
    private final long origin;
    private final List<String> events = new ArrayList<>();

    Trail(Loop loop) {
        this.loop = loop;
        this.origin = loop.clock().nanoTime();
    }

    void add(String event) {
        events.add(event + "@" + (loop.clock().nanoTime() - origin) / 1_000_000);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    static Loop virtualLoop() {
        return Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    /** Runs {@code body} as the coroutine "main" until it is done; its outcome is the test's. */
    static <T> T runMain(Loop loop, Callable<T> body) {
        return loop.runUntilComplete(loop.spawn("main", body));
    }

    static void runMain(Loop loop, Loop.Body body) {
        loop.runUntilComplete(loop.spawn("main", body));
    }

    /** asyncio's {@code create_task}, from inside a coroutine. */
    static <T> Task<T> spawn(String name, Callable<T> body) {
        return Loop.current().spawn(name, body);
    }

    static Task<Void> spawn(String name, Loop.Body body) {
        return Loop.current().spawn(name, body);
    }

    /** asyncio's {@code await asyncio.sleep(0)}: lets everything ready run first. */
    static void yieldNow() {
        Loop.sleep(Duration.ZERO);
    }

    static void sleepMillis(long millis) {
        Loop.sleep(Duration.ofMillis(millis));
    }
}
