package dev.baton.core.conformance;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Generator;
import java.util.NoSuchElementException;

/** CPython's generator assertions in Baton's terms, for the ports of test_generators.py and test_yield_from.py. */
final class GeneratorAssertions {
    private GeneratorAssertions() {
    }

    /**
     * Python's {@code RuntimeError("generator raised StopIteration")} (PEP 479): {@code caught} is an
     * IllegalStateException saying so, with {@code raised} as its cause.
     */
    static void assertGeneratorRaisedStopIteration(NoSuchElementException raised, RuntimeException caught) {
        IllegalStateException wrapped = assertInstanceOf(IllegalStateException.class, caught);
        assertTrue(wrapped.getMessage().contains("the generator's body threw NoSuchElementException"), wrapped.getMessage());
        assertSame(raised, wrapped.getCause());
    }

    /** Python's {@code assertRaises(StopIteration, next, g)}: the iteration is over and the generator done. */
    static void assertStopIteration(Generator<?> generator) {
        assertThrows(NoSuchElementException.class, generator::next);
        assertTrue(generator.isDone());
    }
}
