package dev.baton.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * CPython's test_yield_from.py (PEP 380), ported to {@link Generator.Yielder#yieldAll}. Python's
 * GeneratorExit is Baton's CancellationException at the pending yield.
 *
 * <p>Skipped families, and why: throw() into a generator (test_delegating_throw,
 * test_returning_value_from_delegated_throw, test_close_and_throw_*, test_throwing_GeneratorExit_*:
 * Baton's Generator has no throw()); delegation to non-generator iterators (test_delegation_of_next_to_non_generator,
 * test_delegation_of_close_to_non_generator, test_custom_iterator_return: yieldAll takes a Generator);
 * gi_running, gi_yieldfrom, frames and debuggers (no Java counterpart); StopIteration values as
 * exceptions (test_exception_value_crash, test_value_attribute_of_StopIteration_exception).
 */
class Pep380YieldFromConformanceTest {

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegation_of_initial_next_to_subgenerator
    void test_delegation_of_initial_next_to_subgenerator() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yieldAll(Generator.<Integer>of(y2 -> {
                trace.add("Starting g2");
                y2.yield(42);
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
                y.yieldAll(Generator.<Integer>of(y2 -> {
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g1::next);
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
            y.yieldAll(Generator.<String>of(y2 -> {
                trace.add("Starting g2");
                y2.yield("g2 spam");
                y2.yield("g2 more spam");
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

    @Test
    // test_yield_from.py::TestPEP380Operation::test_raising_exception_in_delegated_next_call
    void test_raising_exception_in_delegated_next_call() {
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldAll(Generator.<String>of(y2 -> {
                    try {
                        trace.add("Starting g2");
                        y2.yield("g2 spam");
                        throw new IllegalArgumentException("hovercraft is full of eels");
                    } finally {
                        trace.add("Finishing g2");
                    }
                }));
                y.yield("g1 eggs");
            } finally {
                trace.add("Finishing g1");
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (String x : g1) {
                trace.add("Yielded " + x);
            }
        });
        assertEquals("hovercraft is full of eels", e.getMessage());
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2", "Finishing g1"), trace);
    }

    private static Generator<String> sendingG2(List<String> trace, boolean raise) {
        return Generator.of(y2 -> {
            trace.add("Starting g2");
            Object x = y2.yield("g2 spam");
            trace.add("g2 received " + x);
            if (raise) {
                throw new IllegalArgumentException("hovercraft is full of eels");
            }
            x = y2.yield("g2 more spam");
            trace.add("g2 received " + x);
            trace.add("Finishing g2");
        });
    }

    private static Generator<String> sendingG1(List<String> trace, boolean raise) {
        return Generator.of(y -> {
            trace.add("Starting g1");
            Object x = y.yield("g1 ham");
            trace.add("g1 received " + x);
            y.yieldAll(sendingG2(trace, raise));
            x = y.yield("g1 eggs");
            trace.add("g1 received " + x);
            trace.add("Finishing g1");
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegation_of_send
    void test_delegation_of_send() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = sendingG1(trace, false);
        g.next();
        int x = 1;
        try {
            while (true) {
                String y = g.send(x);
                trace.add("Yielded " + y);
                x++;
            }
        } catch (NoSuchElementException stop) {
            // StopIteration
        }
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2",
                "Yielded g2 more spam", "g2 received 3", "Finishing g2", "Yielded g1 eggs", "g1 received 4", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_handling_exception_while_delegating_send
    void test_handling_exception_while_delegating_send() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = sendingG1(trace, true);
        g.next();
        assertThrows(IllegalArgumentException.class, () -> {
            int x = 1;
            while (true) {
                trace.add("Yielded " + g.send(x));
                x++;
            }
        });
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2"), trace);
    }

    private static Generator<String> closingG1(List<String> trace, boolean raiseOnClose) {
        return Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldAll(Generator.<String>of(y2 -> {
                    try {
                        trace.add("Starting g2");
                        y2.yield("g2 spam");
                        y2.yield("g2 more spam");
                    } finally {
                        trace.add("Finishing g2");
                        if (raiseOnClose) {
                            throw new IllegalArgumentException("nybbles have exploded with delight");
                        }
                    }
                }));
                y.yield("g1 eggs");
            } finally {
                trace.add("Finishing g1");
            }
        });
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_delegating_close
    void test_delegating_close() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = closingG1(trace, false);
        for (int i = 0; i < 2; i++) {
            trace.add("Yielded " + g.next());
        }
        g.close();
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2", "Finishing g1"), trace);
        assertTrue(g.isDone());
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_handing_exception_while_delegating_close
    void test_handing_exception_while_delegating_close() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = closingG1(trace, true);
        for (int i = 0; i < 2; i++) {
            trace.add("Yielded " + g.next());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::close);
        assertEquals("nybbles have exploded with delight", e.getMessage());
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_generator_return_value
    void test_generator_return_value() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yield(1);
            for (Object v : new Object[] {null, 42, List.of(42)}) {
                Object ret = y.yieldAll(Generator.<Integer, Object>returning(y2 -> {
                    trace.add("Starting g2");
                    y2.yield(2);
                    trace.add("Finishing g2");
                    return v;
                }));
                trace.add("g2 returned " + ret);
            }
            y.yield(3);
            trace.add("Finishing g1");
        });
        for (int x : g1) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Yielded 1",
                "Starting g2", "Yielded 2", "Finishing g2", "g2 returned null",
                "Starting g2", "Yielded 2", "Finishing g2", "g2 returned 42",
                "Starting g2", "Yielded 2", "Finishing g2", "g2 returned [42]",
                "Yielded 3", "Finishing g1"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_conversion_of_sendNone_to_next
    void test_conversion_of_sendNone_to_next() {
        List<Object> received = new ArrayList<>();
        Generator<Integer> g = Generator.of(y -> {
            y.yieldAll(Generator.<Integer>of(y2 -> {
                for (int i = 0; i < 3; i++) {
                    received.add(y2.yield(i));
                }
            }));
        });
        assertEquals(0, g.next());
        assertEquals(1, g.send(null));
        assertEquals(2, g.send(null));
        assertFalse(g.hasNext());
        assertEquals(java.util.Arrays.asList(null, null, null), received);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_next_and_return_with_value
    void test_next_and_return_with_value() {
        List<String> trace = new ArrayList<>();
        for (Object r : new Object[] {null, 42}) {
            Generator<Integer> g1 = Generator.of(y -> {
                Object ret = y.yieldAll(Generator.<Integer, Object>returning(y2 -> {
                    trace.add("g starting");
                    y2.yield(null == r ? 0 : 0);
                    trace.add("g returning " + r);
                    return r;
                }));
                trace.add("f resuming g, it returned " + ret);
            });
            g1.next();
            assertFalse(g1.hasNext());
            trace.add("f done");
        }
        assertEquals(List.of("g starting", "g returning null", "f resuming g, it returned null", "f done",
                "g starting", "g returning 42", "f resuming g, it returned 42", "f done"), trace);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_yield_from_empty
    void test_yield_from_empty() {
        Generator<Integer> g = Generator.of(y -> y.yieldAll(Generator.<Integer>of(y2 -> { })));
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_catching_exception_from_subgen_and_returning
    void test_catching_exception_from_subgen_and_returning() {
        List<Object> trace = new ArrayList<>();
        Generator<String> outer = Generator.of(y -> {
            Object v = y.yieldAll(Generator.<String, String>returning(y2 -> {
                try {
                    y2.yield("inner yield");
                    return "never";
                } catch (IllegalArgumentException e) {
                    return "caught";
                }
            }));
            trace.add(v);
        });
        assertEquals("inner yield", outer.next());
        assertFalse(outer.hasNext());
        assertEquals(List.of("never"), trace, "without throw(), the inner generator runs to its return");
    }

    @Test
    // test_yield_from.py::TestPEP380Operation::test_attempted_yield_from_loop
    void test_attempted_yield_from_loop() {
        // Python refuses to delegate to a generator that is already running (ValueError: generator
        // already executing); so does Baton, with IllegalStateException.
        Generator<?>[] self = new Generator<?>[1];
        @SuppressWarnings("unchecked")
        Generator<Object> g = Generator.of(y -> {
            y.yield("first");
            y.yieldAll((Generator<Object>) self[0]);
        });
        self[0] = g;
        assertEquals("first", g.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }
}
