package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon per state file, with real processes (ported from logrotate's test-0087, "check state
 * file locking": the second instance exits 3). Real time is needed: the lock is the kernel's, and
 * a kill -9 is what frees it; the test is bounded by its timeout and waits at most a few periods
 * of 4 s.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaemonLockIT {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void endThem() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(String name, Path config) throws IOException {
        String jar = System.getProperty("baton.demo.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-jar", jar, "--config", config.toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile()).start();
        started.add(p);
        return p;
    }

    private String text(String file) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** Waits up to {@code seconds} for {@code file} to contain {@code part}; returns the real time it took, in ms. */
    private long await(String file, String part, int seconds) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            if (text(file).contains(part)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + part + "' in " + file + " within " + seconds + " s:\n" + text(file) + "\n" + text(file.replace(".out", ".err")));
    }

    @Test
    void logrotate_test_0087_aSecondInstanceExitsThreeNamingTheFirstAndAKilledFirstIsTakenOverAndCaughtUp() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "first\n");
        Path config = Files.writeString(dir.resolve("app.conf"), log + " {\n    every 4s\n    rotate 50\n}\n");

        Process first = start("first", config);
        await("first.out", "TIME (", 20);
        await("first.out", " rotated ", 10); // one rotation, recorded in the state file
        assertTrue(Files.readString(dir.resolve("baton-rotate.state")).contains(log.toString()));

        Process second = start("second", config);
        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second instance did not exit");
        assertEquals(3, second.exitValue(), text("second.err"));
        assertTrue(text("second.err").contains("already running: process " + first.pid() + " holds the lock"), text("second.err"));
        assertEquals("", text("second.out"));

        first.destroyForcibly(); // SIGKILL: no shutdown hook, the lock file still names it
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        Files.writeString(log, "written while no daemon ran\n");
        Thread.sleep(4_500); // longer than the period: a slot is missed while nobody runs

        Process third = start("third", config);
        await("third.out", "TIME (", 20);
        long firstRotation = await("third.out", " rotated ", 10);
        assertTrue(text("third.err").contains("took over the lock " + dir.resolve("baton-rotate.state.lock") + " left by process "
                + first.pid() + " (no longer running)"), text("third.err"));
        // Caught up: the missed slot is rotated at start, not a full period (4 s) after it; the
        // margin is for a loaded machine, where the first rotation loads its classes.
        assertTrue(firstRotation < 3_000, "first rotation after the restart came " + firstRotation + " ms after the header");

        third.destroy(); // SIGTERM
        assertTrue(third.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, third.exitValue(), text("third.err"));
        assertTrue(text("third.out").contains("summary: rotations per file: " + log), text("third.out"));
        assertTrue(Files.readString(dir.resolve("baton-rotate.state.lock")).isEmpty(), "a clean stop empties the lock file");
        try (var versions = Files.list(dir)) {
            assertTrue(versions.anyMatch(p -> p.getFileName().toString().startsWith("app.log.")
                    && readQuietly(p).contains("written while no daemon ran")), "the line written while down was rotated");
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
