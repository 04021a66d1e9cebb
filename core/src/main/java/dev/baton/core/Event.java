package dev.baton.core;

/**
 * A flag coroutines can wait for: asyncio's {@code Event}. {@link #await()} suspends until the
 * event is set; {@link #set()} wakes every waiter, in the order they started waiting.
 *
 * <p>Loop-local: the event belongs to the loop of the first coroutine that waits on it; waiting
 * suspends the coroutine, never the carrier thread. Not thread-safe: from another thread, set it
 * with {@code loop.execute(event::set)}.
 */
public final class Event {
    private final LoopBound bound = new LoopBound("Event");
    private final WaitQueue waiters = new WaitQueue("waiting in Event.await()");
    /** Baton holder only. */
    private boolean set;

    private Event() {
    }

    /**
     * A new event, not set.
     *
     * @return an event that is clear, with nobody waiting, bound to no loop until first waited on
     */
    public static Event create() {
        return new Event();
    }

    /**
     * Whether the event is set.
     *
     * @return true from {@link #set()} until the next {@link #clear()}
     */
    public boolean isSet() {
        return set;
    }

    /** Sets the event and wakes every waiting coroutine (FIFO). Nothing happens if it is set. */
    public void set() {
        bound.check("set");
        if (!set) {
            set = true;
            while (waiters.grantFirst() != null) {
                // each granted waiter is now ready, in the order it waited
            }
        }
    }

    /** Clears the event, so that later {@link #await()} calls wait again. */
    public void clear() {
        bound.check("clear");
        set = false;
    }

    /**
     * Suspends the calling coroutine until the event is set; returns at once if it is.
     *
     * @throws java.util.concurrent.CancellationException if the coroutine is cancelled first
     * @throws IllegalStateException if not called from a coroutine, or from another loop's
     */
    public void await() {
        Coroutine self = bound.waiter("await");
        if (!set) {
            waiters.await(self, null);
        }
    }

    @Override
    public String toString() {
        return "Event[" + (set ? "set" : "clear") + ", " + waiters.size() + " waiting]";
    }
}
