package dev.baton.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The parts of a task that most tasks never need: joiners, done-callbacks, a cancel message, a
 * future for outside threads, cancel scopes, the count of swallowed cancellations. A task makes
 * its {@code Extras} the first time it needs one of them (see {@link Task#extras()}), so a task
 * that is spawned, sleeps and ends is a single object.
 */
final class Extras {
    private static final VarHandle MIRROR;
    private static final VarHandle CANCEL_MESSAGE;

    static {
        try {
            MIRROR = MethodHandles.lookup().findVarHandle(Extras.class, "mirror", CompletableFuture.class);
            CANCEL_MESSAGE = MethodHandles.lookup().findVarHandle(Extras.class, "cancelMessage", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Coroutines suspended in join(), and what they wait on; made by the first joiner. Baton holder only. */
    Joiners joiners;
    /** Coroutines in Loop.wait() to wake when done, without retrieving the outcome. Baton holder only. */
    List<Gather.Waiter> doneWaiters;
    /** Callbacks to queue when done, each bound to its task. Baton holder only. */
    List<Runnable> doneCallbacks;
    /** Why the task was cancelled, if the canceller said; set once, by CAS, before the cancel request or when first read. Any thread. */
    private volatile String cancelMessage;
    /** A failure nobody had retrieved when the task failed; set once by the loop, read by any thread. */
    volatile UnretrievedFailure unretrieved;
    /** Completed when the task is done; made by the first get() or toCompletableFuture(). Any thread, by CAS. */
    @SuppressWarnings("unused") // accessed through MIRROR
    private volatile CompletableFuture<?> mirror;
    /** The coroutine's innermost active CancelScope, or null. Baton holder only. */
    CancelScope scope;
    /** How many times a suspension point threw the coroutine's cancellation, up to 127. Baton holder only. */
    byte cancelDeliveries;
    /** Whether the loop has reported that the coroutine swallowed its cancellation. Baton holder only. */
    boolean swallowReported;
    /** Cancellations swallowed while the loop closed; counts up to a few. Baton holder only. */
    byte swallowsWhileClosing;

    /** The cancel message once read with none given: a message offered later is not taken. */
    private static final String NO_MESSAGE = new String("(none)");

    /** Keeps {@code message} as the cancel message unless one was kept, or read, already: the first wins. Any thread. */
    void offerCancelMessage(String message) {
        CANCEL_MESSAGE.compareAndSet(this, (String) null, message);
    }

    /**
     * The cancel message, or null if none was given; from the first call on it no longer
     * changes, so every CancellationException of the task says the same. Any thread.
     */
    String cancelMessage() {
        String m = (String) CANCEL_MESSAGE.compareAndExchange(this, (String) null, NO_MESSAGE);
        return m == null || m == NO_MESSAGE ? null : m;
    }

    /** The mirror future, made by the first caller. Any thread. */
    CompletableFuture<?> mirror() {
        CompletableFuture<?> m = (CompletableFuture<?>) MIRROR.getVolatile(this);
        if (m == null) {
            CompletableFuture<?> fresh = new CompletableFuture<>();
            m = MIRROR.compareAndSet(this, null, fresh) ? fresh : (CompletableFuture<?>) MIRROR.getVolatile(this);
        }
        return m;
    }

    /** The mirror future if someone made it; null otherwise. Any thread. */
    CompletableFuture<?> mirrorIfMade() {
        return (CompletableFuture<?>) MIRROR.getVolatile(this);
    }

    /**
     * The coroutines in join(), and the {@link Waitable} they wait on: one object, made only for a
     * task that someone joins.
     */
    static final class Joiners extends ArrayList<Coroutine> implements Waitable {
        private final String taskName;

        Joiners(String taskName) {
            super(2);
            this.taskName = taskName;
        }

        @Override
        public void removeWaiter(Coroutine coroutine) {
            remove(coroutine);
        }

        @Override
        public String describe(Scheduler unused) {
            return "joining task '" + taskName + "'";
        }
    }
}
