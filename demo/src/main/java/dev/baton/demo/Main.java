package dev.baton.demo;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * The demo's command line: the original program's four rotation policies, or those of a config
 * file, on real time or simulated on a virtual clock. {@code --help} prints the usage.
 *
 * <p>Exit codes: 0 done (or stopped by Ctrl-C or SIGTERM), 1 a failure while running, 2 bad
 * arguments or a bad config file (then nothing is rotated), 3 another instance holds the lock, 75
 * stopped by SIGHUP (no reload: restart it).
 */
public final class Main {
    /** Exit code: success, or stopped by a signal after a clean shutdown. */
    public static final int OK = 0;
    /** Exit code: a failure while running. */
    public static final int FAILED = 1;
    /** Exit code: bad arguments or config; nothing was touched. */
    public static final int USAGE = 2;
    /** Exit code: another instance holds the lock of the state file. */
    public static final int LOCKED = 3;
    /**
     * Exit code: a real run stopped by SIGHUP (it does not reload; a unit restarts it on this
     * code). 75 is sysexits' EX_TEMPFAIL, "try again", which systemd shows as TEMPFAIL.
     */
    public static final int HANGUP = 75;

    static final String USAGE_TEXT = """
            Usage: baton-demo [--config FILE] [--check] [--state FILE]
                              [--simulate DURATION [--zone ZONE] [--start DATE_TIME]]
                              [--format table|jsonl|svg] [--help] [--version]

            Rotates files the way the original asyncio program did: each policy is a coroutine.

              (no options)         the built-in policies on files in ./baton-demo/ (created), with a
                                   writer appending a line to each file every second:
                                     file1 every 30s keep 3, file2 every 20s keep 5,
                                     file3 over 1024 bytes checked every 60s keep 3, file4 daily keep 5
                                   Runs until Ctrl-C or SIGTERM, then prints a summary.
              --config FILE        the paths and policies of FILE (logrotate's syntax) instead, as a
                                   daemon: no writer, it rotates what other programs write, until
                                   Ctrl-C or SIGTERM
              --check              print each file's next rotation and how (the config's, or the
                                   built-in policies'), from the state file; touch nothing
                                   (logrotate's -d)
              --state FILE         the state file of a real run, which records each file's last
                                   rotation (default ./baton-rotate.state with --config,
                                   ./baton-demo/baton-demo.state without; the lock is FILE.lock)
              --simulate DURATION  run on a virtual clock for DURATION (500ms, 90s, 5m, 36h, 3d), on an
                                   in-memory copy of the paths (real files are never touched), with
                                   the writer; prints the timeline at once and ends
              --zone ZONE          the clock's zone (default: the system's), e.g. America/New_York
              --start DATE_TIME    with --simulate: where the virtual clock starts (default: now); a
                                   local date-time (2024-11-02T12:00, in ZONE) or an ISO instant
                                   (2024-11-02T16:00:00Z)
              --format FORMAT      table (default); jsonl: one JSON object per rotation per line, and
                                   nothing else on stdout; svg (with --simulate): the timeline drawn
              --help, --version

            Exit codes: 0 ok (also stopped by Ctrl-C or SIGTERM), 1 a failure while running, 2 bad
            arguments or config (nothing touched), 3 another instance holds the state file's lock,
            75 stopped by SIGHUP (a real run does not reload its config; the systemd unit restarts it).

            Example config (logrotate's shape; see docs/demo.md):

              /var/log/app.log /var/log/worker.log {
                  every 30s
                  rotate 3            # versions kept; required
              }
              /var/log/big.log {
                  size 1k             # bytes, or k, M, G (1024-based)
                  check 60s           # how often the size is looked at; default 60s
                  rotate 3
              }
              /var/log/daily.log {
                  daily               # at the start of each local day
                  at 00:00            # optional local time; default 00:00
                  zone Europe/Paris   # optional; default the clock's zone
                  rotate 5
              }

            Example: baton-demo --simulate 3d --zone America/New_York --start 2024-11-02T12:00
            """;

    private Main() {
    }

    /**
     * Runs the demo with the process's arguments and exits with its exit code.
     *
     * @param args the command line, as {@code --help} describes it
     */
    public static void main(String[] args) {
        // Buffered, flushed by the run where it matters: a simulation prints thousands of lines.
        // UTF-8 whatever the locale: paths are bytes, and a C locale would print '?' for them.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        // Whatever goes to stderr (ours, and the log's WARN lines) first flushes stdout, so that on a
        // terminal the lines keep their order: no WARN line before the header it follows.
        PrintStream err = new PrintStream(new OutputStream() {
            private final FileOutputStream fd = new FileOutputStream(FileDescriptor.err);

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.flush();
                fd.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(err);
        int code = run(args, out, err);
        out.flush();
        System.exit(code);
    }

    /**
     * Runs the demo as {@link #main} does, printing to {@code out} and {@code err}, and returns the
     * exit code instead of exiting. Bad arguments, a bad config, {@code --help}, {@code --version}
     * and {@code --simulate} return when done. A run on real time lasts until the JVM shuts down
     * (Ctrl-C, SIGTERM): it installs a shutdown hook that stops the loop, waits for this method
     * to print the summary, and then ends the JVM with {@code Runtime.halt} and this method's exit
     * code, since a JVM ending on a signal would otherwise exit with 128 + the signal's number.
     *
     * @param args the command line, as {@code --help} describes it
     * @param out where the timeline and the summary go
     * @param err where errors and usage go
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("baton-demo: " + e.getMessage());
            return USAGE;
        }
        if (options.help()) {
            out.print(USAGE_TEXT);
            return OK;
        }
        if (options.version()) {
            out.println("baton-demo " + version());
            return OK;
        }
        List<PolicySpec> specs;
        List<BlockSpec> blocks = List.of();
        List<String> warnings = List.of();
        boolean builtIn = options.config() == null;
        if (builtIn) {
            specs = Session.builtInPolicies(Session.demoFolder());
        } else {
            try {
                blocks = ConfigParser.read(options.config(), options.config().toString());
                Targets.Resolved resolved = Targets.resolve(blocks, FileSystems.getDefault());
                specs = resolved.specs();
                warnings = resolved.warnings();
            } catch (ConfigException e) {
                e.errors().forEach(err::println);
                err.println("baton-demo: " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors")
                        + " in " + options.config() + "; nothing was rotated");
                return USAGE;
            }
        }
        if (options.check()) {
            return new Check(options, specs, blocks, warnings, out, err).run(Instant.now());
        }
        Session session = new Session(options, specs, blocks, warnings, builtIn, out, err);
        if (options.simulate() == null) {
            return session.runUntilStopped();
        }
        try {
            // The only read of real time: where the virtual clock starts when --start is not given.
            return session.simulate(Instant.now());
        } catch (IOException | RuntimeException e) {
            err.println("baton-demo: the simulation failed: " + e);
            return FAILED;
        }
    }

    /** The project version, from the resource the build fills in. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
