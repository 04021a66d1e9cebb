package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options snippet of docs/rotation.md, as it is printed there, against a real writer process
 * that reopens its file on SIGHUP. Real time: the writer is a process; bounded by its timeouts.
 */
class DocsOptionsExampleTest {

    @Test
    void optionsSnippetRotatesAndTheWriterReopens(@TempDir Path dir) throws Exception {
        Fixtures.assumeHangupDeliverable();
        Path log = dir.resolve("app.log");
        Path stop = dir.resolve("stop");
        Process writer = ChildJvm.start(LineWriter.class, log.toString(), stop.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("READY", out.readLine());
            awaitLines(log, writer); // a few lines, so that notifempty lets it rotate

            RotationOptions options = RotationOptions.builder(7)       // keep 1..1000
                    .create()                                          // mode, owner, group of the rotated file
                    .postrotate("kill -HUP \"$(cat \"$1.pid\")\"")     // $1 is the path: app.log.pid
                    .compress().delayCompress()
                    .notIfEmpty()
                    .build();
            Rotation.rotate(log, options);

            // The created file gets lines only once the writer has handled the SIGHUP and reopened
            // it: that, not a pause of a fixed length, is when the writer may stop.
            awaitLines(log, writer);
            Files.writeString(stop, "stop");
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.readLine().endsWith("REOPENED 1"), "the writer reopened its file once");
        } finally {
            writer.destroyForcibly();
        }
        assertTrue(Files.size(dir.resolve("app.log.1")) > 0);
        assertTrue(Files.size(log) > 0, "the writer writes into the created file after the signal");
    }

    /**
     * Waits until the writer has written into {@code log}; fails after 30 s. On a loaded machine
     * the writer's JVM may take well over 100 ms to handle a signal or to get a core at all.
     */
    private static void awaitLines(Path log, Process writer) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(log) || Files.size(log) == 0) {
            assertTrue(writer.isAlive(), "the writer ended early");
            assertTrue(System.nanoTime() < end, "the writer wrote nothing into " + log + " within 30 s");
            Thread.sleep(10);
        }
    }
}
