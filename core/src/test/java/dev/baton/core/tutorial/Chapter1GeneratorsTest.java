package dev.baton.core.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/tutorial.md, chapter 1: a generator, send, and delegation (Python's yield from). */
class Chapter1GeneratorsTest {

    static Generator<Integer> countdown(int from) {
        return Generator.of(y -> {
            for (int n = from; n > 0; n--) {
                y.yield(n);
            }
        });
    }

    @Test
    void countdownYieldsThreeTwoOne() {
        List<Integer> seen = new ArrayList<>();
        for (int n : countdown(3)) {
            seen.add(n);
        }
        assertEquals(List.of(3, 2, 1), seen);
    }

    static Generator<Integer> runningTotal() {
        return Generator.of(y -> {
            int total = 0;
            while (true) {
                int value = y.<Integer>yield(total);
                total += value;
            }
        });
    }

    @Test
    void sendPassesAValueInAndTheNextYieldOut() {
        try (Generator<Integer> totals = runningTotal()) {
            assertEquals(0, totals.next());      // runs the body to its first yield
            assertEquals(10, totals.send(10));
            assertEquals(15, totals.send(5));
        }
    }

    static Generator<Integer> launch() {
        return Generator.returning(y -> {
            int ticks = y.yieldAll(countdownThenReport(3), Integer.class);
            y.yield(0);
            return "lift-off after " + ticks;
        });
    }

    static Generator<Integer> countdownThenReport(int from) {
        return Generator.returning(y -> {
            for (int n = from; n > 0; n--) {
                y.yield(n);
            }
            return from;
        });
    }

    @Test
    void yieldAllDelegatesAndReturnsTheInnerResult() {
        Generator<Integer> launch = launch();
        List<Integer> seen = new ArrayList<>();
        launch.forEach(seen::add);
        assertEquals(List.of(3, 2, 1, 0), seen);
        assertEquals("lift-off after 3", launch.returnValue());
    }
}
