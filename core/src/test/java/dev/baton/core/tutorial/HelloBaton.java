package dev.baton.core.tutorial;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** The README's example (and docs/tutorial.md chapter 2's): two coroutines, one baton. */
public final class HelloBaton {
    private HelloBaton() {}

    public static void main(String[] args) {
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))) {
            Task<Integer> answer = loop.spawn("answer", () -> {
                Loop.sleep(Duration.ofSeconds(3));
                return 42;
            });
            Task<String> asker = loop.spawn("asker", () -> "got " + answer.join());
            System.out.println(loop.runUntilComplete(asker)); // "got 42", after 3 s of virtual time and ~0 s of real time
        }
    }
}
