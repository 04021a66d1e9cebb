package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gather, timeouts, TaskGroup, Event, Semaphore, Queue and outside futures, on the virtual clock. */
class PrimitivesTest {

    private static Loop.Body sleeper(Trace trace, String name, long seconds) {
        return () -> {
            try {
                Loop.sleep(Duration.ofSeconds(seconds));
                trace.record(name + " done");
            } catch (CancellationException e) {
                trace.record(name + " cancelled");
                throw e;
            }
        };
    }

    @Test
    void gatherReturnsResultsInTaskOrderNotCompletionOrder() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> slow = loop.spawn("slow", () -> {
                Loop.sleep(Duration.ofSeconds(3));
                return 3;
            });
            Task<Integer> fast = loop.spawn("fast", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return 1;
            });
            assertEquals(List.of(3, 1), loop.runUntilComplete(loop.gather(List.of(slow, fast))));
            assertEquals(Duration.ofSeconds(3).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void gatherCancelsTheRestOnTheFirstFailureAndThrowsIt() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<Void> a = loop.spawn("a", sleeper(trace, "a", 10));
            Task<Void> bad = loop.spawn("bad", () -> {
                Loop.sleep(Duration.ofSeconds(2));
                trace.record("bad throws");
                throw new IOException("broken");
            });
            Task<Void> c = loop.spawn("c", sleeper(trace, "c", 1));
            CompletionException e = assertThrows(CompletionException.class,
                    () -> loop.runUntilComplete(loop.gather(List.of(a, bad, c))));
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(List.of("c done@1000", "bad throws@2000", "a cancelled@2000"), trace.events());
            assertTrue(a.isCancelled());
        }
    }

    @Test
    void gatherSettledCollectsEveryOutcome() {
        try (Loop loop = Trace.virtualLoop()) {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> ok = loop.spawn("ok", () -> "fine");
            Task<String> bad = loop.spawn("bad", () -> {
                throw boom;
            });
            Task<Void> cancelled = loop.spawn("cancelled", () -> Loop.sleep(Duration.ofDays(1)));
            Task<List<Object>> all = loop.gatherSettled(List.of(ok, bad, cancelled));
            loop.callLater(Duration.ofSeconds(1), cancelled::cancel);
            List<Object> outcomes = loop.runUntilComplete(all);
            assertEquals("fine", outcomes.get(0));
            assertEquals(boom, outcomes.get(1));
            assertInstanceOf(CancellationException.class, outcomes.get(2));
        }
    }

    @Test
    void cancellingGatherCancelsItsTasks() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<Void> a = loop.spawn("a", sleeper(trace, "a", 10));
            Task<Void> b = loop.spawn("b", sleeper(trace, "b", 10));
            Task<List<Void>> both = loop.gather(List.of(a, b));
            loop.callLater(Duration.ofSeconds(1), both::cancel);
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(both));
            assertEquals(List.of("a cancelled@1000", "b cancelled@1000"), trace.events());
        }
    }

    @Test
    void withTimeoutCancelsTheBodyAtTheDeadlineAndThrows() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<String> caller = loop.spawn("caller", () -> {
                try {
                    return Loop.withTimeout(Duration.ofSeconds(5), () -> {
                        try {
                            Loop.sleep(Duration.ofSeconds(60));
                            return "too late";
                        } finally {
                            trace.record("body finally");
                        }
                    });
                } catch (TimeoutException e) {
                    trace.record("timed out");
                    return e.getMessage();
                }
            });
            String message = loop.runUntilComplete(caller);
            assertEquals(List.of("body finally@5000", "timed out@5000"), trace.events());
            assertTrue(message.contains("did not complete within PT5S"), message);
        }
    }

    @Test
    void joinWithATimeoutReturnsTheResultWhenInTime() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> quick = loop.spawn("quick", () -> {
                Loop.sleep(Duration.ofSeconds(2));
                return 7;
            });
            Task<Integer> waiter = loop.spawn("waiter", () -> quick.join(Duration.ofSeconds(3)));
            assertEquals(7, loop.runUntilComplete(waiter));
            loop.runFor(Duration.ofSeconds(5)); // the cancelled deadline timer does nothing
            assertEquals(Duration.ofSeconds(7).toNanos(), loop.clock().nanoTime());
        }
    }

    @Test
    void aTaskGroupWaitsForAllItsChildren() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<Integer> parent = loop.spawn("parent", () -> {
                int sum = TaskGroup.run(group -> {
                    Task<Integer> a = group.spawn("a", () -> {
                        Loop.sleep(Duration.ofSeconds(2));
                        return 2;
                    });
                    group.spawn("b", sleeper(trace, "b", 5));
                    return a.join() + 40;
                });
                trace.record("group returned");
                return sum;
            });
            assertEquals(42, loop.runUntilComplete(parent));
            assertEquals(List.of("b done@5000", "group returned@5000"), trace.events());
        }
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheGroupRethrows() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Task<String> parent = loop.spawn("parent", () -> {
                try {
                    TaskGroup.run(group -> {
                        group.spawn("sibling", sleeper(trace, "sibling", 60));
                        group.spawn("failing", () -> {
                            Loop.sleep(Duration.ofSeconds(3));
                            throw new IllegalStateException("child failed");
                        });
                        Loop.sleep(Duration.ofSeconds(60));
                        return null;
                    });
                    return "no failure?";
                } catch (CompletionException e) {
                    trace.record("group threw " + e.getCause().getMessage());
                    return "ok";
                }
            });
            assertEquals("ok", loop.runUntilComplete(parent));
            assertEquals(List.of("sibling cancelled@3000", "group threw child failed@3000"), trace.events());
        }
    }

    @Test
    void eventWakesEveryWaiterInOrder() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Event ready = Event.create();
            for (String name : List.of("w1", "w2", "w3")) {
                loop.spawn(name, () -> {
                    ready.await();
                    trace.record(name);
                });
            }
            loop.callLater(Duration.ofSeconds(4), ready::set);
            loop.runForever();
            assertEquals(List.of("w1@4000", "w2@4000", "w3@4000"), trace.events());
            assertTrue(ready.isSet());
        }
    }

    @Test
    void semaphoreBoundsConcurrencyFirstComeFirstServed() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Semaphore two = Semaphore.create(2);
            for (String name : List.of("a", "b", "c", "d")) {
                loop.spawn(name, () -> {
                    two.acquire();
                    try {
                        trace.record(name + " in");
                        Loop.sleep(Duration.ofSeconds(1));
                    } finally {
                        two.release();
                    }
                });
            }
            loop.runForever();
            assertEquals(List.of("a in@0", "b in@0", "c in@1000", "d in@1000"), trace.events());
            assertEquals(2, two.availablePermits());
        }
    }

    @Test
    void boundedQueueProducerAndConsumerGiveAnExactTrace() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            Queue<Integer> queue = Queue.bounded(2);
            loop.spawn("producer", () -> {
                for (int i = 1; i <= 5; i++) {
                    queue.put(i);
                    trace.record("put " + i);
                }
            });
            loop.spawn("consumer", () -> {
                for (int i = 1; i <= 5; i++) {
                    Loop.sleep(Duration.ofSeconds(1));
                    trace.record("took " + queue.take());
                }
            });
            loop.runForever();
            assertEquals(List.of(
                    "put 1@0", "put 2@0",
                    "took 1@1000", "put 3@1000",
                    "took 2@2000", "put 4@2000",
                    "took 3@3000", "put 5@3000",
                    "took 4@4000", "took 5@5000"), trace.events());
        }
    }

    @Test
    void anItemHandedToACancelledTakerIsNotLost() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> queue = Queue.unbounded();
            List<String> got = new ArrayList<>();
            Task<Void> taker = loop.spawn("taker", () -> {
                got.add(queue.take());
                Loop.sleep(Duration.ZERO); // the cancellation surfaces here
                got.add("never");
            });
            loop.runUntilIdle();
            loop.callSoon(() -> {
                queue.offer("item");
                taker.cancel(); // after the hand-over, before the taker resumes
            });
            loop.runUntilIdle();
            assertEquals(List.of("item"), got);
            assertTrue(taker.isCancelled());
        }
    }

    @Test
    void aCancelledWaiterLeavesThePrimitive() {
        try (Loop loop = Trace.virtualLoop()) {
            Semaphore none = Semaphore.create(0);
            Task<Void> first = loop.spawn("first", none::acquire);
            Task<Void> second = loop.spawn("second", none::acquire);
            loop.runUntilIdle();
            first.cancel();
            loop.runUntilIdle();
            none.release();
            loop.runUntilIdle();
            assertTrue(first.isCancelled());
            assertTrue(second.isDone() && !second.isCancelled(), "the permit went to the next waiter");
        }
    }

    /** Real time, bounded: an outside thread completes the future after 100 ms. */
    @Test
    @Timeout(5)
    void anOutsideFutureIsAwaitedWithoutVirtualTimeJumpingPastIt() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            CompletableFuture<String> outside = new CompletableFuture<>();
            loop.spawn("awaiter", () -> {
                trace.record("got " + Loop.await(outside));
            });
            loop.spawn("ticker", () -> {
                Loop.sleep(Duration.ofHours(1));
                trace.record("an hour later");
            });
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                outside.complete("result");
            });
            loop.runForever();
            assertEquals(List.of("got result@0", "an hour later@3600000"), trace.events());
        }
    }

    @Test
    void primitivesFailFastOutsideACoroutine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Queue.bounded(1).take());
        assertTrue(e.getMessage().contains("Queue.take must be called from a coroutine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Queue.bounded(0));
        assertThrows(IllegalArgumentException.class, () -> Semaphore.create(-1));
    }

    private static int fetch(String name) {
        Loop.sleep(Duration.ofSeconds(name.length()));
        return name.charAt(0);
    }

    @Test
    void theTaskGroupExampleOfTheDocs() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Integer> example = loop.spawn("example", () -> {
                int total = TaskGroup.run(group -> {
                    Task<Integer> a = group.spawn("a", () -> fetch("a"));
                    Task<Integer> b = group.spawn("b", () -> fetch("b"));
                    return a.join() + b.join();
                });
                return total;
            });
            assertEquals('a' + 'b', loop.runUntilComplete(example));
            assertEquals(Duration.ofSeconds(1).toNanos(), loop.clock().nanoTime(), "a and b ran concurrently");
        }
    }
}
