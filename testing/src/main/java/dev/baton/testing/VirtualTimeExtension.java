package dev.baton.testing;

import dev.baton.core.Loop;
import dev.baton.core.LoopClock;
import dev.baton.core.Simulation;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import java.lang.management.ManagementFactory;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The extension behind {@link VirtualTime}: one loop per test, the leak and failure checks, the
 * real-time guard. Registered by the annotation; not used directly.
 */
final class VirtualTimeExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    /*
     * Design notes.
     *
     * Per-test state is a Session in the test method's ExtensionContext store, created in
     * beforeEach (before any @BeforeEach method, whose parameters may need it) and removed in
     * afterEach (after every @AfterEach method). Nothing is static, so tests running in parallel
     * share nothing.
     *
     * The guard: each lifecycle method of the test (@BeforeEach, the test, @AfterEach) and the
     * final check run on a fresh daemon platform thread while JUnit's thread waits with a
     * timeout. A coroutine that never suspends holds the baton, and with it the test's thread,
     * forever; no call into the loop can take it back (stop() acts at the next scheduling step,
     * which never comes). So on timeout the guard takes the dump, asks the loop to stop,
     * interrupts the test's thread (an interrupted runner stops its loop; an interrupted blocking
     * call returns), waits a moment, and fails the test. If the thread still has not returned, the
     * session is abandoned: the loop is never touched again (close() would fail: "already
     * running"), and the stuck threads, daemon and virtual, do not keep the JVM alive. Platform,
     * not virtual, for the test's thread: a spinning coroutine occupies a carrier thread of the
     * virtual-thread scheduler, and the guard must not depend on one being free. JUnit's thread
     * may itself get to look late (a loaded machine) and find the part already finished: the part
     * then measured its own end, and one that took longer than the limit fails all the same.
     */

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VirtualTimeExtension.class);
    /** How long the guard waits for a timed-out test's thread after stopping and interrupting it. */
    private static final Duration GRACE = Duration.ofMillis(200);

    @Override
    public void beforeEach(ExtensionContext context) {
        session(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Session session = context.getStore(NAMESPACE).remove(Session.class, Session.class);
        if (session == null || session.abandoned) {
            return; // never created (a bad attribute), or a timed-out test already failed with a dump
        }
        boolean testFailed = context.getExecutionException().isPresent();
        try {
            try {
                guard(session, context, "the checks after the test", () -> finish(session, testFailed));
            } catch (Throwable t) {
                throw session.explored(t);
            }
            if (!testFailed && session.config.exploring() && isPlainTest(context)) {
                for (int run = 1; run < session.config.runs(); run++) {
                    exploreOnce(context, new Session(session.config, run));
                }
            }
        } catch (Throwable t) {
            sneakyThrow(t);
        }
    }

    private static boolean isPlainTest(ExtensionContext context) {
        return context.getTestMethod().isPresent() && context.getTestInstances().isPresent();
    }

    /**
     * One more run of schedule exploration: its own loop, then the test's @BeforeEach methods,
     * the test method and its @AfterEach methods on the same instance, each part guarded, then
     * the checks after the test. A failure names the run's seed.
     */
    private void exploreOnce(ExtensionContext context, Session session) throws Throwable {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(Session.class, session);
        Throwable failure = null;
        try {
            List<Object> instances = context.getRequiredTestInstances().getAllInstances();
            for (Object instance : instances) {
                for (Method m : AnnotationSupport.findAnnotatedMethods(instance.getClass(), BeforeEach.class, HierarchyTraversalMode.TOP_DOWN)) {
                    invokePart(context, session, m, instance);
                }
            }
            Method test = context.getRequiredTestMethod();
            invokePart(context, session, test, context.getRequiredTestInstance());
            cancelBackground(session);
        } catch (Throwable t) {
            failure = t;
        }
        if (!session.abandoned) {
            List<Object> instances = new ArrayList<>(context.getRequiredTestInstances().getAllInstances());
            java.util.Collections.reverse(instances);
            for (Object instance : instances) {
                for (Method m : AnnotationSupport.findAnnotatedMethods(instance.getClass(), AfterEach.class, HierarchyTraversalMode.BOTTOM_UP)) {
                    try {
                        invokePart(context, session, m, instance);
                    } catch (Throwable t) {
                        if (failure == null) {
                            failure = t;
                        } else {
                            failure.addSuppressed(t);
                        }
                    }
                }
            }
        }
        store.remove(Session.class, Session.class);
        if (!session.abandoned) {
            boolean testFailed = failure != null;
            try {
                guard(session, context, "the checks after the test", () -> finish(session, testFailed));
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                } else {
                    failure.addSuppressed(t);
                }
            }
        }
        if (failure != null) {
            throw session.explored(failure);
        }
    }

    private static void invokePart(ExtensionContext context, Session session, Method method, Object instance) throws Throwable {
        if (session.abandoned) {
            return;
        }
        guard(session, context, method.getName() + "()", () -> context.getExecutableInvoker().invoke(method, instance));
    }

    /** Cancels the test's background work as its body ends, and lets it unwind without moving time. */
    private static void cancelBackground(Session session) {
        if (!session.loop.isClosed()) {
            session.tester.cancelBackground();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return INJECTED.contains(type);
    }

    /** The parameter types this extension injects. */
    static final List<Class<?>> INJECTED = List.of(Loop.class, VirtualClock.class, LoopClock.class, Trace.class, LoopTester.class,
            Clock.class, ScheduledExecutorService.class);

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (!(parameter.getDeclaringExecutable() instanceof Method) || context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("@VirtualTime injects " + type.getSimpleName() + " into test methods and"
                    + " @BeforeEach/@AfterEach methods only, not into " + parameter.getDeclaringExecutable()
                    + ": each test has its own loop");
        }
        Session session = session(context);
        if (type == Loop.class) {
            return session.loop;
        } else if (type == VirtualClock.class || type == LoopClock.class) {
            return session.clock;
        } else if (type == Trace.class) {
            return session.trace;
        } else if (type == Clock.class) {
            return session.clock.asJavaClock();
        } else if (type == ScheduledExecutorService.class) {
            return session.executor();
        }
        return session.tester;
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        intercept(invocation, call, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        interceptBody(invocation, call, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        interceptBody(invocation, call, context);
    }

    /** The test method itself: its background work is cancelled as it ends; under exploration, a failure names the seed. */
    private void interceptBody(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                               ExtensionContext context) throws Throwable {
        Session session = context.getStore(NAMESPACE).get(Session.class, Session.class);
        if (session == null || session.abandoned) {
            intercept(invocation, call, context);
            return;
        }
        try {
            guard(session, context, call.getExecutable().getName() + "()", () -> {
                try {
                    invocation.proceed();
                } finally {
                    cancelBackground(session);
                }
                return null;
            });
        } catch (Throwable t) {
            throw session.explored(t);
        }
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        Session session = context.getStore(NAMESPACE).get(Session.class, Session.class);
        if (session == null || session.abandoned) {
            return invocation.proceed();
        }
        Object[] result = new Object[1];
        guard(session, context, call.getExecutable().getName() + "()", () -> result[0] = invocation.proceed());
        @SuppressWarnings("unchecked")
        T factoryResult = (T) result[0];
        return factoryResult;
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
                                     ExtensionContext context) throws Throwable {
        // The store is looked up through the parent: a dynamic test shares its factory's session.
        intercept(invocation, context, "dynamic test '" + context.getDisplayName() + "'");
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        intercept(invocation, call, context);
    }

    private void intercept(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                           ExtensionContext context) throws Throwable {
        intercept(invocation, context, call.getExecutable().getName() + "()");
    }

    /** Runs one part of a test ({@code what}) under the session's guard, or skips it if the loop was abandoned. */
    private void intercept(Invocation<Void> invocation, ExtensionContext context, String what) throws Throwable {
        Session session = context.getStore(NAMESPACE).get(Session.class, Session.class);
        if (session == null) {
            invocation.proceed();
            return;
        }
        if (session.abandoned) {
            invocation.skip(); // an earlier part of this test timed out and still holds the loop
            return;
        }
        guard(session, context, what, () -> {
            invocation.proceed();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------

    /** The test's session, created on first use. */
    private static Session session(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Session.class, key -> new Session(Config.of(context)), Session.class);
    }

    @FunctionalInterface
    private interface Body {
        Object run() throws Throwable;
    }

    /** Runs {@code body} on its own thread and fails with a dump if it outlasts the timeout. */
    private static void guard(Session session, ExtensionContext context, String part, Body body) throws Throwable {
        Throwable[] failure = new Throwable[1];
        long[] endedAt = new long[1];
        Thread thread = Thread.ofPlatform().daemon().name("virtual-time " + context.getDisplayName() + " " + part).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                endedAt[0] = System.nanoTime();
            }
        });
        long virtualStart = session.clock.nanoTime();
        long realStart = System.nanoTime();
        thread.start();
        if (!session.config.guarded) {
            thread.join();
        } else if (!thread.join(Duration.ofMillis(session.config.realTimeoutMillis))) {
            StackTraceElement[] stuckAt = thread.getStackTrace();
            boolean loopRan = session.loop.isRunning(); // perhaps on a thread the test started
            String dump = session.loop.dump();
            long virtualAtTimeout = session.clock.nanoTime();
            session.loop.stop();
            thread.interrupt();
            boolean ended = thread.join(GRACE);
            session.abandoned = !ended;
            long limit = session.config.realTimeoutMillis;
            long raced = virtualAtTimeout - virtualStart;
            String why = !insideARun(stuckAt) && !loopRan
                    ? " Its thread was at the stack trace of this exception, blocked outside the loop: no run method was"
                      + " active, so nothing ran the loop's coroutines, timers or executor tasks, and virtual time could not"
                      + " move. Code that waits for the loop's work (a future's join or get, a latch a coroutine counts down)"
                      + " must run the loop first (runUntilComplete, runFor, LoopTester.advanceUntilIdle), or wait from a"
                      + " coroutine (Task.join, Loop.await).\n"
                    : ended && raced > 0
                    ? " Virtual time raced ahead by " + describe(java.time.Duration.ofNanos(raced)) + " during it (to "
                      + session.clock.now().toOffsetDateTime() + "): repeating work (a heartbeat, a periodic task) keeps a run"
                      + " that waits for the loop to go idle (runForever, advanceUntilIdle) from ever returning. Run for a bounded"
                      + " time (runFor, runUntil), or put the repeating work in the background (LoopTester.spawnInBackground,"
                      + " markBackground) and use LoopTester.advanceUntilIdle, which ignores it; a periodic executor task"
                      + " cannot go in the background: cancel its future, or shut the executor down, first.\n"
                    : dump.contains("awaiting an outside future") || dump.contains("awaiting its Loop.toThread work")
                    ? " Its thread was at the stack trace of this exception. Virtual time stood still"
                      + (raced > 0 ? " at the end" : "") + " while coroutines awaited outside futures or their Loop.toThread work (below): time moves"
                      + " only when nothing is pending outside. A future that waits for this loop's own timers (one derived"
                      + " from a task of this loop) never completes: join the task instead; real-world work must complete"
                      + " within the timeout.\n"
                    : dump.contains(" running without suspending for ")
                    ? " Its thread was at the stack trace of this exception. Virtual time stood still"
                      + (raced > 0 ? " at the end" : "") + ": a coroutine that runs without suspending"
                      + " (a busy loop, Thread.sleep, blocking I/O) holds the baton, so nothing else runs and time cannot move.\n"
                    : dump.contains("no carrier thread is free to run it")
                    ? " Its thread was at the stack trace of this exception. Virtual time stood still"
                      + (raced > 0 ? " at the end" : "") + ": a coroutine holds the baton but no carrier thread is free to"
                      + " run it (a carrier is pinned: a suspension inside a class initializer, or a blocking native call);"
                      + " the loop's watchdog names the cause in its warning.\n"
                    : " Its thread was at the stack trace of this exception. Virtual time stood still"
                      + (raced > 0 ? " at the end" : "") + " while coroutines kept suspending and were ready to run again at"
                      + " once (Loop.sleep(Duration.ZERO) or a yield in a polling loop, coroutines waking each other):"
                      + " virtual time moves only when no coroutine is ready. Wait for what is polled for (an Event, a"
                      + " Condition, Task.join), or sleep a positive duration between looks.\n";
            AssertionFailedError timeout = new AssertionFailedError(part + " did not finish within " + limit
                    + " ms of real time (@VirtualTime(realTimeoutMillis = " + limit + ")) and "
                    + (ended ? "was stopped (the loop stopped, its thread interrupted)." : "is still running: its loop is abandoned, not closed.")
                    + why + dump);
            timeout.setStackTrace(stuckAt);
            if (ended && failure[0] != null) {
                timeout.addSuppressed(failure[0]);
            }
            throw timeout;
        }
        // The join above returns as soon as it finds the part finished, however late this thread
        // got to look (a loaded machine): a part that finished but took longer fails all the same.
        // A part that failed (or was skipped) on its own is reported as it ended, the overrun beside it.
        long took = endedAt[0] - realStart;
        if (session.config.guarded && took > Duration.ofMillis(session.config.realTimeoutMillis).toNanos()) {
            long limit = session.config.realTimeoutMillis;
            long tookMillis = (took + 999_999) / 1_000_000; // rounded up: never "within 50 ms ... after 50 ms"
            AssertionFailedError late = new AssertionFailedError(part + " did not finish within " + limit
                    + " ms of real time (@VirtualTime(realTimeoutMillis = " + limit + ")): it finished after "
                    + tookMillis + " ms, before the guard could stop it.");
            if (failure[0] == null) {
                throw late;
            }
            failure[0].addSuppressed(late);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Whether a stack is inside one of a loop's run methods (their common engine frame is on it). */
    private static boolean insideARun(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("dev.baton.core.Engine")) {
                return true;
            }
        }
        return false;
    }

    /** A readable length of virtual time: days and the rest. */
    private static String describe(java.time.Duration d) {
        long days = d.toDays();
        if (days >= 365) {
            return String.format("%.1f years (%d days)", days / 365.25, days);
        }
        return d.toString();
    }

    /** After the test: let ready work run, report leaks and unretrieved failures, close the loop. */
    private static Void finish(Session session, boolean testFailed) {
        Loop loop = session.loop;
        List<Throwable> problems = new ArrayList<>();
        try {
            if (loop.isClosed()) {
                return reportUnretrieved(session, problems); // the test closed it: nothing can leak
            }
            session.tester.cancelBackground(); // background work spawned after the test method, in @AfterEach
            loop.runUntilIdle(); // no time passes: a task the test cancelled unwinds
            List<Task<?>> leaked = loop.tasks().stream().filter(t -> !session.tester.isExpectedUnfinished(t)).toList();
            if (!testFailed && !session.config.allowLeaks && !leaked.isEmpty()) {
                problems.add(new AssertionFailedError(leakMessage(leaked) + "\n" + loop.dump()));
            }
        } finally {
            loop.close();
        }
        return reportUnretrieved(session, problems);
    }

    /** Throws the first of the unretrieved failures and {@code problems}, the others suppressed. */
    private static Void reportUnretrieved(Session session, List<Throwable> problems) {
        List<Throwable> all = new ArrayList<>(session.unretrieved);
        all.addAll(problems);
        if (all.isEmpty()) {
            return null;
        }
        Throwable first = all.get(0);
        all.subList(1, all.size()).forEach(first::addSuppressed);
        sneakyThrow(first);
        return null;
    }

    private static String leakMessage(List<Task<?>> leaked) {
        StringBuilder names = new StringBuilder();
        for (Task<?> task : leaked) {
            names.append(names.isEmpty() ? "" : ", ").append('\'').append(task.name()).append('\'');
        }
        return leaked.size() + (leaked.size() == 1 ? " coroutine is" : " coroutines are") + " still unfinished after the test: "
                + names + ". Wait for it (runUntilComplete, join), cancel it, or declare it with"
                + " LoopTester.expectUnfinished(task) or @VirtualTime(allowLeaks = true).";
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    // ---------------------------------------------------------------------------------------

    /** The attributes of the {@link VirtualTime} that applies to a test, checked. */
    record Config(Instant start, ZoneId zone, boolean allowLeaks, long realTimeoutMillis, boolean guarded, int explore, long seed) {

        /** Whether the loop's order is perturbed (explore, or a seed to replay). */
        boolean exploring() {
            return explore > 0 || seed != VirtualTime.NO_SEED;
        }

        /** How many runs the test makes. */
        int runs() {
            return Math.max(1, explore);
        }

        /** This configuration, replaying the one seed {@code text} (the configuration parameter's value). */
        Config replaying(String text) {
            try {
                long replay = Long.parseLong(text.trim().replaceFirst("[lL]$", ""));
                return new Config(start, zone, allowLeaks, realTimeoutMillis, guarded, 0, replay);
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException(VirtualTime.SEED_PARAMETER + " = \"" + text + "\": not a seed; give the"
                        + " number a failure named, such as 7", e);
            }
        }

        /** The seed of run {@code run}, counted from 0. */
        long seedOf(int run) {
            return (seed == VirtualTime.NO_SEED ? 1 : seed) + run;
        }

        /** The nearest annotation: on the method, else its class, else an enclosing class. */
        static Config of(ExtensionContext context) {
            for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
                Optional<AnnotatedElement> element = c.get().getElement();
                Optional<VirtualTime> found = element.flatMap(e -> AnnotationSupport.findAnnotation(e, VirtualTime.class));
                if (found.isPresent()) {
                    Config config = parse(found.get(), element.get(), guarded(context.getConfigurationParameter(VirtualTime.TIMEOUT_MODE).orElse("enabled")));
                    Optional<String> replay = context.getConfigurationParameter(VirtualTime.SEED_PARAMETER);
                    return replay.isPresent() && config.exploring() ? config.replaying(replay.get()) : config;
                }
            }
            throw new ExtensionConfigurationException("no @VirtualTime on " + context.getElement().orElse(null)
                    + " or its classes; the extension is registered by that annotation");
        }

        /** Whether the real-time guard is on, by the configuration parameter's value. */
        static boolean guarded(String mode) {
            return switch (mode.trim()) {
                case "enabled" -> true;
                case "disabled" -> false;
                case "disabled_on_debug" -> !debuggerAttached();
                default -> throw new ExtensionConfigurationException(VirtualTime.TIMEOUT_MODE + " = \"" + mode
                        + "\": not a mode; use enabled, disabled or disabled_on_debug");
            };
        }

        private static boolean debuggerAttached() {
            return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .anyMatch(arg -> arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp"));
        }

        static Config parse(VirtualTime annotation, AnnotatedElement where, boolean guarded) {
            String on = " on " + describe(where) + ": ";
            ZoneId zone;
            try {
                zone = ZoneId.of(annotation.zone());
            } catch (DateTimeException e) {
                throw new ExtensionConfigurationException("@VirtualTime(zone = \"" + annotation.zone() + "\")" + on
                        + "not a zone ID (" + e.getMessage() + "); use a region such as \"Europe/London\", or \"UTC\", or an offset such as \"+02:00\"", e);
            }
            Instant start = parseStart(annotation.start(), zone, on);
            if (annotation.realTimeoutMillis() <= 0) {
                throw new ExtensionConfigurationException("@VirtualTime(realTimeoutMillis = " + annotation.realTimeoutMillis() + ")" + on
                        + "must be positive");
            }
            if (annotation.explore() < 0) {
                throw new ExtensionConfigurationException("@VirtualTime(explore = " + annotation.explore() + ")" + on
                        + "must not be negative; 0 runs once in FIFO order, N runs N times in shuffled orders");
            }
            return new Config(start, zone, annotation.allowLeaks(), annotation.realTimeoutMillis(), guarded,
                    annotation.explore(), annotation.seed());
        }

        private static Instant parseStart(String text, ZoneId zone, String on) {
            try {
                return ZonedDateTime.of(LocalDateTime.parse(text), zone).toInstant();
            } catch (DateTimeException notLocal) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeException notOffset) {
                    throw new ExtensionConfigurationException("@VirtualTime(start = \"" + text + "\")" + on
                            + "not a date-time; write a local date-time in the zone, such as \"2026-03-29T00:30\","
                            + " or one with an offset, such as \"2026-03-29T00:30Z\" or \"2026-03-29T01:30+01:00\"", notLocal);
                }
            }
        }

        private static String describe(AnnotatedElement element) {
            if (element instanceof Method m) {
                return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "()";
            }
            return element instanceof Class<?> c ? c.getSimpleName() : String.valueOf(element);
        }
    }

    /** One test's loop and everything that belongs to it. */
    static final class Session {
        final Config config;
        final VirtualClock clock;
        final Loop loop;
        final Trace trace;
        final LoopTester tester;
        /** Failures reported to the loop's exception handler. Written on the loop, read after the test (a concurrent list). */
        final List<Throwable> unretrieved = new CopyOnWriteArrayList<>();
        /** Set by the guard when a timed-out part of the test did not return: the loop is left alone. */
        volatile boolean abandoned;

        /** The exploration run this session is, from 0. */
        final int run;
        /** Created on first injection. Test threads, one at a time. */
        private ScheduledExecutorService executor;

        Session(Config config) {
            this(config, 0);
        }

        Session(Config config, int run) {
            this.config = config;
            this.run = run;
            this.clock = VirtualClock.of(config.start, config.zone);
            this.loop = config.exploring() ? Simulation.exploring(clock, config.seedOf(run)) : Loop.create(clock);
            // asyncio's debug aid, on in tests: a coroutine blocking its carrier is named with its stack.
            loop.setSlowThreshold(java.time.Duration.ofMillis(100));
            this.trace = Trace.of(clock);
            this.tester = new LoopTester(loop, clock, trace);
            loop.setExceptionHandler((source, failure) -> unretrieved.add(new AssertionFailedError(source + " failed"
                    + (source.startsWith("task '") ? " and nobody retrieved the exception (no join, no runUntilComplete, no done-callback)" : ""),
                    failure)));
        }

        ScheduledExecutorService executor() {
            if (executor == null) {
                executor = loop.asScheduledExecutor();
            }
            return executor;
        }

        /**
         * {@code failure}, naming this run's seed when the test explores schedules; printed too, so
         * that the seed is in the build's log even where only the summary is kept.
         */
        Throwable explored(Throwable failure) {
            if (!config.exploring() || failure instanceof ExploredFailure) {
                return failure;
            }
            long seed = config.seedOf(run);
            String message = "schedule exploration: run " + (run + 1) + " of " + config.runs() + " failed with seed " + seed
                    + "; replay exactly this order with @VirtualTime(seed = " + seed + "L). The failure: " + failure;
            System.err.println(message);
            return new ExploredFailure(message, seed, failure);
        }
    }

    /** A failure under schedule exploration, naming the seed that reproduces it; the original is the cause. */
    static final class ExploredFailure extends AssertionFailedError {
        private static final long serialVersionUID = 1L;
        final long seed;

        ExploredFailure(String message, long seed, Throwable cause) {
            super(message, cause);
            this.seed = seed;
        }
    }
}
