package dev.baton.core.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.Generator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/tutorial.md, chapter 1: a generator, send, and delegation (Python's yield from). Each test
 * prints what its Python twin in docs/python/generators.py prints, in the chapter's order.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
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
        String printed = Printed.by(() -> {
            for (int n : countdown(3)) {
                System.out.println(n);        // 3, 2, 1
            }
        });
        assertEquals("3\n2\n1\n", printed);
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
        String printed = Printed.by(() -> {
            try (Generator<Integer> totals = runningTotal()) {
                System.out.println(totals.next());      // 0: runs the body to its first yield
                System.out.println(totals.send(10));    // 10
                System.out.println(totals.send(5));     // 15
            }
        });
        assertEquals("0\n10\n15\n", printed);
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
        String printed = Printed.by(() -> {
            Generator<Integer> launch = launch();
            List<Integer> seen = new ArrayList<>();
            launch.forEach(seen::add);
            System.out.println(seen);                   // [3, 2, 1, 0]
            Object result = launch.returnValue();
            System.out.println(result);                 // lift-off after 3
        });
        assertEquals("[3, 2, 1, 0]\nlift-off after 3\n", printed);
    }
}
