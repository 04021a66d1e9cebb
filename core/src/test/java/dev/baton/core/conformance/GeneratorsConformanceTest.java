package dev.baton.core.conformance;

import static dev.baton.core.conformance.GeneratorAssertions.assertGeneratorRaisedStopIteration;
import static dev.baton.core.conformance.GeneratorAssertions.assertStopIteration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * CPython's test_generators.py (PEP 255, 342, 479), ported to Baton's {@link Generator}: send before
 * start, throw, close in every state, return values, exceptions out of {@code next()}. Its unittest
 * cases keep their names; its doctests, which have none, are named after the doctest string and
 * the section ({@code pep_tests}, "Specification: Yield"). Python's names in Java:
 * {@code gen.throw(e)} is {@link Generator#throwInto}; {@code GeneratorExit} a
 * {@link CancellationException} at the pending yield; {@code StopIteration} from {@code next} a
 * {@link NoSuchElementException}, its value the generator's {@code returnValue()}, and
 * {@code close()}'s value too (close() itself returns nothing); {@code RuntimeError("generator
 * raised StopIteration")} (PEP 479) an {@link IllegalStateException} whose cause is the
 * {@code NoSuchElementException}; {@code ValueError("generator already executing")} an
 * {@link IllegalStateException} "already running"; {@code TypeError} from send() before start an
 * {@link IllegalStateException} "not started"; a body's {@code ValueError}, {@code TypeError},
 * {@code RuntimeError}, {@code ZeroDivisionError}: {@link IllegalArgumentException},
 * {@link UnsupportedOperationException}, {@link IllegalStateException}, {@link ArithmeticException};
 * a tuple a {@link List}.
 *
 * <p>Skipped, and why: the currently handled exception as seen inside a generator, and exception
 * {@code __context__} (test_except_next, test_except_gen_except, test_nested_gen_except_loop,
 * test_except_throw_exception_context, test_throw_after_none_exc_type, GeneratorThrowTest's
 * test_exception_context_*: Java has no implicitly handled exception); throw()'s argument forms
 * (test_except_throw_bad_exception, test_gen_3_arg_deprecation_warning, the doctest's type and
 * traceback arguments: throwInto takes one Throwable); names, copying, pickling, frames, tracebacks, gi_code, gi_yieldfrom,
 * generator expressions, finalization and resurrection (GeneratorTest's other cases,
 * ModifyUnderlyingIterableTest, FinalizationTest, GeneratorDeallocTest, GeneratorStackTraceTest,
 * YieldFromTests, test_close_releases_frame_locals, the syntax, weakref and refleaks doctests: no
 * Java counterpart; reclaiming dropped generators is in core's GeneratorReclaimTest); a signal
 * raised through the C API while delegating (SignalAndYieldFromTest); the doctest programs
 * (tutorial, email, fun, conjoin, Queens, Knights: programs, not rules); the other sections of the
 * pep_tests and coroutine_tests doctests (Python's syntax and control flow, tracebacks, collection,
 * or a case ported here under its unittest name). test_yield_from.py is
 * ported in {@link Pep380YieldFromConformanceTest}.
 */
class GeneratorsConformanceTest {

    @Test
    // test_generators.py::GeneratorTest::test_send_non_none_to_new_gen
    void test_send_non_none_to_new_gen() {
        Generator<Integer> g = Generator.of(y -> y.yield(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.send(0));
        assertTrue(e.getMessage().contains("not started"), e.getMessage());
        assertEquals(1, g.next(), "the refused send left the generator unstarted");
        assertFalse(g.hasNext());
    }

    @Test
    // test_generators.py::ExceptionTest::test_except_throw
    void test_except_throw() {
        // The body catches the thrown exception, yields twice, then raises it again: the same instance comes out.
        Generator<String> make = Generator.of(y -> {
            try {
                y.yield("before");
            } catch (IllegalArgumentException thrown) {
                y.yield("caught");
                y.yield("still has it");
                throw thrown;
            }
        });
        make.next();
        IllegalArgumentException exc = new IllegalArgumentException();
        assertEquals("caught", make.throwInto(exc));
        assertEquals("still has it", make.next());
        assertSame(exc, assertThrows(IllegalArgumentException.class, make::next));
        assertStopIteration(make);
    }

    @Test
    // test_generators.py::ExceptionTest::test_stopiteration_error
    void test_stopiteration_error() {
        NoSuchElementException raised = new NoSuchElementException("from the body");
        Generator<Integer> g = Generator.of(y -> {
            throw raised;
        });
        assertGeneratorRaisedStopIteration(raised, assertThrows(RuntimeException.class, g::next));
        assertTrue(g.isDone());
    }

    @Test
    // test_generators.py::ExceptionTest::test_tutorial_stopiteration
    void test_tutorial_stopiteration() {
        NoSuchElementException raised = new NoSuchElementException();
        Generator<Integer> g = Generator.of(y -> {
            y.yield(1);
            throw raised;
        });
        assertEquals(1, g.next());
        assertGeneratorRaisedStopIteration(raised, assertThrows(RuntimeException.class, g::next));
        assertStopIteration(g);
    }

    @Test
    // test_generators.py::ExceptionTest::test_return_tuple
    void test_return_tuple() {
        // def g(): return (yield 1)
        Generator<Integer> g = Generator.returning(y -> y.yield(1));
        assertEquals(1, g.next());
        assertThrows(NoSuchElementException.class, () -> g.send(List.of(2)));
        assertEquals(List.of(2), g.returnValue());
        assertTrue(g.isDone());
    }

    @Test
    // test_generators.py::ExceptionTest::test_return_stopiteration
    void test_return_stopiteration() {
        // def g(): return (yield 1); a NoSuchElementException sent in is returned as a value, not the end.
        Generator<Integer> g = Generator.returning(y -> y.yield(1));
        assertEquals(1, g.next());
        NoSuchElementException sent = new NoSuchElementException("2");
        NoSuchElementException end = assertThrows(NoSuchElementException.class, () -> g.send(sent));
        assertNotSame(sent, end);
        assertSame(sent, g.returnValue());
        assertEquals("2", g.returnValue(NoSuchElementException.class).getMessage());
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_no_return_value
    void test_close_no_return_value() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                trace.add("GeneratorExit");
                throw exit;
            }
        });
        gen.send(null);
        gen.close();
        assertEquals(List.of("GeneratorExit"), trace, "close() raised the exit at the pending yield");
        assertTrue(gen.isDone());
        assertThrows(IllegalStateException.class, gen::returnValue, "closed: no return value");
    }

    /**
     * GeneratorCloseTest's {@code f}: {@code try: yield except GeneratorExit: return 0}, tracing its
     * start and the exit it sees.
     */
    private static Generator<Integer> exitReturnsZero(List<String> trace) {
        return Generator.returning(y -> {
            trace.add("started");
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                trace.add("GeneratorExit");
                return 0;
            }
            return null;
        });
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_return_value
    void test_close_return_value() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = exitReturnsZero(trace);
        gen.send(null);
        gen.close();
        assertEquals(0, gen.returnValue(Integer.class));
        assertTrue(gen.isDone());
        assertEquals(List.of("started", "GeneratorExit"), trace);
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_not_catching_exit
    void test_close_not_catching_exit() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.returning(y -> {
            try {
                y.yield(null);
            } finally {
                trace.add("finally");
            }
            return 0;
        });
        gen.send(null);
        gen.close();
        assertEquals(List.of("finally"), trace, "the exit unwound the body");
        assertThrows(IllegalStateException.class, gen::returnValue, "the body never reached its return");
        assertStopIteration(gen);
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_not_started
    void test_close_not_started() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = exitReturnsZero(trace);
        gen.close();
        assertEquals(List.of(), trace, "a body that never started never runs");
        assertTrue(gen.isDone());
        assertThrows(IllegalStateException.class, gen::returnValue);
        assertFalse(gen.hasNext());
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_exhausted
    void test_close_exhausted() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = exitReturnsZero(trace);
        gen.next();
        assertThrows(NoSuchElementException.class, gen::next);
        gen.close();
        assertTrue(gen.isDone());
        assertNull(gen.returnValue(), "the body returned None before close()");
        assertEquals(List.of("started"), trace, "close() of an ended generator raises nothing in the body");
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_closed
    void test_close_closed() {
        // Python's second close() returns None; Baton's close() returns nothing, and returnValue()
        // stays what the body returned.
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = exitReturnsZero(trace);
        gen.send(null);
        gen.close();
        assertEquals(0, gen.returnValue());
        gen.close();
        assertEquals(0, gen.returnValue(), "a second close does nothing");
        assertEquals(List.of("started", "GeneratorExit"), trace, "the body saw one exit");
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_raises
    void test_close_raises() {
        IllegalStateException raised = new IllegalStateException("raised after the exit");
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                // pass
            }
            throw raised;
        });
        gen.send(null);
        assertSame(raised, assertThrows(IllegalStateException.class, gen::close));
        assertTrue(gen.isDone());
    }

    @Test
    // test_generators.py::pep_tests (doctest)::Specification: Yield
    void pep_tests_specification_yield() {
        // A generator cannot be resumed while it is actively running.
        Generator<?>[] me = new Generator<?>[1];
        me[0] = Generator.of(y -> y.yield(me[0].next()));
        IllegalStateException e = assertThrows(IllegalStateException.class, me[0]::next);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    @Test
    // test_generators.py::pep_tests (doctest)::Specification: Generators and Exception Propagation
    void pep_tests_generators_and_exception_propagation() {
        int zero = 0;
        Generator<Integer> k = Generator.of(y -> {
            y.yield(1 / zero); // the division by zero propagates
            y.yield(42); // and we never get here
        });
        ArithmeticException e = assertThrows(ArithmeticException.class, k::next);
        assertEquals("/ by zero", e.getMessage());
        assertTrue(k.isDone());
        assertThrows(NoSuchElementException.class, k::next, "the generator cannot be resumed");
    }

    @Test
    // test_generators.py::coroutine_tests (doctest)::Now check some throw() conditions
    void coroutine_tests_throw_conditions() {
        // def f(): while True: try: print((yield)) except ValueError as v: print("caught ValueError (%s)" % v)
        List<String> printed = new ArrayList<>();
        Generator<Object> g = Generator.of(y -> {
            while (true) {
                try {
                    printed.add(String.valueOf((Object) y.yield(null)));
                } catch (IllegalArgumentException v) {
                    printed.add("caught ValueError (" + v.getMessage() + ")");
                }
            }
        });
        g.next();
        assertNull(g.throwInto(new IllegalArgumentException("xyz")));
        assertNull(g.send(1));
        UnsupportedOperationException typeError = new UnsupportedOperationException("terminate");
        assertSame(typeError, assertThrows(UnsupportedOperationException.class, () -> g.throwInto(typeError)));
        assertTrue(g.isDone(), "the uncaught exception finished the generator");
        assertThrows(NoSuchElementException.class, () -> g.send(2));
        IllegalArgumentException onClosed = new IllegalArgumentException("6");
        assertSame(onClosed, assertThrows(IllegalArgumentException.class, () -> g.throwInto(onClosed)), "throw on closed generator");
        assertEquals(List.of("caught ValueError (xyz)", "1"), printed);
    }

    @Test
    // test_generators.py::coroutine_tests (doctest)::throw on just-opened generator
    void coroutine_tests_throw_on_just_opened_generator() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> g = Generator.of(y -> {
            trace.add("ran");
            y.yield(1);
        });
        IllegalArgumentException seven = new IllegalArgumentException("7");
        assertSame(seven, assertThrows(IllegalArgumentException.class, () -> g.throwInto(seven)));
        assertTrue(g.isDone());
        assertStopIteration(g);
        assertEquals(List.of(), trace, "the body never ran");
    }

    @Test
    // test_generators.py::coroutine_tests (doctest)::Now let's try some ill-behaved generators
    void coroutine_tests_ill_behaved_generators() {
        // def f(): try: yield except GeneratorExit: yield "foo!"
        Generator<String> g = Generator.of(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                y.yield("foo!");
            }
        });
        g.next();
        IllegalStateException ignored = assertThrows(IllegalStateException.class, g::close);
        assertTrue(ignored.getMessage().startsWith("generator ignored GeneratorExit"), ignored.getMessage());
        g.close(); // the exit now reaches the yield in the except block, which does not catch it
        assertTrue(g.isDone());
    }

    @Test
    // test_generators.py::coroutine_tests (doctest)::And errors thrown during closing should propagate
    void coroutine_tests_errors_thrown_during_closing_should_propagate() {
        Generator<Integer> g = Generator.of(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                throw new UnsupportedOperationException("fie!");
            }
        });
        g.next();
        assertEquals("fie!", assertThrows(UnsupportedOperationException.class, g::close).getMessage());
    }
}
