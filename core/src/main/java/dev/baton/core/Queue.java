package dev.baton.core;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A queue between coroutines: asyncio's {@code Queue}, {@code LifoQueue} and {@code
 * PriorityQueue}. {@link #take()} suspends while the queue is empty; on a bounded queue {@link
 * #put(Object)} suspends while it is full.
 *
 * <p>Ordering: {@link #bounded(int)} and {@link #unbounded()} are FIFO; {@link #lifo()} hands out
 * the newest item first; {@link #priority(Comparator)} the least item by its comparator, and among
 * equal items the oldest first. Waiting takers are served, and waiting putters are let in, in the
 * order they started waiting. An item handed to a taker that is cancelled before it resumes is
 * still returned to it (the cancellation comes at its next suspension point), so no item is ever
 * lost; likewise a putter whose item was accepted returns.
 *
 * <p>Work tracking, as in asyncio: every item accepted counts as unfinished until a consumer calls
 * {@link #taskDone()} for it; {@link #join()} waits until none is unfinished.
 *
 * <p>Shutting down (Python 3.13): after {@link #shutdown()}, {@code put} and {@code offer} throw
 * {@link QueueShutDownException}; {@code take} and {@code poll} still return the items already
 * queued and throw once the queue is empty. The coroutines waiting in {@code put} and {@code take}
 * are woken with that exception; a waiting putter's item is not queued. {@link #shutdown(boolean)
 * shutdown(true)} also removes the queued items (and counts them done) and returns them, so none is
 * dropped unseen.
 *
 * <p>Loop-local, like {@link Event}: waiting suspends the coroutine, never the carrier thread. From
 * another thread, use {@code loop.execute(() -> queue.offer(item))}.
 *
 * @param <T> the type of the items; null is not allowed
 */
public final class Queue<T> {
    /*
     * Takers wait only while `items` is empty, putters only while it is full, so an item put while
     * a taker waits goes straight to it whatever the order. The three orders differ only in the
     * java.util.Queue that holds the items.
     */
    private final LoopBound bound = new LoopBound("Queue");
    private final int capacity;
    /** Items in the queue, in the order they come out. Baton holder only. */
    private final java.util.Queue<T> items;
    /** Coroutines in take(); only while `items` is empty. */
    private final WaitQueue takers = new WaitQueue("waiting in Queue.take()");
    /** Coroutines in put(), each holding its item; only while `items` is full. */
    private final WaitQueue putters = new WaitQueue("waiting in Queue.put()");
    /** Coroutines in join(); only while `unfinished > 0`. */
    private final WaitQueue joiners = new WaitQueue(() -> "waiting in Queue.join() for " + unfinished() + " unfinished items");
    /** Items accepted and not yet marked done by taskDone(). Baton holder only. */
    private int unfinished;
    /** Set once by shutdown(). Baton holder only. */
    private boolean shutDown;

    private Queue(int capacity, java.util.Queue<T> items) {
        this.capacity = capacity;
        this.items = items;
    }

    /**
     * A FIFO queue that holds at most {@code capacity} items.
     *
     * @param <T> the type of the items
     * @param capacity the most items the queue holds; at least 1
     * @return a new queue, empty and open, bound to no loop until first used
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Queue<T> bounded(int capacity) {
        return new Queue<>(checkCapacity("bounded", capacity), new ArrayDeque<>());
    }

    /**
     * A FIFO queue with no bound: {@link #put(Object)} never suspends.
     *
     * @param <T> the type of the items
     * @return a new queue, empty and open, bound to no loop until first used
     */
    public static <T> Queue<T> unbounded() {
        return new Queue<>(Integer.MAX_VALUE, new ArrayDeque<>());
    }

    /**
     * A LIFO queue (asyncio's {@code LifoQueue}) with no bound: the newest item comes out first.
     *
     * @param <T> the type of the items
     * @return a new queue, empty and open, bound to no loop until first used
     */
    public static <T> Queue<T> lifo() {
        return new Queue<>(Integer.MAX_VALUE, Collections.asLifoQueue(new ArrayDeque<>()));
    }

    /**
     * A LIFO queue that holds at most {@code capacity} items.
     *
     * @param <T> the type of the items
     * @param capacity the most items the queue holds; at least 1
     * @return a new queue, empty and open, bound to no loop until first used
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Queue<T> lifo(int capacity) {
        return new Queue<>(checkCapacity("lifo", capacity), Collections.asLifoQueue(new ArrayDeque<>()));
    }

    /**
     * A priority queue (asyncio's {@code PriorityQueue}) with no bound: the least item by {@code
     * order} comes out first, and among equal items the one put first. Use {@link
     * Comparator#naturalOrder()} for comparable items.
     *
     * @param <T> the type of the items
     * @param order the order in which items come out, least first
     * @return a new queue, empty and open, bound to no loop until first used
     * @throws NullPointerException if {@code order} is null
     */
    public static <T> Queue<T> priority(Comparator<? super T> order) {
        return new Queue<>(Integer.MAX_VALUE, new StablePriority<>(order));
    }

    /**
     * A priority queue that holds at most {@code capacity} items.
     *
     * @param <T> the type of the items
     * @param order the order in which items come out, least first; equal items in the order put
     * @param capacity the most items the queue holds; at least 1
     * @return a new queue, empty and open, bound to no loop until first used
     * @throws NullPointerException if {@code order} is null
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Queue<T> priority(Comparator<? super T> order, int capacity) {
        return new Queue<>(checkCapacity("priority", capacity), new StablePriority<>(order));
    }

    /**
     * Adds {@code item}, suspending the calling coroutine while the queue is full.
     *
     * @param item the item to add; handed straight to a waiting taker if there is one
     * @throws NullPointerException if {@code item} is null
     * @throws QueueShutDownException if the queue is shut down, now or while this waits (the item
     *     is then not in the queue)
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before the
     *     item is accepted (the item is then not in the queue)
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public void put(T item) {
        Objects.requireNonNull(item, "Queue.put: item must not be null");
        Coroutine self = bound.waiter("put");
        checkOpen("put");
        if (!accept(item)) {
            if (putters.await(self, item).refused) {
                throw new QueueShutDownException("Queue.put: the queue was shut down while this coroutine waited"
                        + " for room; its item was not queued");
            }
        }
    }

    /**
     * Adds {@code item} if there is room now; never suspends.
     *
     * @param item the item to add; not null
     * @return whether the item was accepted
     * @throws QueueShutDownException if the queue is shut down
     */
    public boolean offer(T item) {
        Objects.requireNonNull(item, "Queue.offer: item must not be null");
        bound.check("offer");
        checkOpen("offer");
        return accept(item);
    }

    /**
     * Removes and returns the next item, suspending the calling coroutine while the queue is empty.
     *
     * @return the next item in the queue's order; never null
     * @throws QueueShutDownException if the queue is shut down and empty, now or while this waits
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before an
     *     item is handed to it
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    @SuppressWarnings("unchecked")
    public T take() {
        Coroutine self = bound.waiter("take");
        T item = removeNext();
        if (item != null) {
            return item;
        }
        checkNotDrained("take");
        WaitQueue.Node node = takers.await(self, null);
        if (node.refused) {
            throw new QueueShutDownException("Queue.take: the queue was shut down while this coroutine waited"
                    + " for an item; no more will come");
        }
        return (T) node.item;
    }

    /**
     * Removes and returns the next item, or null if the queue is empty; never suspends.
     *
     * @return the next item in the queue's order, or null if there is none
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public T poll() {
        bound.check("poll");
        T item = removeNext();
        if (item == null) {
            checkNotDrained("poll");
        }
        return item;
    }

    /**
     * Marks one item taken earlier as processed (asyncio's {@code task_done}). When every accepted
     * item has been marked, the coroutines in {@link #join()} resume.
     *
     * @throws IllegalStateException if called more times than items were accepted
     */
    public void taskDone() {
        bound.check("taskDone");
        if (unfinished == 0) {
            throw new IllegalStateException("Queue.taskDone: called more times than items were put;"
                    + " no item is unfinished");
        }
        finish(1);
    }

    /**
     * Suspends the calling coroutine until every item accepted so far has been marked with {@link
     * #taskDone()} (or removed by {@link #shutdown(boolean) shutdown(true)}); returns at once if
     * none is unfinished. Shutting down does not end a join by itself.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled first
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public void join() {
        Coroutine self = bound.waiter("join");
        if (unfinished > 0) {
            joiners.await(self, null);
        }
    }

    /**
     * Shuts the queue down, keeping the queued items for takers; same as {@code shutdown(false)}.
     */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13's {@code Queue.shutdown}): from now on {@code put} and
     * {@code offer} throw {@link QueueShutDownException}, and the coroutines waiting in {@code put}
     * are woken with it. If {@code immediate}, the queued items are removed and counted done (a
     * {@link #join()} ends once the items already taken are done), and returned; otherwise takers
     * still get them. Either way the coroutines waiting in {@code take} are woken with the
     * exception (they wait only while the queue is empty). Calling it again does nothing more,
     * except that {@code shutdown(true)} removes what is left. Never suspends.
     *
     * @param immediate whether to remove the queued items now, rather than leave them for takers
     * @return the items removed, in the order they would have come out; empty unless {@code
     *     immediate}
     */
    public List<T> shutdown(boolean immediate) {
        bound.check("shutdown");
        shutDown = true;
        List<T> removed = new ArrayList<>();
        if (immediate) {
            for (T item = items.poll(); item != null; item = items.poll()) {
                removed.add(item);
            }
            if (!removed.isEmpty()) {
                finish(Math.min(removed.size(), unfinished));
            }
        }
        takers.refuseAll();
        putters.refuseAll();
        return removed;
    }

    /**
     * Whether {@link #shutdown()} has been called.
     *
     * @return true once either {@code shutdown} method has been called; it stays true
     */
    public boolean isShutDown() {
        return shutDown;
    }

    /**
     * How many items are in the queue.
     *
     * @return the items queued now; items of putters still waiting for room are not counted
     */
    public int size() {
        return items.size();
    }

    /**
     * How many items the queue holds at most ({@link Integer#MAX_VALUE} if unbounded).
     *
     * @return the capacity given to the factory, or {@link Integer#MAX_VALUE}
     */
    public int capacity() {
        return capacity;
    }

    /**
     * How many accepted items have not been marked with {@link #taskDone()}.
     *
     * @return the items accepted and not yet marked done (nor removed by {@code shutdown(true)});
     *     {@link #join()} returns when this is 0
     */
    public int unfinished() {
        return unfinished;
    }

    @Override
    public String toString() {
        return "Queue[" + items.size() + "/" + (capacity == Integer.MAX_VALUE ? "unbounded" : capacity)
                + ", " + takers.size() + " taking, " + putters.size() + " putting, " + unfinished + " unfinished"
                + (shutDown ? ", shut down" : "") + "]";
    }

    private static int checkCapacity(String factory, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Queue." + factory + ": capacity must be at least 1, was " + capacity);
        }
        return capacity;
    }

    private void checkOpen(String operation) {
        if (shutDown) {
            throw new QueueShutDownException("Queue." + operation + ": the queue is shut down; it accepts no more items");
        }
    }

    private void checkNotDrained(String operation) {
        if (shutDown) {
            throw new QueueShutDownException("Queue." + operation + ": the queue is shut down and empty;"
                    + " no more items will come");
        }
    }

    /** Hands {@code item} to a waiting taker, or stores it if there is room and no putter is ahead. */
    private boolean accept(T item) {
        WaitQueue.Node taker = takers.grantFirst();
        if (taker != null) {
            taker.item = item;
            unfinished++;
            return true;
        }
        if (items.size() < capacity && putters.isEmpty()) {
            items.add(item);
            unfinished++;
            return true;
        }
        return false;
    }

    /** The next item, letting the first waiting putter's item in; null if empty. */
    @SuppressWarnings("unchecked")
    private T removeNext() {
        T item = items.poll();
        if (item != null) {
            WaitQueue.Node putter = putters.grantFirst();
            if (putter != null) {
                items.add((T) putter.item);
                unfinished++;
            }
        }
        return item;
    }

    private void finish(int count) {
        unfinished -= count;
        if (unfinished == 0) {
            while (joiners.grantFirst() != null) {
                // every joiner resumes, in the order it started waiting
            }
        }
    }

    /** A priority order that breaks ties by arrival, so equal items come out first in, first out. */
    private static final class StablePriority<T> extends AbstractQueue<T> {
        private record Entry<T>(T item, long seq) {
        }

        private final PriorityQueue<Entry<T>> heap;
        /** The next arrival number. */
        private long nextSeq;

        StablePriority(Comparator<? super T> order) {
            Objects.requireNonNull(order, "Queue.priority: order must not be null");
            Comparator<Entry<T>> byItem = (a, b) -> order.compare(a.item, b.item);
            heap = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
        }

        @Override
        public boolean offer(T item) {
            return heap.add(new Entry<>(item, nextSeq++));
        }

        @Override
        public T poll() {
            Entry<T> entry = heap.poll();
            return entry == null ? null : entry.item;
        }

        @Override
        public T peek() {
            Entry<T> entry = heap.peek();
            return entry == null ? null : entry.item;
        }

        @Override
        public int size() {
            return heap.size();
        }

        @Override
        public Iterator<T> iterator() {
            Iterator<Entry<T>> entries = heap.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public T next() {
                    return entries.next().item;
                }
            };
        }
    }
}
