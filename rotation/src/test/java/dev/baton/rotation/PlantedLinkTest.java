package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Root rotates a folder owned by {@code nobody}, and {@code nobody} (a real separate process,
 * {@code setpriv --reuid=65534}) plants a symbolic link to a root-owned 0600 file at one of the
 * names the rotation is about to write, one name per run, after the rotation listed the folder.
 * Every time: the rotation fails with a message naming the link, the root file keeps its bytes,
 * mode and owner, and no line of the log is lost. logrotate's test-0023/0024 refuse a link at the
 * file itself; these are the names after it (CVE-2011-1098 and its kin).
 */
class PlantedLinkTest {
    private static final String SECRET = "root only\n";

    private Path base;
    private Path dir;
    private Path secret;
    /** The lines in the folder before the rotation; each must be there, once, after it. */
    private List<String> lines = List.of("current", "old");

    @BeforeEach
    void folderOwnedByNobody() throws IOException {
        AsNobody.assumeAvailable();
        base = Files.createTempDirectory(Path.of("/tmp"), "baton-planted-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        secret = base.resolve("secret");
        Files.writeString(secret, SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        dir = base.resolve("logs");
        Files.createDirectory(dir);
        AsNobody.own(dir, "rwxr-xr-x");
        Files.writeString(dir.resolve("app.log"), "current\n");
        AsNobody.own(dir.resolve("app.log"), "rw-r-----");
        Files.writeString(dir.resolve("app.log.1"), "old\n");
        AsNobody.own(dir.resolve("app.log.1"), "rw-r-----");
    }

    @AfterEach
    void removeFolder() throws IOException {
        if (base != null) {
            AsNobody.deleteTree(base);
        }
    }

    /**
     * With {@code create} and {@code compress}: the link is planted by a prerotate script (after
     * the listing, before the first rename), except at {@code app.log} itself, which exists until
     * the rotation moves it aside: that one is planted right before {@code create}'s open.
     * "swapped" replaces the log itself with a link between the check and the rename.
     */
    @ParameterizedTest(name = "create: link at {0}")
    @CsvSource({"app.log.rotating", "app.log", "app.log.2", "app.log.1", "app.log.1.gz.part", "app.log.1.gz",
            "app.log.2.gz.part", "app.log.2.gz", "swapped"})
    void createAndCompressNeverWriteThroughAPlantedLink(String name) throws IOException {
        onlyTheLogIfPlantedAtOne(name);
        FaultyFileSystem fs = new FaultyFileSystem(FileSystems.getDefault());
        Path log = fs.getPath(dir.resolve("app.log").toString());
        RotationOptions.Builder options = RotationOptions.builder(3).create().compress();
        if (name.equals("app.log")) {
            boolean[] planted = {false};
            fs.beforeStep = (step, what) -> {
                if (what.equals("open for writing app.log") && !planted[0]) {
                    planted[0] = true;
                    AsNobody.run("ln", "-s", secret.toString(), dir.resolve("app.log").toString());
                }
            };
        } else {
            options.prerotate(plantScript(name));
        }
        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, options.build()));
        assertNamesTheLink(name, e);
        assertSecretUntouched();
        assertNothingLost();
    }

    /** With {@code copytruncate} and {@code compress}, planted by a prerotate script. */
    @ParameterizedTest(name = "copytruncate: link at {0}")
    @CsvSource({"app.log.copying", "app.log.rotating", "app.log.2", "app.log.1", "app.log.1.gz.part", "app.log.1.gz",
            "swapped"})
    void copyTruncateNeverTruncatesOrWritesThroughAPlantedLink(String name) throws IOException {
        onlyTheLogIfPlantedAtOne(name);
        Path log = dir.resolve("app.log");
        RotationOptions options = RotationOptions.builder(3).copyTruncate().compress().prerotate(plantScript(name)).build();
        IOException e = assertThrows(IOException.class, () -> Rotation.rotate(log, options));
        assertNamesTheLink(name, e);
        assertSecretUntouched();
        assertNothingLost();
    }

    /**
     * app.log.1 is free, so written, only if there is no old version: with one, the shift
     * vacates it just before the last rename, with no step in between to plant at.
     */
    private void onlyTheLogIfPlantedAtOne(String name) throws IOException {
        if (name.equals("app.log.1")) {
            Files.delete(dir.resolve("app.log.1"));
            lines = List.of("current");
        }
    }

    /** A prerotate that runs the attacker: nobody plants the link ($1 is the log). */
    private String plantScript(String name) {
        String drop = String.join(" ", AsNobody.SETPRIV);
        if (name.equals("swapped")) {
            return drop + " sh -c 'mv \"$1\" \"$1.saved\" && ln -s \"$2\" \"$1\"' sh \"$1\" '" + secret + "'";
        }
        return drop + " ln -s '" + secret + "' \"$1" + name.substring("app.log".length()) + "\"";
    }

    private void assertNamesTheLink(String name, IOException e) {
        String planted = name.equals("swapped") ? "app.log" : name;
        String message = e.getMessage();
        assertTrue(message.contains(dir.resolve(planted).toString()) || message.contains(" " + planted + " "),
                "the message names " + planted + ": " + message);
        if (!name.equals("swapped")) {
            assertTrue(message.contains("symbolic link to " + secret), "the message says what it is: " + message);
        }
    }

    private void assertSecretUntouched() throws IOException {
        assertEquals(SECRET, Files.readString(secret));
        PosixFileAttributes a = Files.readAttributes(secret, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        assertEquals("root", a.owner().getName());
        assertEquals("root", a.group().getName());
        try (Stream<Path> entries = Files.list(base)) {
            assertEquals(List.of("logs", "secret"), entries.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing was written beside the rotated folder");
        }
    }

    /** Each line is in exactly one regular file of the folder (plain or gzip; links skipped). */
    private void assertNothingLost() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || p.toString().endsWith(".part")) {
                    continue;
                }
                try (InputStream raw = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
                     InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
                }
            }
        }
        assertEquals(this.lines, lines.stream().sorted().toList(), "every line once, in " + dir);
    }
}
