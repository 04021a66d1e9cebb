package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"1ms, PT0.001S", "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "1d, PT24H", "36h, PT36H",
            "106751d, PT2562024H"})
    void parsesAWholeNumberAndAUnit(String text, Duration expected) {
        assertEquals(expected, Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S, 500ms", "PT30S, 30s", "PT90S, 90s", "PT5M, 5m", "PT2H, 2h", "PT72H, 3d", "PT36H, 36h", "PT0.0000001S, PT0.0000001S"})
    void formatsInTheLargestExactUnit(Duration duration, String expected) {
        assertEquals(expected, Durations.format(duration));
    }
}
