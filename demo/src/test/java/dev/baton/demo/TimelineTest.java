package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.rotation.RotationEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How one event is printed, including a failure, whose message is escaped in JSON. */
class TimelineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void aFailedRotationCarriesItsErrorEscapedInJson() {
        Timeline timeline = new Timeline(out, Options.Format.JSONL, ZoneId.of("Europe/Paris"), false, () -> { });
        Path path = Path.of("/var/log/we\"ird\\name.log");
        timeline.track(path, 3);
        timeline.onRotation(new RotationEvent(Instant.parse("2024-07-01T10:00:00.250Z"), path, "size",
                RotationEvent.Outcome.FAILED, new AccessDeniedException("/var/log/we\"ird\\name.log\n")));
        out.flush();
        assertEquals("{\"instant\":\"2024-07-01T10:00:00.250Z\",\"local\":\"2024-07-01T12:00:00.250+02:00\","
                + "\"path\":\"/var/log/we\\\"ird\\\\name.log\",\"policy\":\"size\",\"outcome\":\"failed\",\"versions\":0,"
                + "\"error\":\"AccessDeniedException: /var/log/we\\\"ird\\\\name.log\\n\"}" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
        assertEquals("summary: rotations per file: /var/log/we\"ird\\name.log 0; 1 error", timeline.summary());
    }

    @Test
    void aFailedRotationShowsItsErrorInTheTable() {
        Timeline timeline = new Timeline(out, Options.Format.TABLE, ZoneId.of("UTC"), false, () -> { });
        Path path = Path.of("/var/log/app.log");
        timeline.onRotation(new RotationEvent(Instant.parse("2024-07-01T10:00:00Z"), path, "interval",
                RotationEvent.Outcome.FAILED, new IOException("disk full")));
        out.flush();
        assertEquals("2024-07-01T10:00:00Z           interval  failed                  0  /var/log/app.log  error: IOException: disk full"
                + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    /** A rotation whose postrotate failed: rotated, with the error on the line, and an error in the summary. */
    @Test
    void aRotationWhosePostrotateFailedIsRotatedAndCountedAsAnError() {
        Timeline timeline = new Timeline(out, Options.Format.JSONL, ZoneId.of("UTC"), false, () -> { });
        Path path = Path.of("/var/log/app.log");
        timeline.track(path, 3);
        timeline.onRotation(new RotationEvent(Instant.parse("2024-07-01T10:00:00Z"), path, "daily",
                RotationEvent.Outcome.ROTATED, new IOException("postrotate script for [/var/log/app.log] exited 1")));
        out.flush();
        assertEquals("{\"instant\":\"2024-07-01T10:00:00Z\",\"local\":\"2024-07-01T10:00:00Z\",\"path\":\"/var/log/app.log\","
                + "\"policy\":\"daily\",\"outcome\":\"rotated\",\"versions\":0,"
                + "\"error\":\"IOException: postrotate script for [/var/log/app.log] exited 1\"}" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
        assertEquals("summary: rotations per file: /var/log/app.log 1; 1 error", timeline.summary());
    }

    @Test
    void controlCharactersAreEscapedAsUnicode() {
        assertEquals("\"a\\u0001b\\tc\\u2028\"", Json.quote("a\u0001b\tc\u2028"));
    }
}
