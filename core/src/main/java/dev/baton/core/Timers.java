package dev.baton.core;

import java.util.Arrays;

/**
 * A loop's pending timers, by deadline and then by the order they were scheduled (a sequence
 * number breaks ties: FIFO). A binary heap in an array, in which each timer knows its slot, so a
 * cancelled timer leaves the heap at once, in O(log n), and a loop that keeps cancelling long
 * timers holds memory for its live timers only. Baton holder only.
 */
final class Timers {
    /*
     * Design notes. java.util.PriorityQueue served before; it cannot remove an element in less than
     * a linear search, so cancelled timers stayed in it until they reached its head or outnumbered
     * the live ones. Knowing the slot also lets a sleeping coroutine be its own timer (it is in the
     * heap at most once at a time), which takes an allocation out of every sleep.
     */

    private static final int INITIAL = 64;

    private Timer[] heap = new Timer[INITIAL];
    private int size;
    /** The sequence number of the next timer. */
    private long sequence;

    /**
     * Schedules {@code timer}, which must not be pending, at {@code deadline}. One at
     * {@link Scheduler#NEVER} is never due, so it is kept out of the heap.
     */
    void add(Timer timer, long deadline) {
        timer.deadline = deadline;
        timer.sequence = sequence++;
        if (deadline == Scheduler.NEVER) {
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, timer);
    }

    /** Takes {@code timer} out of the heap; false if it was not in it. */
    boolean remove(Timer timer) {
        int i = timer.slot;
        if (i < 0 || i >= size || heap[i] != timer) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** The earliest timer due at or before {@code limit}, taken out; null if none. */
    Timer pollDue(long limit) {
        if (size == 0) {
            return null;
        }
        Timer head = heap[0];
        if (head.deadline > limit) {
            return null;
        }
        removeAt(0);
        return head;
    }

    /** The deadline of the earliest timer, or {@link Scheduler#NEVER}. */
    long nextDeadline() {
        return size == 0 ? Scheduler.NEVER : heap[0].deadline;
    }

    /** Cancels the timers that close() drops: the users' callbacks. */
    void dropUserCallbacks() {
        for (int i = size - 1; i >= 0; i--) {
            if (i < size && heap[i] instanceof Entry entry && entry.dropOnClose) {
                entry.cancel();
            }
        }
    }

    /**
     * Whether a pending timer is foreground work: it runs a callback, or wakes a coroutine whose
     * task {@code background} does not accept.
     */
    boolean hasForeground(java.util.function.Predicate<Task<?>> background) {
        for (int i = 0; i < size; i++) {
            if (!(heap[i] instanceof Coroutine c && background.test(c.task))) {
                return true;
            }
        }
        return false;
    }

    /** How many timers are pending. */
    int size() {
        return size;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].slot = -1;
        }
        heap = new Timer[INITIAL];
        size = 0;
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        removed.slot = -1;
        int last = --size;
        Timer moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        if (heap.length > INITIAL && size < heap.length >>> 2) {
            heap = Arrays.copyOf(heap, heap.length >>> 1); // a burst of timers does not hold its array
        }
    }

    private void siftUp(int i, Timer timer) {
        Timer[] h = heap;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = h[parent];
            if (!timer.isBefore(p)) {
                break;
            }
            h[i] = p;
            p.slot = i;
            i = parent;
        }
        h[i] = timer;
        timer.slot = i;
    }

    private void siftDown(int i, Timer timer) {
        Timer[] h = heap;
        int n = size;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timer c = h[child];
            int right = child + 1;
            if (right < n && h[right].isBefore(c)) {
                child = right;
                c = h[child];
            }
            if (!c.isBefore(timer)) {
                break;
            }
            h[i] = c;
            c.slot = i;
            i = child;
        }
        h[i] = timer;
        timer.slot = i;
    }
}
