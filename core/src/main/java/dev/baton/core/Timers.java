package dev.baton.core;

import java.util.PriorityQueue;

/**
 * A loop's pending timers, by deadline and then by the order they were scheduled (a sequence
 * number breaks ties: FIFO). Cancelled timers stay in the heap until they reach its head, unless
 * they come to outnumber the live ones: then the heap is rebuilt without them (as asyncio does),
 * so a loop that keeps cancelling long timers holds memory for its live timers only. Baton holder
 * only.
 */
final class Timers {
    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    /** The sequence number of the next timer. */
    private long sequence;
    /** Cancelled entries still in the heap. */
    private int cancelled;

    /** A new timer; one at {@link Scheduler#NEVER} is never due, so it is kept out of the heap (but can be cancelled). */
    Entry add(long deadline, Object action) {
        Entry entry = new Entry(deadline, sequence++, action);
        if (deadline != Scheduler.NEVER) {
            entry.heap = this;
            heap.add(entry);
        }
        return entry;
    }

    /** One of this heap's entries was cancelled; rebuilds the heap once they are over half of it. */
    void cancelled() {
        cancelled++;
        if (cancelled * 2 > heap.size()) {
            heap.removeIf(entry -> {
                if (entry.cancelled) {
                    entry.heap = null;
                    return true;
                }
                return false;
            });
            cancelled = 0;
        }
    }

    /** The earliest live timer due at or before {@code limit}, taken out; null if none. Drops cancelled heads. */
    Entry pollDue(long limit) {
        Entry head;
        while ((head = heap.peek()) != null && (head.cancelled || head.deadline <= limit)) {
            heap.poll();
            head.heap = null;
            if (head.cancelled) {
                cancelled--;
                continue;
            }
            return head;
        }
        return null;
    }

    /** The deadline of the earliest timer (perhaps a cancelled one), or {@link Scheduler#NEVER}. */
    long nextDeadline() {
        Entry head = heap.peek();
        return head == null ? Scheduler.NEVER : head.deadline;
    }

    /** Cancels the timers that close() drops: the users' callbacks. */
    void dropUserCallbacks() {
        for (Entry timer : heap) {
            if (timer.dropOnClose) {
                timer.cancelled = true;
            }
        }
    }

    /**
     * Whether a live timer is foreground work: it runs a callback, or wakes a coroutine whose task
     * {@code background} does not accept.
     */
    boolean hasForeground(java.util.function.Predicate<Task<?>> background) {
        for (Entry timer : heap) {
            if (!timer.cancelled && !(timer.action instanceof Coroutine c && background.test(c.task))) {
                return true;
            }
        }
        return false;
    }

    /** How many entries the heap holds, cancelled ones included. */
    int size() {
        return heap.size();
    }

    void clear() {
        heap.clear();
        cancelled = 0;
    }
}
