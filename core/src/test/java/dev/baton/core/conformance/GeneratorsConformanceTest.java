package dev.baton.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * CPython's test_generators.py, the parts Baton's {@link Generator} can express: send before start,
 * close in every state, exceptions out of next().
 *
 * <p>Skipped families, and why: throw() (GeneratorThrowTest, test_except_throw*: no throw()); frames,
 * pickling, copying, names and finalization/resurrection (no Java counterpart; reclaiming dropped
 * generators is in core's GeneratorReclaimTest); the doctest families (Queens, Knights, conjoin:
 * programs, not rules); close() returning a value (test_close_return_value: Python 3.13 only).
 */
class GeneratorsConformanceTest {

    @Test
    // test_generators.py::GeneratorTest::test_send_non_none_to_new_gen
    void test_send_non_none_to_new_gen() {
        Generator<Integer> g = Generator.of(y -> y.yield(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.send(0));
        assertTrue(e.getMessage().contains("not started"), e.getMessage());
        assertEquals(1, g.next());
        assertFalse(g.hasNext());
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_no_return_value
    void test_close_no_return_value() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(1);
            } catch (CancellationException exit) {
                trace.add("GeneratorExit");
                throw exit;
            }
        });
        gen.next();
        gen.close();
        assertEquals(List.of("GeneratorExit"), trace);
        assertTrue(gen.isDone());
        assertThrows(IllegalStateException.class, gen::returnValue, "a closed generator has no return value");
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_not_catching_exit
    void test_close_not_catching_exit() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                trace.add("finally");
            }
        });
        gen.next();
        gen.close();
        assertEquals(List.of("finally"), trace);
        assertThrows(NoSuchElementException.class, gen::next);
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_not_started
    void test_close_not_started() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.of(y -> {
            trace.add("started");
            y.yield(1);
        });
        gen.close();
        assertEquals(List.of(), trace, "a body that never started never runs");
        assertTrue(gen.isDone());
        assertFalse(gen.hasNext());
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_exhausted
    void test_close_exhausted() {
        Generator<Integer> gen = Generator.of(y -> y.yield(1));
        assertEquals(1, gen.next());
        assertThrows(NoSuchElementException.class, gen::next);
        gen.close();
        assertTrue(gen.isDone());
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_closed
    void test_close_closed() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                trace.add("unwound");
            }
        });
        gen.next();
        gen.close();
        gen.close();
        assertEquals(List.of("unwound"), trace, "close is idempotent");
    }

    @Test
    // test_generators.py::GeneratorCloseTest::test_close_raises
    void test_close_raises() {
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                throw new IllegalStateException("raised in finally");
            }
        });
        gen.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, gen::close);
        assertEquals("raised in finally", e.getMessage());
        assertTrue(gen.isDone());
    }

    @Test
    // test_generators.py::ExceptionTest::test_except_next
    void test_except_next() {
        Generator<Integer> g = Generator.of(y -> {
            throw new IllegalArgumentException("ValueError");
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::next);
        assertEquals("ValueError", e.getMessage());
        assertTrue(g.isDone());
        assertThrows(NoSuchElementException.class, g::next, "a failed generator is finished");
    }

    @Test
    // test_generators.py::ExceptionTest::test_return_tuple
    void test_return_tuple() {
        Generator<Integer> g = Generator.returning(y -> {
            y.yield(1);
            return List.of(2, 3);
        });
        assertEquals(1, g.next());
        assertFalse(g.hasNext());
        assertEquals(List.of(2, 3), g.returnValue());
    }

    @Test
    // test_generators.py::ExceptionTest::test_stopiteration_error
    void test_stopiteration_error() {
        // Python turns a StopIteration raised in a body into RuntimeError (PEP 479); Baton turns the
        // body's NoSuchElementException into IllegalStateException, its cause kept, so it cannot
        // pass for the end of iteration.
        Generator<Integer> g = Generator.of(y -> {
            throw new NoSuchElementException("from the body");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertEquals("from the body", e.getCause().getMessage());
        assertTrue(g.isDone());
    }

    @Test
    // test_generators.py::ExceptionTest::test_nested_gen_except_loop
    void test_nested_gen_except_loop() {
        // A checked exception from the body comes out wrapped in a CompletionException.
        Generator<Integer> g = Generator.of(y -> {
            y.yield(1);
            throw new java.io.IOException("checked");
        });
        assertEquals(1, g.next());
        java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class, g::next);
        assertTrue(e.getCause() instanceof java.io.IOException);
    }
}
