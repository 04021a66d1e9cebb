package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** Coroutines that outlive their test, and failures nobody retrieved, fail the test. */
@VirtualTime
class LeakTest {

    @Test
    void leakedCoroutineFailsTheTestWithItsNameAndStack() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(Leaks.class));
        assertInstanceOf(AssertionFailedError.class, e);
        String message = e.getMessage();
        assertTrue(message.startsWith("1 coroutine is still unfinished after the test: 'heartbeat'. Wait for it"), message);
        assertTrue(message.contains("coroutine 'heartbeat' sleeping"), message);
        assertTrue(message.contains("at dev.baton.testing.LeakTest$Leaks.lambda$"), "the coroutine's own frames: " + message);
    }

    @Test
    void allowLeaksLetsUnfinishedCoroutinesPass() {
        EngineKit.run(AllowsLeaks.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void expectUnfinishedExemptsOnlyTheTasksNamed() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(ExpectsOne.class));
        assertTrue(e.getMessage().startsWith("1 coroutine is still unfinished after the test: 'unexpected'."), e.getMessage());
    }

    @Test
    void aTaskTheTestCancelledIsNotALeak() {
        EngineKit.run(CancelsAtTheEnd.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void theLoopIsClosedAfterTheTestSoUnfinishedCoroutinesUnwind() {
        AllowsLeaks.unwound.clear();
        EngineKit.run(AllowsLeaks.class);
        assertEquals(List.of("heartbeat unwound"), AllowsLeaks.unwound);
    }

    @Test
    void aFailureNobodyRetrievedFailsTheTestWithItAsCause() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(FailsUnobserved.class));
        assertEquals("task 'loader' failed and nobody retrieved the exception (no join, no runUntilComplete, no done-callback)", e.getMessage());
        assertEquals("disk on fire", e.getCause().getMessage());
    }

    @Test
    void aFailureTheTestWaitedForIsNotReported(Loop loop) {
        Task<Void> loader = loop.spawn("loader", () -> {
            throw new IllegalStateException("disk on fire");
        });
        CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(loader));
        assertEquals("disk on fire", e.getCause().getMessage());
    }

    @Test
    void aTestMayCloseTheLoopItself(Loop loop) {
        loop.spawn("heartbeat", () -> Loop.sleep(Duration.ofDays(1)));
        loop.runFor(Duration.ofHours(1));
        loop.close();
    }

    @Test
    void aFailedTestIsNotAlsoReportedForLeaks() {
        Events events = EngineKit.run(FailsAndLeaks.class);
        Throwable e = EngineKit.onlyFailure(events);
        assertEquals("the test's own failure", e.getMessage());
        assertEquals(0, e.getSuppressed().length);
    }

    @Fixture
    @VirtualTime
    static class Leaks {
        @Test
        void test(Loop loop) {
            loop.spawn("heartbeat", () -> {
                while (true) {
                    Loop.sleep(Duration.ofMinutes(1));
                }
            });
            loop.runFor(Duration.ofHours(1));
        }
    }

    @Fixture
    @VirtualTime(allowLeaks = true)
    static class AllowsLeaks {
        /** Written by the fixture's coroutine as it unwinds, read by the test after the run (a concurrent list). */
        static final List<String> unwound = new CopyOnWriteArrayList<>();

        @Test
        void test(Loop loop) {
            loop.spawn("heartbeat", () -> {
                try {
                    while (true) {
                        Loop.sleep(Duration.ofMinutes(1));
                    }
                } finally {
                    unwound.add("heartbeat unwound");
                }
            });
            loop.runFor(Duration.ofHours(1));
        }
    }

    @Fixture
    @VirtualTime
    static class ExpectsOne {
        @Test
        void test(Loop loop, LoopTester tester) {
            Task<Void> expected = loop.spawn("expected", () -> Loop.sleep(Duration.ofDays(1)));
            loop.spawn("unexpected", () -> Loop.sleep(Duration.ofDays(1)));
            tester.expectUnfinished(expected);
            loop.runFor(Duration.ofHours(1));
        }
    }

    @Fixture
    @VirtualTime
    static class CancelsAtTheEnd {
        @Test
        void test(Loop loop) {
            Task<Void> heartbeat = loop.spawn("heartbeat", () -> Loop.sleep(Duration.ofDays(1)));
            loop.runFor(Duration.ofHours(1));
            heartbeat.cancel();
        }
    }

    @Fixture
    @VirtualTime
    static class FailsUnobserved {
        @Test
        void test(Loop loop) {
            loop.spawn("loader", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                throw new IllegalStateException("disk on fire");
            });
            loop.runFor(Duration.ofMinutes(1));
        }
    }

    @Fixture
    @VirtualTime
    static class FailsAndLeaks {
        @Test
        void test(Loop loop) {
            loop.spawn("heartbeat", () -> Loop.sleep(Duration.ofDays(1)));
            loop.runFor(Duration.ofHours(1));
            throw new AssertionError("the test's own failure");
        }
    }
}
