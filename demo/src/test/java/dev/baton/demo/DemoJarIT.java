package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, started as an operator would start it, stopped by a signal.
 *
 * <p>These are the demo's only real-time tests: what they check (a signal, the JVM's exit status,
 * another process renaming files under a writer) exists only on the real clock, in a real process.
 * Each lets the demo run about two seconds and is bounded by a timeout; the schedules themselves
 * are tested on virtual time in {@link SimulationTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoJarIT {
    /** How long the demo runs before the signal: ten 200 ms slots. */
    private static final long RUN_MILLIS = 2_000;
    private static final Pattern SUMMARY = Pattern.compile("summary: rotations per file: (.*); (\\d+) errors?");

    @TempDir
    Path dir;
    /** The demo started by the running test; ended after it, so that a failed test leaves no process behind. */
    private Demo demo;

    @AfterEach
    void endTheDemo() throws InterruptedException {
        if (demo != null && demo.process.isAlive()) {
            demo.process.destroyForcibly();
            demo.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConfigRunRotatesLosesNoLineAndExitsZeroOnSigterm() throws Exception {
        Path all = dir.resolve("all.log");     // keeps every version: each line must be found exactly once
        Path few = dir.resolve("few.log");     // keeps 2: older versions are dropped, by design
        Path config = Files.writeString(dir.resolve("demo.conf"), all + " {\n    every 200ms\n    rotate 50\n}\n"
                + few + " {\n    every 200ms\n    rotate 2\n}\n");
        demo = Demo.start(dir, "--config", config.toString());
        demo.awaitOutput("TIME (");

        long written = appendLinesFor(RUN_MILLIS, all, few);
        demo.process.destroy(); // SIGTERM on Linux and macOS
        assertTrue(demo.process.waitFor(20, TimeUnit.SECONDS), "the demo did not exit within 20 s of SIGTERM");

        assertEquals(0, demo.process.exitValue(), demo.describe());
        Matcher summary = SUMMARY.matcher(demo.lastLine());
        assertTrue(summary.matches(), demo.describe());
        assertEquals("0", summary.group(2), demo.describe());
        Map<String, Integer> rotations = new HashMap<>();
        for (String part : summary.group(1).split(", ")) {
            int space = part.lastIndexOf(' ');
            rotations.put(part.substring(0, space), Integer.parseInt(part.substring(space + 1)));
        }
        assertTrue(rotations.get(all.toString()) >= 3, "at most one slot in three may be late: " + demo.describe());
        assertTrue(rotations.get(few.toString()) >= 3, demo.describe());

        List<String> allLines = linesOf(all, 50);
        assertEquals(written, allLines.size(), "every line written is in all.log or one of its versions, once");
        assertEquals(written, allLines.stream().distinct().count());
        assertFalse(Files.exists(dir.resolve("few.log.3")), "few.log keeps 2 versions");
        List<String> fewLines = linesOf(few, 2);
        assertEquals(fewLines.size(), fewLines.stream().distinct().count(), "no line twice");
    }

    @Test
    void theBuiltInRunWritesToItsDemoFolderAndExitsZeroOnCtrlC() throws Exception {
        DaemonProcess.assumeNotIgnored(2, "SIGINT");
        demo = Demo.start(dir);
        String first = demo.awaitOutput("baton-demo: demo folder");
        assertEquals("baton-demo: demo folder " + dir.toRealPath().resolve("baton-demo")
                + "; a writer appends a line to each file every second; Ctrl-C stops", first);
        demo.awaitOutput("TIME (");
        Thread.sleep(RUN_MILLIS); // the writer's first lines are due after one second
        // What Ctrl-C in a terminal sends.
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(demo.process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(demo.process.waitFor(20, TimeUnit.SECONDS), "the demo did not exit within 20 s of SIGINT");

        assertEquals(0, demo.process.exitValue(), demo.describe());
        assertTrue(demo.lastLine().matches("summary: rotations per file: .*file1 0, .*file4 0; 0 errors"),
                demo.describe());
        for (String name : List.of("file1", "file2", "file3", "file4")) {
            List<String> lines = Files.readAllLines(dir.resolve("baton-demo").resolve(name));
            assertFalse(lines.isEmpty(), name);
            assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.* line 1"), lines.get(0));
        }
    }

    /** Appends numbered lines to each file, every 5 ms, for about {@code millis}; returns how many per file. */
    private static long appendLinesFor(long millis, Path... files) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long n = 0;
        while (System.nanoTime() < end) {
            n++;
            for (Path file : files) {
                // One open-append-close per line, as a logging program that reopens its file would.
                Files.writeString(file, "line " + n + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Thread.sleep(5);
        }
        return n;
    }

    /** The lines of {@code file} and of {@code file.1 ... file.keep}, oldest first. */
    private static List<String> linesOf(Path file, int keep) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = keep; i >= 1; i--) {
            Path version = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(version)) {
                lines.addAll(Files.readAllLines(version));
            }
        }
        if (Files.exists(file)) {
            lines.addAll(Files.readAllLines(file));
        }
        return lines;
    }

    /**
     * A running demo process. Its stdout and stderr go to files: a pipe read by another thread
     * can fail with "Stream closed" when the JDK drains it as the process exits.
     */
    private static final class Demo {
        final Process process;
        private final Path out;
        private final Path err;

        private Demo(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Demo start(Path workingDir, String... args) throws IOException {
            String jar = System.getProperty("baton.demo.jar");
            assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the demo jar is built by 'package': " + jar);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-jar", jar));
            command.addAll(List.of(args));
            Path out = workingDir.resolve("demo-stdout.txt");
            Path err = workingDir.resolve("demo-stderr.txt");
            Process process = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Demo(process, out, err);
        }

        List<String> stdout() {
            return read(out);
        }

        private static List<String> read(Path file) {
            try {
                return Files.readAllLines(file);
            } catch (IOException e) {
                return List.of("<cannot read " + file + ": " + e + ">");
            }
        }

        /** Waits (up to 20 s) for a stdout line starting with {@code prefix}, and returns it. */
        String awaitOutput(String prefix) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                for (String line : stdout()) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no line starting with '" + prefix + "': " + describe());
        }

        String lastLine() {
            List<String> lines = stdout();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String describe() {
            return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\nstdout:\n" + String.join("\n", stdout())
                    + "\nstderr:\n" + String.join("\n", read(err));
        }
    }
}
