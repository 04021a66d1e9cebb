package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logrotate stanzas Debian's nginx and rsyslog packages ship (test resources, byte for byte
 * as shipped) are read unchanged: --check lists their files and schedules, and nginx's runs on a
 * simulated clock once only its folder is changed to a test folder.
 */
class ShippedStanzasTest {
    @TempDir
    Path dir;

    private Path shipped(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/logrotate.d/" + name)) {
            Path copy = dir.resolve(name);
            Files.write(copy, in.readAllBytes());
            return copy;
        }
    }

    @Test
    void rsyslogAsShippedIsReadUnchanged() throws IOException {
        Path config = shipped("rsyslog");
        Cli cli = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", dir.resolve("state").toString());
        assertEquals(0, cli.code(), cli.err());
        List<String> rows = cli.outLines().stream().filter(l -> l.contains("  weekly  ")).toList();
        assertEquals(13, rows.size(), cli.out());
        assertTrue(rows.get(0).contains("/var/log/syslog  (" + config + ":1)  weekly on Sunday at 00:00, keep 4, compress,"
                + " delaycompress, notifempty, postrotate, sharedscripts"), rows.get(0));
        assertTrue(rows.get(12).contains("/var/log/messages  (" + config + ":13)"), rows.get(12));
        assertTrue(Files.notExists(dir.resolve("state")), "--check writes no state");
    }

    @Test
    void nginxAsShippedIsReadUnchangedAndRunsWithOnlyItsFolderChanged() throws IOException {
        Path config = shipped("nginx");
        Cli check = Cli.run("--config", config.toString(), "--check", "--zone", "UTC", "--state", dir.resolve("state").toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("/var/log/nginx/*.log (" + config + ":1): "), check.out());

        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("access.log"), "GET /\n");
        Files.writeString(logs.resolve("error.log"), "");
        Path moved = Files.writeString(dir.resolve("nginx.conf"),
                Files.readString(config, StandardCharsets.UTF_8).replace("/var/log/nginx/", logs + "/"));
        Cli run = Cli.run("--config", moved.toString(), "--simulate", "3d", "--zone", "UTC", "--start", "2024-11-02T12:00",
                "--format", "jsonl");
        assertEquals(0, run.code(), run.err());
        List<String> rotated = run.outLines().stream().filter(l -> l.contains("\"outcome\":\"rotated\"")).toList();
        // daily, at each UTC midnight of the three days, for both files (the writer of the simulation fills them)
        assertEquals(6, rotated.size(), run.out());
        assertTrue(rotated.get(0).startsWith("{\"instant\":\"2024-11-03T00:00:00Z\""), rotated.get(0));
        assertTrue(run.err().contains("create rw-r----- www-data:adm, compress, delaycompress, notifempty, prerotate, postrotate, sharedscripts"), run.err());
        assertEquals("GET /\n", Files.readString(logs.resolve("access.log")), "a simulation touches no real file");
    }
}
