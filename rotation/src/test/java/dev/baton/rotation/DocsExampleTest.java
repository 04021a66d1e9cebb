package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snippet of docs/rotation.md, "Testing with virtual time", as it is printed there. */
class DocsExampleTest {
    @Test
    void dailyAcrossTheNewYorkFallBackRotatesOncePerDate() throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Path log = fs.getPath("/app.log");
        List<Instant> rotations = new ArrayList<>();
        ZoneId newYork = ZoneId.of("America/New_York");
        try (Loop loop = Loop.create(VirtualClock.of(LocalDateTime.of(2024, 11, 3, 0, 30), newYork))) {
            RotationPolicy.daily(log, 5).withListener(e -> rotations.add(e.instant())).start(loop);
            loop.runUntil(Instant.parse("2024-11-05T12:00:00Z"));
        }
        assertEquals(List.of(Instant.parse("2024-11-04T05:00:00Z"), Instant.parse("2024-11-05T05:00:00Z")), rotations);
        fs.close();
    }
}
