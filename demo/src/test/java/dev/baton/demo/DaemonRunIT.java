package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the daemon does as a real process that the in-process tests cannot show: new files picked
 * up by a glob while it runs (another process creates them), the order of its output on one
 * terminal, a reader of its stdout that goes away, and the launcher's locale. Real time: each run
 * lasts a few 200 ms periods, bounded by the timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonRunIT {
    @TempDir
    Path dir;
    private final List<DaemonProcess> started = new ArrayList<>();
    private Process simulation;

    @AfterEach
    void endThem() throws InterruptedException {
        for (DaemonProcess p : started) {
            p.kill();
        }
        if (simulation != null && simulation.isAlive()) {
            simulation.destroyForcibly();
            simulation.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A glob over folders picks up a file created in a folder it already had and one created in
     * a new folder, while it runs; a folder every user can write (no sticky bit) gets one WARN
     * line per run, not one per file, and a new such folder its own; with stdout and stderr on one
     * terminal, the start-up WARN line comes after the header it belongs to.
     */
    @Test
    void aGlobPicksUpNewFilesWhileRunningAndWarnsOncePerOpenFolderAfterTheHeader() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(open.resolve("a.log"), "a\n");
        Files.writeString(open.resolve("b.log"), "b\n");
        Path config = Files.writeString(dir.resolve("glob.conf"), dir + "/*/*.log {\n    every 200ms\n    rotate 2\n}\n");
        DaemonProcess daemon = DaemonProcess.start(dir, "glob", true, Map.of(),
                DaemonProcess.command("--config", config.toString(), "--state", dir.resolve("state/s").toString()));
        started.add(daemon);
        daemon.awaitOut(" rotated ", 20);

        Path c = Files.writeString(open.resolve("c.log"), "c\n");
        Path later = Files.createDirectory(dir.resolve("later"));
        Files.setPosixFilePermissions(later, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path d = Files.writeString(later.resolve("d.log"), "d\n");
        daemon.awaitOut("new file " + c + " matches " + dir + "/*/*.log (" + config + ":1)", 10);
        daemon.awaitOut("new file " + d + " matches", 10);
        Files.writeString(d, "more\n");
        awaitFile(later.resolve("d.log.1"), daemon);
        awaitFile(open.resolve("c.log.1"), daemon);
        assertEquals(0, daemon.terminate(), daemon.describe());

        List<String> lines = daemon.out().lines().toList();
        int header = indexOf(lines, "TIME (");
        List<Integer> openWarnings = indexesOf(lines, "baton-demo: WARN folder " + open + " (mode 0777");
        List<Integer> laterWarnings = indexesOf(lines, "baton-demo: WARN folder " + later + " (mode 0777");
        assertEquals(1, openWarnings.size(), "one warning for the open folder, whatever its files: " + daemon.describe());
        assertEquals(1, laterWarnings.size(), "one warning for the folder that appeared: " + daemon.describe());
        assertTrue(header >= 0 && openWarnings.get(0) > header, "the start-up WARN follows the header: " + daemon.describe());
        assertTrue(laterWarnings.get(0) < indexOf(lines, "baton-demo: new file " + d), "warned before the new file is rotated");
        assertTrue(lines.get(lines.size() - 1).matches("summary: rotations per file: .*; 0 errors"), daemon.describe());
    }

    /**
     * {@code --simulate 3650d | head -3}: when the reader of stdout goes away, the simulation stops
     * at once instead of computing ten years of timeline into a closed pipe (which takes minutes).
     */
    @Test
    void aSimulationStopsPromptlyWhenItsStdoutIsClosed() throws Exception {
        simulation = new ProcessBuilder(DaemonProcess.command("--simulate", "3650d", "--zone", "UTC", "--start", "2024-01-01"))
                .directory(dir.toFile()).redirectError(dir.resolve("simulation.err").toFile()).start();
        List<String> head = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(simulation.getInputStream(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 3; i++) {
                head.add(out.readLine());
            }
        } // closes the pipe, as head does after its third line
        long closed = System.nanoTime();
        assertTrue(simulation.waitFor(20, TimeUnit.SECONDS), "still running 20 s after its stdout was closed");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
        assertTrue(millis < 5_000, "stopped " + millis + " ms after its stdout was closed");
        assertEquals(0, simulation.exitValue(), Files.readString(dir.resolve("simulation.err")));
        assertEquals("baton-demo: simulating 3650d from 2024-01-01T00:00:00Z (UTC) on an in-memory copy of the paths;"
                + " no real file is touched, no script is run", head.get(0));
    }

    /**
     * A real run is a daemon, not a report: when the reader of its stdout goes away (a pipe to a
     * logger that died, {@code | head}), it says so once on stderr and goes on rotating; it used
     * to stop with exit 0 and no word, which a unit with Restart=on-failure never restarts.
     */
    @Test
    void aRealRunGoesOnRotatingWhenItsStdoutIsClosedAndSaysSo() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "a\n");
        Path config = Files.writeString(dir.resolve("app.conf"), log + " {\n    every 200ms\n    rotate 50\n    ifempty\n    create\n}\n");
        simulation = new ProcessBuilder(DaemonProcess.command("--config", config.toString(), "--state", dir.resolve("state/s").toString()))
                .directory(dir.toFile()).redirectError(dir.resolve("daemon.err").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(simulation.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains(" rotated "));
            assertTrue(line != null, "no rotation printed: " + Files.readString(dir.resolve("daemon.err")));
        } // the reader goes away
        Path later = dir.resolve("app.log.8");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(later) && simulation.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        String err = Files.readString(dir.resolve("daemon.err"));
        assertTrue(simulation.isAlive(), "the daemon ended when its stdout was closed (exit " + (simulation.isAlive() ? "-" : simulation.exitValue())
                + "): " + err);
        assertTrue(Files.exists(later), "rotations stopped after stdout was closed: " + err);
        assertTrue(err.contains("baton-demo: standard output was closed; rotating on without printing the timeline"), err);
    }

    /**
     * SIGHUP asks most daemons to reload; Baton does not reload, so it stops cleanly and says so,
     * with exit code 75 (EX_TEMPFAIL), on which the systemd unit (Restart=on-failure) starts it again with the
     * config as it is now: a reload by restart. It used to stop with exit 0 and no word, and the
     * unit then left rotation off.
     */
    @Test
    void sighupStopsCleanlySayingSoWithExitCode75() throws Exception {
        DaemonProcess.assumeNotIgnored(1, "SIGHUP");
        Path log = Files.writeString(dir.resolve("app.log"), "a\n");
        Path config = Files.writeString(dir.resolve("app.conf"), log + " {\n    every 200ms\n    rotate 3\n    ifempty\n    create\n}\n");
        DaemonProcess daemon = DaemonProcess.start(dir, "hup", false, Map.of(),
                DaemonProcess.command("--config", config.toString(), "--state", dir.resolve("state/s").toString()));
        started.add(daemon);
        daemon.awaitOut(" rotated ", 20);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.process.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -HUP failed");
        assertEquals(75, daemon.awaitExit(20), daemon.describe());
        assertTrue(daemon.err().contains("baton-demo: SIGHUP: stopping; Baton does not reload its config"), daemon.describe());
        assertTrue((daemon.out() + daemon.err()).lines().anyMatch(l -> l.matches("summary: rotations per file: .*; 0 errors")),
                daemon.describe());
    }

    /** Started under nohup, the run keeps the ignored SIGHUP ignored, as the operator asked: it goes on rotating. */
    @Test
    void underNohupSighupIsIgnoredAndTheRunGoesOn() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "a\n");
        Path config = Files.writeString(dir.resolve("app.conf"), log + " {\n    every 200ms\n    rotate 3\n    ifempty\n    create\n}\n");
        List<String> command = new ArrayList<>(List.of("nohup"));
        command.addAll(DaemonProcess.command("--config", config.toString(), "--state", dir.resolve("state/s").toString()));
        DaemonProcess daemon = DaemonProcess.start(dir, "nohup", false, Map.of(), command);
        started.add(daemon);
        daemon.awaitOut(" rotated ", 20);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.process.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -HUP failed");
        daemon.awaitOut(" rotated ", daemon.count(" rotated ") + 2, 20); // two more: the hangup came between
        assertEquals(0, daemon.terminate(), "SIGTERM still stops it: " + daemon.describe());
        assertTrue(!daemon.err().contains("SIGHUP"), daemon.describe());
    }

    /**
     * A lock that cannot be written for lack of room (a real full disk: a 64 KiB tmpfs, as root)
     * is not a bad config: exit 1, which the unit restarts, not 2, which it does not. It was 2, and
     * rotation stayed off after the disk had room again.
     */
    @Test
    void aLockThatCannotBeWrittenOnAFullDiskIsExitCode1() throws Exception {
        Path full = Files.createDirectory(dir.resolve("full"));
        boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString())
                .redirectErrorStream(true).start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "mounting a small tmpfs needs root; the full-disk case is not tested here");
        DaemonProcess daemon = null;
        try {
            Path stateFolder = Files.createDirectory(full.resolve("st"));
            try {
                Files.write(full.resolve("filler"), new byte[1 << 20]);
            } catch (java.io.IOException noSpaceLeft) {
                // the disk is full now, as wanted
            }
            Path log = Files.writeString(dir.resolve("app.log"), "a\n");
            Path config = Files.writeString(dir.resolve("app.conf"), log + " {\n    daily\n    rotate 3\n}\n");
            daemon = DaemonProcess.start(dir, "full", false, Map.of(),
                    DaemonProcess.command("--config", config.toString(), "--state", stateFolder.resolve("state").toString()));
            assertEquals(1, daemon.awaitExit(20), daemon.describe());
            assertTrue(daemon.err().contains("cannot take the lock") && daemon.err().contains("No space left on device"), daemon.describe());
        } finally {
            if (daemon != null) {
                daemon.kill();
            }
            new ProcessBuilder("umount", full.toString()).start().waitFor();
        }
    }

    /**
     * The launcher under a C locale: {@code ./baton demo --check} reads a config naming a
     * non-ASCII path and prints that path intact (the launcher switches to C.UTF-8), where the jar
     * run directly under the same locale cannot name it and says why.
     */
    @Test
    void theLauncherUnderACLocaleReadsAndPrintsANonAsciiPath() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("journaux-été"));
        Path log = Files.writeString(folder.resolve("café.log"), "x\n");
        Path config = Files.writeString(dir.resolve("utf8.conf"), log + " {\n    daily\n    rotate 3\n}\n", StandardCharsets.UTF_8);
        Path launcher = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (launcher != null && !(Files.isRegularFile(launcher.resolve("baton")) && Files.isDirectory(launcher.resolve("demo")))) {
            launcher = launcher.getParent();
        }
        assertTrue(launcher != null, "no repository with ./baton above " + System.getProperty("user.dir"));
        launcher = launcher.resolve("baton");
        assertTrue(Files.isExecutable(launcher), launcher + " is the repository's launcher");
        Map<String, String> cLocale = Map.of("LANG", "C", "LC_ALL", "C");

        DaemonProcess viaLauncher = DaemonProcess.start(dir, "launcher", false, cLocale,
                List.of(launcher.toString(), "demo", "--check", "--config", config.toString(), "--zone", "UTC"));
        started.add(viaLauncher);
        assertEquals(0, viaLauncher.awaitExit(60), viaLauncher.describe());
        assertTrue(viaLauncher.out().contains(log.toString()), viaLauncher.describe());

        DaemonProcess direct = DaemonProcess.start(dir, "direct", false, cLocale,
                DaemonProcess.command("--check", "--config", config.toString(), "--zone", "UTC"));
        started.add(direct);
        assertEquals(2, direct.awaitExit(30), direct.describe());
        assertTrue(direct.err().startsWith(config + ":1: "), direct.describe());
    }

    private static void awaitFile(Path file, DaemonProcess daemon) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(file + " did not appear within 10 s: " + daemon.describe());
            }
            Thread.sleep(20);
        }
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Integer> indexesOf(List<String> lines, String prefix) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                found.add(i);
            }
        }
        return found;
    }
}
