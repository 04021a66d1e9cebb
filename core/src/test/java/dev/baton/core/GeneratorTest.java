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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
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

    /**
     * Python resumes a started generator where it stands when it is delegated to; Baton refuses it
     * (docs/differences.md), so a half-consumed generator's values cannot silently go missing from
     * the outer one. The refusal names the rule; the inner generator keeps its place.
     */
    @Test
    void yieldAllOfAStartedGeneratorIsRefusedAndTheInnerOneKeepsItsPlace() {
        try (Generator<Integer> inner = Generator.of(y -> {
            y.yield(1);
            y.yield(2);
        })) {
            assertEquals(1, inner.next());
            try (Generator<Integer> outer = Generator.of(y -> y.yieldAll(inner))) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, outer::next);
                assertTrue(refused.getMessage().contains("already started"), refused.getMessage());
            }
            assertEquals(2, inner.next());
        }
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
            String result = y.yieldAll(inner(), String.class);
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

    /**
     * Runs {@code action} on a daemon thread and waits for it at most {@code seconds} of real time:
     * the misuses tested here used to hang (or spin) a hand-off, and a hang must fail, not stall the
     * build. A hung thread is left behind, parked or spinning, in this JVM.
     */
    static <V> V within(long seconds, String what, Callable<V> action) throws Exception {
        FutureTask<V> task = new FutureTask<>(action);
        Thread runner = new Thread(task, "bounded: " + what);
        runner.setDaemon(true);
        runner.start();
        try {
            return task.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException hung) {
            throw new AssertionError(what + " did not return within " + seconds + " s", hung);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception e) {
                throw e;
            }
            throw (Error) failed.getCause();
        }
    }

    @Test
    void closeOfABodyThatYieldsAfterTheExitFailsLikeGeneratorIgnoredGeneratorExit() throws Exception {
        // test_generators.py, "ill-behaved generators": close() raises RuntimeError("generator ignored
        // GeneratorExit") when the body yields again. A body that swallows the exit in a loop used to spin.
        List<String> trace = new ArrayList<>();
        Generator<Integer> stubborn = Generator.of(y -> {
            for (int i = 0; ; i++) {
                try {
                    y.yield(i);
                } catch (CancellationException exit) {
                    trace.add("swallowed the exit at " + i);
                }
            }
        });
        assertEquals(0, stubborn.next());
        IllegalStateException e = within(10, "close() of a body that swallows its exit",
                () -> assertThrows(IllegalStateException.class, stubborn::close));
        assertTrue(e.getMessage().contains("generator ignored GeneratorExit"), e.getMessage());
        assertEquals(List.of("swallowed the exit at 0"), trace);
        assertFalse(stubborn.isDone(), "as in Python, the body stays suspended at the yield it reached");
        assertEquals(2, stubborn.next(), "and can still be resumed; the 1 it yielded during close() was dropped");
    }

    @Test
    void aCallWhileTheBodyRunsForAnotherThreadFailsFast() throws Exception {
        // Python: ValueError: generator already executing
        CountDownLatch bodyRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Generator<Integer> slow = Generator.of(y -> {
            bodyRunning.countDown();
            release.await();
            y.yield(1);
        });
        Thread driver = Thread.ofVirtual().start(slow::next);
        assertTrue(bodyRunning.await(10, TimeUnit.SECONDS));
        IllegalStateException next = within(10, "next() on a running generator",
                () -> assertThrows(IllegalStateException.class, slow::next));
        assertTrue(next.getMessage().contains("already running"), next.getMessage());
        within(10, "hasNext() on a running generator", () -> assertThrows(IllegalStateException.class, slow::hasNext));
        within(10, "close() on a running generator", () -> assertThrows(IllegalStateException.class, slow::close));
        release.countDown();
        assertTrue(driver.join(java.time.Duration.ofSeconds(10)));
        slow.close();
        assertTrue(slow.isDone());
    }

    @Test
    void twoThreadsRacingNextNeverHangAndNeverShareAValue() throws Exception {
        // Misuse: one generator driven by two threads at once. Each overlapping call fails fast with
        // IllegalStateException; every value is handed to exactly one caller.
        int values = 20_000;
        Generator<Integer> counter = Generator.of(y -> {
            for (int i = 0; ; i++) {
                y.yield(i);
            }
        });
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Void> racer = () -> {
            start.await();
            while (taken.size() < values) {
                try {
                    if (!taken.add(counter.next())) {
                        duplicates.incrementAndGet();
                    }
                } catch (IllegalStateException overlap) {
                    assertTrue(overlap.getMessage().contains("already running"), overlap.getMessage());
                    refused.incrementAndGet();
                }
            }
            return null;
        };
        FutureTask<Void> first = new FutureTask<>(racer);
        FutureTask<Void> second = new FutureTask<>(racer);
        Thread.ofVirtual().start(first);
        Thread.ofVirtual().start(second);
        within(30, "two threads racing next()", () -> {
            first.get();
            second.get();
            return null;
        });
        assertEquals(0, duplicates.get());
        assertTrue(refused.get() > 0, "the two threads never overlapped");
        // the values taken are exactly 0..n-1: none skipped, none handed out twice
        assertEquals(taken.size() - 1, taken.stream().mapToInt(Integer::intValue).max().orElse(-1));
        counter.close();
    }

    @Test
    void aBodyThrowingNoSuchElementExceptionDoesNotLookLikeTheEnd() {
        // PEP 479 (test_generators.py test_stopiteration_error, test_tutorial_stopiteration): the
        // body's exception is wrapped, so a caller cannot mistake it for the end of iteration.
        NoSuchElementException leak = new NoSuchElementException("an iterator the body used ran dry");
        Generator<Integer> viaNext = Generator.of(y -> {
            y.yield(1);
            throw leak;
        });
        assertEquals(1, viaNext.next());
        assertPep479(leak, assertThrows(IllegalStateException.class, viaNext::next));

        Generator<Integer> viaHasNext = Generator.of(y -> {
            throw leak;
        });
        assertPep479(leak, assertThrows(IllegalStateException.class, viaHasNext::hasNext));

        Generator<Integer> viaSend = Generator.of(y -> {
            y.yield(1);
            throw leak;
        });
        viaSend.next();
        assertPep479(leak, assertThrows(IllegalStateException.class, () -> viaSend.send(2)));

        Generator<Integer> viaYieldAll = Generator.of(y -> {
            y.yieldAll(Generator.<Integer>of(inner -> {
                inner.yield(1);
                throw leak;
            }));
        });
        assertEquals(1, viaYieldAll.next());
        assertPep479(leak, assertThrows(IllegalStateException.class, viaYieldAll::next));
    }

    private static void assertPep479(NoSuchElementException leak, IllegalStateException wrapped) {
        assertTrue(wrapped.getMessage().contains("the generator's body threw NoSuchElementException"), wrapped.getMessage());
        assertSame(leak, wrapped.getCause());
    }

    @Test
    void returnValueThrowsUnlessTheBodyReturned() {
        Generator<Integer> closed = Generator.returning(y -> {
            y.yield(1);
            return "never";
        });
        closed.next();
        closed.close();
        assertThrows(IllegalStateException.class, closed::returnValue, "closed at its yield");

        Generator<Integer> failed = Generator.returning(y -> {
            throw new IllegalArgumentException("boom");
        });
        assertThrows(IllegalArgumentException.class, failed::next);
        assertThrows(IllegalStateException.class, failed::returnValue, "it threw");

        Generator<Integer> neverStarted = Generator.returning(y -> "never");
        neverStarted.close();
        assertThrows(IllegalStateException.class, neverStarted::returnValue, "closed before it started");
    }

    @Test
    void aTypedReturnValueOfTheWrongTypeFailsNamingBothTypes() {
        Generator<Integer> words = Generator.returning(y -> {
            y.yield(1);
            return "done";
        });
        words.forEachRemaining(n -> { });
        assertEquals("done", words.returnValue(String.class));
        ClassCastException e = assertThrows(ClassCastException.class, () -> words.returnValue(Integer.class));
        assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("java.lang.Integer"), e.getMessage());

        Generator<Integer> counted = Generator.returning(y -> 3);
        counted.hasNext();
        assertEquals(3, counted.returnValue(int.class), "a primitive type stands for its wrapper");
        Generator<Integer> nothing = Generator.of(y -> { });
        nothing.hasNext();
        assertThrows(ClassCastException.class, () -> nothing.returnValue(int.class), "null is no int");
    }

    @Test
    void aTypedYieldAllChecksTheInnerReturnValue() {
        List<String> trace = new ArrayList<>();
        Generator<String> outer = Generator.of(y -> {
            try {
                Integer wrong = y.yieldAll(inner(), Integer.class);
                trace.add("got " + wrong);
            } catch (ClassCastException e) {
                trace.add(e.getMessage());
            }
        });
        outer.forEachRemaining(value -> { });
        assertEquals(List.of("yieldAll: the inner generator returned a java.lang.String (inner's result), not a java.lang.Integer"), trace);
    }
}
