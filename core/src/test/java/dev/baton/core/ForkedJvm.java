package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a JVM of its own, for tests that need JVM flags. */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmFlags} and {@code args}; asserts it ends within
     * {@code seconds} with exit code 0, and returns the last line it printed.
     */
    static String lastLine(List<String> jvmFlags, Class<?> main, long seconds, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        command.addAll(List.of("-cp", classPath.replace(' ', File.pathSeparatorChar), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(ended, main.getSimpleName() + " still running after " + seconds + " s: " + output);
        assertEquals(0, process.exitValue(), output);
        return output.lines().reduce((a, b) -> b).orElse("");
    }
}
