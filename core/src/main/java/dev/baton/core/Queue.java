package dev.baton.core;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A FIFO queue between coroutines: asyncio's {@code Queue}. {@link #take()} suspends while the
 * queue is empty; on a bounded queue {@link #put(Object)} suspends while it is full.
 *
 * <p>Ordering: items come out in the order they were put; waiting takers are served, and waiting
 * putters are let in, in the order they started waiting. An item handed to a taker that is
 * cancelled before it resumes is still returned to it (the cancellation comes at its next
 * suspension point), so no item is ever lost; likewise a putter whose item was accepted returns.
 *
 * <p>Scheduler-local, like {@link Event}: waiting suspends the coroutine, never the carrier thread. From
 * another thread, use {@code loop.execute(() -> queue.offer(item))}.
 *
 * @param <T> the type of the items; null is not allowed
 */
public final class Queue<T> {
    private final LoopBound bound = new LoopBound("Queue");
    private final int capacity;
    /** Items in the queue. Baton holder only. */
    private final ArrayDeque<T> items = new ArrayDeque<>();
    /** Coroutines in take(); only while `items` is empty. */
    private final WaitQueue takers = new WaitQueue("waiting in Queue.take()");
    /** Coroutines in put(), each holding its item; only while `items` is full. */
    private final WaitQueue putters = new WaitQueue("waiting in Queue.put()");

    private Queue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A queue that holds at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Queue<T> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Queue.bounded: capacity must be at least 1, was " + capacity);
        }
        return new Queue<>(capacity);
    }

    /** A queue with no bound: {@link #put(Object)} never suspends. */
    public static <T> Queue<T> unbounded() {
        return new Queue<>(Integer.MAX_VALUE);
    }

    /**
     * Adds {@code item} at the end, suspending the calling coroutine while the queue is full.
     *
     * @throws NullPointerException if {@code item} is null
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before the
     *     item is accepted (the item is then not in the queue)
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public void put(T item) {
        Objects.requireNonNull(item, "Queue.put: item must not be null");
        Coroutine self = bound.waiter("put");
        if (!accept(item)) {
            putters.await(self, item);
        }
    }

    /** Adds {@code item} if there is room now; never suspends. */
    public boolean offer(T item) {
        Objects.requireNonNull(item, "Queue.offer: item must not be null");
        bound.check("offer");
        return accept(item);
    }

    /**
     * Removes and returns the first item, suspending the calling coroutine while the queue is empty.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled before an
     *     item is handed to it
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    @SuppressWarnings("unchecked")
    public T take() {
        Coroutine self = bound.waiter("take");
        T item = removeFirst();
        return item != null ? item : (T) takers.await(self, null).item;
    }

    /** Removes and returns the first item, or null if the queue is empty; never suspends. */
    public T poll() {
        bound.check("poll");
        return removeFirst();
    }

    /** How many items are in the queue. */
    public int size() {
        return items.size();
    }

    /** How many items the queue holds at most ({@link Integer#MAX_VALUE} if unbounded). */
    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "Queue[" + items.size() + "/" + (capacity == Integer.MAX_VALUE ? "unbounded" : capacity)
                + ", " + takers.size() + " taking, " + putters.size() + " putting]";
    }

    /** Hands {@code item} to a waiting taker, or stores it if there is room and no putter is ahead. */
    private boolean accept(T item) {
        WaitQueue.Node taker = takers.grantFirst();
        if (taker != null) {
            taker.item = item;
            return true;
        }
        if (items.size() < capacity && putters.isEmpty()) {
            items.addLast(item);
            return true;
        }
        return false;
    }

    /** The first item, letting the first waiting putter's item in behind; null if empty. */
    @SuppressWarnings("unchecked")
    private T removeFirst() {
        T item = items.pollFirst();
        if (item != null) {
            WaitQueue.Node putter = putters.grantFirst();
            if (putter != null) {
                items.addLast((T) putter.item);
            }
        }
        return item;
    }
}
