package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CPython's generator tests (test_generators.py, test_yield_from.py: PEP 255, 342, 380, 479) on
 * Baton's {@link Generator}, one test per peer test, named after it. Python's names map to Java as
 * {@code gen.throw(e)}: {@code throwInto(e)}; {@code GeneratorExit}: {@link CancellationException};
 * {@code StopIteration} from {@code next}: {@link NoSuchElementException}, with the return value in
 * {@code returnValue()}; {@code RuntimeError("generator raised StopIteration")}: an
 * {@link IllegalStateException} whose cause is the {@code NoSuchElementException};
 * {@code ValueError("generator already executing")}: {@link IllegalStateException} "already
 * running"; Python's {@code ValueError}/{@code TypeError}: {@link IllegalArgumentException} and
 * {@link UnsupportedOperationException}; an {@code Exception} subclass: a checked exception, which
 * travels wrapped in a {@link CompletionException}.
 */
class GeneratorConformanceTest {

    /** Python's LunchError, and any user exception that is not a RuntimeException: a checked one. */
    static final class LunchError extends Exception {
        LunchError(String message) {
            super(message);
        }
    }

    private static void assertGeneratorRaisedStopIteration(NoSuchElementException raised, RuntimeException caught) {
        IllegalStateException wrapped = assertInstanceOf(IllegalStateException.class, caught);
        assertTrue(wrapped.getMessage().contains("the generator's body threw NoSuchElementException"), wrapped.getMessage());
        assertSame(raised, wrapped.getCause());
    }

    private static void assertStopIteration(Generator<?> generator) {
        assertThrows(NoSuchElementException.class, generator::next);
        assertTrue(generator.isDone());
    }

    // ---- test_generators.py ----

    @Test
    @DisplayName("test_generators.py::GeneratorTest::test_send_non_none_to_new_gen")
    void sendNonNoneToNewGen() {
        Generator<Integer> g = Generator.of(y -> y.yield(1));
        assertThrows(IllegalStateException.class, () -> g.send(0));
        assertEquals(1, g.next(), "the refused send left the generator unstarted");
    }

    @Test
    @DisplayName("test_generators.py::ExceptionTest::test_stopiteration_error")
    void stopiterationError() {
        NoSuchElementException raised = new NoSuchElementException();
        Generator<Integer> g = Generator.of(y -> {
            throw raised;
        });
        assertGeneratorRaisedStopIteration(raised, assertThrows(RuntimeException.class, g::next));
    }

    @Test
    @DisplayName("test_generators.py::ExceptionTest::test_tutorial_stopiteration")
    void tutorialStopiteration() {
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
    @DisplayName("test_generators.py::ExceptionTest::test_return_tuple")
    void returnTuple() {
        // def g(): return (yield 1)
        Generator<Integer> g = Generator.returning(y -> y.yield(1));
        assertEquals(1, g.next());
        assertThrows(NoSuchElementException.class, () -> g.send(List.of(2)));
        assertEquals(List.of(2), g.returnValue());
    }

    @Test
    @DisplayName("test_generators.py::ExceptionTest::test_except_throw")
    void exceptThrow() {
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
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_no_return_value")
    void closeNoReturnValue() {
        Generator<Integer> gen = Generator.of(y -> y.yield(null));
        gen.send(null);
        gen.close();
        assertThrows(IllegalStateException.class, gen::returnValue, "closed: no return value");
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_return_value")
    void closeReturnValue() {
        Generator<Integer> gen = Generator.returning(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                return 0;
            }
            return null;
        });
        gen.send(null);
        gen.close();
        assertEquals(0, gen.returnValue(Integer.class));
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_not_catching_exit")
    void closeNotCatchingExit() {
        Generator<Integer> gen = Generator.returning(y -> {
            y.yield(null);
            return 0;
        });
        gen.send(null);
        gen.close();
        assertThrows(IllegalStateException.class, gen::returnValue);
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_not_started")
    void closeNotStarted() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gen = Generator.returning(y -> {
            trace.add("ran");
            return 0;
        });
        gen.close();
        assertThrows(IllegalStateException.class, gen::returnValue);
        assertEquals(List.of(), trace);
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_exhausted")
    void closeExhausted() {
        Generator<Integer> gen = Generator.returning(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                return 0;
            }
            return null;
        });
        gen.next();
        assertThrows(NoSuchElementException.class, gen::next);
        gen.close();
        assertNull(gen.returnValue(), "the body returned None before close()");
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_closed")
    void closeClosed() {
        Generator<Integer> gen = Generator.returning(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                return 0;
            }
            return null;
        });
        gen.send(null);
        gen.close();
        assertEquals(0, gen.returnValue());
        gen.close();
        assertEquals(0, gen.returnValue(), "a second close does nothing");
    }

