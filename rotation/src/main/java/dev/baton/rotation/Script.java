package dev.baton.rotation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a prerotate or postrotate script as {@code sh -c script sh path...}: the paths are the
 * script's {@code $1}, {@code $2}, ..., never spliced into its text, so a path with spaces or
 * quotes cannot change what runs. Output (stdout and stderr together, at most 64 KiB kept) and
 * the exit status are logged through SLF4J: INFO for exit 0, WARN otherwise. A script still
 * running at the timeout is killed with its descendants.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class Script {
    private static final Logger LOG = LoggerFactory.getLogger(Rotation.class);
    private static final int MAX_OUTPUT = 64 * 1024;

    private Script() {
    }

    /**
     * Runs {@code script}; returns its exit status.
     *
     * @throws IOException if it cannot be started, or ran past {@code timeout} (then it was killed)
     */
    static int run(String what, String script, List<Path> paths, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        paths.forEach(p -> command.add(p.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().name("baton-script-output").start(() -> drain(process.getInputStream(), output));
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(what + " script for " + paths + " was interrupted; it was killed", e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8).strip();
        }
        if (!finished) {
            LOG.warn("{} script for {} ran longer than {} and was killed; output: {}", what, paths, timeout, text);
            throw new IOException(what + " script for " + paths + " ran longer than " + timeout + " and was killed");
        }
        int status = process.exitValue();
        if (status == 0) {
            LOG.info("{} script for {} exited 0{}", what, paths, text.isEmpty() ? "" : "; output: " + text);
        } else {
            LOG.warn("{} script for {} exited {}{}", what, paths, status, text.isEmpty() ? "" : "; output: " + text);
        }
        return status;
    }

    private static void drain(InputStream in, ByteArrayOutputStream output) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (output) {
                    int room = MAX_OUTPUT - output.size();
                    if (room > 0) {
                        output.write(buffer, 0, Math.min(n, room));
                    }
                }
            }
        } catch (IOException closed) {
            // The process was killed; what was read is logged.
        }
    }
}
