package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void joinReturnsTheResultOfAnotherCoroutine() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> answer = loop.spawn("answer", () -> {
                Loop.sleep(Duration.ofSeconds(3));
                return 42;
            });
            Task<String> asker = loop.spawn("asker", () -> "got " + answer.join());
            assertEquals("got 42", loop.runUntilComplete(asker));
            assertEquals(Duration.ofSeconds(3).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void joinersResumeInTheOrderTheyJoined() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> target = loop.spawn("target", () -> Loop.sleep(Duration.ofSeconds(1)));
            List<String> resumed = new ArrayList<>();
            for (String name : List.of("j1", "j2", "j3")) {
                loop.spawn(name, () -> {
                    target.join();
                    resumed.add(name);
                });
            }
            loop.runForever();
            assertEquals(List.of("j1", "j2", "j3"), resumed);
        }
    }

    @Test
    void doneCallbacksRunOnTheLoopInRegistrationOrder() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> task = loop.spawn("t", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return "v";
            });
            List<String> seen = new ArrayList<>();
            task.onDone(t -> seen.add("first " + t.isDone()));
            task.onDone(t -> seen.add("second " + t.name()));
            loop.runForever();
            task.onDone(t -> seen.add("late"));
            loop.runUntilIdle();
            assertEquals(List.of("first true", "second t", "late"), seen);
        }
    }

    @Test
    void isAFutureWithTheUsualOutcomes() throws Exception {
        try (Loop loop = Trace.virtualLoop()) {
            loop.setExceptionHandler((s, e) -> { });
            Future<String> ok = loop.spawn("ok", () -> "fine");
            Future<String> bad = loop.spawn("bad", () -> {
                throw new IOException("nope");
            });
            Task<String> cancelled = loop.spawn("cancelled", () -> {
                Loop.sleep(Duration.ofDays(1));
                return "never";
            });
            loop.runFor(Duration.ofSeconds(1));
            cancelled.cancel();
            loop.runUntilIdle();
            assertEquals("fine", ok.get());
            assertEquals(Future.State.SUCCESS, ok.state());
            ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(Future.State.FAILED, bad.state());
            assertThrows(CancellationException.class, cancelled::get);
            assertEquals(Future.State.CANCELLED, cancelled.state());
        }
    }

    @Test
    void toCompletableFutureCompletesWithTheOutcomeAndIsolatesTheTask() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("t", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return 7;
            });
            CompletableFuture<Integer> future = task.toCompletableFuture();
            CompletableFuture<Integer> other = task.toCompletableFuture();
            other.complete(-1); // completing a copy does not touch the task
            assertFalse(future.isDone());
            loop.runForever();
            assertEquals(7, future.join());
            assertEquals(7, loop.runUntilComplete(task));
        }
    }

    @Test
    void toCompletableFutureCarriesFailureAndCancellation() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> bad = loop.spawn("bad", () -> {
                throw new IllegalStateException("x");
            });
            Task<Void> slow = loop.spawn("slow", () -> Loop.sleep(Duration.ofDays(1)));
            CompletableFuture<Void> badFuture = bad.toCompletableFuture();
            CompletableFuture<Void> slowFuture = slow.toCompletableFuture();
            loop.runUntilIdle();
            slow.cancel();
            loop.runUntilIdle();
            CompletionException e = assertThrows(CompletionException.class, badFuture::join);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(slowFuture.isCancelled());
        }
    }

    @Test
    void toStringShowsNameAndState() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> task = loop.spawn("shown", () -> 1);
            assertEquals("Task['shown', pending]", task.toString());
            loop.runUntilComplete(task);
            assertEquals("Task['shown', succeeded]", task.toString());
        }
    }
}
