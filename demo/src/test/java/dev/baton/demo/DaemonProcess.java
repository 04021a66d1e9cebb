package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The built demo jar as a real process, its stdout and stderr in files of {@code dir} (or both in
 * one file, as on a terminal). Integration tests only. Not thread-safe.
 */
final class DaemonProcess {
    final Process process;
    final Path out;
    final Path err;

    private DaemonProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** The command that runs the built jar with {@code args}. */
    static List<String> command(String... args) {
        String jar = System.getProperty("baton.demo.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the demo jar is built by 'package': " + jar);
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Skips the calling test when this process ignores {@code signal} (SIGHUP under nohup; SIGINT
     * in a script's background job): the daemon it starts inherits that, and the JVM leaves an
     * ignored signal ignored, so the daemon cannot be sent it.
     */
    static void assumeNotIgnored(int signal, String name) throws IOException {
        long ignored = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
            }
        }
        Assumptions.assumeTrue((ignored & (1L << (signal - 1))) == 0, name + " is ignored by this process, and so by the daemon it"
                + " starts (nohup ignores SIGHUP; a background job of a script, SIGINT): run the build in the foreground");
    }

    /** The java of this test JVM (a JDK 21+). */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * Starts {@code command} in {@code dir}; output to {@code name.out} and {@code name.err}, or
     * both to {@code name.out} if {@code merged}; {@code env} added to the environment.
     */
    static DaemonProcess start(Path dir, String name, boolean merged, Map<String, String> env, List<String> command)
            throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = merged ? out : dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile());
        if (merged) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        builder.environment().putAll(env);
        return new DaemonProcess(builder.start(), out, err);
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "<cannot read " + p + ": " + e + ">";
        }
    }

    /** Waits up to {@code seconds} for stdout to contain {@code part}. */
    void awaitOut(String part, int seconds) throws InterruptedException {
        awaitOut(part, 1, seconds);
    }

    /** Waits up to {@code seconds} for stdout to contain {@code part} at least {@code times} times. */
    void awaitOut(String part, int times, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (count(part) >= times) {
                return;
            }
            if (!process.isAlive() && count(part) < times) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not " + times + " x '" + part + "' on stdout within " + seconds + " s: " + describe());
    }

    /** How many times stdout contains {@code part}. */
    int count(String part) {
        return out().split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** Waits up to {@code seconds} for the process to exit; returns its exit code. */
    int awaitExit(int seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "did not exit within " + seconds + " s: " + describe());
        return process.exitValue();
    }

    /** SIGTERM, then waits up to 20 s; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit(20);
    }

    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    String describe() {
        return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\nstdout:\n" + out()
                + (err.equals(out) ? "" : "\nstderr:\n" + err());
    }
}
