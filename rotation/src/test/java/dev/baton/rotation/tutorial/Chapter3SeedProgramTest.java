package dev.baton.rotation.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import dev.baton.rotation.RotationPolicy;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/tutorial.md, chapter 3: the seed's four policies on one loop, a minute of virtual time. */
class Chapter3SeedProgramTest {

    @Test
    void theSeedsFourPoliciesShareOneLoop() throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Files.createDirectories(fs.getPath("/tmp"));
        for (int i = 1; i <= 4; i++) {
            Files.writeString(fs.getPath("/tmp/file" + i), "x".repeat(2000));
        }
        List<String> trace = new ArrayList<>();
        try (Loop loop = Loop.create(VirtualClock.of(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC))) {
            for (RotationPolicy policy : List.of(
                    RotationPolicy.every(fs.getPath("/tmp/file1"), 3, Duration.ofSeconds(30)),
                    RotationPolicy.every(fs.getPath("/tmp/file2"), 5, Duration.ofSeconds(20)),
                    RotationPolicy.bySize(fs.getPath("/tmp/file3"), 3, 1024, Duration.ofSeconds(60)),
                    RotationPolicy.daily(fs.getPath("/tmp/file4"), 5))) {
                policy.withListener(e -> trace.add(e.path().getFileName() + " " + e.outcome() + " @" + e.instant())).start(loop);
            }
            loop.runFor(Duration.ofSeconds(60));
        }
        assertEquals(List.of(
                "file2 ROTATED @2026-01-01T12:00:20Z",
                "file1 ROTATED @2026-01-01T12:00:30Z",
                "file2 SKIPPED_MISSING @2026-01-01T12:00:40Z",
                "file3 ROTATED @2026-01-01T12:01:00Z",         // scheduled at 0 s: first among the 60 s deadlines
                "file1 SKIPPED_MISSING @2026-01-01T12:01:00Z", // scheduled at 30 s
                "file2 SKIPPED_MISSING @2026-01-01T12:01:00Z"), trace); // scheduled at 40 s
        trace.forEach(System.out::println);
        fs.close();
    }
}
