package dev.baton.core.conformance;

import static dev.baton.core.conformance.GeneratorAssertions.assertGeneratorRaisedStopIteration;
import static dev.baton.core.conformance.GeneratorAssertions.assertStopIteration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * CPython's test_yield_from.py (PEP 380), ported to {@link Generator.Yielder#yieldAll}, with
 * {@link Generator#send}, {@link Generator#throwInto} and {@link Generator#close} passed through to
 * the inner generator. Python's names in Java: {@code GeneratorExit} is a
 * {@link CancellationException} at the pending yield; {@code StopIteration} from {@code next} is a
 * {@link NoSuchElementException}, its value the generator's {@code returnValue()};
 * {@code RuntimeError("generator raised StopIteration")} (PEP 479) is an
 * {@link IllegalStateException} whose cause is the {@code NoSuchElementException};
 * {@code ValueError("generator already executing")} is an {@link IllegalStateException} "already
 * running"; {@code ValueError}, {@code ZeroDivisionError}, {@code BaseException} are
 * {@link IllegalArgumentException}, {@link ArithmeticException}, {@link AssertionError}; an
 * {@code Exception} subclass (LunchError) is a checked exception, thrown in wrapped in a
 * {@link CompletionException}; a tuple is a {@link List}.
 *
 * <p>Skipped, and why: delegation to iterators that are not generators
 * (test_delegation_of_next_to_non_generator, test_delegation_of_close_to_non_generator,
 * test_delegating_throw_to_non_generator, test_attempting_to_send_to_non_generator,
 * test_broken_getattr_handling, test_custom_iterator_return, test_send_tuple_with_custom_generator,
 * test_delegating_generators_claim_to_be_running_with_close, test_throws_in_iter: yieldAll takes only
 * a Generator); StopIteration as an object (test_value_attribute_of_StopIteration_exception: Baton
 * has no exception carrying the value); CPython's refcount and frame bugs and the debugger's stack
 * (test_exception_value_crash, test_close_with_cleared_frame, test_delegator_is_visible_to_debugger).
 * Not ported yet: TestInterestingEdgeCases' test_close_and_throw_raise_generator_exit,
 * test_close_and_throw_raise_stop_iteration and test_close_and_throw_raise_base_exception (the inner
 * generator's finally raises those instead of an Exception), and the subtests "throw StopIteration"
 * and "throw BaseException" of test_close_and_throw_raise_exception and test_close_and_throw_return,
 * and "throw BaseException" of test_close_and_throw_yield. Python's {@code __context__} is asserted
 * only where Java has a counterpart (a cause the body sets); a Java {@code finally} that throws
 * drops the exception it was unwinding.
 */
class Pep380YieldFromConformanceTest {

    /** Python's LunchError(Exception): a checked exception. */
    static final class LunchError extends Exception {
        LunchError(String message) {
            super(message);
        }
    }

    /** Python's repr of a return value: an exception as {@code Name(message)}. */
    private static String repr(Object value) {
        return value instanceof Throwable t ? t.getClass().getSimpleName() + "(" + t.getMessage() + ")" : String.valueOf(value);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegation_of_initial_next_to_subgenerator
    void test_delegation_of_initial_next_to_subgenerator() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yieldAll(Generator.<Integer>of(g2 -> {
                trace.add("Starting g2");
                g2.yield(42);
                trace.add("Finishing g2");
            }));
            trace.add("Finishing g1");
        });
        for (int x : g1) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Starting g2", "Yielded 42", "Finishing g2", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_raising_exception_in_initial_next_call
    void test_raising_exception_in_initial_next_call() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yieldAll(Generator.<Integer>of(g2 -> {
                    try {
                        trace.add("Starting g2");
                        throw new IllegalArgumentException("spanish inquisition occurred");
                    } finally {
                        trace.add("Finishing g2");
                    }
                }));
            } finally {
                trace.add("Finishing g1");
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (int x : g1) {
                trace.add("Yielded " + x);
            }
        });
        assertEquals("spanish inquisition occurred", e.getMessage());
        assertEquals(List.of("Starting g1", "Starting g2", "Finishing g2", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegation_of_next_call_to_subgenerator
    void test_delegation_of_next_call_to_subgenerator() {
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yield("g1 ham");
            y.yieldAll(Generator.<String>of(g2 -> {
                trace.add("Starting g2");
                g2.yield("g2 spam");
                g2.yield("g2 more spam");
                trace.add("Finishing g2");
            }));
            y.yield("g1 eggs");
            trace.add("Finishing g1");
        });
        for (String x : g1) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Yielded g2 more spam",
                "Finishing g2", "Yielded g1 eggs", "Finishing g1"), trace);
    }

    /**
     * The g1 of test_raising_exception_in_delegated_next_call and the close and throw tests after it:
     * yields "g1 ham", delegates to {@code g2}, yields "g1 eggs", tracing its start and its finally.
     */
    private static Generator<String> g1(List<String> trace, Generator<String> g2) {
        return Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldAll(g2);
                y.yield("g1 eggs");
            } finally {
                trace.add("Finishing g1");
            }
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_raising_exception_in_delegated_next_call
    void test_raising_exception_in_delegated_next_call() {
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = g1(trace, Generator.of(g2 -> {
            try {
                trace.add("Starting g2");
                g2.yield("g2 spam");
                throw new IllegalArgumentException("hovercraft is full of eels");
            } finally {
                trace.add("Finishing g2");
            }
        }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (String x : g1) {
                trace.add("Yielded " + x);
            }
        });
        assertEquals("hovercraft is full of eels", e.getMessage());
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    private static Generator<String> sendingG1(List<String> trace, boolean g2Raises) {
        return Generator.of(y -> {
            trace.add("Starting g1");
            Object x = y.yield("g1 ham");
            trace.add("g1 received " + x);
            y.yieldAll(Generator.<String>of(g2 -> {
                trace.add("Starting g2");
                Object got = g2.yield("g2 spam");
                trace.add("g2 received " + got);
                if (g2Raises) {
                    throw new IllegalArgumentException("hovercraft is full of eels");
                }
                got = g2.yield("g2 more spam");
                trace.add("g2 received " + got);
                trace.add("Finishing g2");
            }));
            x = y.yield("g1 eggs");
            trace.add("g1 received " + x);
            trace.add("Finishing g1");
        });
    }

    /** Python's loop: next(g), then send 1, 2, 3... and trace what comes back, until StopIteration. */
    private static void sendCounting(Generator<String> g, List<String> trace) {
        g.next();
        int x = 1;
        while (true) {
            String yielded;
            try {
                yielded = g.send(x);
            } catch (NoSuchElementException stop) {
                return;
            }
            trace.add("Yielded " + yielded);
            x++;
        }
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegation_of_send
    void test_delegation_of_send() {
        List<String> trace = new ArrayList<>();
        sendCounting(sendingG1(trace, false), trace);
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2",
                "Yielded g2 more spam", "g2 received 3", "Finishing g2", "Yielded g1 eggs", "g1 received 4",
                "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_handling_exception_while_delegating_send
    void test_handling_exception_while_delegating_send() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = sendingG1(trace, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sendCounting(g, trace));
        assertEquals("hovercraft is full of eels", e.getMessage());
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2"), trace);
    }

    private static Generator<String> closingG2(List<String> trace, RuntimeException raiseInFinally) {
        return Generator.of(g2 -> {
            try {
                trace.add("Starting g2");
                g2.yield("g2 spam");
                g2.yield("g2 more spam");
            } finally {
                trace.add("Finishing g2");
                if (raiseInFinally != null) {
                    throw raiseInFinally;
                }
            }
        });
    }

    private static void nextTwice(Generator<String> g, List<String> trace) {
        for (int i = 0; i < 2; i++) {
            trace.add("Yielded " + g.next());
        }
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegating_close
    void test_delegating_close() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = g1(trace, closingG2(trace, null));
        nextTwice(g, trace);
        g.close();
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
        assertTrue(g.isDone());
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_handing_exception_while_delegating_close
    void test_handing_exception_while_delegating_close() {
        // Python also asserts the ValueError's __context__ is the GeneratorExit; a Java finally that
        // throws drops the exception it was unwinding, so there is nothing to assert.
        List<String> trace = new ArrayList<>();
        IllegalArgumentException nybbles = new IllegalArgumentException("nybbles have exploded with delight");
        Generator<String> g = g1(trace, closingG2(trace, nybbles));
        nextTwice(g, trace);
        assertSame(nybbles, assertThrows(IllegalArgumentException.class, g::close));
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegating_throw
    void test_delegating_throw() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = g1(trace, closingG2(trace, null));
        nextTwice(g, trace);
        IllegalArgumentException tomato = new IllegalArgumentException("tomato ejected");
        assertSame(tomato, assertThrows(IllegalArgumentException.class, () -> g.throwInto(tomato)));
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    private static Generator<String> g2(List<String> trace, Object v) {
        return Generator.returning(y -> {
            trace.add("Starting g2");
            y.yield("g2 spam");
            y.yield("g2 more spam");
            trace.add("Finishing g2");
            return v;
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_generator_return_value
    void test_generator_return_value() {
        // A returned NoSuchElementException (Python's StopIteration(3)) is a value, not the end.
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yield("g1 ham");
            Object ret = y.yieldAll(g2(trace, null));
            trace.add("g2 returned " + ret);
            for (Object v : Arrays.asList(1, List.of(2), new NoSuchElementException("3"))) {
                ret = y.yieldAll(g2(trace, v));
                trace.add("g2 returned " + repr(ret));
            }
            y.yield("g1 eggs");
            trace.add("Finishing g1");
        });
        for (String x : g1) {
            trace.add("Yielded " + x);
        }
        List<String> expected = new ArrayList<>(List.of("Starting g1", "Yielded g1 ham"));
        for (String returned : List.of("null", "1", "[2]", "NoSuchElementException(3)")) {
            expected.addAll(List.of("Starting g2", "Yielded g2 spam", "Yielded g2 more spam", "Finishing g2",
                    "g2 returned " + returned));
        }
        expected.addAll(List.of("Yielded g1 eggs", "Finishing g1"));
        assertEquals(expected, trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_conversion_of_sendNone_to_next
    void test_conversion_of_sendNone_to_next() {
        // Python delegates to range(3); yieldAll takes a Generator, which also shows what its yields receive.
        List<String> trace = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        Generator<Integer> gi = Generator.of(y -> y.yieldAll(Generator.<Integer>of(range -> {
            for (int i = 0; i < 3; i++) {
                received.add(range.yield(i));
            }
        })));
        for (int x = 0; x < 3; x++) {
            trace.add("Yielded: " + gi.send(null));
        }
        assertEquals(List.of("Yielded: 0", "Yielded: 1", "Yielded: 2"), trace);
        assertFalse(gi.hasNext());
        assertEquals(Arrays.asList(null, null, null), received, "send(None) reaches the inner generator as a plain next()");
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_exception_in_initial_next_call
    void test_exception_in_initial_next_call() {
        List<String> trace = new ArrayList<>();
        int zero = 0;
        Generator<Integer> gi = Generator.of(y -> {
            trace.add("g1 about to yield from g2");
            y.yieldAll(Generator.<Integer>of(g2 -> g2.yield(1 / zero)));
            trace.add("g1 should not be here");
        });
        assertThrows(ArithmeticException.class, gi::next);
        assertEquals(List.of("g1 about to yield from g2"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_attempted_yield_from_loop
    void test_attempted_yield_from_loop() {
        List<String> trace = new ArrayList<>();
        Generator<?>[] gi = new Generator<?>[1];
        @SuppressWarnings("unchecked")
        Generator<String> g1 = Generator.of(y -> {
            trace.add("g1: starting");
            y.yield("y1");
            trace.add("g1: about to yield from g2");
            y.yieldAll(Generator.<String>of(g2 -> {
                trace.add("g2: starting");
                g2.yield("y2");
                trace.add("g2: about to yield from g1");
                g2.yieldAll((Generator<String>) gi[0]);
                trace.add("g2 should not be here");
            }));
            trace.add("g1 should not be here");
        });
        gi[0] = g1;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            for (String y : g1) {
                trace.add("Yielded: " + y);
            }
        });
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        assertEquals(List.of("g1: starting", "Yielded: y1", "g1: about to yield from g2", "g2: starting", "Yielded: y2",
                "g2: about to yield from g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_returning_value_from_delegated_throw
    void test_returning_value_from_delegated_throw() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = g1(trace, Generator.of(g2 -> {
            try {
                trace.add("Starting g2");
                g2.yield("g2 spam");
                g2.yield("g2 more spam");
            } catch (CompletionException thrown) {
                if (!(thrown.getCause() instanceof LunchError)) {
                    throw thrown;
                }
                trace.add("Caught LunchError in g2");
                g2.yield("g2 lunch saved");
                g2.yield("g2 yet more spam");
            }
        }));
        nextTwice(g, trace);
        assertEquals("g2 lunch saved", g.throwInto(new LunchError("tomato ejected")));
        for (String x : g) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Caught LunchError in g2",
                "Yielded g2 yet more spam", "Yielded g1 eggs", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_next_and_return_with_value
    void test_next_and_return_with_value() {
        List<String> trace = new ArrayList<>();
        for (Object r : Arrays.asList(null, 1, List.of(2), new NoSuchElementException("3"))) {
            Generator<Object> gi = Generator.returning(y -> {
                trace.add("g starting");
                y.yield(null);
                trace.add("g returning " + repr(r));
                return r;
            });
            gi.next();
            trace.add("f resuming g");
            assertThrows(NoSuchElementException.class, gi::next);
            trace.add("f caught StopIteration(" + repr(gi.returnValue()) + ")");
        }
        assertEquals(List.of("g starting", "f resuming g", "g returning null", "f caught StopIteration(null)",
                "g starting", "f resuming g", "g returning 1", "f caught StopIteration(1)",
                "g starting", "f resuming g", "g returning [2]", "f caught StopIteration([2])",
                "g starting", "f resuming g", "g returning NoSuchElementException(3)",
                "f caught StopIteration(NoSuchElementException(3))"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_send_and_return_with_value
    void test_send_and_return_with_value() {
        List<String> trace = new ArrayList<>();
        for (Object r : Arrays.asList(null, 1, List.of(2), new NoSuchElementException("3"))) {
            Generator<Object> gi = Generator.returning(y -> {
                trace.add("g starting");
                Object x = y.yield(null);
                trace.add("g received " + x);
                trace.add("g returning " + repr(r));
                return r;
            });
            gi.next();
            trace.add("f sending spam to g");
            assertThrows(NoSuchElementException.class, () -> gi.send("spam"));
            trace.add("f caught StopIteration(" + repr(gi.returnValue()) + ")");
        }
        assertEquals(List.of("g starting", "f sending spam to g", "g received spam", "g returning null", "f caught StopIteration(null)",
                "g starting", "f sending spam to g", "g received spam", "g returning 1", "f caught StopIteration(1)",
                "g starting", "f sending spam to g", "g received spam", "g returning [2]", "f caught StopIteration([2])",
                "g starting", "f sending spam to g", "g received spam", "g returning NoSuchElementException(3)",
                "f caught StopIteration(NoSuchElementException(3))"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_catching_exception_from_subgen_and_returning
    void test_catching_exception_from_subgen_and_returning() {
        for (Object value : Arrays.asList(2, List.of(2), new NoSuchElementException("2"))) {
            List<Object> trace = new ArrayList<>();
            Generator<Object> g = Generator.of(y -> {
                Object v = y.yieldAll(Generator.returning(inner -> {
                    try {
                        inner.yield(1);
                    } catch (IllegalArgumentException e) {
                        trace.add("inner caught ValueError");
                    }
                    return value;
                }));
                trace.add("inner returned " + repr(v) + " to outer");
                y.yield(v);
            });
            trace.add(g.next());
            trace.add(g.throwInto(new IllegalArgumentException()));
            assertEquals(List.of(1, "inner caught ValueError", "inner returned " + repr(value) + " to outer", value), trace);
        }
    }

    /** The except GeneratorExit clause of the f of the test_throwing_GeneratorExit_* tests. */
    private interface ExitClause {
        void run(Generator.Yielder<Object> f, CancellationException exit);
    }

    /** The f of the test_throwing_GeneratorExit_* tests: enters, yields, exits, or runs {@code onExit}. */
    private static Generator<Object> enterExitF(List<String> trace, ExitClause onExit) {
        return Generator.of(f -> {
            try {
                trace.add("Enter f");
                f.yield(null);
                trace.add("Exit f");
            } catch (CancellationException exit) {
                onExit.run(f, exit);
            }
        });
    }

    /** The g of the test_throwing_GeneratorExit_* tests: {@code yield from f()}, tracing its entry and exit. */
    private static Generator<Object> enterExitG(List<String> trace, Generator<Object> f) {
        return Generator.of(y -> {
            trace.add("Enter g");
            y.yieldAll(f);
            trace.add("Exit g");
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_throwing_GeneratorExit_into_subgen_that_returns
    void test_throwing_GeneratorExit_into_subgen_that_returns() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = enterExitG(trace, enterExitF(trace, (f, exit) -> { }));
        gi.next();
        CancellationException thrown = new CancellationException();
        assertSame(thrown, assertThrows(CancellationException.class, () -> gi.throwInto(thrown)));
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_throwing_GeneratorExit_into_subgenerator_that_yields
    void test_throwing_GeneratorExit_into_subgenerator_that_yields() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = enterExitG(trace, enterExitF(trace, (f, exit) -> f.yield(null)));
        gi.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gi.throwInto(new CancellationException()));
        assertTrue(e.getMessage().startsWith("generator ignored GeneratorExit"), e.getMessage());
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_throwing_GeneratorExit_into_subgen_that_raises
    void test_throwing_GeneratorExit_into_subgen_that_raises() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = enterExitG(trace, enterExitF(trace, (f, exit) -> {
            throw new IllegalArgumentException("Vorpal bunny encountered", exit);
        }));
        gi.next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gi.throwInto(new CancellationException()));
        assertEquals("Vorpal bunny encountered", e.getMessage());
        assertInstanceOf(CancellationException.class, e.getCause(), "Python's __context__: the GeneratorExit");
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_yield_from_empty
    void test_yield_from_empty() {
        Generator<Integer> g = Generator.of(y -> y.yieldAll(Generator.<Integer>of(empty -> { })));
        assertThrows(NoSuchElementException.class, g::next);
    }

    // one() and two() of test_delegating_generators_claim_to_be_running_with_throw; without a throw,
    // their catches of MyErr never fire, so they serve the plain test as well.

    private static Generator<Integer> one(Generator<?>[] g1) {
        return Generator.of(y -> {
            try {
                y.yield(0);
            } catch (IllegalArgumentException myErr) {
                // pass
            }
            y.yieldAll(two(g1));
            try {
                y.yield(3);
            } catch (IllegalArgumentException myErr) {
                // pass
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Generator<Integer> two(Generator<?>[] g1) {
        return Generator.of(y -> {
            try {
                y.yield(1);
            } catch (IllegalArgumentException myErr) {
                // pass
            }
            try {
                y.yieldAll((Generator<Integer>) g1[0]);
            } catch (IllegalStateException alreadyRunning) {
                // pass
            }
            try {
                y.yield(2);
            } catch (IllegalArgumentException myErr) {
                // pass
            }
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegating_generators_claim_to_be_running
    void test_delegating_generators_claim_to_be_running() {
        Generator<?>[] g1 = new Generator<?>[1];
        Generator<Integer> iterated = one(g1);
        g1[0] = iterated;
        List<Integer> listed = new ArrayList<>();
        iterated.forEachRemaining(listed::add);
        assertEquals(List.of(0, 1, 2, 3), listed);

        Generator<Integer> sentTo = one(g1);
        g1[0] = sentTo;
        List<Integer> res = new ArrayList<>(List.of(sentTo.next()));
        while (true) {
            try {
                res.add(sentTo.send(42));
            } catch (NoSuchElementException stop) {
                break;
            }
        }
        assertEquals(List.of(0, 1, 2, 3), res);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegating_generators_claim_to_be_running_with_throw
    void test_delegating_generators_claim_to_be_running_with_throw() {
        Generator<?>[] g1 = new Generator<?>[1];
        Generator<Integer> thrownAt = one(g1);
        g1[0] = thrownAt;
        List<Integer> res = new ArrayList<>(List.of(thrownAt.next()));
        while (true) {
            try {
                res.add(thrownAt.throwInto(new IllegalArgumentException("MyErr")));
            } catch (NoSuchElementException stop) {
                break;
            }
        }
        assertEquals(List.of(0, 1, 2, 3), res);
    }

    // TestInterestingEdgeCases: outer() returns (yield from inner()), inner yields twice and returns.

    private static final String YIELDED_FIRST = "yielded first";
    private static final String YIELDED_SECOND = "yielded second";
    private static final String RETURNED = "returned";

    private static Generator<String> outer(Generator<String> inner) {
        return Generator.returning(y -> y.yieldAll(inner));
    }

    private static Generator<String> workingInner() {
        return Generator.returning(y -> {
            y.yield(YIELDED_FIRST);
            y.yield(YIELDED_SECOND);
            return RETURNED;
        });
    }

    @Test
    // test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_work
    void test_close_and_throw_work() {
        // Subtests close, throw GeneratorExit, throw StopIteration, throw BaseException, throw Exception.
        // close
        Generator<String> closed = outer(workingInner());
        assertSame(YIELDED_FIRST, closed.next());
        closed.close();
        assertStopIteration(closed);
        // throw GeneratorExit
        Generator<String> exited = outer(workingInner());
        assertSame(YIELDED_FIRST, exited.next());
        CancellationException exit = new CancellationException();
        assertSame(exit, assertThrows(CancellationException.class, () -> exited.throwInto(exit)));
        assertStopIteration(exited);
        // throw StopIteration: PEP 479
        Generator<String> stopped = outer(workingInner());
        assertSame(YIELDED_FIRST, stopped.next());
        NoSuchElementException stop = new NoSuchElementException();
        assertGeneratorRaisedStopIteration(stop, assertThrows(RuntimeException.class, () -> stopped.throwInto(stop)));
        assertStopIteration(stopped);
        // throw BaseException
        Generator<String> errored = outer(workingInner());
        assertSame(YIELDED_FIRST, errored.next());
        AssertionError base = new AssertionError("base");
        assertSame(base, assertThrows(AssertionError.class, () -> errored.throwInto(base)));
        assertStopIteration(errored);
        // throw Exception
        Generator<String> failed = outer(workingInner());
        assertSame(YIELDED_FIRST, failed.next());
        IllegalArgumentException exception = new IllegalArgumentException();
        assertSame(exception, assertThrows(IllegalArgumentException.class, () -> failed.throwInto(exception)));
        assertStopIteration(failed);
    }

    @Test
    // test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_raise_exception
    void test_close_and_throw_raise_exception() {
        // Subtests close, throw GeneratorExit, throw Exception.
        IllegalArgumentException raised = new IllegalArgumentException("raised");
        Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
            try {
                y.yield(YIELDED_FIRST);
                y.yield(YIELDED_SECOND);
                return RETURNED;
            } finally {
                throw raised;
            }
        });
        Generator<String> closed = outer(inner.get());
        assertSame(YIELDED_FIRST, closed.next());
        assertSame(raised, assertThrows(IllegalArgumentException.class, closed::close));
        assertStopIteration(closed);
        Generator<String> exited = outer(inner.get());
        assertSame(YIELDED_FIRST, exited.next());
        assertSame(raised, assertThrows(IllegalArgumentException.class, () -> exited.throwInto(new CancellationException())));
        assertStopIteration(exited);
        Generator<String> failed = outer(inner.get());
        assertSame(YIELDED_FIRST, failed.next());
        assertSame(raised, assertThrows(IllegalArgumentException.class,
                () -> failed.throwInto(new UnsupportedOperationException("thrown"))));
        assertStopIteration(failed);
    }

    @Test
    // test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_yield
    void test_close_and_throw_yield() {
        // Subtests close, throw GeneratorExit, throw StopIteration, throw Exception.
        Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
            try {
                y.yield(YIELDED_FIRST);
            } finally {
                y.yield(YIELDED_SECOND);
            }
            return RETURNED;
        });
        // close: the inner generator ignores the exit, so the outer's close fails with that, and the outer ends
        Generator<String> closed = outer(inner.get());
        assertSame(YIELDED_FIRST, closed.next());
        IllegalStateException ignored = assertThrows(IllegalStateException.class, closed::close);
        assertTrue(ignored.getMessage().startsWith("generator ignored GeneratorExit"), ignored.getMessage());
        assertStopIteration(closed);
        // throw GeneratorExit: the same
        Generator<String> exited = outer(inner.get());
        assertSame(YIELDED_FIRST, exited.next());
        ignored = assertThrows(IllegalStateException.class, () -> exited.throwInto(new CancellationException()));
        assertTrue(ignored.getMessage().startsWith("generator ignored GeneratorExit"), ignored.getMessage());
        assertStopIteration(exited);
        // throw StopIteration: the finally yields; the next resume lets it out, wrapped (PEP 479)
        Generator<String> stopped = outer(inner.get());
        assertSame(YIELDED_FIRST, stopped.next());
        NoSuchElementException stop = new NoSuchElementException();
        assertSame(YIELDED_SECOND, stopped.throwInto(stop));
        assertGeneratorRaisedStopIteration(stop, assertThrows(RuntimeException.class, stopped::next));
        assertStopIteration(stopped);
        // throw Exception: the finally yields; the next resume lets it out as it is
        Generator<String> failed = outer(inner.get());
        assertSame(YIELDED_FIRST, failed.next());
        IllegalArgumentException thrown = new IllegalArgumentException();
        assertSame(YIELDED_SECOND, failed.throwInto(thrown));
        assertSame(thrown, assertThrows(IllegalArgumentException.class, failed::next));
        assertStopIteration(failed);
    }

    @Test
    // test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_return
    void test_close_and_throw_return() {
        // Subtests close, throw GeneratorExit, throw Exception.
        Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
            try {
                y.yield(YIELDED_FIRST);
                y.yield(YIELDED_SECOND);
            } catch (RuntimeException | Error any) {
                // pass
            }
            return RETURNED;
        });
        // close: the inner generator returns; the exit goes on in the outer one, and close() succeeds
        Generator<String> closed = outer(inner.get());
        assertSame(YIELDED_FIRST, closed.next());
        closed.close();
        assertStopIteration(closed);
        // throw GeneratorExit: it comes back out
        Generator<String> exited = outer(inner.get());
        assertSame(YIELDED_FIRST, exited.next());
        CancellationException exit = new CancellationException();
        assertSame(exit, assertThrows(CancellationException.class, () -> exited.throwInto(exit)));
        assertStopIteration(exited);
        // throw Exception: the inner generator returns, so does the outer: StopIteration with its value
        Generator<String> failed = outer(inner.get());
        assertSame(YIELDED_FIRST, failed.next());
        assertThrows(NoSuchElementException.class, () -> failed.throwInto(new IllegalArgumentException()));
        assertSame(RETURNED, failed.returnValue());
        assertFalse(failed.hasNext());
    }
}
