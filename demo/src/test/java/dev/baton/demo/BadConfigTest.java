package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad config file is rejected with {@code FILE:LINE: reason}, exit code 2, and nothing is
 * rotated: not even the files of the file's good blocks. The runs are real-time runs (no
 * --simulate), the mode that would touch the files; a rejected config returns at once, and the
 * timeout only guards against a config wrongly accepted, which would run until stopped.
 */
class BadConfigTest {
    /** Every case starts with this good block (lines 1-4), so that its file proves nothing ran. */
    private static final String GOOD = """
            DIR/good.log {
                every 1ms
                rotate 2
            }
            """;
    private static final Duration GUARD = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Stream<Arguments> badConfigs() {
        String longName = "x".repeat(250) + ".log";
        return Stream.of(
                bad("unknown directive", "DIR/a.log {\n    every 30s\n    rotate 3\n    frobnicate\n}\n",
                        8, "unknown directive 'frobnicate'; see docs/demo.md for the directives Baton reads"),
                bad("unsupported directive: dateext", "DIR/a.log {\n    daily\n    rotate 3\n    dateext\n}\n",
                        8, "'dateext' is not supported by Baton: Baton names versions .1, .2, ... (the repair after a crash relies on numbers); remove the line"),
                bad("unsupported directive: olddir", "DIR/a.log {\n    daily\n    rotate 3\n    olddir /var/log/old\n}\n",
                        8, "'olddir' is not supported by Baton: versions stay beside the file (a rename across folders may be a copy, which is not crash-safe); remove the line"),
                bad("unsupported directive: su another user", "su nobody nogroup\nDIR/a.log {\n    daily\n    rotate 3\n}\n",
                        5, "'su' is not supported by Baton: Baton does not change its identity, so 'su' may only name the user it runs as ("
                                + ConfigFiles.USER + "); run it as the user that owns the logs (User= in the systemd unit), or remove the line"),
                bad("unsupported directive: firstaction", "DIR/a.log {\n    daily\n    rotate 3\n    firstaction\n    echo hi\n    endscript\n}\n",
                        8, "'firstaction' is not supported by Baton: each file has its own schedule, so a block's files never rotate as one"
                                + " batch to run a command before; use prerotate, which runs before each file's rotation with the file as $1"),
                bad("missing trigger", "DIR/a.log {\n    rotate 3\n}\n",
                        5, "no trigger in this block; give exactly one of: every DURATION, hourly, daily, weekly, monthly, yearly, size SIZE (logrotate rotates at each of its runs, usually daily)"),
                bad("two triggers", "DIR/a.log {\n    every 30s\n    daily\n    rotate 3\n}\n",
                        7, "two triggers in one block ('every' at line 6, 'daily' here); give exactly one"),
                bad("size with daily", "DIR/a.log {\n    daily\n    size 10M\n    rotate 3\n}\n",
                        7, "two triggers in one block ('daily' at line 6, 'size' here); give exactly one (for 'daily, or sooner when over N' use maxsize N)"),
                bad("keep not a number", "DIR/a.log {\n    every 30s\n    rotate three\n}\n",
                        7, "rotate: 'three' is not a whole number; give the number of versions to keep, for example 5"),
                bad("rotate -1", "DIR/a.log {\n    every 30s\n    rotate -1\n}\n",
                        7, "rotate: must keep at least 1 version, got -1 (logrotate's 'rotate -1' never removes versions; Baton keeps a"
                                + " count: give the most you want, for example 1000)"),
                bad("keep zero", "DIR/a.log {\n    every 30s\n    rotate 0\n}\n",
                        7, "rotate: must keep at least 1 version, got 0 (logrotate's 'rotate 0' deletes the file's history; Baton keeps at least one version)"),
                bad("keep too many", "DIR/a.log {\n    every 30s\n    rotate 5000\n}\n",
                        7, "rotate: keeps at most 1000 versions, got 5000"),
                bad("missing rotate", "DIR/a.log {\n    every 30s\n}\n",
                        5, "no 'rotate N' in this block; say how many versions to keep, for example 'rotate 5'"),
                bad("bad duration unit", "DIR/a.log {\n    every 30x\n    rotate 3\n}\n",
                        6, "every: duration '30x' has an unknown unit; use ms, s, m, h or d (for example 30s)"),
                bad("duration without unit", "DIR/a.log {\n    every 30\n    rotate 3\n}\n",
                        6, "every: duration '30' has no unit; use ms, s, m, h or d (for example 30s)"),
                bad("zero duration", "DIR/a.log {\n    every 0s\n    rotate 3\n}\n",
                        6, "every: duration '0s' must be longer than zero"),
                bad("size 0", "DIR/a.log {\n    size 0\n    rotate 3\n}\n",
                        6, "size: '0' must be at least 1 byte"),
                bad("maxsize 0", "DIR/a.log {\n    daily\n    maxsize 0\n    rotate 3\n}\n",
                        7, "maxsize: '0' must be at least 1 byte"),
                bad("maxage 0", "DIR/a.log {\n    daily\n    maxage 0\n    rotate 3\n}\n",
                        7, "maxage: '0' is not a number of days from 1 to 999999"),
                bad("logrotate_test_0036: unknown size unit", "DIR/a.log {\n    size 1x\n    rotate 3\n}\n",
                        6, "size: unknown unit 'x' in '1x'; use k, M or G (1024-based), or none for bytes"),
                bad("bad size number", "DIR/a.log {\n    size -5k\n    rotate 3\n}\n",
                        6, "size: '-5k' is not a size; use a whole number of bytes, or one with k, M or G (1024-based), for example 1k"),
                bad("bad weekday", "DIR/a.log {\n    weekly 9\n    rotate 3\n}\n",
                        6, "weekly: '9' is not a weekday; use 0 (Sunday) to 6 (Saturday), or 7 for every seven days"),
                bad("create with a bad mode", "DIR/a.log {\n    daily\n    create 0999 root root\n    rotate 3\n}\n",
                        7, "create: '0999' is not an octal mode; use for example 0640"),
                bad("create with an unknown user", "DIR/a.log {\n    daily\n    create 0640 no-such-user-here adm\n    rotate 3\n}\n",
                        7, "create: no user 'no-such-user-here' on this machine"),
                bad("create and copytruncate in one block", "DIR/a.log {\n    daily\n    create\n    copytruncate\n    rotate 3\n}\n",
                        5, "copytruncate and create exclude each other: copytruncate keeps the file in place, so there is nothing to create"),
                bad("unknown zone", "DIR/a.log {\n    daily\n    zone Mars/Olympus\n    rotate 3\n}\n",
                        7, "zone: unknown zone 'Mars/Olympus'; use a region such as Europe/Paris or an offset such as +01:00"),
                bad("bad local time", "DIR/a.log {\n    daily\n    at 25:00\n    rotate 3\n}\n",
                        7, "at: '25:00' is not a local time; use HH:MM (24-hour), for example 00:00 or 23:30"),
                bad("unclosed block", "DIR/a.log {\n    every 30s\n    rotate 3\n",
                        5, "unbalanced braces: the block opened here has no closing '}'"),
                bad("stray closing brace", "}\n",
                        5, "unbalanced braces: '}' without an open block"),
                bad("nested block", "DIR/a.log {\n    every 30s\n    {\n    rotate 3\n}\n",
                        7, "unbalanced braces: '{' inside the block opened at line 5; close that block with '}' first"),
                bad("script without endscript", "DIR/a.log {\n    daily\n    rotate 3\n    postrotate\n    kill -HUP 1\n}\n",
                        8, "'postrotate' has no 'endscript' line: the script runs to the end of the file"),
                bad("unclosed quote", "include \"DIR/a b.conf\n",
                        5, "unclosed quote \": a quoted path ends with the same quote on its line"),
                bad("path given twice", "DIR/good.log {\n    daily\n    rotate 3\n}\n",
                        5, "path DIR/good.log given twice (first at line 1); each file may have one policy"),
                bad("a path and its own version", "DIR/good.log.1 {\n    daily\n    rotate 3\n}\n",
                        5, "DIR/good.log.1 is a version of DIR/good.log (bad.conf:1); rotating both would fork its history"),
                bad("the same file through a symlinked folder", "DIR/linked/good.log {\n    daily\n    rotate 3\n}\n",
                        5, "DIR/linked/good.log is the same file as DIR/good.log (bad.conf:1) through a link; each file may have one policy"),
                bad("the same file through a second glob", "DIR/*.log {\n    daily\n    rotate 3\n}\n",
                        5, "DIR/good.log is the same file as DIR/good.log (bad.conf:1), matched again by DIR/*.log; each file may have one policy"),
                bad("a symbolic link as the file", "DIR/link.log {\n    daily\n    rotate 3\n}\n",
                        5, "DIR/link.log is a symbolic link (to DIR/a.log); Baton does not rotate links, name the file itself"),
                bad("versions too long for the file system", "DIR/" + longName + " {\n    daily\n    rotate 3\n}\n",
                        5, "the name " + longName + " is too long for its versions: " + longName + ".rotating would be 263 bytes, over the file system's 255; rename the file or keep fewer versions"),
                bad("relative path", "logs/app.log {\n    every 30s\n    rotate 3\n}\n",
                        5, "relative path 'logs/app.log': paths must be absolute (start with /)"),
                bad("root is not a file", "/ {\n    every 30s\n    rotate 3\n}\n",
                        5, "'/' names no file; give the path of the file to rotate"),
                bad("check without size", "DIR/a.log {\n    every 30s\n    check 10s\n    rotate 3\n}\n",
                        7, "'check' only applies with 'size' or 'maxsize' (how often the size is looked at)"),
                bad("at without a calendar trigger", "DIR/a.log {\n    every 30s\n    at 03:00\n    rotate 3\n}\n",
                        7, "'at' only applies with 'daily', 'weekly', 'monthly' or 'yearly'"),
                bad("zone without a calendar trigger", "DIR/a.log {\n    size 1M\n    zone UTC\n    rotate 3\n}\n",
                        7, "'zone' only applies with 'hourly', 'daily', 'weekly', 'monthly' or 'yearly'"),
                bad("directive given twice", "DIR/a.log {\n    every 30s\n    rotate 3\n    rotate 4\n}\n",
                        8, "'rotate' given twice in this block (first at line 7)"),
                bad("missing value", "DIR/a.log {\n    every\n    rotate 3\n}\n",
                        6, "'every' takes one value (a duration, for example 'every 30s'), got none"),
                bad("value on daily", "DIR/a.log {\n    daily 03:00\n    rotate 3\n}\n",
                        6, "'daily' takes no value, got 03:00"),
                bad("block without path", "{\n    every 30s\n    rotate 3\n}\n",
                        5, "'{' without a path before it; a block follows one or more absolute paths"),
                bad("logrotate_test_0025: paths without a block", "DIR/a.log DIR/b.log\n",
                        5, "paths without a block: add '{', the directives, and '}' after them"),
                bad("include of a missing file", "include DIR/nothing.conf\n",
                        5, "include: no such file or folder DIR/nothing.conf"),
                bad("include inside a block", "DIR/a.log {\n    daily\n    rotate 3\n    include DIR/x.conf\n}\n",
                        8, "'include' inside a block; put it between blocks"));
    }

