package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keep 5 rotation interrupted at every single step, by an injected failure (Jimfs), by a real
 * failing rename ({@code chattr +i} on the real disk), and by SIGKILL of a child process: no
 * version is ever lost (each old content is under exactly one name), and the next attempt leaves
 * exactly the versions one successful rotation leaves.
 */
class CrashSafetyTest {
    static final String BEFORE = "app.log=now app.log.1=v1 app.log.2=v2 app.log.3=v3 app.log.4=v4 app.log.5=v5";
    static final String AFTER = "app.log.1=now app.log.2=v1 app.log.3=v2 app.log.4=v3 app.log.5=v4";

    /** The option sets under test, by name (the child process gets the name). */
    static RotationOptions options(String mode) {
        return switch (mode) {
            case "rename" -> RotationOptions.keep(5);
            case "create" -> RotationOptions.builder(5).create().build();
            case "copytruncate" -> RotationOptions.builder(5).copyTruncate().build();
            default -> throw new IllegalArgumentException(mode);
        };
    }

    /** What one successful rotation of BEFORE leaves. */
    static Map<String, String> after(String mode) {
        return Fixtures.files(AFTER + (mode.equals("rename") ? "" : " app.log="));
    }

    /** The steps of one uninterrupted rotation, as FaultyFileSystem counts them. */
    private static List<String> stepsOf(String mode) throws IOException {
        try (FaultyFileSystem fs = new FaultyFileSystem(Fixtures.jimfs())) {
            Path dir = fs.getPath("/logs");
            Fixtures.files(BEFORE).forEach((name, content) -> Fixtures.write(dir.resolve(name), content));
            fs.steps.clear();
            Rotation.rotate(dir.resolve("app.log"), options(mode));
            assertEquals(after(mode), Fixtures.listing(dir));
            return List.copyOf(fs.steps);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rename", "create", "copytruncate"})
    void faultAtEveryStepLosesNoVersionAndTheNextAttemptFinishesTheRotation(String mode) throws IOException {
        List<String> steps = stepsOf(mode);
        assertTrue(steps.size() >= 6, steps::toString); // move aside, 4 shifts (one replacing .5), name .1
        for (int k = 1; k <= steps.size(); k++) {
            int failAt = k;
            try (FaultyFileSystem fs = new FaultyFileSystem(Fixtures.jimfs())) {
                Path dir = fs.getPath("/logs");
                Path log = dir.resolve("app.log");
                Fixtures.files(BEFORE).forEach((name, content) -> Fixtures.write(dir.resolve(name), content));
                fs.steps.clear();
                fs.beforeStep = (step, what) -> {
                    if (step == failAt) {
                        throw new IOException("injected failure at step " + step + ": " + what);
                    }
                };
                IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, options(mode)), "step " + k);
                assertTrue(e.toString().contains("injected failure at step " + k), e.toString());
                assertEachOldContentOnce(dir, "fault at step " + k + " (" + steps.get(k - 1) + ")");

                fs.beforeStep = null;
                Rotation.rotate(log, options(mode));
                assertEquals(after(mode), Fixtures.listing(dir), "fault at step " + k + " (" + steps.get(k - 1) + ")");
            }
        }
    }

