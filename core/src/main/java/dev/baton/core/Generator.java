package dev.baton.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 *   <li>{@link #throwInto(Throwable)} raises an exception at the pending {@code yield} and returns
 *       the next value yielded ({@code gen.throw(exc)}).
 *   <li>{@link Yielder#yieldAll(Generator)} delegates to another generator until it ends, passing
 *       its values out and sent values, thrown exceptions and the close in, and returns its return
 *       value ({@code yield from}).
 *   <li>{@link #close()} raises {@link CancellationException} (Python's {@code GeneratorExit}) at the
 *       pending {@code yield}, so the body's {@code finally} blocks run. A body that catches it and
 *       yields again makes {@code close()} fail ("generator ignored GeneratorExit").
 *   <li>{@link #returnValue()} is what the body returned ({@code StopIteration.value}).
 *   <li>An exception thrown by the body comes out of the call that resumed it: unchecked ones as
 *       they are, checked ones wrapped in a {@link CompletionException}. The generator is then
 *       finished. A {@link NoSuchElementException} is wrapped in an {@link IllegalStateException}
 *       (as Python's PEP 479 wraps {@code StopIteration}), so it never looks like the end.
 * </ul>
 *
 * <p>Thread-safety: a generator is one conversation, driven by one caller at a time. Calls may
 * come from different threads one after another (each call happens-before the next one that starts
 * after it returned), but a call that overlaps another ({@code next}, {@code hasNext},
 * {@code send}, {@code throwInto}, {@code close}) fails at once with
 * {@link IllegalStateException} ("already running") and changes nothing; so does a body calling
 * its own generator. {@link #isDone()}, {@link #returnValue()} and {@link #toString()} may be called
 * from any thread at any time.
 *
 * <p>A generator dropped while suspended is reclaimed after the garbage collector finds it
 * unreachable: its pending {@code yield} throws {@link CancellationException}, its {@code finally}
 * blocks run on its own thread, its thread ends, and an exception from that unwinding is logged.
 * That unwinding has no caller to alternate with: it runs at any time, alongside whatever else
 * runs, a loop's coroutines included, so a {@code finally} of a body that may be dropped must not
 * touch state its creator uses without synchronization.
 * A daemon thread starts this, never the thread that creates generators, which therefore never
 * waits for an abandoned body's cleanup (that cleanup may need a lock the creator holds). When more
 * than about a thousand dropped bodies are waiting to unwind, creating a generator first waits
 * while they do, so memory stays bounded; it stops waiting after about 10 ms in which none of them
 * ended. A dropped body that ignores the exit (yields again) is logged and stays parked.
 * {@link #close()} or try-with-resources closes at once, which is better when the body holds
 * resources.
 *
 * @param <T> the type of the values yielded
 */
public final class Generator<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    /*
     * Design notes.
     *
     * The phase. NEW, SUSPENDED and DONE are at rest; RUNNING means one caller has claimed the
     * generator for one call. Every call claims it by compare-and-set (NEW or SUSPENDED to RUNNING),
     * so an overlapping call fails instead of joining a hand-off meant for someone else, and the
     * caller alone releases it (RUNNING to SUSPENDED or DONE) as its last act, after reading what the
     * body left. The body never writes the phase: it records its `outcome` and hands the baton back.
     * Those volatile writes and reads order the plain fields between successive callers.
     *
     * The hand-off is the Loop's Baton: the caller names the body's thread and parks; the body
     * names the caller when it yields, returns or throws. What the body should do next travels in
     * `value` (sent in) or `thrown` (raised at its yield: close() sends a CancellationException).
     *
     * Reclaiming. Everything the body thread touches lives in `State`, never in the Generator
     * itself, so a suspended body does not keep the Generator reachable. The body's parked virtual
     * thread does stay reachable (the JDK tracks every thread by default, jdk.trackAllThreads), so
     * it must be ended: a phantom reference to each Generator, holding its State, is queued by the
     * garbage collector once the Generator is unreachable. A platform daemon thread takes the
     * queued references in batches and starts one virtual thread per batch, which claims each body
     * and wakes it with a CancellationException and no caller. The body unwinds on its own thread
     * and ends without handing anything back. Nobody waits for any one body, so a finally that
     * blocks (on a lock its creator holds, say) holds only its own thread.
     *
     * Memory. Waking from a platform thread is slow to get a carrier against a busy virtual thread
     * that keeps creating generators (measured before: a Cleaner that only unparked bodies ran a
     * 32 MiB heap out of memory). So the waking is done from a virtual thread, whose unparks queue on
     * its carrier, and `BACKLOG` counts the bodies taken from the queue that have not ended. Above
     * BACKLOG_LIMIT a creator parks in short pauses, which frees its carrier for them, as long as
     * some of them end (`ENDED` moves); after STALL_PAUSES pauses without, it gives up and records
     * `stalledAt`, so later creators do not wait on a stuck backlog either. It never waits for a
     * particular body. (Thread.yield() was tried first: with a busy creator the backlog still grew
     * past twenty thousand and a 32 MiB heap ran out.)
     */

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    /** Where the collector queues the references of unreachable generators. */
    private static final ReferenceQueue<Generator<?>> ABANDONED = new ReferenceQueue<>();
    /** The references of generators whose body may still need closing; keeps the references alive. */
    private static final Set<Abandonment> TRACKED = ConcurrentHashMap.newKeySet();
    /** Abandoned bodies taken from ABANDONED that have not ended yet. Any thread, atomically. */
    private static final AtomicLong BACKLOG = new AtomicLong();
    /** Abandoned bodies that have ended, ever. Any thread, atomically. */
    private static final AtomicLong ENDED = new AtomicLong();
    /** ENDED when a creator last gave up waiting for the backlog; -1 before. Any thread. */
    private static volatile long stalledAt = -1;
    /** Above this backlog, a creator waits for the unwinding bodies before it creates. */
    private static final long BACKLOG_LIMIT = 1024;
    /** How long a waiting creator parks between looks at the backlog. */
    private static final long PAUSE_NANOS = 100_000;
    /** A creator stops waiting after this many pauses in a row in which no abandoned body ended (about 10 ms). */
    private static final int STALL_PAUSES = 100;
    /** At most this many abandoned generators are woken by one closer thread. */
    private static final int BATCH = 256;
    /** What {@link #next()} and its kin get back when the body returned instead of yielding. */
    private static final Object END = new Object();

    static {
        // A platform daemon thread: a virtual one blocked in ReferenceQueue.remove() would pin a carrier on JDK 21.
        Thread.ofPlatform().daemon().name("baton-generator-reclaimer").start(Generator::reclaimForever);
    }

    /** The reclaimer thread: hands each batch of queued references to a closer virtual thread. */
    private static void reclaimForever() {
        for (;;) {
            List<Abandonment> batch = new ArrayList<>();
            try {
                batch.add((Abandonment) ABANDONED.remove()); // only Abandonments are registered with it
            } catch (InterruptedException e) {
                return;
            }
            Reference<? extends Generator<?>> more;
            while (batch.size() < BATCH && (more = ABANDONED.poll()) != null) {
                batch.add((Abandonment) more);
            }
            BACKLOG.addAndGet(batch.size());
            Thread.ofVirtual().name("baton-generator-closer").start(() -> wakeToClose(batch));
        }
    }

    /** A closer thread: wakes each abandoned body with the exit pending, waiting for none of them. */
    private static void wakeToClose(List<Abandonment> batch) {
        for (Abandonment abandoned : batch) {
            if (!TRACKED.remove(abandoned) || !abandoned.state.abandon()) {
                BACKLOG.decrementAndGet(); // nothing to unwind
                ENDED.incrementAndGet();
            }
        }
    }

    /**
     * Before a generator is created: while abandoned bodies pile up, waits for them to unwind, as
     * long as they do. Gives up after STALL_PAUSES pauses in a row in which none ended, and then
     * does not wait again until one has.
     */
    private static void easeBacklog() {
        if (BACKLOG.get() <= BACKLOG_LIMIT) {
            return;
        }
        long ended = ENDED.get();
        if (ended == stalledAt) {
            return; // a creator already gave up on this backlog, and nothing has ended since
        }
        for (int idle = 0; BACKLOG.get() > BACKLOG_LIMIT; ) {
            LockSupport.parkNanos(PAUSE_NANOS);
            long now = ENDED.get();
            if (now != ended) {
                ended = now;
                idle = 0;
            } else if (++idle == STALL_PAUSES) {
                stalledAt = now;
                return;
            }
        }
    }

    /** A generator's phantom reference, holding the State to close once the generator is gone. */
    private static final class Abandonment extends PhantomReference<Generator<?>> {
        private final State state;

        Abandonment(Generator<?> generator, State state) {
            super(generator, ABANDONED);
            this.state = state;
        }
    }

    /**
     * A generator body that returns nothing.
     *
     * @param <T> the type of the values it yields
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Produces values through {@code yielder}; may throw.
         *
         * @param yielder what the body yields through
         * @throws Exception anything; it comes out of the call that resumed the body
         */
        void run(Yielder<T> yielder) throws Exception;
    }

    /**
     * A generator body that returns a value at the end, for {@link Yielder#yieldAll} to pass on.
     *
     * @param <T> the type of the values it yields
     * @param <R> the type of its return value
     */
    @FunctionalInterface
    public interface ReturningBody<T, R> {
        /**
         * Produces values through {@code yielder}, then returns the generator's return value.
         *
         * @param yielder what the body yields through
         * @return the generator's return value ({@link Generator#returnValue()})
         * @throws Exception anything; it comes out of the call that resumed the body
         */
        R run(Yielder<T> yielder) throws Exception;
    }

    /**
     * What a generator body yields through. Only the generator's own body may use it, on its own
     * thread.
     *
     * @param <T> the type of the values yielded
     */
    public static final class Yielder<T> {
        private final State state;

        private Yielder(State state) {
            this.state = state;
        }

        /**
         * Hands {@code value} to the caller and suspends until it asks for the next one.
         *
         * @param <S> the type of the value sent in, as the body expects it
         * @param value the value for the caller's {@code next()} or {@code send()}
         *
         * @return the value passed to {@link Generator#send(Object)}, or null after {@code next()}
         * @throws CancellationException if the generator is being closed (Python's {@code GeneratorExit});
         *     let it out, or end the body; yielding again makes {@code close()} fail
         * @throws RuntimeException the exception passed to {@link Generator#throwInto(Throwable)}
         *     (a checked one wrapped in a {@link CompletionException}), or an {@link Error} as it is
         * @throws IllegalStateException if called from any thread but the body's own
         */
        @SuppressWarnings("unchecked")
        public <S> S yield(T value) {
            return (S) state.yield(value);
        }

        /**
         * Delegates to {@code inner} until it ends (Python's {@code yield from}): yields each of its
         * values, and passes on to it each value sent here, each exception thrown in here with
         * {@link Generator#throwInto}, and the close (after closing {@code inner}, the
         * {@link CancellationException} goes on unwinding this body). An exception {@code inner}
         * lets out comes out of this call.
         *
         * @param inner a fresh generator to delegate to
         * @return the inner generator's return value (see {@link #yieldAll(Generator, Class)} for a typed one)
         * @throws IllegalArgumentException if {@code inner} has already started
         * @throws IllegalStateException if {@code inner} is running (it is this generator, or
         *     delegates to it), or if called from any thread but the body's own
         */
        public Object yieldAll(Generator<? extends T> inner) {
            Objects.requireNonNull(inner, "yieldAll: inner must not be null");
            state.checkBodyThread("yieldAll");
            Phase phase = inner.state.phase;
            if (phase == Phase.RUNNING) {
                throw new IllegalStateException("yieldAll: the inner generator is already running;"
                        + " a generator cannot delegate to itself or to one that delegates to it");
            }
            if (phase != Phase.NEW) {
                throw new IllegalArgumentException("yieldAll: the inner generator has already started; delegate to a fresh one");
            }
            Object out = inner.nextOrEnd();
            while (out != END) {
                Object sent;
                try {
                    sent = state.yield(out);
                } catch (CancellationException exit) {
                    inner.close();
                    throw exit;
                } catch (RuntimeException | Error thrown) {
                    out = inner.throwOrEnd(thrown);
                    continue;
                }
                out = sent == null ? inner.nextOrEnd() : inner.sendOrEnd(sent);
            }
            return inner.returnValue();
        }

        /**
         * {@link #yieldAll(Generator)}, with the inner generator's return value checked against
         * {@code type} (a primitive type stands for its wrapper).
         *
         * @param <R> the type of the inner generator's return value
         * @param inner a fresh generator to delegate to
         * @param type the class the return value must be an instance of
         * @return the inner generator's return value
         *
         * @throws ClassCastException if the inner body returned something that is not a {@code type}
         *     (null is one, unless {@code type} is primitive); the inner generator has then ended
         */
        public <R> R yieldAll(Generator<? extends T> inner, Class<R> type) {
            Objects.requireNonNull(type, "yieldAll: type must not be null");
            return checked(yieldAll(inner), type, "yieldAll: the inner generator");
        }
    }

    private enum Phase { NEW, SUSPENDED, RUNNING, DONE }

    /** How the body left the baton last: at a yield, by returning, by throwing. */
    private enum Outcome { YIELDED, RETURNED, FAILED }

    /**
     * For the watchdog, on its own thread: the generator call {@code caller} is inside now (claimed,
     * and {@code caller} its claimer), or null. Scans every live generator with racy reads; for
     * diagnostics only, never on a hot path.
     */
    static State callOf(Thread caller) {
        for (Abandonment a : TRACKED) {
            State s = a.state;
            if (s.isCallOf(caller)) {
                return s;
            }
        }
        return null;
    }

    /** Everything shared by the caller and the body's thread; see the design notes. */
    static final class State implements Runnable {
        private static final VarHandle PHASE;

        static {
            try {
                PHASE = MethodHandles.lookup().findVarHandle(State.class, "phase", Phase.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Baton baton = new Baton();
        private final ReturningBody<?, ?> body;
        /** The generator's lifecycle. Claimed by CAS and released by the caller that claimed it; see the notes. */
        private volatile Phase phase = Phase.NEW;
        /** The body's thread; created by the first resume, before the body starts. */
        private Thread thread;
        /** The thread waiting for the body; null when a dropped body is being closed. Written by the claimer. */
        private Thread caller;
        /** The value handed across: sent in on resume, yielded out at a yield. */
        private Object value;
        /** A RuntimeException or Error for the pending yield to throw; set by the claimer, cleared by the body. */
        private Throwable thrown;
        /** How the body last handed the baton back; written by the body, read by the claimer. */
        private Outcome outcome;
        /** The body's return value, once it returned. */
        private Object result;
        /** The body's exception, once it threw (a NoSuchElementException wrapped). */
        private Throwable failure;
        /** Whether `value` was produced by hasNext() and not yet taken. Claimer only. */
        private boolean pending;
        /** How many times a claimer resumed the body; the watchdog reads it racily to see progress. Claimer only. */
        private long resumes;

        State(ReturningBody<?, ?> body) {
            this.body = body;
        }

        /**
         * Claims the generator for one call. Returns the phase it was in: NEW or SUSPENDED, now
         * RUNNING and this caller's to release; or DONE, unclaimed.
         *
         * @throws IllegalStateException if another call is running it
         */
        Phase claim() {
            for (;;) {
                Phase now = phase;
                if (now == Phase.DONE) {
                    return now;
                }
                if (now == Phase.RUNNING) {
                    throw new IllegalStateException("the generator is already running: another thread is driving"
                            + " it at the same time, or its own body called it");
                }
                if (PHASE.compareAndSet(this, now, Phase.RUNNING)) {
                    return now;
                }
            }
        }

        void release(Phase next) {
            phase = next;
        }

        /**
         * Resumes the claimed body (starting it if {@code from} is NEW) with {@code sent} for its
         * yield to return, or {@code raise} for it to throw, and waits until it yields or ends.
         */
        Outcome resume(Phase from, Object sent, Throwable raise) {
            resumes++;
            value = sent;
            thrown = raise;
            caller = Thread.currentThread();
            if (from == Phase.NEW) {
                try {
                    thread = Carrier.newGeneratorThread(this);
                    baton.start(thread);
                } catch (RuntimeException | Error cannotStart) {
                    release(Phase.NEW);
                    throw cannotStart;
                }
            } else {
                baton.handTo(thread);
            }
            if (baton.awaitSoon()) {
                Thread.currentThread().interrupt();
            }
            return outcome;
        }

        /** Watchdog: whether {@code t} is this generator's claimer inside a call now. Racy. */
        boolean isCallOf(Thread t) {
            return phase == Phase.RUNNING && caller == t;
        }

        /** Watchdog: the body's thread. Racy. */
        Thread body() {
            return thread;
        }

        /** Watchdog: the thread the generator's baton names: the body while it runs, the claimer once handed back. */
        Thread holder() {
            return baton.owner();
        }

        /** Watchdog: resumes so far, to tell a long call that moves from one that does not. Racy. */
        long resumes() {
            return resumes;
        }

        void checkBodyThread(String what) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException(what + " must be called by the generator's own body, on its thread");
            }
        }

        /** The body's side of a yield: hand the value out, wait to be resumed. */
        Object yield(Object out) {
            checkBodyThread("yield");
            value = out;
            outcome = Outcome.YIELDED;
            Thread waiting = caller;
            if (waiting == null) {
                // Dropped and being closed: it caught the exit and yielded; nobody will ever resume it.
                Reports.warn(LOG, "a dropped generator's body ignored its close: it caught the CancellationException raised"
                        + " at its yield and yielded again (" + Reports.describeValue(out) + "); its thread stays parked");
                BACKLOG.decrementAndGet();
                ENDED.incrementAndGet(); // it will not unwind, but it is out of the backlog
                baton.set(null);
                for (;;) {
                    baton.await(null); // never returns: nothing names this thread again
                }
            }
            baton.handTo(waiting);
            if (waiting.isVirtual()) {
                baton.awaitSoon(); // a virtual caller yields while it waits too: both keep their carriers
            } else {
                baton.await(null); // a platform caller's next() wakes a parked body faster than a yielding one
            }
            Throwable raise = thrown;
            if (raise != null) {
                thrown = null;
                throw uncheckedAsIs(raise);
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
                outcome = Outcome.RETURNED;
            } catch (NoSuchElementException leaked) {
                failure = new IllegalStateException("the generator's body threw NoSuchElementException, which would"
                        + " look like the end of the iteration (PEP 479): " + leaked.getMessage(), leaked);
                outcome = Outcome.FAILED;
            } catch (Throwable t) {
                failure = t;
                outcome = Outcome.FAILED;
            }
            value = null;
            Thread waiting = caller;
            if (waiting == null) {
                if (failure != null && !(failure instanceof CancellationException)) {
                    Reports.warn(LOG, "a dropped generator's body failed while it was being closed: " + Reports.describe(failure), failure);
                }
                BACKLOG.decrementAndGet();
                ENDED.incrementAndGet();
                return;
            }
            baton.handTo(waiting);
        }

        /**
         * Reclaiming a dropped generator: wakes a suspended body with the exit pending and no caller.
         * Returns whether it did (false: nothing to unwind).
         */
        boolean abandon() {
            for (;;) {
                Phase now = phase;
                if (now == Phase.NEW && PHASE.compareAndSet(this, now, Phase.DONE)) {
                    return false;
                }
                if (now != Phase.NEW && now != Phase.SUSPENDED) {
                    return false; // DONE; RUNNING cannot be, since nobody holds the generator
                }
                if (now == Phase.SUSPENDED && PHASE.compareAndSet(this, now, Phase.RUNNING)) {
                    break;
                }
            }
            caller = null;
            thrown = new CancellationException("the generator was dropped while suspended; it is being closed");
            baton.handTo(thread);
            return true;
        }
    }

    private final State state;
    /** This generator's entry in TRACKED, removed once the body has ended. */
    private final Abandonment abandonment;

    private Generator(ReturningBody<?, ?> body) {
        easeBacklog();
        this.state = new State(body);
        this.abandonment = new Abandonment(this, state);
        TRACKED.add(abandonment);
    }

    /**
     * A generator whose body returns nothing. Nothing runs until the first {@code next()}.
     *
     * @param <T> the type of the values yielded
     * @param body the body, run on the generator's own virtual thread
     * @return a new generator, not started
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
     * @param <T> the type of the values yielded
     * @param <R> the type of the return value
     * @param body the body, run on the generator's own virtual thread
     * @return a new generator, not started
     * @throws NullPointerException if {@code body} is null
     */
    public static <T, R> Generator<T> returning(ReturningBody<T, R> body) {
        Objects.requireNonNull(body, "Generator.returning: body must not be null");
        return new Generator<>(body);
    }

    /**
     * Runs the body to its next {@code yield} if needed; false once it has ended.
     *
     * @throws IllegalStateException if another call is running this generator
     * @throws RuntimeException the body's exception, as {@link #next()} does
     */
    @Override
    public boolean hasNext() {
        try {
            Phase from = state.claim();
            if (from == Phase.DONE) {
                return false;
            }
            if (state.pending) {
                state.release(Phase.SUSPENDED);
                return true;
            }
            return finish(state.resume(from, null, null), true) != END;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The next value the body yields.
     *
     * @throws NoSuchElementException if the body has ended
     * @throws IllegalStateException if another call is running this generator, or the body threw
     *     {@link NoSuchElementException} (the cause)
     * @throws RuntimeException the body's exception: an unchecked one as it is, a checked one
     *     wrapped in a {@link CompletionException}; the generator has then ended
     */
    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        Object out = nextOrEnd();
        if (out == END) {
            throw new NoSuchElementException("the generator has ended");
        }
        return (T) out;
    }

    private Object nextOrEnd() {
        try {
            Phase from = state.claim();
            if (from == Phase.DONE) {
                return END;
            }
            if (state.pending) {
                state.pending = false;
                Object out = state.value;
                state.release(Phase.SUSPENDED);
                return out;
            }
            return finish(state.resume(from, null, null), false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Resumes the body with {@code value} as the result of its pending {@code yield}, and returns
     * the next value it yields. {@code send(null)} is {@code next()}.
     *
     * @param value what the pending {@code yield} returns in the body
     * @return the next value the body yields
     * @throws IllegalStateException if the body has not started yet and {@code value} is not null
     *     (as in Python, the first call must be a plain advance), if {@code hasNext()} already
     *     advanced the body and its value was not taken with {@code next()}, or if another call is
     *     running this generator
     * @throws NoSuchElementException if the body ends instead of yielding, or had ended
     * @throws RuntimeException the body's exception, as {@link #next()} does
     */
    @SuppressWarnings("unchecked")
    public T send(Object value) {
        Object out = value == null ? nextOrEnd() : sendOrEnd(value);
        if (out == END) {
            throw new NoSuchElementException("the generator has ended");
        }
        return (T) out;
    }

    private Object sendOrEnd(Object value) {
        try {
            Phase from = state.claim();
            if (from == Phase.DONE) {
                return END;
            }
            if (from == Phase.NEW) {
                state.release(Phase.NEW);
                throw new IllegalStateException("send: can't send a value to a generator that has not started;"
                        + " call next() first to run it to its first yield");
            }
            if (state.pending) {
                state.release(Phase.SUSPENDED);
                throw new IllegalStateException("send: hasNext() already ran the body to its next yield;"
                        + " take that value with next() before sending");
            }
            return finish(state.resume(from, value, null), false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Raises {@code exception} at the body's pending {@code yield} (Python's {@code gen.throw(exc)}),
     * and returns the next value the body yields if it catches the exception and goes on. An
     * unchecked exception is raised as it is; a checked one wrapped in a {@link CompletionException}
     * (so the body catches {@code CompletionException} and finds it as the cause).
     *
     * <p>If the body has not started, it never will: the generator is finished and the exception
     * comes out of this call, as it does if the body had already ended.
     *
     * @param exception what the pending {@code yield} throws in the body
     * @return the next value the body yields
     * @throws NoSuchElementException if the body returns instead of yielding
     * @throws RuntimeException {@code exception} (checked: wrapped in a {@link CompletionException}),
     *     if the body lets it out, or any other exception the body throws, as {@link #next()} does
     * @throws IllegalStateException if {@code hasNext()} already advanced the body and its value
     *     was not taken with {@code next()}, or if another call is running this generator
     * @throws NullPointerException if {@code exception} is null
     */
    @SuppressWarnings("unchecked")
    public T throwInto(Throwable exception) {
        Objects.requireNonNull(exception, "throwInto: exception must not be null");
        Object out = throwOrEnd(exception instanceof RuntimeException || exception instanceof Error
                ? exception
                : new CompletionException("thrown into the generator: " + exception, exception));
        if (out == END) {
            throw new NoSuchElementException("the generator has ended: its body returned after the exception");
        }
        return (T) out;
    }

    /** throwInto for an unchecked {@code raise}. */
    private Object throwOrEnd(Throwable raise) {
        try {
            Phase from = state.claim();
            if (from == Phase.NEW) {
                state.failure = raise; // as in Python, the body is finished by the exception, unrun
                state.outcome = Outcome.FAILED;
                state.release(Phase.DONE);
                forget();
            }
            if (from == Phase.NEW || from == Phase.DONE) {
                throw uncheckedAsIs(raise);
            }
            if (state.pending) {
                state.release(Phase.SUSPENDED);
                throw new IllegalStateException("throwInto: hasNext() already ran the body to its next yield;"
                        + " take that value with next() first");
            }
            return finish(state.resume(from, null, raise), false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Ends the call that resumed the body: releases the phase, and returns the value yielded, or
     * END if the body returned; rethrows the body's exception.
     */
    private Object finish(Outcome outcome, boolean keepPending) {
        if (outcome == Outcome.YIELDED) {
            Object out = state.value;
            state.pending = keepPending;
            state.release(Phase.SUSPENDED);
            return out;
        }
        Throwable failure = state.failure;
        state.release(Phase.DONE);
        forget();
        if (failure != null) {
            throw unchecked(failure);
        }
        return END;
    }

    /** {@code raise}, a RuntimeException or an Error, for a throw statement (an Error is thrown here). */
    private static RuntimeException uncheckedAsIs(Throwable raise) {
        if (raise instanceof Error error) {
            throw error;
        }
        return (RuntimeException) raise;
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new CompletionException("the generator's body failed: " + failure, failure);
    }

    /** Once the body has ended, this generator no longer needs reclaiming. */
    private void forget() {
        if (TRACKED.remove(abandonment)) {
            abandonment.clear();
        }
    }

    /**
     * What the body returned (null for a {@link Body}; Python's {@code StopIteration.value}). A body
     * that catches the {@link CancellationException} of {@link #close()} and returns has returned.
     * Any thread.
     *
     * @return what the body returned
     * @throws IllegalStateException unless the body has returned: it has not started or not ended
     *     yet, or it threw, or it was closed (and did not return)
     */
    public Object returnValue() {
        Phase now = state.phase;
        if (now == Phase.DONE && state.outcome == Outcome.RETURNED) {
            return state.result;
        }
        String why = switch (now) {
            case NEW -> "the generator has not started";
            case SUSPENDED, RUNNING -> "the generator has not finished";
            case DONE -> state.outcome != Outcome.FAILED ? "the generator was closed before it started"
                    : state.failure instanceof CancellationException ? "the generator was closed"
                    : "the body threw " + state.failure;
        };
        throw new IllegalStateException("returnValue: the body has not returned: " + why);
    }

    /**
     * {@link #returnValue()}, checked against {@code type} (a primitive type stands for its
     * wrapper): {@code int n = generator.returnValue(Integer.class)}.
     *
     * @param <R> the type of the return value
     * @param type the class the return value must be an instance of
     * @return what the body returned
     * @throws ClassCastException if the body returned something that is not a {@code type} (null is
     *     one, unless {@code type} is primitive)
     * @throws IllegalStateException unless the body has returned, as {@link #returnValue()}
     */
    public <R> R returnValue(Class<R> type) {
        Objects.requireNonNull(type, "returnValue: type must not be null");
        return checked(returnValue(), type, "returnValue: the body");
    }

    @SuppressWarnings("unchecked")
    private static <R> R checked(Object result, Class<R> type, String who) {
        Class<?> boxed = type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
        if (result == null ? type.isPrimitive() : !boxed.isInstance(result)) {
            throw new ClassCastException(who + " returned "
                    + (result == null ? "null" : "a " + result.getClass().getName() + " (" + result + ")")
                    + ", not a " + type.getName());
        }
        return (R) result;
    }

    /**
     * Whether the body has ended (returned, thrown, or closed). Any thread.
     *
     * @return true once the body has ended
     */
    public boolean isDone() {
        return state.phase == Phase.DONE;
    }

    /**
     * Closes the generator (Python's {@code gen.close()}): a suspended body sees
     * {@link CancellationException} at its {@code yield}, runs its {@code finally} blocks and ends;
     * this waits for that. A body that never started will never run. Closing an ended generator
     * does nothing.
     *
     * @throws IllegalStateException "generator ignored GeneratorExit" if the body caught the
     *     {@link CancellationException} and yielded again: it is suspended at that yield (the value
     *     is dropped), and a later {@code close()} raises the exception there again; or if another
     *     call is running this generator
     * @throws RuntimeException an exception the body threw while unwinding, other than a
     *     {@link CancellationException} (a checked one wrapped in a {@link CompletionException})
     */
    @Override
    public void close() {
        try {
            Phase from = state.claim();
            if (from == Phase.DONE) {
                return;
            }
            state.pending = false;
            if (from == Phase.NEW) {
                state.release(Phase.DONE);
                forget();
                return;
            }
            Outcome outcome = state.resume(from, null, new CancellationException("the generator is closed"));
            if (outcome == Outcome.YIELDED) {
                state.value = null;
                state.release(Phase.SUSPENDED);
                throw new IllegalStateException("generator ignored GeneratorExit: its body caught the"
                        + " CancellationException that close() raised at its yield and yielded again");
            }
            Throwable failure = state.failure;
            state.release(Phase.DONE);
            forget();
            if (failure != null && !(failure instanceof CancellationException)) {
                throw unchecked(failure);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** This generator itself, for a for-each loop; it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "Generator[" + state.phase.name().toLowerCase(Locale.ROOT) + "]";
    }
}
