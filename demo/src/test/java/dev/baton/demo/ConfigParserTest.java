package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a good config file means: its policies, with every default spelled out. */
class ConfigParserTest {

    @Test
    void theIssueExampleGivesOnePolicyPerPathWithTheDefaults() throws ConfigException {
        List<PolicySpec> specs = specs("example.conf", """
                /var/log/app.log /var/log/worker.log {
                    every 30s
                    rotate 3
                }
                /var/log/big.log {
                    size 1k        # k, M, G (1024-based, as logrotate)
                    check 60s
                    rotate 3
                }
                /var/log/daily.log {
                    daily          # at the start of each local day
                    at 00:00       # optional local time
                    zone Europe/Paris   # optional, default the loop's zone
                    rotate 5
                }
                /var/log/plain.log {
                    size 10M
                    rotate 1
                }
                /var/log/midnight.log{daily
                    rotate 2}
                """);
        assertEquals(Stream.of(
                PolicySpec.every(Path.of("/var/log/app.log"), "example.conf:1", 3, Duration.ofSeconds(30)),
                PolicySpec.every(Path.of("/var/log/worker.log"), "example.conf:1", 3, Duration.ofSeconds(30)),
                PolicySpec.bySize(Path.of("/var/log/big.log"), "example.conf:5", 3, 1024, Duration.ofSeconds(60)),
                PolicySpec.daily(Path.of("/var/log/daily.log"), "example.conf:10", 5, ZoneId.of("Europe/Paris"), LocalTime.MIDNIGHT),
                PolicySpec.bySize(Path.of("/var/log/plain.log"), "example.conf:16", 1, 10L << 20, ConfigParser.DEFAULT_CHECK),
                PolicySpec.daily(Path.of("/var/log/midnight.log"), "example.conf:20", 2, null, ConfigParser.DEFAULT_AT)).map(PolicySpec::toString).toList(), specs.stream().map(PolicySpec::toString).toList());
    }

    static List<PolicySpec> specs(String name, String text) throws ConfigException {
        return Targets.resolve(ConfigParser.parse(name, text), java.nio.file.FileSystems.getDefault()).specs();
    }

    @Test
    void pathsAreNormalizedSoTheSameFileCannotHideBehindDots() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("c", """
                /var/log/a.log { daily
                rotate 1 }
                /var/log/../log/./a.log { daily
                rotate 1 }
                """));
        assertEquals(List.of("c:3: path /var/log/a.log given twice (first at line 1); each file may have one policy"), e.errors());
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "1k, 1024", "1K, 1024", "2M, 2097152", "3G, 3221225472", "8796093022207M, 9223372036853727232"})
    void sizesAre1024Based(String text, long bytes) {
        assertEquals(bytes, ConfigParser.parseSize(text));
    }

    @Test
    void anEnormousSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseSize("9999999999999G"));
        assertEquals("'9999999999999G' is too large a size", e.getMessage());
    }
}
