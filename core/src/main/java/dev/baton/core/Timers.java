package dev.baton.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop's pending timers, by deadline and then by the order they were scheduled (FIFO). Baton
 * holder only.
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
     * starts a new chain. The table never holds a timer that left: removal clears its entry.
     *
     * The keys live in the heap, not in the timers: each slot has its chain's deadline and the
     * chain's sequence number, taken when the chain started, in two arrays beside the slots. A
     * sift compares longs in a row instead of following a reference per comparison, and a timer
     * carries only its slot and its two chain links (a sleeping coroutine is a timer, so this is
     * memory per coroutine). A timer's own deadline is its chain head's slot key, found by walking
     * to the head: only dumps ask for it.
     *
     * Why a sequence per chain suffices for FIFO: chains of one deadline are ordered by when they
     * started, and every timer of a later chain was scheduled after every timer of an earlier one.
     * Only the chain the table points to grows, and the table points to the newest chain of its
     * deadline (a new chain starts only when the table does not lead to one, and then replaces the
     * entry); an older chain, once out of the table, never grows again. When a chain's head leaves,
     * the next timer takes its slot with the same keys, so the heap does not move.
     *
     * java.util.PriorityQueue served before; it cannot remove an element in less than a linear
     * search, so cancelled timers stayed in it until they reached its head or outnumbered the live
     * ones, and every sleep allocated an entry for it.
     */

    private static final int INITIAL = 64;
    private static final int TAILS = 64;

    /** The chain heads, as a binary heap ordered by (deadlines[i], sequences[i]). */
    private Timer[] heap = new Timer[INITIAL];
    /** The deadline of the chain at each slot. */
    private long[] deadlines = new long[INITIAL];
    /** When the chain at each slot started: breaks ties between chains of one deadline. */
    private long[] sequences = new long[INITIAL];
    private int size;
    /** How many timers are pending, chained ones included. */
    private int count;
    /** The sequence number of the next chain. */
    private long sequence;
    /** The last timer scheduled for a deadline, by the deadline's hash; see the design notes. */
    private final Timer[] tails = new Timer[TAILS];
    /** The deadline of each entry of {@code tails}. */
    private final long[] tailDeadlines = new long[TAILS];
    /** When each entry of {@code tails} was last set: the older of two is the one to replace. */
    private final long[] tailStamps = new long[TAILS];
    /** Counts the entries set in {@code tails}. */
    private long stamp;

    /**
     * Schedules {@code timer}, which must not be pending, at {@code deadline}. One at
     * {@link Scheduler#NEVER} is never due, so it is kept out of the heap.
     */
    void add(Timer timer, long deadline) {
        if (deadline == Scheduler.NEVER) {
            return;
        }
        count++;
        long hash = hash(deadline);
        int first = (int) hash & (TAILS - 1);
        int second = (int) (hash >>> 32) & (TAILS - 1);
        int t = first;
        if (tails[first] == null || tailDeadlines[first] != deadline) {
            Timer other = tails[second];
            if (other != null && tailDeadlines[second] == deadline
                    || tails[first] != null && (other == null || tailStamps[second] < tailStamps[first])) {
                t = second; // the same deadline, or the older entry to replace
            }
        }
        Timer tail = tails[t];
        boolean joins = tail != null && tailDeadlines[t] == deadline;
        tails[t] = timer;
        tailDeadlines[t] = deadline;
        tailStamps[t] = stamp++;
        if (joins) {
            tail.nextSame = timer; // the same instant, scheduled later: after it, FIFO
            timer.prevSame = tail;
            return;
        }
        if (size == heap.length) {
            resize(size * 2);
        }
        siftUp(size++, timer, deadline, sequence++);
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
        } else {
            forgetTail(timer, prev);
        }
        unlink(timer);
        return true;
    }

    /** The earliest timer due at or before {@code limit}, taken out; null if none. */
    Timer pollDue(long limit) {
        if (size == 0 || deadlines[0] > limit) {
            return null;
        }
        Timer head = heap[0];
        removeHead(head);
        return head;
    }

    /** The deadline of the earliest timer, or {@link Scheduler#NEVER}. */
    long nextDeadline() {
        return size == 0 ? Scheduler.NEVER : deadlines[0];
    }

    /** When {@code timer} is due; {@link Scheduler#NEVER} if it is not pending here. For dumps: walks its chain. */
    long deadlineOf(Timer timer) {
        return deadlineOf(timer, null);
    }

    /**
     * {@link #deadlineOf(Timer)} for a dump that asks about many timers: {@code heads} (null: none)
     * remembers the chain head found for each timer walked, so a chain is walked once per dump,
     * not once per timer on it (a million coroutines sleeping until one instant are one chain).
     */
    long deadlineOf(Timer timer, java.util.Map<Timer, Timer> heads) {
        Timer head = timer;
        int walked = 0;
        for (Timer p; (p = head.prevSame) != null; head = p) { // one read a step: another thread may unlink it
            Timer known = heads == null ? null : heads.get(head);
            if (known != null) {
                head = known;
                break;
            }
            walked++;
        }
        if (heads != null) {
            for (Timer t = timer; t != null && walked-- > 0; t = t.prevSame) {
                heads.put(t, head);
            }
        }
        int i = head.slot;
        Timer[] h = heap;
        long[] d = deadlines; // read from another thread by a dump: best effort, never out of bounds
        return i >= 0 && i < h.length && i < d.length && h[i] == head ? d[i] : Scheduler.NEVER;
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
                if (!(t instanceof Coroutine c && background.test(c))) {
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
        deadlines = new long[INITIAL];
        sequences = new long[INITIAL];
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

    /**
     * {@code tail} left the end of its chain: {@code newTail} (null: none) ends it now, if the table
     * held it. The deadline's entry stays right: a new tail has the same deadline.
     */
    private void forgetTail(Timer tail, Timer newTail) {
        for (int i = 0; i < TAILS; i++) { // its deadline would take a walk along the chain to find
            if (tails[i] == tail) {
                tails[i] = newTail;
                return;
            }
        }
    }

    /** Like {@link #forgetTail}, for a chain of one at {@code deadline}: looks only where that deadline goes. */
    private void forgetOnly(Timer timer, long deadline) {
        long hash = hash(deadline);
        int first = (int) hash & (TAILS - 1);
        int second = (int) (hash >>> 32) & (TAILS - 1);
        if (tails[first] == timer) {
            tails[first] = null;
        } else if (tails[second] == timer) {
            tails[second] = null;
        }
    }

    private void unlink(Timer timer) {
        timer.prevSame = null;
        timer.nextSame = null;
        count--;
    }

    /** Takes a chain's head out of the heap: the next of its chain takes its slot and keys, if any. */
    private void removeHead(Timer head) {
        int i = head.slot;
        head.slot = -1;
        Timer next = head.nextSame;
        if (next != null) {
            next.prevSame = null;
            heap[i] = next;
            next.slot = i;
            unlink(head);
            return;
        }
        forgetOnly(head, deadlines[i]);
        unlink(head);
        int last = --size;
        Timer moved = heap[last];
        long movedDeadline = deadlines[last];
        long movedSequence = sequences[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved, movedDeadline, movedSequence);
            if (heap[i] == moved) {
                siftUp(i, moved, movedDeadline, movedSequence);
            }
        }
        if (heap.length > INITIAL && size < heap.length >>> 2) {
            resize(heap.length >>> 1); // a burst of timers does not hold its arrays
        }
    }

    /** The heap's three arrays, copied to {@code length} slots. */
    private void resize(int length) {
        heap = Arrays.copyOf(heap, length);
        deadlines = Arrays.copyOf(deadlines, length);
        sequences = Arrays.copyOf(sequences, length);
    }

    /** Whether the keys (deadline, sequence) {@code a} come before {@code b}'s; no two slots have equal keys. */
    private static boolean before(long deadlineA, long sequenceA, long deadlineB, long sequenceB) {
        return deadlineA < deadlineB || deadlineA == deadlineB && sequenceA < sequenceB;
    }

    /** Puts {@code timer} with its chain's keys at slot {@code i}. */
    private void put(int i, Timer timer, long deadline, long seq) {
        heap[i] = timer;
        deadlines[i] = deadline;
        sequences[i] = seq;
        timer.slot = i;
    }

    private void siftUp(int i, Timer timer, long deadline, long seq) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(deadline, seq, deadlines[parent], sequences[parent])) {
                break;
            }
            put(i, heap[parent], deadlines[parent], sequences[parent]);
            i = parent;
        }
        put(i, timer, deadline, seq);
    }

    private void siftDown(int i, Timer timer, long deadline, long seq) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(deadlines[right], sequences[right], deadlines[child], sequences[child])) {
                child = right;
            }
            if (!before(deadlines[child], sequences[child], deadline, seq)) {
                break;
            }
            put(i, heap[child], deadlines[child], sequences[child]);
            i = child;
        }
        put(i, timer, deadline, seq);
    }
}
