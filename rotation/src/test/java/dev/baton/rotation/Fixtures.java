package dev.baton.rotation;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers: an in-memory file system, virtual loops, file listings, a trace of events. */
final class Fixtures {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    /** A fresh Unix-like in-memory file system with an empty {@code /logs}. */
    static FileSystem jimfs() {
        // posix and unix views: create's mode, owner and group, and the hard-link count.
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build());
        try {
            Files.createDirectories(fs.getPath("/logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fs;
    }

    static Loop virtualLoop() {
        return Loop.create(VirtualClock.of(START, ZoneOffset.UTC));
    }

    static Loop virtualLoop(LocalDateTime start, ZoneId zone) {
        return Loop.create(VirtualClock.of(start, zone));
    }

    static void write(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file (not links) in {@code dir}: name to content, sorted by name. */
    static Map<String, String> listing(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** {@code "a=1 b=2"} as a sorted map. */
    static Map<String, String> files(String spec) {
        Map<String, String> files = new TreeMap<>();
        for (String entry : spec.trim().split("\\s+")) {
            if (!entry.isEmpty()) {
                int eq = entry.indexOf('=');
                files.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return files;
    }

    /**
     * Runs a system command (chattr, mount) and says whether it succeeded; what it printed goes to
     * stderr when it did not, and a command that is not installed is a failure, not an exception.
     */
    static boolean command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean ok = p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                System.err.println(String.join(" ", command) + " failed: " + out.strip());
            }
            return ok;
        } catch (java.io.IOException e) {
            System.err.println(command[0] + " is not available: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Skips the calling test when this process ignores SIGHUP (it was started under nohup): a
     * process it starts inherits that, and no handler can undo it, so a writer cannot be told to
     * reopen its file with {@code kill -HUP}.
     */
    static void assumeHangupDeliverable() throws IOException {
        long ignored = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
            }
        }
        Assumptions.assumeTrue((ignored & 1) == 0, // SIGHUP is signal 1, the mask's lowest bit
                "SIGHUP is ignored by this process (started under nohup?) and so by the writer it starts; run the build without nohup");
    }

    /** A listener that records "instant outcome" strings; touched only from the loop. */
    static final class Recorder implements RotationListener {
        final List<RotationEvent> events = new ArrayList<>();

        @Override
        public void onRotation(RotationEvent event) {
            events.add(event);
        }

        List<String> trace() {
            return events.stream().map(e -> e.instant() + " " + e.outcome()).toList();
        }

        List<Instant> instants() {
            return events.stream().map(RotationEvent::instant).toList();
        }
    }
}
