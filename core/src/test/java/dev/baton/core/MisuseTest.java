package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each misuse fails at the call with an exception that names the rule. */
class MisuseTest {

    private static void assertMessage(Class<? extends Throwable> type, String expected, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(expected),
                () -> "expected a message containing <" + expected + "> but was <" + e.getMessage() + ">");
    }

    @Test
    void sleepOutsideACoroutine() {
        assertMessage(IllegalStateException.class, "Loop.sleep must be called from a coroutine running on a loop",
                () -> Loop.sleep(Duration.ofSeconds(1)));
    }

    @Test
    void sleepInsideACallback() {
        try (Loop loop = Trace.virtualLoop()) {
            List<Throwable> errors = new ArrayList<>();
            loop.setExceptionHandler((source, error) -> errors.add(error));
            loop.callSoon(() -> Loop.sleep(Duration.ofSeconds(1)));
            loop.runUntilIdle();
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).getMessage().contains("only a coroutine can suspend"), errors.get(0).getMessage());
        }
    }

    @Test
    void sleepWithANegativeDuration() {
        assertMessage(IllegalArgumentException.class, "duration must not be negative, was PT-1S",
                () -> Loop.sleep(Duration.ofSeconds(-1)));
    }

    @Test
    void sleepWithANullDuration() {
        assertMessage(NullPointerException.class, "duration must not be null", () -> Loop.sleep(null));
    }

    @Test
    void spawnWithANullOrBlankName() {
        try (Loop loop = Trace.virtualLoop()) {
            assertMessage(NullPointerException.class, "name must not be null", () -> loop.spawn(null, () -> 1));
            assertMessage(IllegalArgumentException.class, "name must not be blank", () -> loop.spawn(" ", () -> 1));
        }
    }

    @Test
    void spawnWithANullBody() {
        try (Loop loop = Trace.virtualLoop()) {
            assertMessage(NullPointerException.class, "body must not be null", () -> loop.spawn("x", (Callable<?>) null));
            assertMessage(NullPointerException.class, "body must not be null", () -> loop.spawn("x", (Loop.Body) null));
        }
    }

    @Test
    void spawnOnAClosedLoop() {
        Loop loop = Trace.virtualLoop();
        loop.close();
        assertMessage(IllegalStateException.class, "the loop is closed", () -> loop.spawn("late", () -> 1));
        assertMessage(RejectedExecutionException.class, "the loop is closed", () -> loop.execute(() -> { }));
        assertMessage(IllegalStateException.class, "the loop is closed", loop::runForever);
    }

    @Test
    void runningTheLoopFromInsideItself() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> nested = loop.spawn("nested", () -> loop.runFor(Duration.ofSeconds(1)));
            Throwable e = assertThrows(Exception.class, () -> loop.runUntilComplete(nested)).getCause();
            assertTrue(e.getMessage().contains("the loop is already running; inside a coroutine, wait with join() or Loop.sleep()"),
                    e.getMessage());
        }
    }

    @Test
    void joinOutsideACoroutine() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("t", () -> 1);
            assertMessage(IllegalStateException.class, "Task.join must be called from a coroutine", task::join);
        }
    }

    @Test
    void aTaskJoiningItself() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<?>[] self = new Task<?>[1];
            self[0] = loop.spawn("narcissus", () -> self[0].join());
            Throwable e = assertThrows(Exception.class, () -> loop.runUntilComplete(self[0])).getCause();
            assertTrue(e.getMessage().contains("task 'narcissus' cannot join itself"), e.getMessage());
        }
    }

    @Test
    void getOnTheLoopThreadWouldBlockTheLoop() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> slow = loop.spawn("slow", () -> Loop.sleep(Duration.ofSeconds(5)));
            Task<Object> impatient = loop.spawn("impatient", () -> slow.get());
            Throwable e = assertThrows(Exception.class, () -> loop.runUntilComplete(impatient)).getCause();
            assertTrue(e.getMessage().contains("would block the loop forever; in a coroutine use join()"), e.getMessage());
        }
    }

    @Test
    void confinedMethodsFromAnotherThreadWhileTheLoopRuns() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            List<Throwable> seen = new ArrayList<>();
            Task<Void> probe = loop.spawn("probe", () -> {
                Thread other = Thread.ofPlatform().start(() -> {
                    try {
                        loop.spawn("intruder", () -> 1);
                    } catch (Throwable e) {
                        seen.add(e);
                    }
                });
                other.join(); // blocks the loop briefly, on purpose: the loop is running meanwhile
            });
            loop.runUntilComplete(probe);
            assertEquals(1, seen.size());
            assertTrue(seen.get(0).getMessage().contains("spawn was called from thread"), seen.get(0).getMessage());
            assertTrue(seen.get(0).getMessage().contains("use loop.execute(...)"), seen.get(0).getMessage());
        }
    }

    @Test
    void runArgumentsAreChecked() {
        try (Loop loop = Trace.virtualLoop()) {
            assertMessage(IllegalArgumentException.class, "runFor: duration must not be negative", () -> loop.runFor(Duration.ofMillis(-1)));
            assertMessage(NullPointerException.class, "runUntil: when must not be null", () -> loop.runUntil((Instant) null));
            assertMessage(IllegalArgumentException.class, "callLater: delay must not be negative",
                    () -> loop.callLater(Duration.ofMillis(-1), () -> { }));
            try (Loop other = Trace.virtualLoop()) {
                Task<Integer> foreign = other.spawn("foreign", () -> 1);
                assertMessage(IllegalArgumentException.class, "task 'foreign' belongs to another loop", () -> loop.runUntilComplete(foreign));
            }
        }
    }
}
