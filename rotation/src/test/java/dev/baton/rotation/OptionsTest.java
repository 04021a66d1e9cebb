package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.logs.RecordedLogs;
import dev.baton.rotation.RotationEvent.Outcome;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path dir = fs.getPath("/logs");
    private final Path log = dir.resolve("test.log");

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    /** A dry run (the demo's --simulate, --check) drops the scripts and keeps every other option. */
    @Test
    void withoutScriptsDropsOnlyTheScripts() {
        RotationOptions scripted = RotationOptions.builder(4).compress().delayCompress().notIfEmpty().copyTruncate()
                .maxAge(Duration.ofDays(9)).minSize(10).sharedScripts().prerotate("echo pre").postrotate("echo post")
                .scriptTimeout(Duration.ofSeconds(7)).build();
        RotationOptions dry = scripted.withoutScripts();
        assertEquals(null, dry.prerotate());
        assertEquals(null, dry.postrotate());
        assertEquals(4, dry.keep());
        assertTrue(dry.compress() && dry.delayCompress() && !dry.ifEmpty() && dry.copyTruncate() && dry.sharedScripts());
        assertEquals(Duration.ofDays(9), dry.maxAge());
        assertEquals(10, dry.minSize());
        RotationOptions plain = RotationOptions.keep(2);
        assertTrue(plain.withoutScripts() == plain, "options without scripts are returned as they are");
    }

    /** logrotate's test-0055 (notifempty): an empty file is not rotated and pushes no history out. */
    @Test
    void logrotate_test_0055_notifempty() throws IOException {
        Fixtures.write(log, "");
        Fixtures.write(dir.resolve("test.log.1"), "history");
        assertEquals(Outcome.SKIPPED_EMPTY, Rotation.rotate(log, RotationOptions.builder(1).notIfEmpty().build()));
        assertEquals(Fixtures.files("test.log= test.log.1=history"), Fixtures.listing(dir));
        assertEquals(Outcome.ROTATED, Rotation.rotate(log, RotationOptions.keep(1)));
        assertEquals(Fixtures.files("test.log.1="), Fixtures.listing(dir));
    }

    /** logrotate's test-0021 (missingok): a missing file is skipped and nothing is created. */
    @Test
    void logrotate_test_0021_missingok() throws IOException {
        Fixtures.write(dir.resolve("differenttest.log"), "zero");
        assertEquals(Outcome.SKIPPED_MISSING, Rotation.rotate(log, RotationOptions.builder(1).create().build()));
        assertEquals(Fixtures.files("differenttest.log=zero"), Fixtures.listing(dir));
    }

    /** nomissingok: a missing file (a typo in a path) is a failure naming the path, not silence. */
    @Test
    void nomissingokFailsNamingThePath() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Rotation.rotate(log, RotationOptions.builder(1).notMissingOk().build()));
        assertEquals("/logs/test.log: refusing to rotate: the file does not exist (nomissingok)", e.getMessage());
    }

    /** logrotate's test-0085 (maxage 1 day): versions last modified more than a day ago are removed. */
    @Test
    void logrotate_test_0085_maxage() throws IOException {
        Instant now = Instant.now();
        Fixtures.write(log, "content");
        String[] ages = {"P10000D", "PT12H", "PT23H", "PT25H", "PT36H", "PT47H", "PT49H"};
        for (int i = 0; i < ages.length; i++) {
            Path v = dir.resolve("test.log." + (i + 1));
            Fixtures.write(v, "v" + (i + 1));
            Files.setLastModifiedTime(v, FileTime.from(now.minus(Duration.parse(ages[i]))));
        }
        Rotation.rotate(log, RotationOptions.builder(100).maxAge(Duration.ofDays(1)).build());
        assertEquals(Fixtures.files("test.log.1=content test.log.3=v2 test.log.4=v3"), Fixtures.listing(dir));
    }

    /**
     * A rotation that removes versions says which, and why, at INFO: lowering 'rotate' from 6 to 2
     * or a maxage removes data, which an operator should find in the log afterwards.
     */
    @Test
    void everyRemovedVersionIsLoggedWithTheReason() throws IOException {
        Fixtures.write(log, "content");
        for (int i = 1; i <= 4; i++) {
            Fixtures.write(dir.resolve("test.log." + i), "v" + i);
        }
        Files.setLastModifiedTime(dir.resolve("test.log.1"), FileTime.from(Instant.now().minus(Duration.ofDays(40))));
        int earlier = RecordedLogs.containing("Removed /logs/test.log.").size(); // other tests use the same names
        Rotation.rotate(log, RotationOptions.builder(2).maxAge(Duration.ofDays(30)).build());
        assertEquals(Fixtures.files("test.log.1=content"), Fixtures.listing(dir));
        List<RecordedLogs.Event> events = RecordedLogs.containing("Removed /logs/test.log.");
        List<String> removed = events.subList(earlier, events.size()).stream()
                .filter(e -> e.level() == org.slf4j.event.Level.INFO).map(RecordedLogs.Event::message).toList();
        // Of the four old versions, one is the routine drop of the oldest by the shift (not
        // logged, as a success is not); two are beyond the count and one past the maximum age.
        assertEquals(3, removed.size(), "one INFO line per version removed beyond the routine drop: " + removed);
        assertEquals(2, removed.stream().filter(m -> m.endsWith(": beyond the 2 versions kept")).count(), removed::toString);
        assertTrue(removed.stream().anyMatch(m -> m.startsWith("Removed /logs/test.log.2: last written ")
                && m.endsWith("longer ago than maxage 30 days")), removed::toString);
    }

    /** logrotate's test-0091 (allowhardlink): refused without it, rotated with it. */
    @Test
    void logrotate_test_0091_allowhardlink() throws IOException {
        Path real = dir.resolve("real.log");
        Fixtures.write(real, "zero");
        Files.createLink(log, real);
        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, RotationOptions.keep(1)));
        assertEquals("refusing to rotate /logs/test.log: it has 2 hard links (allowhardlink is not set); nothing was renamed",
                e.getMessage());
        Rotation.rotate(log, RotationOptions.builder(1).allowHardLink().copyTruncate().build());
        assertEquals(Fixtures.files("real.log= test.log= test.log.1=zero"), Fixtures.listing(dir));
    }

    /** logrotate's test-0031 (create 0600): the new file has the mode asked for. */
    @Test
    void logrotate_test_0031_createMode() throws IOException {
        Fixtures.write(log, "zero");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        Rotation.rotate(log, RotationOptions.builder(999).create(PosixFilePermissions.fromString("rw-------"), null, null).build());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(Fixtures.files("test.log= test.log.1=zero"), Fixtures.listing(dir));
    }

    /** create without a mode: the rotated file's mode, owner and group, on the real disk (umask notwithstanding). */
    @Test
    void createCopiesModeOwnerAndGroupOfTheRotatedFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("app.log");
        Fixtures.write(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        var before = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
        Rotation.rotate(file, RotationOptions.builder(1).create().build());
        var after = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(after.permissions()));
        assertEquals(before.owner(), after.owner());
        assertEquals(before.group(), after.group());
        assertEquals(0, after.size());
    }

    @Test
    void keepIsBoundedWithAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RotationOptions.keep(1001));
        assertEquals("keep must be at most 1000 (each rotation may rename every version), was 1001", e.getMessage());
        assertEquals(1000, RotationOptions.keep(1000).keep());
        assertThrows(IllegalArgumentException.class, () -> RotationPolicy.every(log, 10_000, Duration.ofSeconds(1)));
    }

    @Test
    void contradictoryOptionsAreRejectedAtBuild() {
        assertEquals("copytruncate and create exclude each other: copytruncate keeps the file in place, so there is nothing"
                + " to create", assertThrows(IllegalArgumentException.class,
                () -> RotationOptions.builder(1).copyTruncate().create().build()).getMessage());
        assertEquals("delaycompress needs compress", assertThrows(IllegalArgumentException.class,
                () -> RotationOptions.builder(1).delayCompress().build()).getMessage());
    }

    /**
     * logrotate's test-0003 (postrotate): the script runs after the rotation, with the path as $1
     * and never spliced into the script text, so a path with quotes and spaces is inert.
     */
    @Test
    void logrotate_test_0003_postrotateGetsThePathAsAnArgument(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("it's a $(touch pwned) log");
        Fixtures.write(file, "zero");
        RotationOptions options = RotationOptions.builder(1)
                .postrotate("printf '%s' \"$1\" > \"$(dirname \"$1\")/scriptout\"; echo done").build();
        Rotation.rotate(file, options);
        assertEquals(file.toString(), Files.readString(tmp.resolve("scriptout")));
        assertTrue(Files.notExists(tmp.resolve("pwned")));
        assertEquals(1, RecordedLogs.containing("postrotate script for [" + file + "] output: \"done\"").size());
    }

    /** logrotate's test-0004 (sharedscripts): one postrotate for two files, both paths as arguments. */
    @Test
    void logrotate_test_0004_sharedscripts(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("test.log");
        Path b = tmp.resolve("test2.log");
        Fixtures.write(a, "zero");
        Fixtures.write(b, "zero");
        RotationOptions options = RotationOptions.builder(1).create().sharedScripts()
                .postrotate("echo \"$#\" >> \"$(dirname \"$1\")/scriptout\"").build();
        assertEquals(List.of(Outcome.ROTATED, Outcome.ROTATED), Rotation.rotateAll(List.of(a, b), options));
        assertEquals("2\n", Files.readString(tmp.resolve("scriptout")));
    }

    /** A failed rotation and a failing shared postrotate both reach the caller: neither is lost. */
    @Test
    void aFailedRotationAndAFailingSharedPostrotateAreBothReported(@TempDir Path tmp) throws IOException {
        Path good = tmp.resolve("good.log");
        Path bad = tmp.resolve("bad.log");
        Fixtures.write(good, "zero");
        Fixtures.write(bad, "zero");
        Files.createDirectory(tmp.resolve("bad.log.1")); // a directory in a version slot: that rotation is refused
        RotationOptions options = RotationOptions.builder(1).sharedScripts().postrotate("exit 4").build();
        IOException e = assertThrows(IOException.class, () -> Rotation.rotateAll(List.of(good, bad), options));
        assertTrue(e.getMessage().contains("bad.log"), e.getMessage());
        assertEquals(1, e.getSuppressed().length, "the postrotate's failure is attached");
        assertTrue(e.getSuppressed()[0].getMessage().contains("exited 4"), e.getSuppressed()[0].getMessage());
    }

    /** A failing prerotate cancels the rotation: nothing renamed. */
    @Test
    void failingPrerotateRenamesNothing(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("app.log");
        Fixtures.write(file, "zero");
        IOException e = assertThrows(IOException.class,
                () -> Rotation.rotate(file, RotationOptions.builder(1).prerotate("echo no; exit 3").build()));
        assertEquals("prerotate script for [" + file + "] exited 3; nothing was rotated", e.getMessage());
        assertEquals(Fixtures.files("app.log=zero"), Fixtures.listing(tmp));
    }

    /** A script that hangs is killed at its timeout, and the failure says so. */
    @Test
    void hangingScriptIsKilledAtItsTimeout(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("app.log");
        Fixtures.write(file, "zero");
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(file,
                RotationOptions.builder(1).prerotate("sleep 30").scriptTimeout(Duration.ofMillis(300)).build()));
        assertTrue(e.getMessage().endsWith("ran longer than PT0.3S and was killed"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    /** logrotate's test-0016 (weekly + maxsize): rotated sooner when over maxsize, not when under. */
    @Test
    void logrotate_test_0016_maxsizeWithATimeTrigger() {
        Fixtures.write(log, "a");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.daily(log, RotationOptions.builder(1).maxSize(4).build(), ZoneOffset.UTC, LocalTime.MIDNIGHT)
                    .withSizeCheckEvery(Duration.ofMinutes(10)).withListener(recorder).start(loop);
            loop.callLater(Duration.ofMinutes(25), () -> Fixtures.write(log, "zero!"));
            loop.runFor(Duration.ofHours(1));
        }
        assertEquals(List.of("2026-01-01T00:30:00Z ROTATED"), recorder.trace());
        assertEquals(Fixtures.files("test.log.1=zero!"), Fixtures.listing(dir));
    }

    /**
     * The maxsize checks keep their own fixed-rate grid as the interval policy keeps its own
     * (IntervalPolicyTest.rotationsStayOnTheFixedRateGrid): a check whose rotation takes up to
     * one whole check period (the listener's sleep stands for a slow rotation) delays no later
     * check. A check slot exactly at the end of that rotation is due then, not skipped.
     */
    @ParameterizedTest(name = "checked every 10m, each rotation taking {0}")
    @ValueSource(strings = {"PT0S", "PT7M", "PT9M59.999999999S", "PT10M"})
    void maxsizeChecksStayOnTheirFixedRateGrid(Duration rotationTime) {
        Fixtures.write(log, "first");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        Duration every = Duration.ofMinutes(10);
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.daily(log, RotationOptions.builder(1).maxSize(4).build(), ZoneOffset.UTC, LocalTime.MIDNIGHT)
                    .withSizeCheckEvery(every).withListener(event -> {
                        recorder.onRotation(event);
                        Fixtures.write(log, "over maxsize again");
                        if (!rotationTime.isZero()) {
                            Loop.sleep(rotationTime);
                        }
                    }).start(loop);
            loop.runFor(every.multipliedBy(100));
        }
        List<String> expected = new ArrayList<>();
        for (int k = 1; k <= 100; k++) {
            expected.add(Fixtures.START.plus(every.multipliedBy(k)) + " ROTATED");
        }
        assertEquals(expected, recorder.trace());
    }

    /** minsize: the scheduled rotation of a smaller file is skipped and reported so. */
    @Test
    void minsizeSkipsTheScheduledRotationOfASmallFile() {
        Fixtures.write(log, "abc");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(log, RotationOptions.builder(1).minSize(4).build(), Duration.ofMinutes(1))
                    .withListener(recorder).start(loop);
            loop.callLater(Duration.ofSeconds(90), () -> Fixtures.write(log, "abcd"));
            loop.runFor(Duration.ofMinutes(2));
        }
        assertEquals(List.of("2026-01-01T00:01:00Z SKIPPED_SMALL", "2026-01-01T00:02:00Z ROTATED"), recorder.trace());
    }

    /** The cost of a rotation does not grow with keep: with keep 1000 and one version, two renames. */
    @Test
    void rotationCostDoesNotGrowWithKeep() throws IOException {
        try (FaultyFileSystem faulty = new FaultyFileSystem(Fixtures.jimfs())) {
            Path file = faulty.getPath("/logs/app.log");
            Fixtures.write(file, "now");
            Fixtures.write(faulty.getPath("/logs/app.log.2"), "old");
            faulty.steps.clear();
            Rotation.rotate(file, RotationOptions.keep(1000));
            assertEquals(List.of("move app.log -> app.log.rotating", "move app.log.rotating -> app.log.1"), faulty.steps);
        }
    }
}
