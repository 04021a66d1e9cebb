package dev.baton.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python-style generator: a body that produces values one at a time with
 * {@link Yielder#yield(Object) yield}, suspended in between, driven by whoever iterates it.
 *
 * <pre>{@code
 * Generator<Long> fibonacci = Generator.of(y -> {
 *     long a = 0, b = 1;
 *     while (true) {
 *         y.yield(a);
 *         long next = a + b;
 *         a = b;
 *         b = next;
 *     }
 * });
 * for (long n : fibonacci) { if (n > 100) break; System.out.println(n); }
 * }</pre>
 *
 * <p>The body runs on its own virtual thread, but never at the same time as its caller: the two
 * hand one baton back and forth, as a {@link Loop}'s coroutines do. So the body may use its
 * caller's plain fields without locks. It needs no loop; inside a coroutine, the coroutine keeps
 * the loop's baton while the generator runs.
 *
 * <p>Python's protocol, in Java:
 * <ul>
 *   <li>{@link #next()} runs the body to its next {@code yield} and returns the value
 *       ({@code next(gen)}); {@link #hasNext()} runs it there ahead and keeps the value.
 *   <li>{@link #send(Object)} resumes the body with a value, which its pending {@code yield}
 *       returns, and returns the next value yielded ({@code gen.send(v)}). The first call must be a
 *       plain advance: {@code next()} or {@code send(null)}.
 *   <li>{@link Yielder#yieldAll(Generator)} delegates to another generator until it ends, passing
 *       its values out and sent values in, and returns its return value ({@code yield from}).
 *   <li>{@link #close()} makes the pending {@code yield} throw {@link CancellationException} (Python's
 *       {@code GeneratorExit}), so the body's {@code finally} blocks run; every later {@code yield}
 *       throws too.
 *   <li>An exception thrown by the body comes out of the {@code next()}, {@code hasNext()} or
 *       {@code send()} that resumed it: unchecked ones as they are, checked ones wrapped in a
 *       {@link CompletionException}. The generator is then finished.
 * </ul>
 *
 * <p>Not thread-safe: drive a generator from one thread at a time.
 *
 * <p>A generator dropped while suspended is reclaimed after the garbage collector finds it
 * unreachable: its body is closed as by {@link #close()} (its {@code finally} blocks run), its
 * thread ends, and an exception from that unwinding is logged. The reclaiming is done by the next
 * {@link #of}/{@link #returning} call on any thread, so a program that keeps creating and dropping
 * generators pays for their cleanup as it goes and its memory stays bounded; a daemon thread does
 * it when no generator is being created. {@link #close()} or try-with-resources closes at once,
 * which is better when the body holds resources.
 *
 * @param <T> the type of the values yielded
 */
public final class Generator<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    /*
     * Design notes.
     *
     * Everything the body thread touches lives in `State`, never in the Generator itself, so a
     * suspended body does not keep the Generator reachable. The body's parked virtual thread does
     * stay reachable (the JDK tracks every thread by default, jdk.trackAllThreads), so it must be
     * ended: a phantom reference to each Generator, holding its State, is queued by the garbage
     * collector once the Generator is unreachable; closing the State hands the baton to the body
     * with `closing` set, its yield throws, it unwinds and ends.
     *
     * Who closes matters. A Cleaner's thread only unparks bodies, and those wakeups lose the race
     * for carrier threads against a busy virtual thread that keeps creating generators: measured,
     * a million dropped generators ran a 32 MiB heap out of memory. So the creator pays: each
     * factory call first closes whatever the collector has queued, synchronously, on the same
     * hand-off. The reclaimer thread covers programs that stop creating generators.
     *
     * The hand-off is the Loop's Baton: the caller names the body's thread and parks; the body
     * names the caller when it yields, returns or throws.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    /** Where the collector queues the references of unreachable generators. */
    private static final ReferenceQueue<Generator<?>> ABANDONED = new ReferenceQueue<>();
    /** The references of generators whose body may still need closing; keeps the references alive. */
    private static final Set<Abandonment> TRACKED = ConcurrentHashMap.newKeySet();

    static {
        // A platform daemon thread: a virtual one blocked in ReferenceQueue.remove() would pin a carrier on JDK 21.
        Thread.ofPlatform().daemon().name("baton-generator-reclaimer").start(() -> {
            for (;;) {
                try {
                    reclaim(ABANDONED.remove());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** A generator's phantom reference, holding the State to close once the generator is gone. */
    private static final class Abandonment extends PhantomReference<Generator<?>> {
        private final State state;

        Abandonment(Generator<?> generator, State state) {
            super(generator, ABANDONED);
            this.state = state;
        }
    }

    /** Closes the body of a generator the collector found unreachable, once. Any thread. */
    private static void reclaim(Reference<? extends Generator<?>> reference) {
        if (reference instanceof Abandonment abandoned && TRACKED.remove(abandoned)) {
            try {
                abandoned.state.close();
            } catch (RuntimeException | Error failure) {
                LOG.warn("an abandoned generator's body failed while it was being closed", failure);
            }
        }
    }

    /** Reclaims every generator the collector has queued so far, on the calling thread. */
    private static void reclaimQueued() {
        Reference<? extends Generator<?>> reference;
        while ((reference = ABANDONED.poll()) != null) {
            reclaim(reference);
        }
    }

    /** A generator body that returns nothing. */
    @FunctionalInterface
    public interface Body<T> {
        /** Produces values through {@code yielder}; may throw. */
        void run(Yielder<T> yielder) throws Exception;
    }

    /** A generator body that returns a value at the end, for {@link Yielder#yieldAll} to pass on. */
    @FunctionalInterface
    public interface ReturningBody<T, R> {
        /** Produces values through {@code yielder}, then returns the generator's return value. */
        R run(Yielder<T> yielder) throws Exception;
    }

    /**
     * What a generator body yields through. Only the generator's own body may use it, on its own
     * thread.
     */
    public static final class Yielder<T> {
        private final State state;

        private Yielder(State state) {
            this.state = state;
        }

        /**
         * Hands {@code value} to the caller and suspends until it asks for the next one.
         *
         * @return the value passed to {@link Generator#send(Object)}, or null after {@code next()}
         * @throws CancellationException if the generator is closed (Python's {@code GeneratorExit})
         * @throws IllegalStateException if called from any thread but the body's own
         */
        @SuppressWarnings("unchecked")
        public <S> S yield(T value) {
            return (S) state.yield(value);
        }

        /**
         * Delegates to {@code inner} until it ends: yields each of its values, sends each value sent
         * here on to it, and closes it if this generator is closed (Python's {@code yield from}).
         *
         * @return the inner generator's return value
         * @throws IllegalArgumentException if {@code inner} has already started
         */
        @SuppressWarnings("unchecked")
        public <R> R yieldAll(Generator<? extends T> inner) {
            Objects.requireNonNull(inner, "yieldAll: inner must not be null");
            if (inner.state.phase != Phase.NEW) {
                throw new IllegalArgumentException("yieldAll: the inner generator has already started; delegate to a fresh one");
            }
            try {
                Object sent = null;
                while (inner.advance(sent)) {
                    sent = state.yield((T) inner.state.value);
                }
                return (R) inner.state.result;
            } catch (CancellationException closing) {
                inner.close();
                throw closing;
            }
        }
    }

    private enum Phase { NEW, SUSPENDED, RUNNING, DONE }

    /** Everything shared by the caller and the body's thread; see the design notes. */
    private static final class State implements Runnable {
        private final Baton baton = new Baton();
        private final ReturningBody<?, ?> body;
        /** The body's thread; created on the first resume. Caller only. */
        private Thread thread;
        /** The thread that resumed the body and waits for it. Written by it before the hand-off. */
        private Thread caller;
        /** The generator's lifecycle; written by whichever side holds the baton. */
        private Phase phase = Phase.NEW;
        /** Set by close(), read by the body at each yield. */
        private boolean closing;
        /** The value handed across: sent in on resume, yielded out at a yield. */
        private Object value;
        /** The body's return value, once it returned. */
        private Object result;
        /** The body's exception, once it threw; cleared when reported. */
        private Throwable failure;

        State(ReturningBody<?, ?> body) {
            this.body = body;
        }

        /**
         * Runs the body until it yields (true; the value is in {@code value}) or ends (false).
         * Rethrows the body's exception.
         */
        boolean resume(Object sent) {
            if (phase == Phase.DONE) {
                return false;
            }
            if (phase == Phase.RUNNING) {
                throw new IllegalStateException("the generator is already running: a body cannot advance its own generator");
            }
            value = sent;
            caller = Thread.currentThread();
            phase = Phase.RUNNING;
            if (thread == null) {
                thread = Thread.ofVirtual().name("generator").unstarted(this);
                baton.start(thread);
            } else {
                baton.handTo(thread);
            }
            if (baton.await(null)) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                Throwable thrown = failure;
                failure = null;
                if (thrown instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new CompletionException("the generator's body failed: " + thrown, thrown);
            }
            return phase == Phase.SUSPENDED;
        }

        /** The body's side of a yield: hand the value out, wait to be resumed. */
        Object yield(Object out) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("yield must be called by the generator's own body, on its thread");
            }
            if (closing) {
                throw new CancellationException("the generator is closed");
            }
            value = out;
            phase = Phase.SUSPENDED;
            baton.handTo(caller);
            baton.await(null);
            if (closing) {
                throw new CancellationException("the generator is closed");
            }
            return value;
        }

        /** The body's thread. */
        @Override
        public void run() {
            try {
                @SuppressWarnings("unchecked")
                ReturningBody<Object, ?> typed = (ReturningBody<Object, ?>) body;
                result = typed.run(new Yielder<>(this));
            } catch (CancellationException closed) {
                if (!closing) {
                    failure = closed;
                }
            } catch (Throwable t) {
                failure = t;
            }
            value = null;
            phase = Phase.DONE;
            baton.handTo(caller);
        }

        /** Ends the body: a suspended one unwinds from its yield, on this call; a new one never runs. */
        void close() {
            if (phase == Phase.NEW) {
                phase = Phase.DONE;
            } else if (phase == Phase.SUSPENDED) {
                closing = true;
                resume(null);
            }
        }
    }

    private final State state;
    /** This generator's entry in TRACKED, removed once the body has ended. */
    private final Abandonment abandonment;
    /** Whether the value in `state.value` was produced by hasNext() and not yet taken. Caller only. */
    private boolean pending;

    private Generator(ReturningBody<?, ?> body) {
        reclaimQueued();
        this.state = new State(body);
        this.abandonment = new Abandonment(this, state);
        TRACKED.add(abandonment);
    }

    /**
     * A generator whose body returns nothing. Nothing runs until the first {@code next()}.
     *
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> Generator<T> of(Body<T> body) {
        Objects.requireNonNull(body, "Generator.of: body must not be null");
        return new Generator<>((Yielder<T> y) -> {
            body.run(y);
            return null;
        });
    }

    /**
     * A generator whose body returns a value when it ends (see {@link #returnValue()} and
     * {@link Yielder#yieldAll}).
     *
     * @throws NullPointerException if {@code body} is null
     */
    public static <T, R> Generator<T> returning(ReturningBody<T, R> body) {
        Objects.requireNonNull(body, "Generator.returning: body must not be null");
        return new Generator<>(body);
    }

    /** Runs the body to its next {@code yield} if needed; false once it has ended. */
    @Override
    public boolean hasNext() {
        if (!pending) {
            pending = advance(null);
        }
        return pending;
    }

    /** Resumes the body; once it has ended, this generator no longer needs reclaiming. */
    private boolean advance(Object sent) {
        try {
            return state.resume(sent);
        } finally {
            if (state.phase == Phase.DONE) {
                forget();
            }
        }
    }

    private void forget() {
        if (TRACKED.remove(abandonment)) {
            abandonment.clear();
        }
    }

    /**
     * The next value the body yields.
     *
     * @throws NoSuchElementException if the body has ended
     */
    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generator has ended");
        }
        pending = false;
        return (T) state.value;
    }

    /**
     * Resumes the body with {@code value} as the result of its pending {@code yield}, and returns
     * the next value it yields. {@code send(null)} is {@code next()}.
     *
     * @throws IllegalStateException if the body has not started yet and {@code value} is not null
     *     (as in Python, the first call must be a plain advance), or if {@code hasNext()} already
     *     advanced the body and its value was not taken with {@code next()}
     * @throws NoSuchElementException if the body ends instead of yielding
     */
    @SuppressWarnings("unchecked")
    public T send(Object value) {
        if (value == null) {
            return next();
        }
        if (state.phase == Phase.NEW) {
            throw new IllegalStateException("send: can't send a value to a generator that has not started;"
                    + " call next() first to run it to its first yield");
        }
        if (pending) {
            throw new IllegalStateException("send: hasNext() already ran the body to its next yield;"
                    + " take that value with next() before sending");
        }
        if (!advance(value)) {
            throw new NoSuchElementException("the generator has ended");
        }
        return (T) state.value;
    }

    /**
     * What the body returned (null for a {@link Body}).
     *
     * @throws IllegalStateException if the body has not returned (it is not finished, or it threw
     *     or was closed)
     */
    @SuppressWarnings("unchecked")
    public <R> R returnValue() {
        if (state.phase != Phase.DONE || pending) {
            throw new IllegalStateException("returnValue: the generator has not finished");
        }
        return (R) state.result;
    }

    /** Whether the body has ended (returned, thrown, or closed). */
    public boolean isDone() {
        return state.phase == Phase.DONE;
    }

    /**
     * Closes the generator: a suspended body sees {@link CancellationException} at its
     * {@code yield}, runs its {@code finally} blocks and ends; this waits for that. A body that
     * never started will never run. Idempotent.
     *
     * @throws RuntimeException an exception the body threw while unwinding (other than the
     *     cancellation itself)
     */
    @Override
    public void close() {
        pending = false;
        try {
            state.close();
        } finally {
            forget();
        }
    }

    /** This generator itself, for a for-each loop; it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "Generator[" + state.phase.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
