package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OneCarrierTest {

    /**
     * Primitives park virtual threads, never carriers: with exactly one carrier thread (and the
     * scheduler forbidden to add one), a producer and a consumer still run to the end. Real time,
     * bounded: it needs its own JVM for the scheduler settings.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void primitivesNeverBlockTheOnlyCarrier() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(java,
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-cp", classPath.replace(' ', File.pathSeparatorChar), OneCarrierPrimitives.class.getName()))
                .redirectErrorStream(true)
                .start();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(true, ended, "still running after 30 s: a carrier was blocked. " + output);
        assertEquals(0, process.exitValue(), output);
        assertEquals("took 1, took 2, took 3, producer saw done", output.lines().reduce((a, b) -> b).orElse(""));
    }
}
