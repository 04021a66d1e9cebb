package dev.baton.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The coroutines waiting on one primitive, first come first served. A waiter is woken by being
 * <em>granted</em> what it waits for (a permit, an item, a set event), by being <em>refused</em>
 * (the primitive closed: a queue shut down, a barrier broken), by cancellation, which takes it out
 * of the queue, or, for a timed wait, by its timeout. An operation granted (or refused) before the
 * coroutine resumes completes even if the coroutine was cancelled meanwhile: nothing handed over
 * is lost, and the cancellation surfaces at its next suspension point. Baton holder only.
 */
final class WaitQueue {
    /** One waiting coroutine and what it carries in or is handed. */
    final class Node implements Waitable {
        final Coroutine coroutine;
        /** A putter's item, or the item handed to a taker. */
        Object item;
        boolean granted;
        /** Granted with a refusal: the primitive closed; the waiter throws its own exception. */
        boolean refused;
        /** Cancellation does not take it out of the queue: it waits until granted. */
        private final boolean shielded;

        Node(Coroutine coroutine, Object item, boolean shielded) {
            this.coroutine = coroutine;
            this.item = item;
            this.shielded = shielded;
        }

        @Override
        public void removeWaiter(Coroutine waiter) {
            if (!shielded) {
                nodes.remove(this);
            }
        }

        @Override
        public String describe(Scheduler loop) {
            return what.get();
        }
    }

    private final ArrayDeque<Node> nodes = new ArrayDeque<>();
    /** For dumps, e.g. "waiting in Queue.take()". */
    private final Supplier<String> what;

    WaitQueue(String what) {
        this(() -> what);
    }

    /** With a description computed when a dump asks, e.g. to name a lock's holder. */
    WaitQueue(Supplier<String> what) {
        this.what = what;
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    int size() {
        return nodes.size();
    }

    /**
     * Suspends {@code self} at the end of the queue until granted or refused.
     *
     * @return its node, granted (perhaps refused), with whatever it was handed
     * @throws java.util.concurrent.CancellationException if cancelled before being granted,
     *     including before it starts waiting
     */
    Node await(Coroutine self, Object item) {
        self.loop().enterSuspension(self, false);
        Node node = enqueue(self, item, false);
        self.loop().park(self, node, false);
        if (!node.granted) {
            self.loop().throwIfCancelled(self);
            throw new IllegalStateException("a waiter was woken without being granted or cancelled");
        }
        return node;
    }

    /**
     * Like {@link #await(Coroutine, Object)}, but gives up after {@code timeout} of the loop's
     * clock: then the node comes back neither granted nor refused, and is out of the queue.
     */
    Node await(Coroutine self, Object item, Duration timeout) {
        self.loop().enterSuspension(self, false);
        Node node = enqueue(self, item, false);
        Loop.Handle timer = self.loop().callLater(timeout, () -> {
            if (nodes.remove(node)) {
                self.loop().wake(self);
            }
        });
        try {
            self.loop().park(self, node, false);
        } finally {
            timer.cancel();
        }
        if (!node.granted) {
            self.loop().throwIfCancelled(self);
        }
        return node;
    }

    /**
     * Suspends {@code self} at the end of the queue until granted, whatever cancellation comes:
     * for the lock a condition's waiter must take back before it returns or throws. A cancelled
     * coroutine keeps its place in the queue.
     */
    Node awaitShielded(Coroutine self, Object item) {
        Node node = enqueue(self, item, true);
        while (!node.granted) {
            // A cancellation wakes us without taking us out; park again in the same place.
            self.loop().park(self, node, false);
        }
        return node;
    }

    private Node enqueue(Coroutine self, Object item, boolean shielded) {
        Node node = new Node(self, item, shielded);
        nodes.addLast(node);
        return node;
    }

    /** The first waiter, not taken out; null if there is none. */
    Node peekFirst() {
        return nodes.peekFirst();
    }

    /** Grants and wakes the first waiter; null if there is none. The caller may set its item. */
    Node grantFirst() {
        Node node = nodes.pollFirst();
        if (node != null) {
            node.granted = true;
            // A shielded waiter woken by a cancellation is already ready: it sees the grant when it runs.
            if (node.coroutine.waitingOn == node) {
                node.coroutine.loop().wake(node.coroutine);
            }
        }
        return node;
    }

    /** Refuses and wakes every waiter, in the order they waited; returns how many there were. */
    int refuseAll() {
        int count = 0;
        for (Node node = nodes.peekFirst(); node != null; node = nodes.peekFirst()) {
            node.refused = true;
            grantFirst();
            count++;
        }
        return count;
    }
}
