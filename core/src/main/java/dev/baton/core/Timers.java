package dev.baton.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop's pending timers, by deadline and then by the order they were scheduled (a sequence
 * number breaks ties: FIFO). Baton holder only.
 *
 * <p>A binary heap of chains: timers with the same deadline, scheduled one after the other, form a
 * chain in scheduling order, and only its head sits in the heap. When the head leaves, the next
 * timer of its chain takes its place. Each timer knows its slot or its neighbours, so a cancelled
 * timer leaves at once, and a loop that keeps cancelling long timers holds memory for its live
 * timers only.
 */
final class Timers {
    /*
     * Design notes. Why chains: on a virtual clock, deadlines repeat. A thousand coroutines that
     * sleep whole seconds wake at a handful of instants, and the timers for one instant arrive
     * close together. Chained, they cost the heap nothing: adding one is an append, taking one out
     * is a step along the chain; the heap orders only the distinct deadlines. Without chains, a
     * million timers made a heap twenty levels deep whose every step missed the cache, a third of
     * the loop's time at a million sleeping coroutines. On a real clock deadlines are all distinct
     * and it is a plain binary heap.
     *
     * Which chain a new timer joins: the last timer scheduled for its deadline, found in a small
     * table (`tails`) at one of two places given by the deadline's hash (two choices, so that a
     * few deadlines in use at once rarely push each other out; a table of one choice per deadline
     * lost a third of its chains to collisions at seven deadlines a second apart). A miss only
     * starts a new chain: two chains with the same deadline are still ordered right, because the
     * heap compares their heads by (deadline, sequence) and each chain is in sequence order. The
     * table never holds a timer that left: removal clears its entry.
     *
     * java.util.PriorityQueue served before; it cannot remove an element in less than a linear
     * search, so cancelled timers stayed in it until they reached its head or outnumbered the live
     * ones, and every sleep allocated an entry for it.
     */

    private static final int INITIAL = 64;
    private static final int TAILS = 64;

    private Timer[] heap = new Timer[INITIAL];
    private int size;
    /** How many timers are pending, chained ones included. */
    private int count;
    /** The sequence number of the next timer. */
    private long sequence;
    /** The last timer scheduled for a deadline, by the deadline's hash; see the design notes. */
    private final Timer[] tails = new Timer[TAILS];

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
        count++;
        long hash = hash(deadline);
        int first = (int) hash & (TAILS - 1);
        int second = (int) (hash >>> 32) & (TAILS - 1);
        Timer tail = tails[first];
        int t = first;
        if (tail == null || tail.deadline != deadline) {
            Timer other = tails[second];
            if (other != null && other.deadline == deadline || tail != null && (other == null || other.sequence < tail.sequence)) {
                tail = other; // the same deadline, or the older entry to replace
                t = second;
            }
        }
        tails[t] = timer;
        if (tail != null && tail.deadline == deadline && tail.nextSame == null) {
            tail.nextSame = timer; // the same instant, scheduled later: after it, FIFO
            timer.prevSame = tail;
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, timer);
    }

    /** Takes {@code timer} out; false if it was not pending. */
    boolean remove(Timer timer) {
        if (timer.slot >= 0) {
            if (timer.slot >= size || heap[timer.slot] != timer) {
                return false; // another loop's
            }
            removeHead(timer);
            return true;
        }
        Timer prev = timer.prevSame;
        if (prev == null) {
            return false;
        }
        Timer next = timer.nextSame;
        prev.nextSame = next;
        if (next != null) {
            next.prevSame = prev;
        }
        forget(timer, prev);
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
        removeHead(head);
        return head;
    }

    /** The deadline of the earliest timer, or {@link Scheduler#NEVER}. */
    long nextDeadline() {
        return size == 0 ? Scheduler.NEVER : heap[0].deadline;
    }

    /** Cancels the timers that close() drops: the users' callbacks. */
    void dropUserCallbacks() {
        for (Timer timer : pending()) {
            if (timer instanceof Entry entry && entry.dropOnClose) {
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
            for (Timer t = heap[i]; t != null; t = t.nextSame) {
                if (!(t instanceof Coroutine c && background.test(c.task))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many timers are pending. */
    int size() {
        return count;
    }

    void clear() {
        for (Timer timer : pending()) {
            timer.slot = -1;
            timer.prevSame = null;
            timer.nextSame = null;
        }
        heap = new Timer[INITIAL];
        size = 0;
        count = 0;
        Arrays.fill(tails, null);
    }

    private List<Timer> pending() {
        List<Timer> all = new ArrayList<>(count);
        for (int i = 0; i < size; i++) {
            for (Timer t = heap[i]; t != null; t = t.nextSame) {
                all.add(t);
            }
        }
        return all;
    }

    /** Mixes every bit of the deadline into every bit of the hash (MurmurHash3's finalizer). */
    private static long hash(long deadline) {
        long h = deadline;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** {@code timer} left; {@code newTail} ends its chain now if it was the chain's tail. */
    private void forget(Timer timer, Timer newTail) {
        long hash = hash(timer.deadline);
        int first = (int) hash & (TAILS - 1);
        int second = (int) (hash >>> 32) & (TAILS - 1);
        if (tails[first] == timer) {
            tails[first] = newTail;
        } else if (tails[second] == timer) {
            tails[second] = newTail;
        }
        timer.prevSame = null;
        timer.nextSame = null;
        count--;
    }

    /** Takes a chain's head out of the heap: the next of its chain takes its place, if any. */
    private void removeHead(Timer head) {
        int i = head.slot;
        head.slot = -1;
        Timer next = head.nextSame;
        if (next != null) {
            next.prevSame = null;
            siftDown(i, next); // same deadline, later sequence: it can only move down
            forget(head, null);
            return;
        }
        forget(head, null);
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
