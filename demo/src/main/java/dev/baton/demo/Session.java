package dev.baton.demo;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.SystemClock;
import dev.baton.core.VirtualClock;
import dev.baton.rotation.RotationListener;
import dev.baton.rotation.RotationPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One run of the demo, on real time or simulated, once the command line and the config are known to be good. */
final class Session {
    /** The demo folder, under the current directory, for the built-in policies. */
    static final String DEMO_FOLDER = "baton-demo";
    /** How long a shutdown waits for the run to finish its summary before giving up. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Options options;
    private final List<PolicySpec> specs;
    /** Whether the specs are the built-in ones (then the writer runs, and a demo folder is used). */
    private final boolean builtIn;
    private final PrintStream out;
    private final PrintStream err;
    /** Where the demo's own lines go: stdout for the table, stderr in jsonl to keep stdout clean. */
    private final PrintStream info;

    Session(Options options, List<PolicySpec> specs, boolean builtIn, PrintStream out, PrintStream err) {
        this.options = options;
        this.specs = specs;
        this.builtIn = builtIn;
        this.out = out;
        this.err = err;
        this.info = options.format() == Options.Format.JSONL ? err : out;
    }

    /** The original program's four policies, on file1 ... file4 in {@code folder}. */
    static List<PolicySpec> builtInPolicies(Path folder) {
        return List.of(
                PolicySpec.every(folder.resolve("file1"), 0, 3, Duration.ofSeconds(30)),
                PolicySpec.every(folder.resolve("file2"), 0, 5, Duration.ofSeconds(20)),
                PolicySpec.bySize(folder.resolve("file3"), 0, 3, 1024, Duration.ofSeconds(60)),
                PolicySpec.daily(folder.resolve("file4"), 0, 5, null, LocalTime.MIDNIGHT));
    }

    /** The demo folder for the built-in policies: {@value #DEMO_FOLDER} in the current directory. */
    static Path demoFolder() {
        return Path.of(DEMO_FOLDER).toAbsolutePath().normalize();
    }

    /**
     * Runs the policies on the virtual clock, on an in-memory file system that mirrors their paths,
     * for the duration of {@code --simulate}; prints the timeline and the summary.
     *
     * @return the exit code: 0, or 1 if a rotation or a task failed
     */
    int simulate(Instant realNow) throws IOException {
        VirtualClock clock = options.virtualClock(realNow);
        // File times follow the virtual clock too, as the rest of the simulation does.
        Configuration unix = Configuration.unix().toBuilder().setFileTimeSource(() -> FileTime.from(clock.instant())).build();
        try (FileSystem fs = Jimfs.newFileSystem(unix)) {
            List<Path> targets = new ArrayList<>();
            for (PolicySpec spec : specs) {
                Path target = spec.pathOn(fs);
                Files.createDirectories(target.getParent());
                targets.add(target);
            }
            Duration length = options.simulate();
            info.println("baton-demo: simulating " + Durations.format(length) + " from "
                    + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(clock.now()) + " (" + clock.zone() + ")"
                    + " on an in-memory copy of the paths; no real file is touched");
            Loop loop = Loop.create(clock);
            Timeline timeline = start(loop, targets);
            try {
                loop.runFor(length);
            } finally {
                loop.close();
            }
            info.println(timeline.summary());
            return timeline.failures() == 0 ? 0 : 1;
        }
    }

    /**
     * Runs the policies on real time until the JVM is asked to stop (Ctrl-C, SIGTERM). A shutdown
     * hook stops the loop, waits for this method to print the summary, then ends the JVM with this
     * run's exit code: the JVM's own status after a signal would be 128 + the signal's number.
     *
     * @return the exit code, 0 unless the run could not start
     */
    int runUntilStopped() {
        List<Path> targets = new ArrayList<>();
        for (PolicySpec spec : specs) {
            targets.add(spec.path());
        }
        if (builtIn) {
            Path folder = targets.get(0).getParent();
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                err.println("baton-demo: cannot create the demo folder " + folder + ": " + e);
                return 1;
            }
            info.println("baton-demo: demo folder " + folder + "; a writer appends a line to each file every second;"
                    + " Ctrl-C stops");
        } else {
            info.println("baton-demo: rotating " + targets.size() + (targets.size() == 1 ? " file" : " files")
                    + " from " + options.config() + "; Ctrl-C or SIGTERM stops");
        }
        Loop loop = Loop.create(SystemClock.of(options.zoneOrSystem()));
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(0);
        Thread hook = new Thread(() -> {
            loop.stop();
            boolean done = false;
            try {
                done = finished.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!done) {
                err.println("baton-demo: the run did not finish within " + Durations.format(SHUTDOWN_WAIT) + " of the stop request");
            }
            out.flush();
            err.flush();
            // Runtime.exit would block here (the JVM is already exiting, with status 128 + signal).
            Runtime.getRuntime().halt(done ? exitCode.get() : 1);
        }, "baton-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Timeline timeline = start(loop, targets);
            info.flush();
            out.flush();
            try {
                loop.runForever();
            } finally {
                loop.close();
            }
            info.println(timeline.summary());
            return 0;
        } catch (RuntimeException | Error e) {
            err.println("baton-demo: the run failed: " + e);
            exitCode.set(1);
            return 1;
        } finally {
            info.flush();
            finished.countDown();
        }
    }

    /** Spawns the policies (and the writer, for the built-in ones) on {@code loop}, reporting to a new timeline. */
    private Timeline start(Loop loop, List<Path> targets) {
        boolean simulated = options.simulate() != null;
        Timeline timeline = new Timeline(out, options.format(), loop.clock().zone(), !simulated);
        loop.setExceptionHandler((source, error) -> timeline.taskFailed(source, error, err));
        DemoWriter writer = builtIn || simulated ? new DemoWriter(targets, err, simulated) : null;
        RotationListener listener = writer == null ? timeline : event -> {
            writer.rotated(event);
            timeline.onRotation(event);
        };
        List<RotationPolicy> policies = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RotationPolicy policy = specs.get(i).toPolicy(targets.get(i)).withListener(listener);
            timeline.track(targets.get(i), policy.keep());
            policies.add(policy);
            info.println("  " + specs.get(i).describe());
        }
        timeline.printHeader();
        if (writer != null) {
            // Spawned first, so at an instant where both are due the line is written before the rotation.
            loop.spawn("writer", writer::run);
        }
        for (RotationPolicy policy : policies) {
            policy.start(loop);
        }
        return timeline;
    }
}
