package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoWriterTest {

    /** The hand-written stamp is what ISO_OFFSET_DATE_TIME prints, to the second, around DST changes too. */
    @ParameterizedTest
    @CsvSource({
            "2024-11-03T05:30:00Z, America/New_York",
            "2024-11-03T06:30:00Z, America/New_York",
            "2024-03-31T01:00:00.999Z, Europe/Paris",
            "2024-01-01T00:00:00Z, UTC",
            "2024-06-01T12:34:56Z, Asia/Kolkata",
            "1969-12-31T23:59:59Z, Pacific/Chatham",
            "0001-01-01T00:00:00Z, UTC"})
    void timestampMatchesIsoOffsetDateTimeToTheSecond(Instant instant, ZoneId zone) {
        String expected = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
        assertEquals(expected, DemoWriter.timestamp(instant, zone));
    }
}
