package dev.baton.rotation.tutorial;

import dev.baton.core.Loop;
import dev.baton.rotation.RotationPolicy;
import dev.baton.testing.LoopTester;
import dev.baton.testing.Trace;
import dev.baton.testing.VirtualTime;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** docs/tutorial.md, chapter 4: three London days around the autumn change, in milliseconds. */
class Chapter4DstTest {

    @Test
    @VirtualTime(start = "2026-10-24T12:00", zone = "Europe/London")
    void dailyRotatesOncePerLocalMidnightAcrossTheClockChange(Loop loop, LoopTester tester, Trace trace) throws Exception {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        var log = fs.getPath("/app.log");
        Files.writeString(log, "a day of logs");
        var daily = RotationPolicy.daily(log, 5).withListener(e -> trace.record(e.outcome().name())).start(loop);
        tester.expectUnfinished(daily); // runs until the loop closes after the test: not a leak
        tester.runUntil(LocalDateTime.parse("2026-10-27T12:00"));
        trace.assertTrace(
                "ROTATED@2026-10-25T00:00+01:00",         // BST
                "SKIPPED_MISSING@2026-10-26T00:00Z",      // 25 hours later: GMT
                "SKIPPED_MISSING@2026-10-27T00:00Z");
        trace.events().forEach(System.out::println);
    }
}
