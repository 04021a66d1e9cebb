package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void cancellingASleepingTaskThrowsAtTheSleepAndRunsFinally() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<Void> sleeper = loop.spawn("sleeper", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                    trace.record("woke");
                } catch (CancellationException e) {
                    trace.record("cancelled-at-sleep");
                    throw e;
                } finally {
                    trace.record("finally");
                }
            });
            loop.callLater(Duration.ofMinutes(5), () -> assertTrue(sleeper.cancel()));
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(sleeper));
            assertEquals(List.of("cancelled-at-sleep@300000", "finally@300000"), trace.events());
            assertTrue(sleeper.isCancelled());
            assertTrue(sleeper.isDone());
            assertThrows(CancellationException.class, sleeper::get);
        }
    }

    @Test
    void cancellingAFinishedTaskReturnsFalseAndChangesNothing() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> task = loop.spawn("done", () -> "result");
            loop.runUntilComplete(task);
            assertFalse(task.cancel());
            assertFalse(task.isCancelled());
            assertEquals("result", task.get());
        }
    }

    @Test
    void codeBetweenSuspensionPointsIsNeverInterrupted() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> steps = new ArrayList<>();
            Task<Void>[] victim = new Task[1];
            victim[0] = loop.spawn("victim", () -> {
                steps.add("step1");
                loop.spawn("canceller", () -> victim[0].cancel());
                Loop.sleep(Duration.ZERO); // the canceller runs here
                steps.add("never");
            });
            Task<?>[] self = new Task<?>[1];
            self[0] = loop.spawn("self", () -> {
                self[0].cancel(); // cancelling itself: the running code goes on to its next suspension point
                steps.add("after-self-cancel");
                Loop.sleep(Duration.ZERO);
                steps.add("never");
            });
            loop.runUntilIdle();
            assertEquals(List.of("step1", "after-self-cancel"), steps);
        }
    }

    @Test
    void everySuspensionAfterCancelThrowsSoFinallyCannotSleep() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            Task<Void> task = loop.spawn("stubborn", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                } catch (CancellationException first) {
                    try {
                        Loop.sleep(Duration.ofSeconds(1));
                    } catch (CancellationException second) {
                        seen.add("second sleep refused");
                    }
                }
            });
            loop.runFor(Duration.ofSeconds(1));
            task.cancel();
            loop.runUntilIdle();
            assertEquals(List.of("second sleep refused"), seen);
            assertTrue(task.isDone() && !task.isCancelled(), "a body that swallows the cancellation and returns succeeds: its outcome wins");
        }
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            Task<Void> task = loop.spawn("never-started", () -> {
                ran.add("body");
            });
            assertTrue(task.cancel());
            loop.runUntilIdle();
            assertTrue(task.isCancelled());
            assertEquals(List.of(), ran);
        }
    }

    @Test
    void cancellingAJoinerLeavesTheJoinedTaskRunning() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> slow = loop.spawn("slow", () -> {
                Loop.sleep(Duration.ofSeconds(10));
                return "slow done";
            });
            Task<String> joiner = loop.spawn("joiner", () -> slow.join());
            loop.runFor(Duration.ofSeconds(1));
            joiner.cancel();
            loop.runFor(Duration.ofSeconds(1));
            assertTrue(joiner.isCancelled());
            assertFalse(slow.isDone());
            assertEquals("slow done", loop.runUntilComplete(slow));
        }
    }

    @Test
    void joiningACancelledTaskCancelsTheJoinerToo() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> inner = loop.spawn("inner", () -> Loop.sleep(Duration.ofHours(1)));
            Task<Void> outer = loop.spawn("outer", () -> {
                inner.join();
            });
            loop.runFor(Duration.ofSeconds(1));
            inner.cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(outer));
            assertTrue(outer.isCancelled());
        }
    }

    @Test
    void anExceptionThrownWhileUnwindingFailsTheTask() {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((source, error) -> { });
            Task<Void> task = loop.spawn("messy", () -> {
                try {
                    Loop.sleep(Duration.ofHours(1));
                } finally {
                    throw new IllegalStateException("cleanup failed");
                }
            });
            loop.runFor(Duration.ofSeconds(1));
            task.cancel();
            CompletionException failure = assertThrows(CompletionException.class, () -> loop.runUntilComplete(task));
            assertEquals("cleanup failed", failure.getCause().getMessage());
            assertFalse(task.isCancelled());
            ExecutionException viaGet = assertThrows(ExecutionException.class, task::get);
            assertInstanceOf(IllegalStateException.class, viaGet.getCause());
        }
    }

    @Test
    void cancelFromAnotherThreadWakesTheCoroutineOnTheLoop() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> seen = new ArrayList<>();
            Task<Void> sleeper = loop.spawn("sleeper", () -> {
                try {
                    Loop.sleep(Duration.ofDays(1));
                } finally {
                    seen.add("finally on " + (Thread.currentThread().isVirtual() ? "its own thread" : "?"));
                }
            });
            loop.runFor(Duration.ofSeconds(1));
            Thread outside = Thread.ofPlatform().start(() -> sleeper.cancel());
            outside.join();
            loop.runUntilIdle();
            assertTrue(sleeper.isCancelled());
            assertEquals(List.of("finally on its own thread"), seen);
            assertEquals(Duration.ofSeconds(1).toNanos(), loop.clock().nanoTime(), "the day-long timer was dropped");
        }
    }

    @Test
    void closeCancelsEveryTaskAndWaitsForItToUnwind() {
        Loop loop = Trace.virtualLoop();
        List<String> unwound = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            loop.spawn(name, () -> {
                try {
                    Loop.sleep(Duration.ofDays(1));
                } finally {
                    unwound.add(name);
                }
            });
        }
        Task<Void> quick = loop.spawn("d", () -> {
            unwound.add("d body");
        });
        loop.runFor(Duration.ofSeconds(1));
        Task<Void> fresh = loop.spawn("e", () -> {
            unwound.add("e body");
        });
        loop.close();
        assertEquals(List.of("d body", "a", "b", "c"), unwound, "e was cancelled before it started");
        assertTrue(fresh.isCancelled());
        assertTrue(quick.isDone() && !quick.isCancelled());
        assertTrue(loop.isClosed());
        loop.close(); // idempotent
    }
}
