package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --zone} as operators type it ({@code utc}, {@code EST}) and {@code --start} as a plain
 * date: the simulated daily rotations land on that zone's midnights, from that date's midnight.
 */
class ZoneAndStartTest {
    @TempDir
    Path dir;

    static Stream<Arguments> zones() {
        return Stream.of(
                // a lowercase id, read as UTC
                Arguments.of("utc", "UTC", "2024-03-01T00:00:00Z", List.of("2024-03-02T00:00:00Z", "2024-03-03T00:00:00Z")),
                // a short id, read as ZoneId.SHORT_IDS says: a fixed -05:00, named -05:00 up to JDK 22
                // and America/Panama (no DST either) from JDK 23 on
                Arguments.of("EST", ZoneId.of("EST", ZoneId.SHORT_IDS).toString(), "2024-03-01T00:00:00-05:00",
                        List.of("2024-03-02T00:00:00-05:00", "2024-03-03T00:00:00-05:00")),
                // a region in any case; the plain date is read in it, and its DST change (10 March) shows
                Arguments.of("america/new_york", "America/New_York", "2024-03-09T00:00:00-05:00",
                        List.of("2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00")));
    }

    @ParameterizedTest(name = "--zone {0}")
    @MethodSource("zones")
    void aDailyPolicyRotatesAtTheZonesMidnightsFromAPlainDateStart(String zone, String zoneShown, String start,
            List<String> rotations) throws Exception {
        Path config = Files.writeString(dir.resolve("daily.conf"), dir.resolve("d.log") + " {\n    daily\n    rotate 3\n}\n");
        Cli cli = Cli.run("--config", config.toString(), "--simulate", "2d", "--zone", zone, "--start", start.substring(0, 10),
                "--format", "jsonl");
        assertEquals(0, cli.code(), cli.err());
        assertEquals("baton-demo: simulating 2d from " + start + " (" + zoneShown + ") on an in-memory copy of the paths;"
                + " no real file is touched, no script is run", cli.errLines().get(0));
        List<String> locals = cli.outLines().stream()
                .map(line -> line.replaceAll(".*\"local\":\"([^\"]*)\".*", "$1"))
                .map(local -> local.replace(".000", ""))
                .toList();
        assertEquals(rotations, locals, cli.out());
    }
}
