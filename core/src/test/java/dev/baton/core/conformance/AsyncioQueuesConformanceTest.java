package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Queue;
import dev.baton.core.Task;
import dev.baton.core.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * asyncio's test_queues.py, the basic put/get, bounded and cancellation parts, ported to
 * {@link Queue}.
 *
 * <p>Skipped families, and why: LifoQueue and PriorityQueue (test_order of those classes: Baton's
 * queue is FIFO only); task_done/join (_QueueJoinTestMixin) and shutdown (_QueueShutdownTestMixin):
 * not in Baton; float maxsize and generic alias (no Java counterpart).
 */
class AsyncioQueuesConformanceTest {

    @Test
    // test_queues.py::QueueBasicTests::test_empty
    void test_empty() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertEquals(0, q.size());
                q.put(1);
                assertEquals(1, q.size());
                assertEquals(1, q.take());
                assertEquals(0, q.size());
            }));
        }
    }

    @Test
    // test_queues.py::QueueBasicTests::test_full
    void test_full() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            loop.runUntilComplete(loop.spawn("main", () -> {
                q.put(1);
                assertEquals(q.capacity(), q.size());
                assertFalse(q.offer(2));
            }));
        }
    }

    @Test
    // test_queues.py::QueueBasicTests::test_order
    void test_order() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            List<Integer> items = loop.runUntilComplete(loop.spawn("main", () -> {
                for (int i : List.of(1, 3, 2)) {
                    q.put(i);
                }
                return List.of(q.take(), q.take(), q.take());
            }));
            assertEquals(List.of(1, 3, 2), items);
        }
    }

    @Test
    // test_queues.py::QueueBasicTests::test_maxsize
    void test_maxsize() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(2);
            List<Integer> haveBeenPut = new ArrayList<>();
            Task<Boolean> t = loop.spawn("putter", () -> {
                for (int i = 0; i < 3; i++) {
                    q.put(i);
                    haveBeenPut.add(i);
                }
                return true;
            });
            loop.runUntilComplete(loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                Loop.sleep(Duration.ZERO);
                assertEquals(List.of(0, 1), haveBeenPut);
                assertEquals(0, q.take());
                Loop.sleep(Duration.ZERO);
                assertEquals(List.of(0, 1, 2), haveBeenPut);
                assertEquals(1, q.take());
                assertEquals(2, q.take());
            }));
            assertTrue(t.isDone());
            assertTrue(t.toCompletableFuture().join());
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_blocking_get
    void test_blocking_get() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            assertEquals(1, loop.runUntilComplete(loop.spawn("main", () -> {
                q.offer(1);
                return q.take();
            })));
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_blocking_get_wait
    void test_blocking_get_wait() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Queue<Integer> q = Queue.unbounded();
            Task<Integer> getter = loop.spawn("queue_get", () -> {
                trace.record("started");
                int res = q.take();
                trace.record("finished");
                return res;
            });
            loop.callLater(ms(10), () -> q.offer(1));
            assertEquals(1, loop.runUntilComplete(getter));
            assertEquals(List.of("started@0", "finished@10"), trace.events());
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_nonblocking_get
    void test_nonblocking_get() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            assertEquals(1, loop.runUntilComplete(loop.spawn("main", () -> {
                q.offer(1);
                return q.poll();
            })));
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_nonblocking_get_exception
    void test_nonblocking_get_exception() {
        // asyncio raises QueueEmpty; Baton's poll() returns null, as java.util.Queue's does.
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            assertNull(loop.runUntilComplete(loop.spawn("main", q::poll)));
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_get_cancelled_race
    void test_get_cancelled_race() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> q = Queue.unbounded();
            Task<String> t1 = loop.spawn("t1", q::take);
            Task<String> t2 = loop.spawn("t2", q::take);
            Task<String> main = loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                t1.cancel();
                Loop.sleep(Duration.ZERO);
                assertTrue(t1.isDone());
                q.put("a");
                Loop.sleep(Duration.ZERO);
                return t2.join();
            });
            assertEquals("a", loop.runUntilComplete(main));
            assertTrue(t1.isCancelled());
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_get_with_waiting_putters
    void test_get_with_waiting_putters() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> q = Queue.bounded(1);
            loop.spawn("put a", () -> q.put("a"));
            loop.spawn("put b", () -> q.put("b"));
            assertEquals(List.of("a", "b"), loop.runUntilComplete(loop.spawn("main", () -> List.of(q.take(), q.take()))));
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_why_are_getters_waiting
    void test_why_are_getters_waiting() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            List<Integer> got = new ArrayList<>();
            loop.runUntilComplete(loop.spawn("main", () -> TaskGroup.run(tg -> {
                tg.spawn("producer", () -> {
                    for (int i = 0; i < 5; i++) {
                        q.put(i);
                    }
                });
                tg.spawn("consumer", () -> {
                    for (int i = 0; i < 5; i++) {
                        got.add(q.take());
                    }
                });
                return null;
            })));
            assertEquals(List.of(0, 1, 2, 3, 4), got);
        }
    }

    @Test
    // test_queues.py::QueueGetTests::test_cancelled_getters_not_being_held_in_self_getters
    void test_cancelled_getters_not_being_held_in_self_getters() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(5);
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(ms(100), q::take));
            }));
            assertEquals("Queue[0/5, 0 taking, 0 putting, 0 unfinished]", q.toString());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_blocking_put
    void test_blocking_put() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            assertEquals(1, loop.runUntilComplete(loop.spawn("main", () -> {
                q.put(1);
                return q.take();
            })));
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_blocking_put_wait
    void test_blocking_put_wait() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Queue<Integer> q = Queue.bounded(1);
            loop.callLater(ms(10), q::poll);
            Task<Void> putter = loop.spawn("queue_put", () -> {
                trace.record("started");
                q.put(1);
                q.put(2);
                trace.record("finished");
            });
            loop.runUntilComplete(putter);
            assertEquals(List.of("started@0", "finished@10"), trace.events());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_nonblocking_put_exception
    void test_nonblocking_put_exception() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            assertFalse(loop.runUntilComplete(loop.spawn("main", () -> q.offer(1) && q.offer(2))));
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_get_cancel_drop_one_pending_reader
    void test_get_cancel_drop_one_pending_reader() {
        // R1: the reader was handed 1 before its cancel took effect; it completes with 1.
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            Task<Integer> reader = loop.spawn("reader", q::take);
            Task<Integer> main = loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                q.offer(1);
                q.offer(2);
                reader.cancel();
                try {
                    return reader.join();
                } catch (CancellationException e) {
                    return loop.spawn("reader again", q::take).join();
                }
            });
            assertEquals(1, loop.runUntilComplete(main), "if we get 2, 1 was dropped");
            assertFalse(reader.isCancelled());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_get_cancel_drop_many_pending_readers
    void test_get_cancel_drop_many_pending_readers() {
        // Differs: asyncio's reader1 ends cancelled and its item goes to reader3; Baton's reader1
        // was handed 1 and completes with it (R1), reader2 gets 2, and reader3 is still waiting.
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            Task<Integer> reader1 = loop.spawn("reader1", q::take);
            Task<Integer> reader2 = loop.spawn("reader2", q::take);
            Task<Integer> reader3 = loop.spawn("reader3", q::take);
            Task<List<Integer>> main = loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                q.offer(1);
                q.offer(2);
                reader1.cancel();
                return List.of(reader1.join(), reader2.join());
            });
            assertEquals(List.of(1, 2), loop.runUntilComplete(main));
            assertFalse(reader3.isDone());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_put_cancel_drop
    void test_put_cancel_drop() {
        // R1: the writer's item was accepted before the cancel took effect; its put returns.
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            List<Task<Void>> writer = new ArrayList<>();
            Task<Void> main = loop.spawn("main", () -> {
                q.offer(1);
                writer.add(loop.spawn("writer", () -> q.put(2)));
                Loop.sleep(Duration.ZERO); // the writer now waits: the queue is full
                assertEquals(1, q.poll()); // lets the writer's 2 in
                writer.get(0).cancel();
                try {
                    writer.get(0).join();
                } catch (CancellationException e) {
                    loop.spawn("writer again", () -> q.put(2)).join();
                }
                assertEquals(2, q.poll());
                assertEquals(0, q.size());
            });
            loop.runUntilComplete(main);
            assertFalse(writer.get(0).isCancelled());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_put_cancelled
    void test_put_cancelled() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.unbounded();
            Task<Boolean> t = loop.spawn("queue_put", () -> {
                q.put(1);
                return true;
            });
            assertEquals(1, loop.runUntilComplete(loop.spawn("main", q::take)));
            assertTrue(t.isDone());
            assertTrue(t.toCompletableFuture().join());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_put_cancelled_race
    void test_put_cancelled_race() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> q = Queue.bounded(1);
            Task<Void> putA = loop.spawn("put a", () -> q.put("a"));
            Task<Void> putB = loop.spawn("put b", () -> q.put("b"));
            Task<Void> putC = loop.spawn("put c", () -> q.put("X"));
            loop.runUntilComplete(loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                assertTrue(putA.isDone());
                assertFalse(putB.isDone());
                putC.cancel();
                Loop.sleep(Duration.ZERO);
                assertTrue(putC.isDone());
                assertEquals("a", q.poll());
                Loop.sleep(Duration.ZERO);
                assertEquals("b", q.poll());
                putB.join();
            }));
            assertTrue(putC.isCancelled());
            assertEquals(0, q.size());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_put_with_waiting_getters
    void test_put_with_waiting_getters() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<String> q = Queue.unbounded();
            Task<String> t = loop.spawn("get", q::take);
            assertEquals("a", loop.runUntilComplete(loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                q.put("a");
                return t.join();
            })));
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_why_are_putters_waiting
    void test_why_are_putters_waiting() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(2);
            List<Integer> got = new ArrayList<>();
            loop.runUntilComplete(loop.spawn("main", () -> TaskGroup.run(tg -> {
                tg.spawn("getter", () -> {
                    Loop.sleep(Duration.ZERO);
                    int num = q.size();
                    for (int i = 0; i < num; i++) {
                        got.add(q.poll());
                    }
                });
                for (int i = 0; i < 4; i++) {
                    int item = i;
                    tg.spawn("putter " + i, () -> q.put(item));
                }
                return null;
            })));
            assertEquals(List.of(0, 1), got);
            assertEquals(2, q.size(), "the last two putters got in once the getter made room");
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_cancelled_puts_not_being_held_in_self_putters
    void test_cancelled_puts_not_being_held_in_self_putters() {
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            loop.runUntilComplete(loop.spawn("fill", () -> {
                q.offer(1);
            }));
            Task<Void> putTask = loop.spawn("put", () -> q.put(1));
            loop.runUntilIdle();
            assertEquals("Queue[1/1, 0 taking, 1 putting, 1 unfinished]", q.toString());
            putTask.cancel();
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(putTask));
            assertEquals("Queue[1/1, 0 taking, 0 putting, 1 unfinished]", q.toString());
        }
    }

    @Test
    // test_queues.py::QueuePutTests::test_cancelled_put_silence_value_error_exception
    void test_cancelled_put_silence_value_error_exception() {
        // Differs: asyncio's put, whose item was let in by get_nowait() just before the cancel,
        // raises CancelledError; Baton's put returns (its item is in the queue) and the task
        // completes (R1), so the task's outcome matches the queue's content.
        try (Loop loop = Trace.virtualLoop()) {
            Queue<Integer> q = Queue.bounded(1);
            loop.runUntilComplete(loop.spawn("fill", () -> {
                q.offer(1);
            }));
            Task<Void> putTask = loop.spawn("put", () -> q.put(2));
            loop.runUntilIdle();
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertEquals(1, q.poll());
                putTask.cancel();
            }));
            loop.runUntilComplete(putTask);
            assertFalse(putTask.isCancelled());
            assertEquals(List.of(2), List.of(q.poll()));
        }
    }
}
