package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --simulate: the timeline on virtual time, exact and repeatable, and real files untouched. */
class SimulationTest {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|\\d+)");

    @TempDir
    Path dir;

    /** A JSON line's fields, as raw values (strings still quoted). */
    private static java.util.Map<String, String> fields(String line) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            map.put(m.group(1), m.group(2).startsWith("\"") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2));
        }
        return map;
    }

    private static List<Instant> instants(Cli cli, String fileName, String policy) {
        List<Instant> list = new ArrayList<>();
        for (String line : cli.outLines()) {
            var f = fields(line);
            if (f.get("path").endsWith("/" + fileName) && f.get("policy").equals(policy) && f.get("outcome").equals("rotated")) {
                list.add(Instant.parse(f.get("instant")));
            }
        }
        return list;
    }

    private static List<Instant> grid(Instant start, Duration step, int count) {
        List<Instant> list = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            list.add(start.plus(step.multipliedBy(k)));
        }
        return list;
    }

    @Test
    void defaultIntervalPoliciesRotateOnTheirFixedRateGridForAnHour() {
        Cli cli = Cli.run("--simulate", "1h", "--format", "jsonl", "--zone", "UTC", "--start", "2024-01-15T10:00");
        assertEquals(0, cli.code(), cli.err());
        Instant start = Instant.parse("2024-01-15T10:00:00Z");
        // A timer due exactly at the end of the run runs, so 10:00:30 ... 11:00:00 is 120 slots.
        assertEquals(grid(start, Duration.ofSeconds(30), 120), instants(cli, "file1", "interval"));
        assertEquals(grid(start, Duration.ofSeconds(20), 180), instants(cli, "file2", "interval"));
        // The writer adds a 30-odd-byte line a second, so each minute's check finds file3 over 1 KiB.
        assertEquals(grid(start, Duration.ofSeconds(60), 60), instants(cli, "file3", "size"));
        assertEquals(List.of(), instants(cli, "file4", "daily"));
        assertEquals(360, cli.outLines().size(), "every stdout line is a rotation");
    }

    @Test
    void jsonlPutsOnlyJsonObjectsOnStdout() {
        Cli cli = Cli.run("--simulate", "5m", "--format", "jsonl", "--zone", "Europe/Paris", "--start", "2024-03-31T01:58");
        assertEquals(0, cli.code(), cli.err());
        assertFalse(cli.outLines().isEmpty());
        for (String line : cli.outLines()) {
            assertTrue(line.matches("\\{\"instant\":\"[^\"]+\",\"local\":\"[^\"]+\",\"path\":\"[^\"]+\",\"policy\":\"(interval|daily|size)\","
                    + "\"outcome\":\"(rotated|skipped-missing|failed)\",\"versions\":\\d+}"), line);
        }
        // 02:00 local is skipped that night in Paris: the offset changes from +01:00 to +02:00 mid-run.
        assertTrue(cli.out().contains("\"instant\":\"2024-03-31T00:58:30Z\",\"local\":\"2024-03-31T01:58:30+01:00\""), cli.out());
        assertTrue(cli.out().contains("\"instant\":\"2024-03-31T01:00:00Z\",\"local\":\"2024-03-31T03:00:00+02:00\""), cli.out());
        assertTrue(cli.err().contains("summary: "), cli.err());
    }

    @Test
    void dailyRotatesOncePerLocalDayAcrossTheFallBackInNewYork() throws IOException {
        Path config = write("daily.conf", """
                /var/log/daily.log {
                    daily
                    rotate 5
                }
                """);
        Cli cli = Cli.run("--config", config.toString(), "--simulate", "3d", "--zone", "America/New_York",
                "--start", "2024-11-02T12:00", "--format", "jsonl");
        assertEquals(0, cli.code(), cli.err());
        assertEquals(List.of(Instant.parse("2024-11-03T04:00:00Z"), Instant.parse("2024-11-04T05:00:00Z"),
                Instant.parse("2024-11-05T05:00:00Z")), instants(cli, "daily.log", "daily"));
        assertEquals(3, cli.outLines().size(), cli.out());
        assertTrue(cli.outLines().get(0).contains("\"local\":\"2024-11-03T00:00:00-04:00\""), cli.out());
        assertTrue(cli.outLines().get(1).contains("\"local\":\"2024-11-04T00:00:00-05:00\""), cli.out());
    }

    @Test
    void dailyBlockZoneAndTimeOverrideTheClock() throws IOException {
        Path config = write("paris.conf", """
                /var/log/paris.log {
                    daily
                    at 06:30
                    zone Europe/Paris
                    rotate 2
                }
                """);
        Cli cli = Cli.run("--config", config.toString(), "--simulate", "2d", "--zone", "UTC",
                "--start", "2024-06-01T00:00", "--format", "jsonl");
        assertEquals(0, cli.code(), cli.err());
        assertEquals(List.of(Instant.parse("2024-06-01T04:30:00Z"), Instant.parse("2024-06-02T04:30:00Z")),
                instants(cli, "paris.log", "daily"));
    }

    @Test
    void sameArgumentsPrintIdenticalBytes() {
        String[] args = {"--simulate", "36h", "--zone", "America/New_York", "--start", "2024-11-02T12:00"};
        Cli first = Cli.run(args);
        Cli second = Cli.run(args);
        assertEquals(0, first.code(), first.err());
        assertArrayEquals(first.out().getBytes(StandardCharsets.UTF_8), second.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(first.err(), second.err());
        assertTrue(first.outLines().size() > 1000, "a day and a half of the default policies");
    }

    @Test
    void anIsoInstantStartIsTheSameMomentAsItsLocalDateTime() {
        Cli local = Cli.run("--simulate", "2m", "--zone", "America/New_York", "--start", "2024-11-02T12:00");
        Cli instant = Cli.run("--simulate", "2m", "--zone", "America/New_York", "--start", "2024-11-02T16:00:00Z");
        Cli offset = Cli.run("--simulate", "2m", "--zone", "America/New_York", "--start", "2024-11-02T12:00-04:00");
        assertEquals(local.out(), instant.out());
        assertEquals(local.out(), offset.out());
    }

    @Test
    void simulationNeverTouchesTheRealFiles() throws IOException {
        Path log = write("app.log", "real content\n");
        Path config = write("app.conf", log + " {\n    every 1s\n    rotate 2\n}\n");
        Cli cli = Cli.run("--config", config.toString(), "--simulate", "10s", "--zone", "UTC", "--start", "2024-01-01T00:00");
        assertEquals(0, cli.code(), cli.err());
        assertEquals(10, cli.outLines().stream().filter(l -> l.contains(" rotated ")).count(), cli.out());
        assertEquals("real content\n", Files.readString(log));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("app.conf", "app.log"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void defaultSimulationDoesNotCreateTheDemoFolder() {
        Path folder = Session.demoFolder();
        boolean existed = Files.exists(folder);
        Cli cli = Cli.run("--simulate", "1m", "--zone", "UTC", "--start", "2024-01-01T00:00");
        assertEquals(0, cli.code(), cli.err());
        assertEquals(existed, Files.exists(folder));
    }

    @Test
    void tableShowsTimeInTheZoneAndTheVersionsPresent() {
        Cli cli = Cli.run("--simulate", "90s", "--zone", "Asia/Kolkata", "--start", "2024-01-01T00:00");
        assertEquals(0, cli.code(), cli.err());
        List<String> lines = cli.outLines();
        assertEquals(List.of(
                "baton-demo: simulating 90s from 2024-01-01T00:00:00+05:30 (Asia/Kolkata) on an in-memory copy of the paths; no real file is touched, no script is run",
                "  " + Session.demoFolder().resolve("file1") + ": every 30s, keep 3",
                "  " + Session.demoFolder().resolve("file2") + ": every 20s, keep 5",
                "  " + Session.demoFolder().resolve("file3") + ": when over 1024 bytes, checked every 1m, keep 3",
                "  " + Session.demoFolder().resolve("file4") + ": daily at 00:00, keep 5",
                "TIME (Asia/Kolkata)            POLICY    OUTCOME          VERSIONS  PATH",
                "2024-01-01T00:00:20+05:30      interval  rotated                 1  " + Session.demoFolder().resolve("file2"),
                "2024-01-01T00:00:30+05:30      interval  rotated                 1  " + Session.demoFolder().resolve("file1"),
                "2024-01-01T00:00:40+05:30      interval  rotated                 2  " + Session.demoFolder().resolve("file2"),
                "2024-01-01T00:01:00+05:30      size      rotated                 1  " + Session.demoFolder().resolve("file3"),
                "2024-01-01T00:01:00+05:30      interval  rotated                 2  " + Session.demoFolder().resolve("file1"),
                "2024-01-01T00:01:00+05:30      interval  rotated                 3  " + Session.demoFolder().resolve("file2"),
                "2024-01-01T00:01:20+05:30      interval  rotated                 4  " + Session.demoFolder().resolve("file2"),
                "2024-01-01T00:01:30+05:30      interval  rotated                 3  " + Session.demoFolder().resolve("file1"),
                "summary: rotations per file: " + Session.demoFolder().resolve("file1") + " 3, "
                        + Session.demoFolder().resolve("file2") + " 4, " + Session.demoFolder().resolve("file3") + " 1, "
                        + Session.demoFolder().resolve("file4") + " 0; 0 errors"), lines);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
