package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Python's generator protocol, test by test: see the comment on each for the Python it mirrors. */
class GeneratorTest {

    static Generator<Long> fibonacci() {
        return Generator.of(y -> {
            long a = 0;
            long b = 1;
            while (true) {
                y.yield(a);
                long next = a + b;
                a = b;
                b = next;
            }
        });
    }

    @Test
    void fibonacciInAForEachLoop() {
        // for n in fibonacci(): if n > 100: break; out.append(n)
        List<Long> out = new ArrayList<>();
        for (long n : fibonacci()) {
            if (n > 100) {
                break;
            }
            out.add(n);
        }
        assertEquals(List.of(0L, 1L, 1L, 2L, 3L, 5L, 8L, 13L, 21L, 34L, 55L, 89L), out);
    }

    @Test
    void aGeneratorIsAStreamSource() {
        try (Generator<Long> fib = fibonacci()) {
            List<Long> evens = StreamSupport.stream(fib.spliterator(), false).filter(n -> n % 2 == 0).limit(5).toList();
            assertEquals(List.of(0L, 2L, 8L, 34L, 144L), evens);
        }
    }

    static Generator<Double> runningAverage() {
        return Generator.of(y -> {
            double total = 0;
            int count = 0;
            Double average = null;
            while (true) {
                double value = y.<Double>yield(average);
                total += value;
                count++;
                average = total / count;
            }
        });
    }

    @Test
    void aRunningAverageDrivenBySend() {
        // avg = averager(); next(avg); avg.send(10) == 10.0; avg.send(30) == 20.0; avg.send(5) == 15.0
        try (Generator<Double> average = runningAverage()) {
            assertEquals(null, average.next(), "priming runs the body to its first yield");
            assertEquals(10.0, average.send(10.0));
            assertEquals(20.0, average.send(30.0));
            assertEquals(15.0, average.send(5.0));
        }
    }

    @Test
    void sendingToAGeneratorThatHasNotStartedIsAnError() {
        // Python: TypeError: can't send non-None value to a just-started generator
        try (Generator<Double> average = runningAverage()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> average.send(1.0));
            assertTrue(e.getMessage().contains("call next() first"), e.getMessage());
        }
    }

    static Generator<String> inner() {
        return Generator.returning(y -> {
            String got = y.yield("inner-1");
            y.yield("inner-2 after " + got);
            return "inner's result";
        });
    }

    @Test
    void yieldAllPassesValuesOutAndSentValuesInAndReturnsTheInnerResult() {
        // def outer(): r = yield from inner(); yield "outer got " + r
        List<String> trace = new ArrayList<>();
        Generator<String> outer = Generator.returning(y -> {
            y.yield("outer-0");
            String result = y.yieldAll(inner());
            trace.add("yieldAll returned " + result);
            y.yield("outer got " + result);
            return "outer's result";
        });
        assertEquals("outer-0", outer.next());
        assertEquals("inner-1", outer.next());
        assertEquals("inner-2 after sent-in", outer.send("sent-in"));
        assertEquals("outer got inner's result", outer.next());
        assertFalse(outer.hasNext());
        assertEquals("outer's result", outer.returnValue());
        assertEquals(List.of("yieldAll returned inner's result"), trace);
    }

    @Test
    void closeRunsFinallyAtThePendingYield() {
        // gen.close() raises GeneratorExit at the yield; finally runs
        List<String> trace = new ArrayList<>();
        Generator<Integer> counter = Generator.of(y -> {
            try {
                for (int i = 0; ; i++) {
                    y.yield(i);
                }
            } catch (CancellationException exit) {
                trace.add("closed at yield");
                throw exit;
            } finally {
                trace.add("finally");
            }
        });
        assertEquals(0, counter.next());
        assertEquals(1, counter.next());
        counter.close();
        assertEquals(List.of("closed at yield", "finally"), trace);
        assertTrue(counter.isDone());
        assertFalse(counter.hasNext());
        counter.close(); // idempotent
    }

    @Test
    void closingADelegatingGeneratorClosesTheInnerOneFirst() {
        List<String> trace = new ArrayList<>();
        Generator<String> in = Generator.of(y -> {
            try {
                y.yield("in");
            } finally {
                trace.add("inner finally");
            }
        });
        Generator<String> out = Generator.of(y -> {
            try {
                y.yieldAll(in);
            } finally {
                trace.add("outer finally");
            }
        });
        assertEquals("in", out.next());
        out.close();
        assertEquals(List.of("inner finally", "outer finally"), trace);
    }

    @Test
    void aClosedBodyCannotYieldAgain() {
        // Python: RuntimeError: generator ignored GeneratorExit
        List<String> trace = new ArrayList<>();
        Generator<Integer> stubborn = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                try {
                    y.yield(2);
                } catch (CancellationException refused) {
                    trace.add("second yield refused");
                }
            }
        });
        stubborn.next();
        stubborn.close();
        assertEquals(List.of("second yield refused"), trace);
    }

    @Test
    void anExceptionInTheBodySurfacesFromNext() {
        IllegalStateException boom = new IllegalStateException("boom");
        Generator<Integer> failing = Generator.of(y -> {
            y.yield(1);
            throw boom;
        });
        assertEquals(1, failing.next());
        assertSame(boom, assertThrows(IllegalStateException.class, failing::next));
        assertTrue(failing.isDone());
        assertThrows(NoSuchElementException.class, failing::next);
    }

    @Test
    void aCheckedExceptionInTheBodyIsWrapped() {
        Generator<Integer> failing = Generator.of(y -> {
            throw new IOException("disk");
        });
        CompletionException e = assertThrows(CompletionException.class, failing::hasNext);
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aBodyThatNeverStartedNeverRuns() {
        List<String> trace = new ArrayList<>();
        Generator<Integer> lazy = Generator.of(y -> trace.add("ran"));
        lazy.close();
        assertEquals(List.of(), trace);
        assertTrue(lazy.isDone());
    }

    @Test
    void aFiniteGeneratorEndsAndReportsItsReturnValue() {
        Generator<Integer> three = Generator.returning(y -> {
            for (int i = 1; i <= 3; i++) {
                y.yield(i);
            }
            return "done";
        });
        List<Integer> got = new ArrayList<>();
        three.forEachRemaining(got::add);
        assertEquals(List.of(1, 2, 3), got);
        assertEquals("done", three.returnValue());
        assertThrows(NoSuchElementException.class, three::next);
    }

    @Test
    void yieldFromAnotherThreadIsRefused() throws Exception {
        @SuppressWarnings("unchecked")
        Generator.Yielder<Integer>[] leaked = new Generator.Yielder[1];
        Generator<Integer> g = Generator.of(y -> {
            leaked[0] = y;
            y.yield(1);
        });
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked[0].yield(2));
        assertTrue(e.getMessage().contains("generator's own body"), e.getMessage());
        g.close();
    }

    @Test
    void aGeneratorRunsInsideACoroutineWithoutReleasingTheLoop() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> trace = new ArrayList<>();
            loop.spawn("consumer", () -> {
                for (long n : fibonacci()) {
                    if (n > 10) {
                        break;
                    }
                    trace.add("fib " + n);
                }
            });
            loop.spawn("other", () -> {
                trace.add("other ran");
            });
            loop.runUntilIdle();
            assertEquals(List.of("fib 0", "fib 1", "fib 1", "fib 2", "fib 3", "fib 5", "fib 8", "other ran"), trace);
        }
    }
}
