package dev.baton.demo;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.SystemClock;
import dev.baton.core.VirtualClock;
import dev.baton.rotation.RotationListener;
import dev.baton.rotation.RotationOptions;
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
    /** The state file of a config run when --state is not given, in the current directory. */
    static final String DEFAULT_STATE = "baton-rotate.state";
    /** The state file of the built-in policies when --state is not given, in the demo folder. */
    static final String DEMO_STATE = "baton-demo.state";
    /** How long a shutdown waits for the run to finish its summary before giving up. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Options options;
    private final List<PolicySpec> specs;
    /** The config's blocks, for their globs (expanded again while running); empty for the built-in policies. */
    private final List<BlockSpec> blocks;
    /** Told once per run, after the header. */
    private final List<String> warnings;
    /** Whether the specs are the built-in ones (then the writer runs, and a demo folder is used). */
    private final boolean builtIn;
    private final PrintStream out;
    private final PrintStream err;
    /** Where the demo's own lines go: stdout for the table, stderr in jsonl to keep stdout clean. */
    private final PrintStream info;

    Session(Options options, List<PolicySpec> specs, List<BlockSpec> blocks, List<String> warnings, boolean builtIn,
            PrintStream out, PrintStream err) {
        this.options = options;
        this.specs = specs;
        this.blocks = blocks;
        this.warnings = warnings;
        this.builtIn = builtIn;
        this.out = out;
        this.err = err;
        this.info = options.format() == Options.Format.TABLE ? out : err;
    }

    /** The original program's four policies, on file1 ... file4 in {@code folder}. */
    static List<PolicySpec> builtInPolicies(Path folder) {
        return List.of(
                PolicySpec.every(folder.resolve("file1"), "built-in", 3, Duration.ofSeconds(30)),
                PolicySpec.every(folder.resolve("file2"), "built-in", 5, Duration.ofSeconds(20)),
                PolicySpec.bySize(folder.resolve("file3"), "built-in", 3, 1024, Duration.ofSeconds(60)),
                PolicySpec.daily(folder.resolve("file4"), "built-in", 5, null, LocalTime.MIDNIGHT));
    }

    /** The demo folder for the built-in policies: {@value #DEMO_FOLDER} in the current directory. */
    static Path demoFolder() {
        return Path.of(DEMO_FOLDER).toAbsolutePath().normalize();
    }

    /**
     * The state file of a run or a check: {@code --state}, else {@value #DEMO_STATE} in the demo
     * folder for the built-in policies, else {@value #DEFAULT_STATE} in the current directory.
     */
    static Path stateFile(Options options) {
        return options.state() != null ? options.state()
                : options.config() == null ? demoFolder().resolve(DEMO_STATE)
                : Path.of(DEFAULT_STATE).toAbsolutePath().normalize();
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
                    + " on an in-memory copy of the paths; no real file is touched, no script is run");
            Instant from = clock.instant();
            Loop loop = Loop.create(clock);
            Timeline timeline = start(loop, targets, fs, null);
            try {
                loop.runFor(length);
            } finally {
                loop.close();
            }
            if (timeline.outputClosed()) {
                return 0;
            }
            if (options.format() == Options.Format.SVG) {
                out.print(new SvgTimeline(timeline.events(), clock.zone(), from, from.plus(length)).render());
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
        Path state = stateFile(options);
        if (builtIn) {
            try {
                Files.createDirectories(targetsFolder());
            } catch (IOException e) {
                err.println("baton-demo: cannot create the demo folder " + targetsFolder() + ": " + e);
                return 1;
            }
        }
        DaemonLock lock;
        try {
            lock = DaemonLock.acquire(state);
        } catch (DaemonLock.LockedException e) {
            err.println("baton-demo: " + e.getMessage());
            return Main.LOCKED;
        } catch (DaemonLock.UnsafeException e) {
            err.println("baton-demo: " + e.getMessage());
            return Main.USAGE;
        } catch (DaemonLock.UnavailableException e) {
            err.println("baton-demo: " + e.getMessage());
            return Main.FAILED; // not the config's fault: worth a restart once there is room
        }
        if (lock.tookOverFrom() != 0) {
            err.println("baton-demo: took over the lock " + lock.file() + " left by process " + lock.tookOverFrom()
                    + " (no longer running); catching up from the state file " + state);
        }
        return runLocked(state, lock);
    }

    private Path targetsFolder() {
        return specs.get(0).path().getParent();
    }

    /** Runs until stopped holding {@code lock}, which it releases before the shutdown hook may end the JVM. */
    private int runLocked(Path state, DaemonLock lock) {
        CountDownLatch finished = new CountDownLatch(1);
        try {
            return rotateUntilStopped(state, finished);
        } finally {
            // Released before the hook is told this run finished: the hook halts the JVM at once,
            // and a lock file still naming this process would say it did not stop cleanly.
            lock.close();
            finished.countDown();
        }
    }

    private int rotateUntilStopped(Path state, CountDownLatch finished) {
        List<Path> targets = new ArrayList<>();
        for (PolicySpec spec : specs) {
            targets.add(spec.path());
        }
        if (builtIn) {
            Path folder = targets.get(0).getParent();
            info.println("baton-demo: demo folder " + folder + "; a writer appends a line to each file every second;"
                    + " Ctrl-C stops");
        } else {
            info.println("baton-demo: rotating " + targets.size() + (targets.size() == 1 ? " file" : " files")
                    + " from " + options.config() + ", state in " + state + "; Ctrl-C or SIGTERM stops");
        }
        Loop loop = Loop.create(SystemClock.of(options.zoneOrSystem()));
        AtomicInteger exitCode = new AtomicInteger(0);
        java.util.concurrent.atomic.AtomicBoolean hangup = new java.util.concurrent.atomic.AtomicBoolean();
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
        Hangup.handle(hangup, err);
        try {
            Timeline timeline = start(loop, targets, java.nio.file.FileSystems.getDefault(), state);
            info.flush();
            out.flush();
            try {
                loop.runForever();
            } finally {
                loop.close();
            }
            info.println(timeline.summary());
            int code = timeline.failures() > 0 ? Main.FAILED : hangup.get() ? Main.HANGUP : Main.OK;
            exitCode.set(code);
            return code;
        } catch (RuntimeException | Error e) {
            err.println("baton-demo: the run failed: " + e);
            exitCode.set(1);
            return 1;
        } finally {
            info.flush();
        }
    }

    /**
     * Spawns the policies (and the writer, for the built-in ones or a simulation) on {@code loop},
     * reporting to a new timeline; with globs, a coroutine per glob expands it again every period.
     *
     * @param state the state file, or null for none (a simulation)
     */
    private Timeline start(Loop loop, List<Path> targets, FileSystem fs, Path state) {
        boolean simulated = options.simulate() != null;
        // A simulation or a check is a report: nobody reads the rest, so it stops. A real run is a
        // daemon: it goes on rotating, and says once why the timeline is no longer printed.
        Runnable onOutputClosed = simulated ? loop::stop : () -> {
            err.println("baton-demo: standard output was closed; rotating on without printing the timeline"
                    + " (errors and warnings still go to standard error)");
            err.flush();
        };
        Timeline timeline = new Timeline(out, options.format(), loop.clock().zone(), !simulated, onOutputClosed);
        loop.setExceptionHandler((source, error) -> timeline.taskFailed(source, error, err));
        DemoWriter writer = builtIn || simulated ? new DemoWriter(targets, err, simulated) : null;
        RotationListener listener = writer == null ? timeline : event -> {
            writer.rotated(event);
            timeline.onRotation(event);
        };
        Running running = new Running(loop, timeline, listener, state, simulated);
        for (int i = 0; i < specs.size(); i++) {
            running.add(specs.get(i), targets.get(i));
            info.println("  " + specs.get(i).describe());
        }
        for (BlockSpec block : blocks) {
            for (BlockSpec.PathPattern pattern : block.patterns()) {
                if (pattern.glob()) {
                    info.println("  " + pattern.text() + " (" + pattern.origin() + "): expanded again every "
                            + Durations.format(block.trigger().rescanEvery()) + "; new files are rotated from then on");
                    refuseWarnedMatches(fs, pattern, running);
                }
            }
        }
        timeline.printHeader();
        out.flush();
        for (String warning : warnings) {
            err.println("baton-demo: WARN " + warning);
        }
        if (writer != null) {
            // Spawned first, so at an instant where both are due the line is written before the rotation.
            loop.spawn("writer", writer::run);
        }
        running.startAll();
        for (BlockSpec block : blocks) {
            for (BlockSpec.PathPattern pattern : block.patterns()) {
                if (pattern.glob()) {
                    loop.spawn("glob " + pattern.text(), () -> rescan(fs, block, pattern, running));
                }
            }
        }
        return timeline;
    }

    /**
     * The matches of {@code pattern} at start that are not rotated (a symbolic link, warned about
     * once already): a rescan does not warn about them again as new matches.
     */
    private static void refuseWarnedMatches(FileSystem fs, BlockSpec.PathPattern pattern, Running running) {
        try {
            for (Path path : Targets.logsMatching(fs, pattern.text())) {
                if (java.nio.file.Files.isSymbolicLink(path) || !running.has(path)) {
                    running.refused.add(path);
                }
            }
        } catch (IOException e) {
            // the rescans report it
        }
    }

    /** Expands {@code pattern} every period of its block and starts a policy for each new file. Runs until cancelled. */
    private void rescan(FileSystem fs, BlockSpec block, BlockSpec.PathPattern pattern, Running running) {
        for (;;) {
            Loop.sleep(block.trigger().rescanEvery());
            List<Path> found;
            try {
                found = Targets.logsMatching(fs, pattern.text());
            } catch (IOException e) {
                err.println("baton-demo: WARN cannot expand " + pattern.text() + " (" + pattern.origin() + "): " + e);
                continue;
            }
            for (Path path : found) {
                if (running.has(path)) {
                    continue;
                }
                String problem = Targets.check(path, block);
                if (problem != null) {
                    if (running.refused.add(path)) {
                        err.println("baton-demo: WARN not rotating a new match of " + pattern.text() + " (" + pattern.origin() + "): " + problem);
                    }
                    continue;
                }
                if (!running.simulated) {
                    // Once per folder per run: the folders of the files found at start were checked then.
                    String warning = Targets.folderWarning(path, running.checkedFolders);
                    if (warning != null) {
                        err.println("baton-demo: WARN " + warning);
                    }
                }
                PolicySpec spec = new PolicySpec(path, pattern.origin(), block.trigger(), block.options());
                info.println("baton-demo: new file " + path + " matches " + pattern.text() + " (" + pattern.origin() + "): "
                        + spec.trigger().describe() + ", " + spec.options());
                running.add(spec, path);
                running.startAll();
            }
        }
    }

    /** The files being rotated and their policies. Loop thread only. */
    private final class Running {
        final Loop loop;
        final Timeline timeline;
        final RotationListener listener;
        final Path state;
        final boolean simulated;
        /** The identities of the targets when they were added ({@link Targets#identity}). */
        final java.util.Set<Object> identities = new java.util.HashSet<>();
        /** The targets' paths: a rotated file has a new identity but the same path. */
        final java.util.Set<Path> paths = new java.util.HashSet<>();
        final java.util.Set<Path> refused = new java.util.HashSet<>();
        final List<RotationPolicy> pending = new ArrayList<>();
        /** The folders already given to {@link dev.baton.rotation.Rotation#checkFolder} in this run. */
        final java.util.Set<Path> checkedFolders = new java.util.HashSet<>();

        Running(Loop loop, Timeline timeline, RotationListener listener, Path state, boolean simulated) {
            this.loop = loop;
            this.timeline = timeline;
            this.listener = listener;
            this.state = state;
            this.simulated = simulated;
        }

        boolean has(Path path) {
            return identities.contains(Targets.identity(path)) || paths.contains(path);
        }

        void add(PolicySpec spec, Path target) {
            RotationOptions options = simulated ? spec.options().withoutScripts() : spec.options(); // a simulation runs no command
            RotationPolicy policy = spec.trigger().toPolicy(target, options).withListener(listener);
            if (state != null) {
                policy = policy.withState(state);
            }
            identities.add(Targets.identity(target));
            paths.add(target);
            checkedFolders.add(target.toAbsolutePath().getParent());
            timeline.track(target, spec.keep());
            pending.add(policy);
        }

        void startAll() {
            for (RotationPolicy policy : pending) {
                policy.start(loop);
            }
            pending.clear();
        }
    }
}