    /** logrotate's test-0001: two rotations in a row, the second shifting the first's version. */
    @Test
    void logrotate_test_0001() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path dir = fs.getPath("/logs");
            Path log = dir.resolve("test.log");
            Fixtures.write(log, "zero");
            Fixtures.write(dir.resolve("test.log.1"), "first");
            RotationOptions create = RotationOptions.builder(2).create().build();
            Rotation.rotate(log, create);
            assertEquals(Fixtures.files("test.log= test.log.1=zero test.log.2=first"), Fixtures.listing(dir));
            Rotation.rotate(log, create);
            assertEquals(Fixtures.files("test.log= test.log.1= test.log.2=zero"), Fixtures.listing(dir));
        }
    }

    /**
     * A real rename refused by the kernel: each name of the family in turn is made immutable
     * ({@code chattr +i}), so its rename fails with EPERM. Nothing is lost; once the flag is
     * cleared the next attempt leaves the result of one rotation.
     */
    @ParameterizedTest(name = "immutable {0}")
    @ValueSource(strings = {"app.log", "app.log.1", "app.log.2", "app.log.3", "app.log.4", "app.log.5"})
    void realRenameRefusedByAnImmutableFile(String immutable, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Fixtures.files(BEFORE).forEach((name, content) -> Fixtures.write(dir.resolve(name), content));
        Path locked = dir.resolve(immutable);
        assumeTrue(chattr("+i", locked), "chattr +i is not available here (not root, or the file system has no"
                + " immutable flag); the real-disk case is covered by the Jimfs fault injection only");
        try {
            IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, RotationOptions.keep(5)));
            assertTrue(e.getMessage().contains(immutable), e.getMessage());
            assertEachOldContentOnce(dir, "immutable " + immutable);
        } finally {
            chattr("-i", locked);
        }
        Rotation.rotate(log, RotationOptions.keep(5));
        assertEquals(after("rename"), Fixtures.listing(dir));
    }

    /**
     * A rotation made, whose removal of a version beyond the count then fails (the old .4, left by
     * a higher 'rotate' before, is immutable: a real EPERM), stands: the policy's event is ROTATED
     * with the failure in error() (a step after the rotation, as a failed postrotate or compression
     * is), and the rotation is recorded in the state file, so a restart does not rotate again.
     */
    @Test
    void aRotationWhosePruneFailsIsReportedRotatedAndRecorded(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Path state = dir.resolve("baton.state");
        Fixtures.write(log, "now");
        Path old = dir.resolve("app.log.4");
        Fixtures.write(old, "v4");
        assumeTrue(chattr("+i", old), "chattr +i is not available here (not root, or the file system has no immutable flag)");
        List<RotationEvent> events = new ArrayList<>();
        java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
        try (dev.baton.core.Loop loop = dev.baton.core.Loop.create(dev.baton.core.VirtualClock.of(start, java.time.ZoneOffset.UTC))) {
            RotationPolicy.every(log, 3, java.time.Duration.ofMinutes(1)).withState(state).withListener(events::add).start(loop);
            loop.runFor(java.time.Duration.ofSeconds(61));
        } finally {
            chattr("-i", old);
        }
        assertEquals("now", Files.readString(dir.resolve("app.log.1")), "the rotation was made");
        assertEquals(1, events.size(), events::toString);
        assertEquals(RotationEvent.Outcome.ROTATED, events.get(0).outcome(), events::toString);
        assertEquals(start.plusSeconds(60), StateFile.lastRotation(state, log), Files.readString(state));
    }

    /**
     * A child JVM rotates on the real disk and is killed with SIGKILL just before step k, for
     * every k; then a new attempt (what a restarted policy does) finishes the rotation. Real time:
     * the child is a real process; each run is bounded by its timeouts.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"create", "copytruncate"})
    void killAtEveryStepThenRestart(String mode, @TempDir Path tmp) throws Exception {
        int steps = stepsOf(mode).size();
        for (int k = 1; k <= steps; k++) {
            Path dir = Files.createDirectory(tmp.resolve("kill-" + k));
            Fixtures.files(BEFORE).forEach((name, content) -> Fixtures.write(dir.resolve(name), content));
            Process child = ChildJvm.start(KillableRotation.class, dir.toString(), mode, Integer.toString(k));
            String line;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                line = out.readLine();
                assertTrue(line != null && line.startsWith("AT " + k + " "), "child did not stop at step " + k + ": " + line);
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child not dead 10 s after SIGKILL");
            } finally {
                child.destroyForcibly();
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL at step " + k + ": " + line);
            assertEachOldContentOnce(dir, "killed at " + line);

            Rotation.rotate(dir.resolve("app.log"), options(mode));
            assertEquals(after(mode), Fixtures.listing(dir), "killed at " + line);
        }
    }

    @Test
    void theChildRunsToTheEndWhenNotKilled(@TempDir Path dir) throws Exception {
        Fixtures.files(BEFORE).forEach((name, content) -> Fixtures.write(dir.resolve(name), content));
        Process child = ChildJvm.start(KillableRotation.class, dir.toString(), "create", "0");
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals("DONE " + stepsOf("create").size(), output);
        assertEquals(after("create"), Fixtures.listing(dir));
    }

    /**
     * Each of now, v1 ... v4 is the content of exactly one name in {@code dir}, whatever the names
     * are now. Partial copies ({@code .copying}, {@code .gz.part}) do not count: they are copies
     * of a file that is still there, and the next attempt deletes them.
     */
    static void assertEachOldContentOnce(Path dir, String when) {
        Map<String, List<String>> where = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !name.endsWith(".copying") && !name.endsWith(".part")) {
                    where.computeIfAbsent(Files.readString(p), c -> new ArrayList<>()).add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String content : List.of("now", "v1", "v2", "v3", "v4")) {
            assertEquals(1, where.getOrDefault(content, List.of()).size(), when + ": '" + content + "' is in " + where);
        }
    }

    private static boolean chattr(String flag, Path file) {
        return Fixtures.command("chattr", flag, file.toString());
    }
}
