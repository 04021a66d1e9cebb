package dev.baton.rotation;

import static dev.baton.rotation.Fixtures.files;
import static dev.baton.rotation.Fixtures.listing;
import static dev.baton.rotation.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotateTest {
    private final FileSystem fs = Fixtures.jimfs();
    private final Path dir = fs.getPath("/logs");
    private final Path log = dir.resolve("app.log");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @ParameterizedTest(name = "keep {0}: [{1}] -> [{2}]")
    @CsvSource(delimiter = '|', textBlock = """
            # keep | before                                                         | after
            1      | app.log=now                                                    | app.log.1=now
            1      | app.log=now app.log.1=v1                                       | app.log.1=now
            1      | app.log=now app.log.1=v1 app.log.2=v2                          | app.log.1=now
            3      | app.log=now                                                    | app.log.1=now
            3      | app.log=now app.log.1=v1 app.log.3=v3                          | app.log.1=now app.log.2=v1 app.log.3=v3
            3      | app.log=now app.log.2=v2                                       | app.log.1=now app.log.2=v2
            3      | app.log=now app.log.1=v1 app.log.2=v2 app.log.3=v3             | app.log.1=now app.log.2=v1 app.log.3=v2
            3      | app.log=now app.log.1=v1 app.log.2=v2 app.log.3=v3 app.log.4=v4 | app.log.1=now app.log.2=v1 app.log.3=v2
            3      | app.log=now app.log.1=v1 app.log.2=v2 app.log.3=v3 app.log.5=v5 app.log.1000=v1000 | app.log.1=now app.log.2=v1 app.log.3=v2
            10     | app.log=now                                                    | app.log.1=now
            10     | app.log=now app.log.1=v1 app.log.3=v3 app.log.4=v4 app.log.9=v9 app.log.10=v10 | app.log.1=now app.log.2=v1 app.log.3=v3 app.log.4=v4 app.log.9=v9 app.log.10=v10
            10     | app.log=now app.log.1=v1 app.log.2=v2 app.log.3=v3 app.log.4=v4 app.log.5=v5 app.log.6=v6 app.log.7=v7 app.log.8=v8 app.log.9=v9 app.log.10=v10 | app.log.1=now app.log.2=v1 app.log.3=v2 app.log.4=v3 app.log.5=v4 app.log.6=v5 app.log.7=v6 app.log.8=v7 app.log.9=v8 app.log.10=v9
            3      | app.log=now app.log.old=x app.log.01=y app.log.2.bak=z          | app.log.1=now app.log.old=x app.log.01=y app.log.2.bak=z
            """)
    void rotateShiftsUpToTheLowestFreeSlotAndPrunesAboveKeep(int keep, String before, String after) throws IOException {
        files(before).forEach((name, content) -> write(dir.resolve(name), content));

        Rotation.rotate(log, keep);

        assertEquals(files(after), listing(dir));
    }

    @Test
    void missingFileIsLeftAloneAndNothingIsRenamed() throws IOException {
        write(dir.resolve("app.log.1"), "v1");

        Rotation.rotate(log, 3);

        assertEquals(files("app.log.1=v1"), listing(dir));
    }

    @Test
    void keepBelowOneIsRejectedAtTheCall() {
        write(log, "now");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rotation.rotate(log, 0));

        assertEquals("keep must be at least 1, was 0", e.getMessage());
        assertEquals(files("app.log=now"), listing(dir));
    }

    @Test
    void directoryIsRefusedWithPathAndReasonAndNothingIsRenamed() throws IOException {
        Path logs = dir.resolve("app.log");
        Files.createDirectory(logs);
        write(dir.resolve("app.log.1"), "v1");

        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(logs, 3));

        assertEquals("refusing to rotate /logs/app.log: it is a directory, not a regular file", e.getMessage());
        assertEquals(files("app.log.1=v1"), listing(dir));
        assertTrue(Files.isDirectory(logs));
    }

    @Test
    void symbolicLinkIsRefusedNotFollowedAndNothingIsRenamed() throws IOException {
        Path target = dir.resolve("real.log");
        write(target, "real");
        write(dir.resolve("app.log.1"), "v1");
        Files.createSymbolicLink(log, target);

        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, 3));

        assertEquals("refusing to rotate /logs/app.log: it is a symbolic link (links are never followed)", e.getMessage());
        assertEquals(files("app.log.1=v1 real.log=real"), listing(dir));
        assertTrue(Files.isSymbolicLink(log));
    }

    @Test
    void danglingSymbolicLinkIsRefusedNotTakenForAMissingFile() throws IOException {
        Files.createSymbolicLink(log, dir.resolve("nowhere.log"));

        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, 3));

        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.isSymbolicLink(log));
    }

    @Test
    void versionThatIsALinkIsRefusedAndNothingIsRenamed() throws IOException {
        // Every version slot is type-checked before the first rename, links included.
        Path target = dir.resolve("elsewhere");
        write(target, "keep me");
        write(log, "now");
        Files.createSymbolicLink(dir.resolve("app.log.1"), target);

        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, 3));

        assertEquals("refusing to rotate /logs/app.log: its version slot app.log.1 is a symbolic link (links are never"
                + " followed); nothing was renamed", e.getMessage());
        assertTrue(Files.isSymbolicLink(dir.resolve("app.log.1")));
        assertEquals("now", Files.readString(log));
        assertEquals("keep me", Files.readString(target));
    }

    /**
     * Two writers append numbered lines while an interval policy rotates: one keeps a single
     * stream open throughout, the other reopens every ten lines. Every line is found exactly once
     * across the file and its versions. Real files (a rename keeps the open inode), virtual time.
     */
    @Test
    void writersAcrossRotationsLoseNoLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("app.log");
        int lines = 300;
        int keep = 100;
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.every(file, keep, Duration.ofSeconds(7)).start(loop);
            loop.spawn("steady writer", () -> {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    for (int i = 1; i <= lines; i++) {
                        out.write(("steady-" + i + "\n").getBytes(StandardCharsets.UTF_8));
                        Loop.sleep(Duration.ofSeconds(1));
                    }
                }
            });
            loop.spawn("reopening writer", () -> {
                for (int i = 1; i <= lines; i += 10) {
                    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                        for (int j = i; j < i + 10; j++) {
                            out.write(("reopening-" + j + "\n").getBytes(StandardCharsets.UTF_8));
                            Loop.sleep(Duration.ofMillis(1300));
                        }
                    }
                }
            });
            loop.runFor(Duration.ofSeconds(lines * 2));
        }

        Map<String, Integer> seen = new TreeMap<>();
        List<Path> versions = new ArrayList<>();
        versions.add(file);
        for (int n = 1; n <= keep; n++) {
            versions.add(Rotation.version(file, n));
        }
        for (Path p : versions) {
            if (Files.exists(p)) {
                for (String line : Files.readAllLines(p)) {
                    seen.merge(line, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 1; i <= lines; i++) {
            expected.put("steady-" + i, 1);
            expected.put("reopening-" + i, 1);
        }
        assertEquals(expected, seen);
        assertTrue(Files.exists(Rotation.version(file, 25)), "the rotations did happen: " + listing(tmp).keySet());
    }
}
