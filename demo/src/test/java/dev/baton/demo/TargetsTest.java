package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which files a glob's matches leave to rotate: not the versions of another match. */
class TargetsTest {

    @Test
    void aGlobsMatchesLoseTheVersionsOfAnotherMatchAndKeepTheirOrder() {
        List<Path> matches = paths("/l/app.log", "/l/app.log.1", "/l/app.log.2.gz", "/l/app.log.3.gz.part", "/l/app.log.rotating",
                "/l/app.log.copying", "/l/other.log", "/l/app.log.x", "/l/app.logs", "/l/.hidden", "/l/.hidden.1", "/m/app.log.1",
                "/l/app.log.1.1");
        assertEquals(paths("/l/app.log", "/l/other.log", "/l/app.log.x", "/l/app.logs", "/l/.hidden", "/m/app.log.1"),
                Targets.withoutVersions(matches));
    }

    /**
     * A version or leftover of a file that is missing now (rotated without create; a crash after
     * the first step left app.log.rotating) stands for that file when the glob would match it: it
     * is neither rotated as a log of its own (app.log.1.1) nor left unrecovered.
     */
    @Test
    void aVersionOrLeftoverOfAMissingFileTheGlobWouldMatchStandsForThatFile() throws Exception {
        try (java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix())) {
            Path dir = java.nio.file.Files.createDirectories(fs.getPath("/l"));
            for (String name : List.of("app.1", "app.2.gz", "d.log.1", "d.log.rotating", "b.log", "b.log.1", "c.log.1.1", "x.txt.1")) {
                java.nio.file.Files.writeString(dir.resolve(name), name);
            }
            java.nio.file.Files.createDirectories(dir.resolve("sub.d"));
            java.nio.file.Files.writeString(dir.resolve("sub.d.1"), "a version of a folder's name");
            assertEquals(List.of(dir.resolve("app"), dir.resolve("b.log"), dir.resolve("c.log"), dir.resolve("d.log"),
                            dir.resolve("sub.d.1"), dir.resolve("x.txt")),
                    Targets.logsMatching(fs, "/l/*"));
            // A glob that would not match the missing file leaves the match as it is.
            assertEquals(List.of(dir.resolve("x.txt.1")), Targets.logsMatching(fs, "/l/x.txt.*"));
        }
    }

    /** The rule is {@link Targets#isVersionOf}; checked against every pair, over random folders of similar names. */
    @Test
    void theSameAsComparingEveryMatchWithEveryOther() {
        String[] stems = {"a", "a.log", "b.log", "a.log.1", ".x"};
        String[] suffixes = {"", ".1", ".2", ".10", ".1.gz", ".3.gz.part", ".rotating", ".copying", ".gz", ".part", ".1.1", ".z"};
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Path> matches = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Path p = Path.of(random.nextBoolean() ? "/l" : "/m", stems[random.nextInt(stems.length)] + suffixes[random.nextInt(suffixes.length)]);
                if (!matches.contains(p)) {
                    matches.add(p);
                }
            }
            List<Path> expected = new ArrayList<>();
            for (Path p : matches) {
                if (matches.stream().noneMatch(other -> other != p && Targets.isVersionOf(p, other))) {
                    expected.add(p);
                }
            }
            assertEquals(expected, Targets.withoutVersions(matches), "round " + round + ": " + matches);
        }
    }

    private static List<Path> paths(String... names) {
        return java.util.Arrays.stream(names).map(Path::of).toList();
    }
}
