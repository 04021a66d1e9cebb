package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GeneratorReclaimTest {

    /**
     * A million generators, each dropped while suspended, in a JVM whose heap could hold a small
     * fraction of their threads: it finishes, and their finally blocks ran. Real time, bounded:
     * it needs its own JVM to fix the heap size.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aMillionAbandonedGeneratorsFitInA32MiBHeapAndAreClosed() throws Exception {
        int count = 1_000_000;
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", classPath.replace(' ', File.pathSeparatorChar),
                AbandonedGenerators.class.getName(), String.valueOf(count)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), output);
        String last = output.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("created " + count + " sum " + count + " closed "), output);
        long closed = Long.parseLong(last.substring(last.lastIndexOf(' ') + 1));
        // Most are closed while the program runs; the ones dropped since the last collection are not yet.
        assertTrue(closed > count / 2, "closed only " + closed + " of " + count);
        System.out.println("GeneratorReclaimTest: " + last);
    }
}