    @Test
    @DisplayName("test_generators.py::GeneratorCloseTest::test_close_raises")
    void closeRaises() {
        Generator<Integer> gen = Generator.of(y -> {
            try {
                y.yield(null);
            } catch (CancellationException exit) {
                // pass
            }
            throw new UnsupportedOperationException("raised after the exit");
        });
        gen.send(null);
        assertThrows(UnsupportedOperationException.class, gen::close);
        assertTrue(gen.isDone());
    }

    @Test
    @DisplayName("test_generators.py doctest: throw() conditions")
    void throwConditions() {
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
    @DisplayName("test_generators.py doctest: throw on just-opened generator")
    void throwOnJustOpenedGenerator() {
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
    @DisplayName("test_generators.py doctest: ill-behaved generators (generator ignored GeneratorExit)")
    void illBehavedGeneratorIgnoresGeneratorExit() {
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
    @DisplayName("test_generators.py doctest: errors thrown during closing should propagate")
    void errorsThrownDuringClosingPropagate() {
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

    @Test
    @DisplayName("test_generators.py doctest (PEP 255): a generator cannot be resumed while it is actively running")
    void generatorAlreadyExecuting() {
        Generator<?>[] me = new Generator<?>[1];
        me[0] = Generator.of(y -> y.yield(me[0].next()));
        IllegalStateException e = assertThrows(IllegalStateException.class, me[0]::next);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    @Test
    @DisplayName("test_generators.py doctest: a checked exception thrown in arrives wrapped")
    void aCheckedExceptionThrownInArrivesWrapped() {
        // Python throws any exception as is; Java's yield declares none, so a checked one is wrapped.
        LunchError lunch = new LunchError("tomato ejected");
        Generator<String> g = Generator.of(y -> {
            try {
                y.yield("spam");
            } catch (CompletionException wrapped) {
                y.yield("caught " + wrapped.getCause().getMessage());
            }
        });
        g.next();
        assertEquals("caught tomato ejected", g.throwInto(lunch));
        Generator<String> uncaught = Generator.of(y -> y.yield("spam"));
        uncaught.next();
        assertSame(lunch, assertThrows(CompletionException.class, () -> uncaught.throwInto(lunch)).getCause());
    }

    // ---- test_yield_from.py (PEP 380) ----

    @Test
    @DisplayName("test_yield_from.py::test_delegation_of_initial_next_to_subgenerator")
    void delegationOfInitialNextToSubgenerator() {
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
    @DisplayName("test_yield_from.py::test_raising_exception_in_initial_next_call")
    void raisingExceptionInInitialNextCall() {
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
    @DisplayName("test_yield_from.py::test_delegation_of_next_call_to_subgenerator")
    void delegationOfNextCallToSubgenerator() {
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

    @Test
    @DisplayName("test_yield_from.py::test_raising_exception_in_delegated_next_call")
    void raisingExceptionInDelegatedNextCall() {
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldAll(Generator.<String>of(g2 -> {
                    try {
                        trace.add("Starting g2");
                        g2.yield("g2 spam");
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
    @DisplayName("test_yield_from.py::test_delegation_of_send")
    void delegationOfSend() {
        List<String> trace = new ArrayList<>();
        sendCounting(sendingG1(trace, false), trace);
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2",
                "Yielded g2 more spam", "g2 received 3", "Finishing g2", "Yielded g1 eggs", "g1 received 4",
                "Finishing g1"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_handling_exception_while_delegating_send")
    void handlingExceptionWhileDelegatingSend() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = sendingG1(trace, true);
        assertThrows(IllegalArgumentException.class, () -> sendCounting(g, trace));
        assertEquals(List.of("Starting g1", "g1 received 1", "Starting g2", "Yielded g2 spam", "g2 received 2"), trace);
    }

    private static Generator<String> closingG1(List<String> trace, Generator<String> g2) {
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
    @DisplayName("test_yield_from.py::test_delegating_close")
    void delegatingClose() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = closingG1(trace, closingG2(trace, null));
        nextTwice(g, trace);
        g.close();
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_handing_exception_while_delegating_close")
    void handingExceptionWhileDelegatingClose() {
        List<String> trace = new ArrayList<>();
        IllegalArgumentException nybbles = new IllegalArgumentException("nybbles have exploded with delight");
        Generator<String> g = closingG1(trace, closingG2(trace, nybbles));
        nextTwice(g, trace);
        assertSame(nybbles, assertThrows(IllegalArgumentException.class, g::close));
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_delegating_throw")
    void delegatingThrow() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = closingG1(trace, closingG2(trace, null));
        nextTwice(g, trace);
        IllegalArgumentException tomato = new IllegalArgumentException("tomato ejected");
        assertSame(tomato, assertThrows(IllegalArgumentException.class, () -> g.throwInto(tomato)));
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Finishing g2",
                "Finishing g1"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_generator_return_value")
    void generatorReturnValue() {
        List<String> trace = new ArrayList<>();
        Generator<String> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yield("g1 ham");
            Object ret = y.yieldAll(g2(trace, null));
            trace.add("g2 returned " + ret);
            for (Object v : Arrays.asList(1, List.of(2), new NoSuchElementException("3"))) {
                ret = y.yieldAll(g2(trace, v));
                trace.add("g2 returned " + (ret instanceof Exception e ? e.getClass().getSimpleName() + "(" + e.getMessage() + ")" : ret));
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
    @DisplayName("test_yield_from.py::test_conversion_of_sendNone_to_next")
    void conversionOfSendNoneToNext() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gi = Generator.of(y -> y.yieldAll(Generator.<Integer>of(range -> {
            for (int i = 0; i < 3; i++) {
                range.yield(i);
            }
        })));
        for (int x = 0; x < 3; x++) {
            trace.add("Yielded: " + gi.send(null));
        }
        assertEquals(List.of("Yielded: 0", "Yielded: 1", "Yielded: 2"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_exception_in_initial_next_call")
    void exceptionInInitialNextCall() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> gi = Generator.of(y -> {
            trace.add("g1 about to yield from g2");
            y.yieldAll(Generator.<Integer>of(g2 -> g2.yield(1 / (trace.size() - 1))));
            trace.add("g1 should not be here");
        });
        assertThrows(ArithmeticException.class, gi::next);
        assertEquals(List.of("g1 about to yield from g2"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_attempted_yield_from_loop")
    void attemptedYieldFromLoop() {
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
    @DisplayName("test_yield_from.py::test_returning_value_from_delegated_throw")
    void returningValueFromDelegatedThrow() {
        List<String> trace = new ArrayList<>();
        Generator<String> g = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldAll(Generator.<String>of(g2 -> {
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
                y.yield("g1 eggs");
            } finally {
                trace.add("Finishing g1");
            }
        });
        nextTwice(g, trace);
        assertEquals("g2 lunch saved", g.throwInto(new LunchError("tomato ejected")));
        for (String x : g) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Caught LunchError in g2",
                "Yielded g2 yet more spam", "Yielded g1 eggs", "Finishing g1"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_next_and_return_with_value")
    void nextAndReturnWithValue() {
        List<String> trace = new ArrayList<>();
        for (Object r : Arrays.asList(null, 1, List.of(2))) {
            Generator<Object> gi = Generator.returning(y -> {
                trace.add("g starting");
                y.yield(null);
                trace.add("g returning " + r);
                return r;
            });
            gi.next();
            trace.add("f resuming g");
            assertThrows(NoSuchElementException.class, gi::next);
            trace.add("f caught StopIteration(" + gi.returnValue() + ")");
        }
        assertEquals(List.of("g starting", "f resuming g", "g returning null", "f caught StopIteration(null)",
                "g starting", "f resuming g", "g returning 1", "f caught StopIteration(1)",
                "g starting", "f resuming g", "g returning [2]", "f caught StopIteration([2])"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_send_and_return_with_value")
    void sendAndReturnWithValue() {
        List<String> trace = new ArrayList<>();
        for (Object r : Arrays.asList(null, 1, List.of(2))) {
            Generator<Object> gi = Generator.returning(y -> {
                trace.add("g starting");
                Object x = y.yield(null);
                trace.add("g received " + x);
                trace.add("g returning " + r);
                return r;
            });
            gi.next();
            trace.add("f sending spam to g");
            assertThrows(NoSuchElementException.class, () -> gi.send("spam"));
            trace.add("f caught StopIteration(" + gi.returnValue() + ")");
        }
        assertEquals(List.of("g starting", "f sending spam to g", "g received spam", "g returning null", "f caught StopIteration(null)",
                "g starting", "f sending spam to g", "g received spam", "g returning 1", "f caught StopIteration(1)",
                "g starting", "f sending spam to g", "g received spam", "g returning [2]", "f caught StopIteration([2])"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_catching_exception_from_subgen_and_returning")
    void catchingExceptionFromSubgenAndReturning() {
        for (Object value : Arrays.asList(2, List.of(2))) {
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
                trace.add("inner returned " + v + " to outer");
                y.yield(v);
            });
            trace.add(g.next());
            trace.add(g.throwInto(new IllegalArgumentException()));
            assertEquals(List.of(1, "inner caught ValueError", "inner returned " + value + " to outer", value), trace);
        }
    }

    @Test
    @DisplayName("test_yield_from.py::test_throwing_GeneratorExit_into_subgen_that_returns")
    void throwingGeneratorExitIntoSubgenThatReturns() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = Generator.of(y -> {
            trace.add("Enter g");
            y.yieldAll(Generator.of(f -> {
                try {
                    trace.add("Enter f");
                    f.yield(null);
                    trace.add("Exit f");
                } catch (CancellationException exit) {
                    // return
                }
            }));
            trace.add("Exit g");
        });
        gi.next();
        CancellationException thrown = new CancellationException();
        assertSame(thrown, assertThrows(CancellationException.class, () -> gi.throwInto(thrown)));
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_throwing_GeneratorExit_into_subgenerator_that_yields")
    void throwingGeneratorExitIntoSubgeneratorThatYields() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = Generator.of(y -> {
            trace.add("Enter g");
            y.yieldAll(Generator.of(f -> {
                try {
                    trace.add("Enter f");
                    f.yield(null);
                    trace.add("Exit f");
                } catch (CancellationException exit) {
                    f.yield(null);
                }
            }));
            trace.add("Exit g");
        });
        gi.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gi.throwInto(new CancellationException()));
        assertTrue(e.getMessage().startsWith("generator ignored GeneratorExit"), e.getMessage());
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_throwing_GeneratorExit_into_subgen_that_raises")
    void throwingGeneratorExitIntoSubgenThatRaises() {
        List<String> trace = new ArrayList<>();
        Generator<Object> gi = Generator.of(y -> {
            trace.add("Enter g");
            y.yieldAll(Generator.of(f -> {
                try {
                    trace.add("Enter f");
                    f.yield(null);
                    trace.add("Exit f");
                } catch (CancellationException exit) {
                    throw new IllegalArgumentException("Vorpal bunny encountered", exit);
                }
            }));
            trace.add("Exit g");
        });
        gi.next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gi.throwInto(new CancellationException()));
        assertEquals("Vorpal bunny encountered", e.getMessage());
        assertInstanceOf(CancellationException.class, e.getCause(), "Python's __context__: the GeneratorExit");
        assertEquals(List.of("Enter g", "Enter f"), trace);
    }

    @Test
    @DisplayName("test_yield_from.py::test_yield_from_empty")
    void yieldFromEmpty() {
        Generator<Object> g = Generator.of(y -> y.yieldAll(Generator.of(empty -> { })));
        assertThrows(NoSuchElementException.class, g::next);
    }

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
    @DisplayName("test_yield_from.py::test_delegating_generators_claim_to_be_running")
    void delegatingGeneratorsClaimToBeRunning() {
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
    @DisplayName("test_yield_from.py::test_delegating_generators_claim_to_be_running_with_throw")
    void delegatingGeneratorsClaimToBeRunningWithThrow() {
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
    @DisplayName("test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_work")
    void closeAndThrowWork() {
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
    @DisplayName("test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_raise_exception")
    void closeAndThrowRaiseException() {
        IllegalArgumentException raised = new IllegalArgumentException("raised");
        java.util.function.Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
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
    @DisplayName("test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_yield")
    void closeAndThrowYield() {
        java.util.function.Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
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
    @DisplayName("test_yield_from.py::TestInterestingEdgeCases::test_close_and_throw_return")
    void closeAndThrowReturn() {
        java.util.function.Supplier<Generator<String>> inner = () -> Generator.returning(y -> {
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
