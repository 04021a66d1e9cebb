package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CPython's test_generators.py (PEP 255, 342, 479) on Baton's {@link Generator}, one test per peer
 * test, named after it; test_yield_from.py (PEP 380) is ported in
 * {@code conformance.Pep380YieldFromConformanceTest}. Python's names map to Java as
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
}
