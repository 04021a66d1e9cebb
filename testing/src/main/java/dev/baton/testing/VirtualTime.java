package dev.baton.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the annotated class, or the annotated test method, with its own
 * {@link dev.baton.core.Loop} on a fresh {@link dev.baton.core.VirtualClock}. An annotation on a
 * method wins over the one on its class (the whole annotation, not attribute by attribute).
 *
 * <p>Parameters of type {@code Loop}, {@code VirtualClock}, {@code LoopClock}, {@link Trace},
 * {@link LoopTester}, {@link java.time.Clock} (the clock's wall time in its zone) and
 * {@link java.util.concurrent.ScheduledExecutorService} ({@code loop.asScheduledExecutor()}: its
 * tasks run on the loop, on virtual time) of a test method, a {@code @BeforeEach} or an
 * {@code @AfterEach} method are injected; all of one test's parameters belong to the same loop, and no two tests share one, also when JUnit runs
 * tests in parallel. The dynamic tests of a {@code @TestFactory} share the factory's loop.
 *
 * <p>Guarantees, for each test:
 * <ul>
 *   <li><b>Leaks fail the test.</b> After the test and its {@code @AfterEach} methods, the loop
 *       runs what is ready now (without moving time, so a task the test cancelled unwinds); then
 *       any coroutine still unfinished fails the test, with its name, what it waits for, and its
 *       stack. Opt out with {@link #allowLeaks()} or, per task, {@link LoopTester#expectUnfinished}.
 *   <li><b>Unretrieved failures fail the test.</b> A coroutine that throws while nobody waits for
 *       its task, or a callback that throws, would otherwise only be logged; the extension
 *       installs an exception handler that collects them and fails the test with the first as
 *       cause. A test that installs its own handler replaces this one. To assert that a coroutine
 *       fails, wait for its task before it fails ({@code assertThrows(CompletionException.class,
 *       () -> loop.runUntilComplete(task))}, or {@code join()} from another coroutine); reading
 *       the task after a failure nobody waited for is too late, as it is for the loop's log.
 *   <li><b>No hangs.</b> A part of the test that has not finished within
 *       {@link #realTimeoutMillis()} of real time fails the test with a dump of every unfinished coroutine, also when one of them spins or
 *       blocks without ever suspending. (A deadlock on the virtual clock does not wait for this:
 *       {@code runUntilComplete} throws {@code DeadlockException} at once.)
 *   <li>The loop is closed after the test: every unfinished task is cancelled and unwound
 *       (except after a timeout that left a coroutine running: see {@link #realTimeoutMillis()}).
 * </ul>
 *
 * <p>A bad attribute (an unparsable {@link #start()}, an unknown {@link #zone()}, a timeout that
 * is not positive) fails the test before it runs, naming the attribute and its value.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(VirtualTimeExtension.class)
// The extension is not exported, on purpose: only JUnit touches it, through the module's "opens".
@SuppressWarnings("exports")
public @interface VirtualTime {

    /**
     * The wall time the clock starts at: a local date-time in {@link #zone()}
     * ({@code "2026-03-29T00:30"}, seconds and fractions optional), or an instant with an offset
     * ({@code "2026-03-29T00:30:00Z"}, {@code "2026-03-29T01:30+01:00"}). A local date-time in a
     * gap moves later by the gap's length; one in an overlap takes the earlier offset, as
     * {@link java.time.ZonedDateTime#of} does.
     *
     * @return the start, as text
     */
    String start() default "2026-01-01T00:00";

    /**
     * The clock's zone.
     *
     * @return a {@link java.time.ZoneId} such as {@code "Europe/London"} or {@code "UTC"}
     */
    String zone() default "UTC";

    /**
     * Whether coroutines still unfinished after the test are allowed; by default they fail it.
     *
     * @return true to allow them
     */
    boolean allowLeaks() default false;

    /**
     * How long, in milliseconds of real time, each part of the test may take: each
     * {@code @BeforeEach} method, the test method, each {@code @AfterEach} method, and the
     * extension's checks after them. A part that takes longer fails the test with a dump of every
     * unfinished coroutine; the loop is stopped and the part's thread interrupted, and if it still
     * does not return (a coroutine spinning without suspending) the loop is abandoned unclosed.
     * Each part runs on a thread of its own. Must be positive.
     *
     * <p>The JUnit configuration parameter {@value #TIMEOUT_MODE} turns this guard off for a whole
     * run, for stepping through a test in a debugger: {@code enabled} (the default),
     * {@code disabled}, or {@code disabled_on_debug} (off when the JVM was started with a
     * {@code jdwp} agent). Any other value fails each test, naming the parameter and value.
     *
     * @return the limit of each part, in milliseconds of real time
     */
    long realTimeoutMillis() default 10_000;

    /**
     * Schedule exploration: how many times to run the test, each time with its own loop whose
     * equally ready work is taken in an order shuffled by a different seed (see
     * {@link dev.baton.core.Simulation#exploring}: the order within a batch of ready coroutines
     * and callbacks, and of timers with equal deadlines, is perturbed; deadline order, virtual
     * time and {@code Loop.sleep(Duration.ZERO)}'s promise are kept). Run {@code i} (from 0) uses
     * seed {@code seed() + i}, or {@code 1 + i} if no seed is given. The first failing run ends
     * the test, and its failure names the seed; {@code @VirtualTime(seed = S)} replays exactly that
     * order. Each run has its own loop and repeats the {@code @BeforeEach} methods, the test
     * method and the {@code @AfterEach} methods on the same test instance. 0, the default, runs
     * once in FIFO order, the loop's documented order. Must not be negative. For {@code @Test}
     * methods; a {@code @TestFactory} runs once.
     *
     * @return how many runs, each in its own shuffled order; 0 for one run in FIFO order
     */
    int explore() default 0;

    /**
     * The seed of schedule exploration (see {@link #explore()}): alone, one run in the order this
     * seed gives, to replay a failure; with {@code explore}, the seed of the first run.
     *
     * @return the seed, or {@link #NO_SEED} for none
     */
    long seed() default NO_SEED;

    /**
     * The name of the configuration parameter that replays one seed in every test that explores
     * schedules (one with {@code explore} or {@code seed}), without editing it: for example
     * {@code -Dbaton.testing.explore.seed=7} on the command line. Tests that do not explore are
     * not affected.
     */
    String SEED_PARAMETER = "baton.testing.explore.seed";

    /** The default of {@link #seed()}: no seed given. */
    long NO_SEED = Long.MIN_VALUE;

    /** The name of the configuration parameter that turns the real-time guard off; see {@link #realTimeoutMillis()}. */
    String TIMEOUT_MODE = "baton.testing.realTimeout.mode";
}
