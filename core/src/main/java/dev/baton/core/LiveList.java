package dev.baton.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop's unfinished coroutines, in spawn order: a doubly linked list through the coroutines
 * themselves, so adding and removing one allocates nothing. Changed by the baton holder only; the
 * dump and the snapshot may be read from any thread, as a best effort.
 */
final class LiveList {
    private Coroutine head;
    private Coroutine tail;
    private int count;

    void add(Coroutine c) {
        c.prevLive = tail;
        if (tail == null) {
            head = c;
        } else {
            tail.nextLive = c;
        }
        tail = c;
        count++;
    }

    void remove(Coroutine c) {
        if (c.prevLive == null) {
            head = c.nextLive;
        } else {
            c.prevLive.nextLive = c.nextLive;
        }
        if (c.nextLive == null) {
            tail = c.prevLive;
        } else {
            c.nextLive.prevLive = c.prevLive;
        }
        c.prevLive = null;
        c.nextLive = null;
        count--;
    }

    int size() {
        return count;
    }

    Coroutine first() {
        return head;
    }

    /** The tasks of the unfinished coroutines, in spawn order. Baton holder only. */
    List<Task<?>> tasks() {
        List<Task<?>> list = new ArrayList<>(count);
        for (Coroutine c = head; c != null; c = c.nextLive) {
            list.add(c);
        }
        return list;
    }

    /** The unfinished coroutines, a best-effort snapshot from any thread. */
    List<Coroutine> snapshot() {
        List<Coroutine> list = new ArrayList<>();
        int expected = count;
        try {
            for (Coroutine c = head; c != null && list.size() <= expected; c = c.nextLive) {
                list.add(c);
            }
        } catch (RuntimeException raced) {
            // the list changed while it was read; what was read stays
        }
        return list;
    }

    /** See {@link Loop#dump()}. Any thread. */
    String dump() {
        StringBuilder text = new StringBuilder();
        int expected = count;
        text.append("Unfinished coroutines (").append(expected).append("):");
        int listed = 0;
        java.util.Map<Timer, Timer> heads = new java.util.IdentityHashMap<>(); // each timer chain walked once
        try {
            for (Coroutine c = head; c != null && listed <= expected; c = c.nextLive, listed++) {
                text.append("\n  coroutine '").append(c.name()).append("' ").append(c.describeWait(heads));
                for (StackTraceElement frame : c.userStack()) {
                    text.append("\n      at ").append(frame);
                }
            }
        } catch (RuntimeException raced) {
            text.append("\n  (the list changed while it was read: ").append(raced).append(")");
        }
        return text.toString();
    }
}
