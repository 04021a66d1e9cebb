package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments exit 2 with one line naming the option; --help and --version exit 0. */
class CommandLineTest {

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("--frobnicate"), "baton-demo: unknown option --frobnicate; see --help"),
                Arguments.of(List.of("--frobnicate=1"), "baton-demo: unknown option --frobnicate; see --help"),
                Arguments.of(List.of("extra"), "baton-demo: unexpected argument 'extra'; options start with --, see --help"),
                Arguments.of(List.of("--simulate"), "baton-demo: --simulate needs a value: a duration, for example --simulate 3d"),
                Arguments.of(List.of("--simulate", "--zone", "UTC"), "baton-demo: --simulate needs a value: a duration, for example --simulate 3d"),
                Arguments.of(List.of("--config"), "baton-demo: --config needs a value: a config file, for example --config /etc/baton-demo.conf"),
                Arguments.of(List.of("--simulate="), "baton-demo: --simulate needs a value: a duration, for example --simulate 3d"),
                Arguments.of(List.of("--simulate", "3 days"), "baton-demo: --simulate: '3 days' is not a duration; use a whole number and a unit: 500ms, 30s, 5m, 2h, 1d"),
                Arguments.of(List.of("--simulate", "3w"), "baton-demo: --simulate: duration '3w' has an unknown unit; use ms, s, m, h or d (for example 30s)"),
                Arguments.of(List.of("--simulate", "0s"), "baton-demo: --simulate: duration '0s' must be longer than zero"),
                Arguments.of(List.of("--simulate", "999999999999d"), "baton-demo: --simulate: duration '999999999999d' is too long; the most is about 292 years (106751d)"),
                Arguments.of(List.of("--simulate", "1d", "--zone", "Mars/Olympus"), "baton-demo: --zone: unknown zone 'Mars/Olympus'; use a region such as Europe/Paris or an offset such as +01:00"),
                Arguments.of(List.of("--simulate", "1d", "--start", "yesterday"), "baton-demo: --start: 'yesterday' is not a date-time; use a date such as 2024-11-02, a local date-time such as 2024-11-02T12:00 (in --zone) or an ISO instant such as 2024-11-02T16:00:00Z"),
                Arguments.of(List.of("--start", "2024-11-02T12:00"), "baton-demo: --start only applies with --simulate (real runs start now)"),
                Arguments.of(List.of("--format", "xml"), "baton-demo: --format: unknown format 'xml'; use table, jsonl or svg"),
                Arguments.of(List.of("--zone", "UTC", "--zone", "UTC"), "baton-demo: --zone given twice"),
                Arguments.of(List.of("--help=yes"), "baton-demo: --help takes no value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentsExitTwoWithOneLineNamingTheOption(List<String> args, String message) {
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(2, cli.code());
        assertEquals(List.of(message), cli.errLines());
        assertEquals("", cli.out());
    }

    @Test
    void helpPrintsTheUsageWithAnExampleConfig() {
        Cli cli = Cli.run("--help");
        assertEquals(0, cli.code());
        assertEquals("", cli.err());
        assertTrue(cli.out().startsWith("Usage: baton-demo [--config FILE"), cli.out());
        assertTrue(cli.out().contains("/var/log/app.log /var/log/worker.log {"), cli.out());
        assertTrue(cli.out().contains("Exit codes: 0 ok (also stopped by Ctrl-C or SIGTERM), 1 a failure while running, 2 bad"), cli.out());
    }

    /** Every option the command line accepts, every value of --format and every exit code is in the help. */
    @Test
    void helpNamesEveryOptionFormatAndExitCode() {
        String help = Cli.run("--help").out();
        for (String option : List.of("--config", "--check", "--state", "--simulate", "--zone", "--start", "--format", "--help", "--version")) {
            assertTrue(java.util.regex.Pattern.compile("(?<![\\w-])" + option + "(?![\\w-])").matcher(help).find(),
                    option + " missing from: " + help);
        }
        for (String format : List.of("table", "jsonl", "svg")) {
            assertTrue(help.contains(format), format + " missing from: " + help);
        }
        assertTrue(help.contains(Main.LOCKED + " another instance holds"), help);
    }

    /**
     * --check warns when a real run with its state file would stop at once. A real run refuses a
     * state file another user can write (DaemonLock), just as it refuses such a state folder; the
     * check should say so rather than pass.
     */
    @Test
    void checkWarnsWhenARealRunWouldRefuseTheStateFileItself(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = java.nio.file.Files.writeString(dir.resolve("app.log"), "line\n");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("app.conf"), log + " {\n    daily\n    rotate 3\n}\n");
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve("state"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        java.nio.file.Path state = java.nio.file.Files.writeString(folder.resolve("baton-rotate.state"), "");
        java.nio.file.Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        // What a real run does with it: it refuses to start.
        DaemonLock.UnsafeException refused = org.junit.jupiter.api.Assertions.assertThrows(DaemonLock.UnsafeException.class,
                () -> DaemonLock.acquire(state).close());
        assertTrue(refused.getMessage().contains("writable by others"), refused.getMessage());

        Cli check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", state.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("WARN a real run with this state file would stop at once"), check.out());
    }

    /**
     * --check with a state file another program wrote over says what a real run would do with it
     * (keep it aside, start a new one), and itself touches nothing. It used to print the policies'
     * warnings about its in-memory copy, which read as if the real file had been renamed.
     */
    @Test
    void checkSaysWhatARealRunWouldDoWithAnUnreadableStateFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = java.nio.file.Files.writeString(dir.resolve("app.log"), "line\n");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("app.conf"), log + " {\n    daily\n    rotate 3\n}\n");
        java.nio.file.Path state = java.nio.file.Files.writeString(dir.resolve("state"), "not a state\n");
        // The policies' own warnings go through SLF4J to System.err, which Cli does not capture.
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        java.io.PrintStream realErr = System.err;
        Cli check;
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", state.toString());
        } finally {
            System.setErr(realErr);
        }
        String err = logged.toString(java.nio.charset.StandardCharsets.UTF_8) + check.err();
        assertFalse(err.contains("so it was renamed to") || err.contains("Could not read the state file"), err);
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("baton-demo: WARN the state file " + state + " cannot be read (line 1: expected 'baton rotation state 1');"
                + " a real run would keep it aside as " + state + ".unreadable and start a new one; the times below are as if nothing"
                + " were recorded"), check.out());
        assertEquals("not a state\n", java.nio.file.Files.readString(state));
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(java.util.Set.of("app.log", "app.conf", "state"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    /** --check with a state file that is a symbolic link: the plan, and the warning that a real run would stop. */
    @Test
    void checkWithAStateFileThatIsALinkShowsThePlanAndWarns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = java.nio.file.Files.writeString(dir.resolve("app.log"), "line\n");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("app.conf"), log + " {\n    daily\n    rotate 3\n}\n");
        java.nio.file.Path target = java.nio.file.Files.writeString(dir.resolve("elsewhere"), "baton rotation state 1\n");
        java.nio.file.Path state = java.nio.file.Files.createSymbolicLink(dir.resolve("state"), target);
        Cli check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", state.toString());
        assertEquals(0, check.code(), check.out() + check.err());
        assertTrue(check.out().contains("WARN a real run with this state file would stop at once: the state file " + state
                + " is not a regular file"), check.out());
        assertTrue(check.out().contains("daily     " + log), check.out());
    }

    /** --check counts each glob's own matches, not its block's: two globs on one line each get theirs. */
    @Test
    void checkCountsTheFilesOfEachGlobOfABlock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path logs = java.nio.file.Files.createDirectories(dir.resolve("logs"));
        java.nio.file.Files.writeString(logs.resolve("a.log"), "a\n");
        java.nio.file.Files.writeString(logs.resolve("b.log"), "b\n");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("two.conf"),
                logs + "/*.log " + dir + "/nothing/*.log {\n    daily\n    rotate 3\n    missingok\n}\n");
        Cli check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", dir.resolve("s").toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains(logs + "/*.log (" + config + ":1): 2 files now"), check.out());
        assertTrue(check.out().contains(dir + "/nothing/*.log (" + config + ":1): 0 files now"), check.out());
    }

    /** logrotate -d reports a missing nomissingok file as an error; --check's row says the rotation would fail, and why. */
    @Test
    void checkSaysAMissingFileWithNomissingokWouldFail(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("m.conf"),
                dir.resolve("missing.log") + " {\n    daily\n    rotate 3\n    nomissingok\n}\n");
        Cli check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", dir.resolve("s").toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("(would fail: ") && check.out().contains("the file does not exist (nomissingok)"), check.out());
    }

    /** logrotate reads every file of a folder given on its command line; Baton says how to do that with include. */
    @Test
    void aFolderGivenAsTheConfigIsRefusedWithTheIncludeToUse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Cli run = Cli.run("--config", dir.toString(), "--check");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("is a folder, not a config file") && run.err().contains("'include " + dir + "'"), run.err());
    }

    @Test
    void helpWinsOverOtherOptions() {
        assertEquals(0, Cli.run("--simulate", "1d", "-h").code());
    }

    @Test
    void theUsageExampleConfigIsAValidConfig() throws ConfigException {
        String help = Main.USAGE_TEXT;
        String example = help.substring(help.indexOf("  /var/log/app.log"), help.indexOf("Example: "));
        List<PolicySpec> specs = ConfigParserTest.specs("usage", example);
        assertEquals(4, specs.size());
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Cli cli = Cli.run("--version");
        assertEquals(0, cli.code());
        assertTrue(cli.out().matches("baton-demo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), cli.out());
    }
}
