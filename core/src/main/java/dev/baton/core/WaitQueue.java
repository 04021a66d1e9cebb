package dev.baton.core;

import java.util.ArrayDeque;

/**
 * The coroutines waiting on one primitive, first come first served. A waiter is woken by being
 * <em>granted</em> what it waits for (a permit, an item, a set event), or by cancellation, which
 * takes it out of the queue. An operation granted before the coroutine resumes completes even if
 * the coroutine was cancelled meanwhile: nothing handed over is lost, and the cancellation
 * surfaces at its next suspension point. Baton holder only.
 */
final class WaitQueue {
    /** One waiting coroutine and what it carries in or is handed. */
    final class Node implements Waitable {
        final Coroutine coroutine;
        /** A putter's item, or the item handed to a taker. */
        Object item;
        boolean granted;

        Node(Coroutine coroutine, Object item) {
            this.coroutine = coroutine;
            this.item = item;
        }

        @Override
        public void removeWaiter(Coroutine waiter) {
            nodes.remove(this);
        }

        @Override
        public String describe(Scheduler loop) {
            return what;
        }
    }

    private final ArrayDeque<Node> nodes = new ArrayDeque<>();
    /** For dumps, e.g. "waiting in Queue.take()". */
    private final String what;

    WaitQueue(String what) {
        this.what = what;
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    int size() {
        return nodes.size();
    }

    /**
     * Suspends {@code self} at the end of the queue until granted.
     *
     * @return its node, granted, with whatever it was handed
     * @throws java.util.concurrent.CancellationException if cancelled before being granted
     */
    Node await(Coroutine self, Object item) {
        Node node = new Node(self, item);
        nodes.addLast(node);
        self.loop.parkQuietly(self, node);
        if (!node.granted) {
            self.loop.throwIfCancelled(self);
            throw new IllegalStateException("a waiter was woken without being granted or cancelled");
        }
        return node;
    }

    /** Grants and wakes the first waiter; null if there is none. The caller may set its item. */
    Node grantFirst() {
        Node node = nodes.pollFirst();
        if (node != null) {
            node.granted = true;
            node.coroutine.loop.wake(node.coroutine);
        }
        return node;
    }
}
