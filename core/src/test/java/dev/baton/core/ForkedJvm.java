package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a JVM of its own, for tests that need JVM flags. */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /** JVM flags for a loop's own carrier: java.lang open to the (unnamed-module) tests, the JDK's scheduler as it is. */
    static final List<String> OWN_CARRIER = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED");

    /** JVM flags for the JDK's shared scheduler reduced to one carrier. */
    static final List<String> ONE_SHARED_CARRIER = List.of("-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1");

    /**
     * The forked main's side, for a loop that hangs for good: prints the first log event that
     * contains {@code part} on one line and exits 0, or exits 1 after 20 s without one.
     */
    static void exitWithFirstLogContaining(String part) throws InterruptedException {
        System.out.println(awaitFirstLogContaining(part).replace('\n', ' '));
        System.exit(0);
    }

    /**
     * For a forked main: waits up to 20 s for the first log message containing {@code part} and
     * returns it; if none comes, prints so and exits with 1.
     */
    static String awaitFirstLogContaining(String part) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            var events = dev.baton.core.logs.RecordedLogs.containing(part);
            if (!events.isEmpty()) {
                return events.get(0).message();
            }
            Thread.sleep(20);
        }
        System.out.println("no warning in 20 s");
        System.exit(1);
        throw new AssertionError("unreachable: the JVM has exited");
    }

    /**
     * Runs {@code main} with {@code jvmFlags} and {@code args}; asserts it ends within
     * {@code seconds} with exit code 0, and returns the last line it printed.
     */
    static String lastLine(List<String> jvmFlags, Class<?> main, long seconds, String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String output = run(jvmFlags, classPath.replace(' ', File.pathSeparatorChar), main, seconds, args).strip();
        return output.lines().reduce((a, b) -> b).orElse("");
    }

    /**
     * Runs {@code main} in a JVM whose class path holds only core's classes, slf4j-api and
     * {@code main} itself: no SLF4J provider, as a library user has by default. Asserts it ends
     * within {@code seconds} with exit code 0, and returns all it printed (stdout and stderr).
     */
    static String withoutLogger(List<String> jvmFlags, Class<?> main, long seconds) throws Exception {
        Path dir = Files.createTempDirectory("forked-jvm");
        try {
            String name = main.getName().replace('.', '/') + ".class";
            Path copy = dir.resolve(name);
            Files.createDirectories(copy.getParent());
            try (InputStream in = main.getClassLoader().getResourceAsStream(name)) {
                Files.write(copy, in.readAllBytes());
            }
            List<String> classPath = new ArrayList<>(List.of(dir.toString()));
            String testPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : testPath.split("[" + File.pathSeparator + " ]")) {
                if (entry.endsWith(File.separator + "classes") || entry.contains("slf4j-api")) {
                    classPath.add(entry);
                }
            }
            return run(jvmFlags, String.join(File.pathSeparator, classPath), main, seconds);
        } finally {
            deleteTree(dir);
        }
    }

    private static String run(List<String> jvmFlags, String classPath, Class<?> main, long seconds, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, main.getSimpleName() + " still running after " + seconds + " s: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
