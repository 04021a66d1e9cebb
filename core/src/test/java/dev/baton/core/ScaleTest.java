package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleTest {
    private int finished;

    @Test
    void hundredThousandCoroutinesSleepTenTimesEach() {
        int coroutines = 100_000;
        int sleeps = 10;
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < coroutines; i++) {
                int n = i;
                loop.spawn("c" + i, () -> {
                    for (int s = 0; s < sleeps; s++) {
                        Loop.sleep(Duration.ofMillis(1 + (n + s) % 7));
                    }
                    finished++;
                });
            }
            long start = System.nanoTime();
            loop.runForever();
            long elapsed = System.nanoTime() - start;
            assertEquals(coroutines, finished);
            // A figure for the log, not an assertion: the bench module measures this properly.
            System.out.printf("ScaleTest: %,d coroutines x %d virtual sleeps: %.2f us per sleep (%,d ms in all, incl. thread start)%n",
                    coroutines, sleeps, elapsed / 1_000.0 / ((long) coroutines * sleeps), elapsed / 1_000_000);
        }
    }

    /**
     * What a program of many coroutines pays Baton for each: the task a spawn returns is the whole
     * of it (one 64-byte object with compressed references; a sleep then allocates nothing). A
     * first round grows the ready queue's array, which then serves the measured round. Counted by
     * the JVM for this thread, so nothing else running interferes.
     */
    @Test
    void aSpawnAllocatesOneObjectOfSixtyFourBytes() throws ReflectiveOperationException {
        // com.sun.management by reflection: the core module does not read jdk.management.
        Object threads = ManagementFactory.getThreadMXBean();
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        assumeTrue((long) allocated.invoke(threads) >= 0, "this JVM does not count allocated bytes per thread");
        int coroutines = 20_000;
        Loop.Body body = () -> Loop.sleep(Duration.ofSeconds(1));
        String name = "c";
        List<Task<Void>> tasks = new ArrayList<>(2 * coroutines);
        try (Loop loop = Trace.virtualLoop()) {
            for (int i = 0; i < coroutines; i++) {
                tasks.add(loop.spawn(name, body));
            }
            loop.runForever();
            long before = (long) allocated.invoke(threads);
            for (int i = 0; i < coroutines; i++) {
                tasks.add(loop.spawn(name, body));
            }
            double perSpawn = (double) ((long) allocated.invoke(threads) - before) / coroutines;
            assertTrue(perSpawn < 65, "Baton allocated " + perSpawn + " bytes per spawn; one task of 64 bytes was the budget");
            loop.runForever();
            assertTrue(tasks.stream().allMatch(Task::isDone));
        }
    }
}
