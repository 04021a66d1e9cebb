package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.DeadlockException;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** A deadlock fails its test at once, naming the coroutines; no test waits for a timeout. */
class DeadlockTest {

    @Test
    void deadlockedTestFailsInUnderASecondNamingTheCoroutines() {
        Events events = EngineKit.run(Deadlocks.class);
        Throwable e = EngineKit.onlyFailure(events);
        Duration took = EngineKit.firstTestDuration(events);
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
        assertInstanceOf(DeadlockException.class, e);
        String message = e.getMessage();
        assertTrue(message.startsWith("task 'alice' can never complete"), message);
        assertTrue(message.contains("coroutine 'alice' joining task 'bob'"), message);
        assertTrue(message.contains("coroutine 'bob' joining task 'alice'"), message);
    }

    @Test
    void deadlockInsideARunForIsReportedAsALeakNamingTheCoroutines() {
        Events events = EngineKit.run(DeadlocksWhileRunningFor.class);
        Throwable e = EngineKit.onlyFailure(events);
        Duration took = EngineKit.firstTestDuration(events);
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
        String message = e.getMessage();
        assertTrue(message.startsWith("2 coroutines are still unfinished after the test: 'alice', 'bob'."), message);
        assertTrue(message.contains("coroutine 'alice' joining task 'bob'"), message);
    }

    @Fixture
    @VirtualTime
    static class Deadlocks {
        @Test
        void test(Loop loop) {
            Task<?>[] tasks = new Task<?>[2];
            tasks[0] = loop.spawn("alice", () -> {
                Loop.sleep(Duration.ofSeconds(1));
                return tasks[1].join();
            });
            tasks[1] = loop.spawn("bob", () -> tasks[0].join());
            loop.runUntilComplete(tasks[0]);
        }
    }

    @Fixture
    @VirtualTime
    static class DeadlocksWhileRunningFor {
        @Test
        void test(Loop loop) {
            Task<?>[] tasks = new Task<?>[2];
            tasks[0] = loop.spawn("alice", () -> tasks[1].join());
            tasks[1] = loop.spawn("bob", () -> tasks[0].join());
            loop.runFor(Duration.ofDays(365));
        }
    }
}
