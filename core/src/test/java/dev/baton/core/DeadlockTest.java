package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlockTest {

    @Test
    void twoTasksJoiningEachOtherFailAtOnceNamingBoth() {
        // Bounded in real time: the point is that it never hangs.
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            try (Loop loop = Trace.virtualLoop()) {
                Task<?>[] tasks = new Task<?>[2];
                tasks[0] = loop.spawn("alice", () -> {
                    Loop.sleep(Duration.ofSeconds(1));
                    return tasks[1].join();
                });
                tasks[1] = loop.spawn("bob", () -> tasks[0].join());
                DeadlockException e = assertThrows(DeadlockException.class, () -> loop.runUntilComplete(tasks[0]));
                String message = e.getMessage();
                assertTrue(message.contains("task 'alice' can never complete"), message);
                assertTrue(message.contains("coroutine 'alice' joining task 'bob'"), message);
                assertTrue(message.contains("coroutine 'bob' joining task 'alice'"), message);
                assertTrue(message.split("at dev\\.baton\\.core\\.Task\\.join", -1).length == 3, "each stack starts where it waits: " + message);
                assertTrue(!message.contains("getStackTrace") && !message.contains("pickNext"), "no loop internals: " + message);
                assertTrue(message.contains("DeadlockTest"), "shows the user's own frames: " + message);
            }
        });
    }

    @Test
    void deadlockedCoroutinesAreUnwoundByClose() {
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            Loop loop = Trace.virtualLoop();
            Task<?>[] tasks = new Task<?>[2];
            boolean[] unwound = new boolean[2];
            tasks[0] = loop.spawn("a", () -> {
                try {
                    return tasks[1].join();
                } finally {
                    unwound[0] = true;
                }
            });
            tasks[1] = loop.spawn("b", () -> {
                try {
                    return tasks[0].join();
                } finally {
                    unwound[1] = true;
                }
            });
            assertThrows(DeadlockException.class, () -> loop.runUntilComplete(tasks[1]));
            loop.close();
            assertTrue(unwound[0] && unwound[1]);
            assertTrue(tasks[0].isCancelled() && tasks[1].isCancelled());
        });
    }
}
