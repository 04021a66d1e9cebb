package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class FailureTest {

    @Test
    void oneThrowingCoroutineFailsOnlyItsTaskAndTheHandlerHearsOnce() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> handled = new ArrayList<>();
            loop.setExceptionHandler((source, error) -> handled.add(source + ": " + error.getMessage()));
            Trace trace = new Trace(loop);
            Task<Void> bad = loop.spawn("bad", () -> {
                Loop.sleep(Duration.ofSeconds(2));
                throw new IOException("disk on fire");
            });
            List<Task<Void>> good = new ArrayList<>();
            for (String name : List.of("g1", "g2")) {
                good.add(loop.spawn(name, () -> {
                    for (int i = 0; i < 3; i++) {
                        Loop.sleep(Duration.ofSeconds(1));
                    }
                    trace.record(name);
                }));
            }
            loop.runForever();
            assertEquals(List.of(), handled, "nobody has retrieved it, but someone still may");
            assertEquals(List.of("g1@3000", "g2@3000"), trace.events());
            assertTrue(good.stream().allMatch(t -> t.isDone() && !t.isCancelled()));
            loop.close();
            assertEquals(List.of("task 'bad': disk on fire"), handled, "the loop closed: nobody ever will");
            java.util.concurrent.ExecutionException failure = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
            assertEquals("disk on fire", failure.getCause().getMessage());
            assertEquals(1, handled.size(), "retrieving it later does not report it again");
        }
    }

    @Test
    void aFailureSomeoneJoinsIsNotReportedToTheHandler() {
        try (Loop loop = Trace.virtualLoop()) {
            List<Throwable> handled = new ArrayList<>();
            loop.setExceptionHandler((source, error) -> handled.add(error));
            Task<Void> bad = loop.spawn("bad", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                throw new IllegalStateException("boom");
            });
            Task<String> watcher = loop.spawn("watcher", () -> {
                try {
                    bad.join();
                    return "no failure?";
                } catch (CompletionException e) {
                    return "caught " + e.getCause().getMessage();
                }
            });
            assertEquals("caught boom", loop.runUntilComplete(watcher));
            assertEquals(List.of(), handled);
        }
    }

    @Test
    void theDefaultHandlerLogsTheTaskNameAndException() {
        try (Loop loop = Trace.virtualLoop()) {
            RuntimeException boom = new RuntimeException("default-handler-check");
            loop.spawn("logged-task-7", () -> {
                throw boom;
            });
            loop.runUntilIdle();
            loop.close();
            List<RecordedLogs.Event> events = RecordedLogs.containing("logged-task-7");
            assertEquals(1, events.size(), events::toString);
            assertEquals(Level.ERROR, events.get(0).level());
            assertSame(boom, events.get(0).error());
        }
    }

    @Test
    void aFailingCallbackIsReportedAndTheLoopGoesOn() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            loop.setExceptionHandler((source, error) -> seen.add(source + ": " + error.getMessage()));
            loop.callSoon(() -> {
                throw new IllegalArgumentException("bad callback");
            });
            loop.callSoon(() -> seen.add("next callback ran"));
            loop.runUntilIdle();
            assertEquals(List.of("callback: bad callback", "next callback ran"), seen);
        }
    }

    @Test
    void aThrowingHandlerFallsBackToTheLogAndTheLoopGoesOn() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> {
                throw new IllegalStateException("handler broke");
            });
            loop.spawn("fallback-task-3", () -> {
                throw new RuntimeException("original");
            });
            Task<String> after = loop.spawn("after", () -> "fine");
            assertEquals("fine", loop.runUntilComplete(after));
            loop.close();
            assertTrue(RecordedLogs.containing("fallback-task-3").size() >= 2, "the handler's failure and the original are logged");
        }
    }

    @Test
    void theHandlerRunsOutsideTheFailedCoroutineSoItCannotSuspendIt() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            loop.setExceptionHandler((source, error) -> {
                try {
                    Loop.sleep(Duration.ofSeconds(1));
                    seen.add("slept in the handler");
                } catch (IllegalStateException expected) {
                    seen.add("refused: " + expected.getMessage().contains("must be called from a coroutine"));
                }
            });
            Task<Void> failing = loop.spawn("failing", () -> {
                throw new IllegalStateException("x");
            });
            loop.runForever();
            loop.close();
            assertEquals(List.of("refused: true"), seen);
            assertTrue(failing.isDone());
        }
    }
}
