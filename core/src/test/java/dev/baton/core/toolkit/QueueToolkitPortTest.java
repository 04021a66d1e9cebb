package dev.baton.core.toolkit;

import static dev.baton.core.toolkit.Trail.runMain;
import static dev.baton.core.toolkit.Trail.sleepMillis;
import static dev.baton.core.toolkit.Trail.spawn;
import static dev.baton.core.toolkit.Trail.virtualLoop;
import static dev.baton.core.toolkit.Trail.yieldNow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Queue;
import dev.baton.core.QueueShutDownException;
import dev.baton.core.Task;
import dev.baton.core.TaskGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CPython's test_queues.py (LifoQueueTests, PriorityQueueTests, the join/task_done mixin and the
 * 3.13 shutdown mixin), ported to Queue. Like the peer's mixins, the join and shutdown tests run
 * over the FIFO, LIFO and priority queues.
 */
class QueueToolkitPortTest {

    /** asyncio's q_class: a kind of queue, made with a capacity (0 = unbounded, as maxsize=0). */
    static Stream<Arguments> kinds() {
        IntFunction<Queue<String>> fifo = n -> n == 0 ? Queue.unbounded() : Queue.bounded(n);
        IntFunction<Queue<String>> lifo = n -> n == 0 ? Queue.lifo() : Queue.lifo(n);
        IntFunction<Queue<String>> priority = n -> n == 0
                ? Queue.priority(Comparator.naturalOrder()) : Queue.priority(Comparator.naturalOrder(), n);
        return Stream.of(Arguments.of("Queue", fifo), Arguments.of("LifoQueue", lifo),
                Arguments.of("PriorityQueue", priority));
    }

    @Test // asyncio test_queues.LifoQueueTests.test_order
    void test_lifo_order() {
        try (Loop loop = virtualLoop()) {
            List<Integer> items = runMain(loop, () -> {
                Queue<Integer> q = Queue.lifo();
                for (int i : new int[] {1, 3, 2}) {
                    q.put(i);
                }
                return List.of(q.take(), q.take(), q.take());
            });
            assertEquals(List.of(2, 3, 1), items);
        }
    }

    @Test // asyncio test_queues.PriorityQueueTests.test_order
    void test_priority_order() {
        try (Loop loop = virtualLoop()) {
            List<Integer> items = runMain(loop, () -> {
                Queue<Integer> q = Queue.priority(Comparator.naturalOrder());
                for (int i : new int[] {1, 3, 2}) {
                    q.put(i);
                }
                return List.of(q.take(), q.take(), q.take());
            });
            assertEquals(List.of(1, 2, 3), items);
        }
    }

    // asyncio's PriorityQueue leaves ties to heapq (users add a counter); Baton keeps equal items FIFO.
    @Test
    void priorityQueueHandsOutEqualItemsInTheOrderTheyWerePut() {
        try (Loop loop = virtualLoop()) {
            List<String> items = runMain(loop, () -> {
                Queue<String> q = Queue.priority(Comparator.comparing(String::length));
                for (String s : List.of("bbb", "a1", "cc", "a2", "d", "a3")) {
                    q.put(s);
                }
                List<String> out = new ArrayList<>();
                for (String s = q.poll(); s != null; s = q.poll()) {
                    out.add(s);
                }
                return out;
            });
            assertEquals(List.of("d", "a1", "cc", "a2", "a3", "bbb"), items);
        }
    }

