package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.logs.RecordedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * What a prerotate or postrotate script sees (environment, working folder) and how its output
 * reaches the log. Real scripts, run by {@code sh}: the point is what a real shell receives.
 */
class ScriptTest {
    /**
     * The environment is exactly PATH, HOME and the locale, whatever the JVM running Baton has
     * (a Maven test JVM has dozens of variables, so inheriting any would show), and the working
     * folder is /, not the rotated file's folder nor the daemon's.
     */
    @Test
    void aScriptRunsInRootWithOnlyTheStatedEnvironment(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("app.log");
        Fixtures.write(file, "zero");
        Rotation.rotate(file, RotationOptions.builder(1)
                .postrotate("cd_was=$(pwd); env > \"$(dirname \"$1\")/env\"; echo \"$cd_was\" > \"$(dirname \"$1\")/pwd\"").build());

        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tmp.resolve("env"))) {
            int eq = line.indexOf('=');
            seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
        seen.remove("PWD"); // set by the shell itself from its working folder (checked below)
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        expected.put("HOME", System.getProperty("user.home"));
        for (String name : List.of("LANG", "LC_ALL")) {
            if (System.getenv(name) != null) {
                expected.put(name, System.getenv(name));
            }
        }
        assertEquals(expected, seen);
        assertEquals("/\n", Files.readString(tmp.resolve("pwd")));
    }

    /**
     * One log line per output line, after the status line, each quoted with escapes: a script
     * cannot color the operator's terminal, forge a second log line or reorder text.
     */
    @Test
    void outputIsLoggedOneQuotedLinePerLineWithControlsEscaped(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("quoted.log");
        Fixtures.write(file, "zero");
        Rotation.rotate(file, RotationOptions.builder(1)
                .postrotate("printf 'one\\n\\033[31mred\\n\"q\" \\\\ a\\tb\\rc\\r\\n'; printf 'x\\342\\200\\256y\\n\\377\\n' >&2").build());

        String prefix = "postrotate script for [" + file + "] ";
        List<String> logged = RecordedLogs.matching(e -> e.message().startsWith(prefix)).stream().map(e -> e.level() + " " + e.message()).toList();
        assertEquals(List.of(
                "INFO " + prefix + "exited 0; 5 lines of output",
                "INFO " + prefix + "output: \"one\"",
                "INFO " + prefix + "output: \"\\x1b[31mred\"",
                "INFO " + prefix + "output: \"\\\"q\\\" \\\\ a\\tb\\x0dc\"",
                "INFO " + prefix + "output: \"x\\u202ey\"",
                "INFO " + prefix + "output: \"\\ufffd\""), logged);
    }

    /** A failing script's status and output are logged at WARN. */
    @Test
    void aFailingScriptIsLoggedAtWarnWithItsOutput(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("failing.log");
        Fixtures.write(file, "zero");
        Rotation.rotate(file, RotationOptions.builder(1).postrotate("echo no such service; exit 4").build());

        String prefix = "postrotate script for [" + file + "] ";
        assertEquals(List.of(Level.WARN + " " + prefix + "exited 4; 1 line of output",
                        Level.WARN + " " + prefix + "output: \"no such service\""),
                RecordedLogs.matching(e -> e.message().startsWith(prefix)).stream().map(e -> e.level() + " " + e.message()).toList());
    }

    /**
     * logrotate's test-0019: a failing non-shared postrotate is an error of the run (logrotate exits
     * non-zero), though the rotation is done. A policy reports it as a ROTATED event carrying the
     * script's failure, so a listener (the demo's summary and exit code) counts it.
     */
    @Test
    void logrotate_test_0019_aFailingPostrotateRidesOnThePoliciesRotatedEvent(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("post.log");
        Fixtures.write(file, "zero");
        List<dev.baton.rotation.RotationEvent> events = new java.util.ArrayList<>();
        try (dev.baton.core.Loop loop = dev.baton.core.Loop.create(dev.baton.core.VirtualClock.of(
                java.time.Instant.parse("2024-07-01T00:00:00Z"), java.time.ZoneOffset.UTC))) {
            RotationPolicy.every(file, RotationOptions.builder(2).postrotate("exit 3").build(), java.time.Duration.ofMinutes(1))
                    .withListener(events::add).start(loop);
            loop.runFor(java.time.Duration.ofSeconds(61));
        }
        assertEquals(1, events.size(), events::toString);
        assertEquals(dev.baton.rotation.RotationEvent.Outcome.ROTATED, events.get(0).outcome());
        assertEquals(true, events.get(0).hasError(), events::toString);
        assertEquals(true, events.get(0).error().getMessage().contains("exited 3"), events.get(0).error()::getMessage);
        assertEquals(true, Files.exists(tmp.resolve("post.log.1")), "the rotation stands");
    }
}
