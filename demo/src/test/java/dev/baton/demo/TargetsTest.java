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
