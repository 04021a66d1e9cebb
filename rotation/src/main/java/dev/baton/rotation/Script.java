package dev.baton.rotation;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs a prerotate or postrotate script as {@code sh -c script sh path...}: the paths are the
 * script's {@code $1}, {@code $2}, ..., never spliced into its text, so a path with spaces or
 * quotes cannot change what runs.
 *
 * <p>What a script sees is fixed, not inherited: the environment is exactly {@link #environment()}
 * ({@code PATH=/usr/sbin:/usr/bin:/sbin:/bin}, {@code HOME} of the user running Baton, and
 * {@code LANG} and {@code LC_ALL} if Baton's own process has them), the working folder is
 * {@code /}, stdin is empty (closed at once). A script still running at the timeout is killed
 * with its descendants.
 *
 * <p>Output (stdout and stderr together, at most 64 KiB kept) and the exit status are logged
 * through SLF4J: first one line with the exit status and the number of output lines, then one
 * log line per output line, each quoted with control characters, invalid UTF-8 and the
 * characters that reorder text escaped ({@code "\x1b[31mred"}), so a script cannot forge log
 * lines or terminal escapes. INFO for exit 0, WARN otherwise.
 *
 * <p>Blocking: call it through {@link Offload}. Thread-safe (stateless).
 */
final class Script {
    /*
     * Design notes.
     *
     * Why "/" and not the file's folder: the folder may be writable by other users (see
     * Rotation.checkFolder), so a script that names a relative file, or a shell that looks for
     * a file in ".", would read or write what they planted there. "/" is owned by root and the
     * same whoever started the daemon from wherever. logrotate runs scripts in its own working
     * folder, which is "/" under systemd and cron's HOME under cron.
     *
     * Why a fixed environment: the daemon may be started from an operator's shell, whose
     * LD_PRELOAD, IFS, ENV, BASH_ENV or PATH with "." would otherwise reach every script run as
     * root. The PATH is Debian's default for root's system services.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Rotation.class);
    private static final int MAX_OUTPUT = 64 * 1024;
    /** The PATH every script gets. */
    static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    /** The working folder every script gets. */
    static final File WORKING_FOLDER = new File("/");

    private Script() {
    }

    /** The whole environment of a script: PATH, HOME, and LANG and LC_ALL when this process has them. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", System.getProperty("user.home"));
        for (String name : List.of("LANG", "LC_ALL")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /**
     * Runs {@code script}; returns its exit status.
     *
     * @throws IOException if it cannot be started, or ran past {@code timeout} (then it was killed)
     */
    static int run(String what, String script, List<Path> paths, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        paths.forEach(p -> command.add(p.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(WORKING_FOLDER);
        builder.environment().clear();
        builder.environment().putAll(environment());
        Process process = builder.start();
        process.getOutputStream().close();
        Output output = new Output();
        Thread reader = Thread.ofVirtual().name("baton-script-output").start(() -> output.drain(process.getInputStream()));
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IOException(what + " script for " + paths + " was interrupted; it was killed", e);
        }
        List<String> lines = output.lines();
        String count = lines.isEmpty() ? "no output" : lines.size() + (lines.size() == 1 ? " line" : " lines") + " of output"
                + (output.dropped() > 0 ? " (and " + output.dropped() + " bytes past the first 64 KiB, not logged)" : "");
        if (!finished) {
            log(Level.WARN, what, paths, "ran longer than " + timeout + " and was killed; " + count, lines);
            throw new IOException(what + " script for " + paths + " ran longer than " + timeout + " and was killed");
        }
        int status = process.exitValue();
        log(status == 0 ? Level.INFO : Level.WARN, what, paths, "exited " + status + "; " + count, lines);
        return status;
    }

    private static void log(Level level, String what, List<Path> paths, String status, List<String> lines) {
        LOG.atLevel(level).log("{} script for {} {}", what, paths, status);
        for (String line : lines) {
            LOG.atLevel(level).log("{} script for {} output: {}", what, paths, quote(line));
        }
    }

    /**
     * {@code line} in double quotes, with {@code \}, {@code "}, control characters (C0, DEL, C1),
     * line and paragraph separators, bidirectional controls and U+FFFD (what invalid UTF-8 was
     * decoded to) escaped as {@code \xHH} or {@code \\uHHHH}: printed, it is one line of plain
     * text whatever the script wrote.
     */
    static String quote(String line) {
        StringBuilder s = new StringBuilder(line.length() + 2).append('"');
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' || c == '"') {
                s.append('\\').append(c);
            } else if (c == '\t') {
                s.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\x%02x", (int) c));
            } else if ((c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f' || c == '\ufffd') {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    /** A script's output: the first 64 KiB, and how much was dropped after it. Guarded by itself. */
    private static final class Output {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;

        void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (this) {
                        int room = MAX_OUTPUT - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
                        dropped += Math.max(0, n - Math.max(0, room));
                    }
                }
            } catch (IOException closed) {
                // The process was killed; what was read is logged.
            }
        }

        synchronized long dropped() {
            return dropped;
        }

        /**
         * The output's lines, split at line feeds only (a carriage return inside a line is kept,
         * to be escaped; one before the line feed is dropped), a last line without its line feed
         * too, empty lines at the end dropped; invalid UTF-8 as U+FFFD.
         */
        synchronized List<String> lines() {
            String text = kept.toString(StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }
    }

    /** Kills the script and every process it started. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
