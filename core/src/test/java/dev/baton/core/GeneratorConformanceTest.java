package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * How Baton's {@link Generator} carries Python's exceptions where Java needs a rule Python does not:
 * checked exceptions. Python throws any exception into a generator and out of it as it is; Java's
 * {@code yield} and {@code next()} declare none, so a checked exception travels wrapped in a
 * {@link CompletionException}, whichever way it goes.
 *
 * <p>CPython's own generator tests are ported in the conformance package:
 * {@code conformance.GeneratorsConformanceTest} (test_generators.py) and
 * {@code conformance.Pep380YieldFromConformanceTest} (test_yield_from.py).
 */
class GeneratorConformanceTest {

    /** A user exception that is not a RuntimeException: a checked one. */
    static final class LunchError extends Exception {
        LunchError(String message) {
            super(message);
        }
    }

    @Test
    void aCheckedExceptionThrownInArrivesWrapped() {
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

    @Test
    void aCheckedExceptionFromTheBodyArrivesWrapped() {
        LunchError lunch = new LunchError("tomato ejected");
        Generator<Integer> g = Generator.of(y -> {
            y.yield(1);
            throw lunch;
        });
        assertEquals(1, g.next());
        assertSame(lunch, assertThrows(CompletionException.class, g::next).getCause());
    }
}