    private static Arguments bad(String name, String text, int line, String reason) {
        return Arguments.of(name, GOOD + text, line, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void isRejectedWithFileLineAndReasonAndNothingIsRotated(String name, String text, int line, String reason) throws IOException {
        Files.writeString(dir.resolve("good.log"), "good\n");
        Files.writeString(dir.resolve("a.log"), "a\n");
        Files.writeString(dir.resolve("b.log"), "b\n");
        Files.createSymbolicLink(dir.resolve("linked"), dir);
        Files.createSymbolicLink(dir.resolve("link.log"), dir.resolve("a.log"));
        Path config = Files.writeString(dir.resolve("bad.conf"), text.replace("DIR", dir.toString()));
        Map<String, String> before = snapshot();

        Cli cli = assertTimeoutPreemptively(GUARD, () -> Cli.run("--config", config.toString(), "--state", dir.resolve("state").toString()));

        assertEquals(2, cli.code(), cli.out() + cli.err());
        assertEquals(List.of(config + ":" + line + ": " + reason.replace("DIR", dir.toString()).replace("bad.conf:", config + ":"),
                "baton-demo: 1 error in " + config + "; nothing was rotated"), cli.errLines());
        assertEquals("", cli.out());
        assertEquals(before, snapshot());
    }

    /** A bad path is reported once; its '{' is not reported again as a block without a path. */
    @Test
    void everyErrorOfTheFileIsReportedAtOnceInLineOrder() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.conf"), """
                relative.log {
                    every 30x
                    rotate 3
                }
                /var/log/x.log {
                    daily
                    zone Nowhere/City
                }
                """);
        Cli cli = Cli.run("--config", config.toString(), "--simulate", "1d");
        assertEquals(2, cli.code());
        assertEquals(List.of(
                config + ":1: relative path 'relative.log': paths must be absolute (start with /)",
                config + ":2: every: duration '30x' has an unknown unit; use ms, s, m, h or d (for example 30s)",
                config + ":5: no 'rotate N' in this block; say how many versions to keep, for example 'rotate 5'",
                config + ":7: zone: unknown zone 'Nowhere/City'; use a region such as Europe/Paris or an offset such as +01:00",
                "baton-demo: 4 errors in " + config + "; nothing was rotated"), cli.errLines());
        assertEquals("", cli.out());
    }

    /** An include cycle, also one closed through a symbolic link, is named where it closes, and nothing is rotated. */
    @Test
    void anIncludeCycleIsNamedWhereItClosesAlsoThroughALinkAndNothingIsRotated() throws IOException {
        Files.writeString(dir.resolve("good.log"), "good\n");
        Files.createSymbolicLink(dir.resolve("linked"), dir);
        Path first = Files.writeString(dir.resolve("first.conf"), GOOD.replace("DIR", dir.toString()) + "include " + dir.resolve("second.conf") + "\n");
        Path second = Files.writeString(dir.resolve("second.conf"), "include " + dir.resolve("linked/first.conf") + "\n");
        Map<String, String> before = snapshot();

        Cli cli = assertTimeoutPreemptively(GUARD, () -> Cli.run("--config", first.toString(), "--state", dir.resolve("state").toString()));

        assertEquals(2, cli.code(), cli.out() + cli.err());
        assertEquals(List.of(second + ":1: include " + dir.resolve("linked/first.conf") + ": it is already being read (an include cycle)",
                "baton-demo: 1 error in " + first + "; nothing was rotated"), cli.errLines());
        assertEquals(before, snapshot());
    }

    @Test
    void aMissingConfigFileIsABadArgument() {
        Path missing = dir.resolve("missing.conf");
        Cli cli = Cli.run("--config", missing.toString());
        assertEquals(2, cli.code());
        assertEquals(List.of(missing + ":0: no such file", "baton-demo: 1 error in " + missing + "; nothing was rotated"), cli.errLines());
    }

    @Test
    void anEmptyConfigNamesNoPolicy() throws IOException {
        Path config = Files.writeString(dir.resolve("empty.conf"), "# nothing yet\n\n");
        Cli cli = Cli.run("--config", config.toString());
        assertEquals(2, cli.code());
        assertTrue(cli.err().startsWith(config + ":1: no policies: the file names no path; see --help for an example"), cli.err());
    }

    /** Every file of the temp dir with its content. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : Files.readString(p));
            }
        }
        return files;
    }
}