    // A bounded LIFO queue: a putter waiting for room gets in when a taker makes room, then comes out first.
    @Test
    void boundedLifoLetsTheWaitingPutterInWhenTakenFrom() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                Queue<String> q = Queue.lifo(2);
                q.put("a");
                q.put("b");
                Task<Void> putter = spawn("putter", () -> {
                    q.put("c");
                    trail.add("c accepted");
                });
                yieldNow();
                assertEquals("Queue[2/2, 0 taking, 1 putting, 2 unfinished]", q.toString());
                sleepMillis(1000);
                trail.add("took " + q.take());
                putter.join();
                trail.add("took " + q.take());
                trail.add("took " + q.take());
            });
            assertEquals(List.of("took b@1000", "c accepted@1000", "took c@1000", "took a@1000"), trail.events());
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueJoinTestMixin.test_task_done_underflow
    @MethodSource("kinds")
    void test_task_done_underflow(String kind, IntFunction<Queue<String>> make) {
        Queue<String> q = make.apply(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals("Queue.taskDone: called more times than items were put; no item is unfinished", e.getMessage());
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueJoinTestMixin.test_task_done
    @MethodSource("kinds")
    void test_task_done(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            int total = runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                for (int i = 0; i < 100; i++) {
                    q.offer(String.format("%03d", i));
                }
                int[] accumulator = {0};
                boolean[] running = {true};
                return TaskGroup.run(group -> {
                    List<Task<Void>> workers = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        workers.add(group.spawn("worker" + w, () -> {
                            while (running[0]) {
                                String item = q.take();
                                accumulator[0] += Integer.parseInt(item);
                                sleepMillis(10); // processing takes time: join() must wait for it
                                q.taskDone();
                            }
                        }));
                    }
                    q.join();
                    trail.add("joined with " + q.unfinished() + " unfinished");
                    int sum = accumulator[0];
                    running[0] = false;
                    for (int i = 0; i < workers.size(); i++) {
                        q.offer("000");
                    }
                    return sum;
                });
            });
            assertEquals(4950, total);
            assertEquals(List.of("joined with 0 unfinished@500"), trail.events()); // 100 items, 2 workers, 10 ms each
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueJoinTestMixin.test_join_empty_queue
    @MethodSource("kinds")
    void test_join_empty_queue(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                q.join();
                q.join();
                trail.add("joined");
            });
            assertEquals(List.of("joined@0"), trail.events());
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueJoinTestMixin.test_format and _QueueShutdownTestMixin.test_format
    @MethodSource("kinds")
    void test_format(String kind, IntFunction<Queue<String>> make) {
        Queue<String> q = make.apply(0);
        assertEquals("Queue[0/unbounded, 0 taking, 0 putting, 0 unfinished]", q.toString());
        q.offer("x");
        q.offer("y");
        assertEquals("Queue[2/unbounded, 0 taking, 0 putting, 2 unfinished]", q.toString());
        q.shutdown();
        assertEquals("Queue[2/unbounded, 0 taking, 0 putting, 2 unfinished, shut down]", q.toString());
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueShutdownTestMixin.test_shutdown_empty
    @MethodSource("kinds")
    void test_shutdown_empty(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                Task<String> getTask = spawn("get", q::take);
                yieldNow();
                assertEquals(List.of(), q.shutdown(false));
                assertEquals(0, q.size());
                q.join();
                yieldNow();
                assertTrue(getTask.isDone());
                CompletionException e = assertThrows(CompletionException.class, getTask::join);
                assertInstanceOf(QueueShutDownException.class, e.getCause());
                assertEquals("Queue.take: the queue was shut down while this coroutine waited for an item; no more will come",
                        e.getCause().getMessage());

                assertThrows(QueueShutDownException.class, () -> q.put("data"));
                assertThrows(QueueShutDownException.class, () -> q.offer("data"));
                assertThrows(QueueShutDownException.class, q::take);
                assertThrows(QueueShutDownException.class, q::poll);
            });
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueShutdownTestMixin.test_shutdown_nonempty
    @MethodSource("kinds")
    void test_shutdown_nonempty(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            runMain(loop, () -> {
                Queue<String> q = make.apply(1);
                q.offer("data");
                Task<Void> joinTask = spawn("join", q::join);
                Task<Void> putTask = spawn("put", () -> q.put("data2"));
                yieldNow();
                assertFalse(putTask.isDone());

                q.shutdown(false);
                assertEquals(1, q.size());
                yieldNow();
                assertTrue(putTask.isDone());
                CompletionException e = assertThrows(CompletionException.class, putTask::join);
                assertEquals("Queue.put: the queue was shut down while this coroutine waited for room; its item was not queued",
                        e.getCause().getMessage());

                assertEquals("data", q.take()); // queued before the shutdown: still handed out
                yieldNow();
                assertFalse(joinTask.isDone());

                assertThrows(QueueShutDownException.class, () -> q.put("data"));
                assertThrows(QueueShutDownException.class, () -> q.offer("data"));
                assertThrows(QueueShutDownException.class, q::take);
                assertThrows(QueueShutDownException.class, q::poll);

                q.taskDone();
                yieldNow();
                assertTrue(joinTask.isDone());
                joinTask.join();
                assertThrows(IllegalStateException.class, q::taskDone);
            });
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueShutdownTestMixin.test_shutdown_immediate
    @MethodSource("kinds")
    void test_shutdown_immediate(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                q.offer("data");
                Task<Void> joinTask = spawn("join", q::join);
                assertEquals(List.of("data"), q.shutdown(true)); // the dropped items are handed back
                assertEquals(0, q.size());
                yieldNow();
                assertTrue(joinTask.isDone());
                joinTask.join();

                assertThrows(QueueShutDownException.class, () -> q.put("data"));
                assertThrows(QueueShutDownException.class, () -> q.offer("data"));
                assertThrows(QueueShutDownException.class, q::take);
                assertThrows(QueueShutDownException.class, q::poll);
                assertThrows(IllegalStateException.class, q::taskDone);
            });
        }
    }

    @ParameterizedTest(name = "{0}") // asyncio test_queues._QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished
    @MethodSource("kinds")
    void test_shutdown_immediate_with_unfinished(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                q.offer("data");
                q.offer("data");
                Task<Void> joinTask = spawn("join", q::join);
                assertEquals("data", q.take());
                assertEquals(List.of("data"), q.shutdown(true));
                assertEquals(0, q.size());
                yieldNow();
                assertFalse(joinTask.isDone()); // the item taken is not done yet

                assertThrows(QueueShutDownException.class, () -> q.put("data"));
                assertThrows(QueueShutDownException.class, () -> q.offer("data"));
                assertThrows(QueueShutDownException.class, q::take);
                assertThrows(QueueShutDownException.class, q::poll);

                q.taskDone();
                assertThrows(IllegalStateException.class, q::taskDone);
                yieldNow();
                assertTrue(joinTask.isDone());
                joinTask.join();
            });
        }
    }

    // The items in each order after a shutdown: what is queued still comes out in the queue's order.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void itemsQueuedBeforeShutdownComeOutInTheQueuesOrder(String kind, IntFunction<Queue<String>> make) {
        try (Loop loop = virtualLoop()) {
            List<String> out = runMain(loop, () -> {
                Queue<String> q = make.apply(0);
                for (String s : List.of("b", "c", "a")) {
                    q.put(s);
                }
                q.shutdown();
                List<String> taken = new ArrayList<>();
                try {
                    while (true) {
                        taken.add(q.take());
                    }
                } catch (QueueShutDownException drained) {
                    return taken;
                }
            });
            List<String> expected = switch (kind) {
                case "Queue" -> List.of("b", "c", "a");
                case "LifoQueue" -> List.of("a", "c", "b");
                default -> List.of("a", "b", "c");
            };
            assertEquals(expected, out);
        }
    }

    // Every waiter is woken by a shutdown, in the order it waited, each with the exception.
    @Test
    void shutdownWakesEveryWaitingTakerInOrderWithTheException() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                Queue<String> q = Queue.unbounded();
                List<Task<Void>> takers = new ArrayList<>();
                for (String name : List.of("t1", "t2", "t3")) {
                    takers.add(spawn(name, () -> {
                        try {
                            q.take();
                        } catch (QueueShutDownException e) {
                            trail.add(name + " shut down");
                        }
                    }));
                }
                sleepMillis(1000);
                q.shutdown();
                for (Task<Void> t : takers) {
                    t.join();
                }
            });
            assertEquals(List.of("t1 shut down@1000", "t2 shut down@1000", "t3 shut down@1000"), trail.events());
        }
    }

    // The hand-over rule holds for every order: an item handed to a cancelled taker is returned to it.
    @Test
    void anItemHandedToATakerCancelledBeforeItResumesIsNotLost() {
        try (Loop loop = virtualLoop()) {
            Trail trail = new Trail(loop);
            runMain(loop, () -> {
                Queue<Integer> q = Queue.priority(Comparator.naturalOrder());
                Task<Void> taker = spawn("taker", () -> {
                    int item = q.take();
                    trail.add("took " + item);
                    q.taskDone();
                    yieldNow();
                    trail.add("not reached");
                });
                yieldNow();
                q.put(7);
                taker.cancel();
                assertThrows(CancellationException.class, taker::join);
                q.join();
                assertNull(q.poll());
            });
            assertEquals(List.of("took 7@0"), trail.events());
        }
    }

    @Test
    void factoriesCheckTheirArguments() {
        assertEquals("Queue.lifo: capacity must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Queue.lifo(0)).getMessage());
        assertEquals("Queue.priority: capacity must be at least 1, was -1",
                assertThrows(IllegalArgumentException.class,
                        () -> Queue.<String>priority(Comparator.naturalOrder(), -1)).getMessage());
        assertThrows(NullPointerException.class, () -> Queue.priority(null));
    }
}
