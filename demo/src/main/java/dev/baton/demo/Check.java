package dev.baton.demo;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import dev.baton.rotation.RotationEvent;
import dev.baton.rotation.RotationPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --check}, logrotate's {@code -d}: reads the config and the state file, and prints for each
 * file when it would next be rotated and how, touching nothing. The instants come from the
 * policies themselves, run on a virtual clock from now over an in-memory copy of the paths and
 * of the state file (no script runs), until each has made its first attempt (at most
 * {@link #HORIZON}); a size policy has no instant, only its threshold and the size now.
 */
final class Check {
    static final Duration HORIZON = Duration.ofDays(400);

    private final Options options;
    private final List<PolicySpec> specs;
    private final List<BlockSpec> blocks;
    private final List<String> warnings;
    private final PrintStream out;
    private final PrintStream err;

    Check(Options options, List<PolicySpec> specs, List<BlockSpec> blocks, List<String> warnings, PrintStream out, PrintStream err) {
        this.options = options;
        this.specs = specs;
        this.blocks = blocks;
        this.warnings = warnings;
        this.out = out;
        this.err = err;
    }

    /** Prints the plan; returns the exit code (0, or 1 if it could not be computed). */
    int run(Instant realNow) {
        Path state = Session.stateFile(options);
        VirtualClock clock = VirtualClock.of(realNow.truncatedTo(ChronoUnit.SECONDS), options.zoneOrSystem());
        Instant now = clock.instant();
        Configuration unix = Configuration.unix().toBuilder().setFileTimeSource(() -> FileTime.from(clock.instant())).build();
        Map<Path, RotationEvent> first = new LinkedHashMap<>();
        try (FileSystem fs = Jimfs.newFileSystem(unix)) {
            Path copyOfState = fs.getPath(state.toString());
            Files.createDirectories(copyOfState.getParent());
            boolean hasState = Files.isRegularFile(state);
            String unreadable = null;
            if (hasState) {
                Files.write(copyOfState, Files.readAllBytes(state));
                // An unreadable state is not left in the copy: the policies would keep the copy
                // aside and say so, which reads as if the real file had been; this check says it
                // once instead. Asked of the copy: a linked state is read through its link, as the
                // warning of DaemonLock.unsafe below says.
                unreadable = RotationPolicy.unreadableStateProblem(copyOfState);
                if (unreadable != null) {
                    Files.delete(copyOfState);
                }
            }
            out.println("baton-demo: check of " + (options.config() == null ? "the built-in policies" : options.config()) + ": "
                    + specs.size() + (specs.size() == 1 ? " file" : " files") + ", from " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(clock.now())
                    + " (" + clock.zone() + "); state " + (hasState ? "from " + state : "none yet at " + state)
                    + "; nothing is touched");
            if (unreadable != null) {
                out.println("baton-demo: WARN the state file " + state + " cannot be read (" + unreadable + "); a real run would keep"
                        + " it aside as " + RotationPolicy.unreadableStateAside(state) + " and start a new one; the times below are"
                        + " as if nothing were recorded");
            }
            String stateRule = DaemonLock.unsafe(state);
            if (stateRule != null) {
                out.println("baton-demo: WARN a real run with this state file would stop at once: " + stateRule);
            }
            for (BlockSpec block : blocks) {
                for (BlockSpec.PathPattern p : block.patterns()) {
                    if (p.glob()) {
                        long n = specs.stream().filter(s -> s.origin().equals(p.origin())
                                && Globs.matches(s.path().getFileSystem(), p.text(), s.path())).count();
                        out.println("  " + p.text() + " (" + p.origin() + "): " + n + (n == 1 ? " file" : " files")
                                + " now; expanded again every " + Durations.format(block.trigger().rescanEvery()) + " while running");
                    }
                }
            }
            out.println(String.format("%-29s  %-8s  %s", "NEXT (" + clock.zone() + ")", "POLICY", "PATH  (WHERE)  HOW"));
            out.flush();
            warnings.forEach(w -> err.println("baton-demo: WARN " + w));
            Loop loop = Loop.create(clock);
            int waiting = 0;
            long timed = specs.stream().filter(s -> !s.kind().equals("size")).count();
            for (PolicySpec spec : specs) {
                Path mirror = spec.pathOn(fs);
                Files.createDirectories(mirror.getParent());
                if (Files.exists(spec.path(), LinkOption.NOFOLLOW_LINKS)) {
                    Files.createFile(mirror);
                }
                if (spec.kind().equals("size")) {
                    continue;
                }
                waiting++;
                RotationPolicy policy = spec.trigger().toPolicy(mirror, spec.options().withoutScripts())
                        .withState(copyOfState).withListener(e -> {
                            if (first.putIfAbsent(e.path(), e) == null && first.size() == timed) {
                                Loop.current().stop();
                            }
                        });
                policy.start(loop);
            }
            try {
                if (waiting > 0) {
                    loop.runFor(HORIZON);
                }
            } finally {
                loop.close();
            }
            for (PolicySpec spec : specs) {
                String when;
                if (spec.kind().equals("size")) {
                    String size;
                    try {
                        size = Files.exists(spec.path()) ? Files.size(spec.path()) + " bytes now" : "missing now";
                    } catch (IOException e) {
                        size = "size unreadable: " + e.getMessage();
                    }
                    when = "when over " + spec.trigger().maxBytes() + " B (" + size + ")";
                } else {
                    RotationEvent e = first.get(spec.pathOn(fs));
                    when = e == null ? "not within " + HORIZON.toDays() + "d"
                            : e.instant().equals(now) ? "now (missed while stopped)"
                            : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.instant().atZone(clock.zone()));
                    if (e != null && e.outcome() == RotationEvent.Outcome.SKIPPED_MISSING) {
                        when += " (missing now)";
                    } else if (e != null && e.outcome() == RotationEvent.Outcome.FAILED) {
                        when += " (would fail: " + Timeline.describe(e.error()) + ")";
                    }
                }
                out.println(String.format("%-29s  %-8s  %s  (%s)  %s, %s", when, spec.kind(), spec.path(), spec.origin(),
                        spec.trigger().describe(), spec.options()));
                if (out.checkError()) {
                    return 0;
                }
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("baton-demo: the check failed: " + e);
            return 1;
        }
    }
}
