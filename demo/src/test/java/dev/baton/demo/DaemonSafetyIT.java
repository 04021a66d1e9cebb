package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * The daemon's own safety rules (issue 19), with the built jar as a real process: what it refuses
 * before running anything, and the modes of the files it keeps. Real processes because the rules
 * are about a real process (its umask, the commands it would start); each run is a few seconds,
 * bounded by the timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonSafetyIT {
    @TempDir
    Path dir;
    private final List<DaemonProcess> started = new ArrayList<>();

    @AfterEach
    void endThem() throws InterruptedException {
        for (DaemonProcess p : started) {
            p.kill();
        }
    }

    private DaemonProcess start(String name, Map<String, String> env, List<String> command) throws Exception {
        DaemonProcess p = DaemonProcess.start(dir, name, false, env, command);
        started.add(p);
        return p;
    }

    /**
     * Issue 19, must-show 2 (logrotate: "Ignoring ... because of bad file mode"): a config file, or
     * a file it includes, that others can write is refused with exit 2 and the reason, and the
     * prerotate command it holds never runs (its marker file is never created). Then, with the
     * modes fixed, the same config runs the command: the marker proves the refused runs would
     * have run it.
     */
    @Test
    void aWorldWritableConfigOrIncludeExitsTwoNamingTheReasonAndRunsNoCommand() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "a line\n");
        Path marker = dir.resolve("command-ran");
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        Path included = Files.writeString(confD.resolve("app"), log + " {\n    every 200ms\n    rotate 3\n    prerotate\n"
                + "        touch " + marker + "\n    endscript\n}\n");
        Path main = Files.writeString(dir.resolve("main.conf"), "include " + confD + "\n");
        List<String> command = DaemonProcess.command("--config", main.toString(), "--state", dir.resolve("state/s").toString());

        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-rw-rw-"));
        DaemonProcess worldWritableMain = start("main", Map.of(), command);
        assertEquals(2, worldWritableMain.awaitExit(30), worldWritableMain.describe());
        assertTrue(worldWritableMain.err().contains(main + ":0: refusing it: the config file is writable by others (rw-rw-rw-)"),
                worldWritableMain.describe());

        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(included, PosixFilePermissions.fromString("rw-rw-rw-"));
        DaemonProcess worldWritableInclude = start("include", Map.of(), command);
        assertEquals(2, worldWritableInclude.awaitExit(30), worldWritableInclude.describe());
        assertTrue(worldWritableInclude.err().contains(main + ":1: include " + included
                + ": refusing it: the config file is writable by others (rw-rw-rw-)"), worldWritableInclude.describe());

        Thread.sleep(500); // more than two periods: a run that had started would have run the command by now
        assertFalse(Files.exists(marker), "a refused config ran its command");
        assertEquals("a line\n", Files.readString(log));
        assertFalse(Files.exists(dir.resolve("app.log.1")));
        assertEquals("", worldWritableMain.out() + worldWritableInclude.out(), "nothing is printed on stdout: no run started");

        Files.setPosixFilePermissions(included, PosixFilePermissions.fromString("rw-r--r--"));
        DaemonProcess fixed = start("fixed", Map.of(), command);
        fixed.awaitOut(" rotated ", 20);
        assertTrue(Files.exists(marker), "the accepted config runs its prerotate: " + fixed.describe());
        assertEquals(0, fixed.terminate(), fixed.describe());
    }

    /**
     * The state file is 0644 and the lock 0600 whatever the umask of the process that started the
     * daemon: a umask of 077 would otherwise make the state unreadable to the users it is for, one
     * of 000 would leave both writable by everyone.
     */
    @Test
    void theStateIs0644AndTheLock0600WhateverTheUmask() throws Exception {
        for (String umask : List.of("077", "000")) {
            Path log = Files.writeString(dir.resolve("app-" + umask + ".log"), "a line\n");
            Path config = Files.writeString(dir.resolve(umask + ".conf"), log + " {\n    every 200ms\n    rotate 3\n}\n");
            Path state = dir.resolve("state-" + umask).resolve("s");
            List<String> command = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
            command.addAll(DaemonProcess.command("--config", config.toString(), "--state", state.toString()));
            DaemonProcess daemon = start("umask-" + umask, Map.of(), command);
            daemon.awaitOut(" rotated ", 20);
            assertEquals(0, daemon.terminate(), daemon.describe());

            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(state, LinkOption.NOFOLLOW_LINKS)),
                    "state file under umask " + umask);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    DaemonLock.lockFileOf(state), LinkOption.NOFOLLOW_LINKS)), "lock file under umask " + umask);
            assertTrue(Files.readString(state).contains(log.toString()), "the state records the rotation");
        }
    }
}
