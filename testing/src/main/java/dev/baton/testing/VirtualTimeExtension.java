package dev.baton.testing;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
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
     * virtual-thread scheduler, and the guard must not depend on one being free.
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
            guard(session, context, "the checks after the test", () -> finish(session, testFailed));
        } catch (Throwable t) {
            sneakyThrow(t);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Loop.class || type == VirtualClock.class || type == Trace.class || type == LoopTester.class;
    }

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
        } else if (type == VirtualClock.class) {
            return session.clock;
        } else if (type == Trace.class) {
            return session.trace;
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
        intercept(invocation, call, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        intercept(invocation, call, context);
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
        Thread thread = Thread.ofPlatform().daemon().name("virtual-time " + context.getDisplayName() + " " + part).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        if (!session.config.guarded) {
            thread.join();
        } else if (!thread.join(Duration.ofMillis(session.config.realTimeoutMillis))) {
            StackTraceElement[] stuckAt = thread.getStackTrace();
            String dump = session.loop.dump();
            session.loop.stop();
            thread.interrupt();
            boolean ended = thread.join(GRACE);
            session.abandoned = !ended;
            long limit = session.config.realTimeoutMillis;
            AssertionFailedError timeout = new AssertionFailedError(part + " did not finish within " + limit
                    + " ms of real time (@VirtualTime(realTimeoutMillis = " + limit + ")) and "
                    + (ended ? "was stopped (the loop stopped, its thread interrupted)." : "is still running: its loop is abandoned, not closed.")
                    + " Its thread was at the stack trace of this exception. A coroutine that runs without suspending"
                    + " (a busy loop, Thread.sleep, blocking I/O) holds the baton: nothing else runs and virtual time stands still.\n"
                    + dump);
            timeout.setStackTrace(stuckAt);
            if (ended && failure[0] != null) {
                timeout.addSuppressed(failure[0]);
            }
            throw timeout;
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** After the test: let ready work run, report leaks and unretrieved failures, close the loop. */
    private static Void finish(Session session, boolean testFailed) {
        Loop loop = session.loop;
        List<Throwable> problems = new ArrayList<>();
        try {
            if (loop.isClosed()) {
                return reportUnretrieved(session, problems); // the test closed it: nothing can leak
            }
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
    record Config(Instant start, ZoneId zone, boolean allowLeaks, long realTimeoutMillis, boolean guarded) {

        /** The nearest annotation: on the method, else its class, else an enclosing class. */
        static Config of(ExtensionContext context) {
            for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
                Optional<AnnotatedElement> element = c.get().getElement();
                Optional<VirtualTime> found = element.flatMap(e -> AnnotationSupport.findAnnotation(e, VirtualTime.class));
                if (found.isPresent()) {
                    return parse(found.get(), element.get(), guarded(context.getConfigurationParameter(VirtualTime.TIMEOUT_MODE).orElse("enabled")));
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
            return new Config(start, zone, annotation.allowLeaks(), annotation.realTimeoutMillis(), guarded);
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

        Session(Config config) {
            this.config = config;
            this.clock = VirtualClock.of(config.start, config.zone);
            this.loop = Loop.create(clock);
            // asyncio's debug aid, on in tests: a coroutine blocking its carrier is named with its stack.
            loop.setSlowThreshold(java.time.Duration.ofMillis(100));
            this.trace = Trace.of(clock);
            this.tester = new LoopTester(loop, clock);
            loop.setExceptionHandler((source, failure) -> unretrieved.add(new AssertionFailedError(
                    source + " failed and nobody retrieved the exception (no join, no runUntilComplete, no done-callback)", failure)));
        }
    }
}
