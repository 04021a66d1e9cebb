package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rotating files in folders other users own or write: the mode and owner of every file the
 * rotation makes, scripts given hostile file names, the folder warning, hard-linked versions and
 * the state file's temp name. The tests on the real disk that change owners need root and
 * {@code nobody}, and are skipped with the reason printed elsewhere.
 */
class OtherUsersFolderTest {
    private Path base;

    @BeforeEach
    void folder() throws IOException {
        base = Files.createTempDirectory(Path.of("/tmp"), "baton-others-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void remove() throws IOException {
        AsNobody.deleteTree(base);
    }

    /**
     * logrotate's sharedscripts man page: the path is the script's first argument. A file whose
     * name is shell code is rotated, and the postrotate sees it as "$1": only the intended command
     * runs (the marker holds the exact path) and the code in the name never runs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"x; touch PWNED", "x$(touch PWNED)", "x`touch PWNED`", "x' ; touch PWNED; '", "x\" ; touch PWNED; \"",
            "-x | touch PWNED", "x\ntouch PWNED"})
    void aFileNamedWithShellCodeRunsOnlyThePostrotate(String template) throws IOException {
        // The file name cannot hold a '/', so the code builds one: it would create /tmp/pwned-<random>.
        Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
        String name = template.replace("PWNED", "\"$(printf '\\057tmp\\057" + pwned.getFileName() + "')\"");
        Path log = base.resolve(name);
        Files.writeString(log, "line\n");
        Path marker = base.resolve("marker");
        RotationOptions options = RotationOptions.builder(2).create()
                .postrotate("printf '%s' \"$1\" > '" + marker + "'").build();
        Rotation.rotate(log, options);
        assertEquals(log.toString(), Files.readString(marker), "the postrotate ran once, with the path as $1");
        assertEquals("line\n", Files.readString(base.resolve(name + ".1")));
        assertTrue(Files.exists(log), "create made the new file under the same name");
        assertFalse(Files.exists(pwned, LinkOption.NOFOLLOW_LINKS), "the code in the file name ran: " + pwned);
    }

    /**
     * create 0640 nobody nogroup, as root: the new file never has more permissions than asked,
     * and nobody but root can open it while root owns it (no group or other bits before the
     * chown). Observed before every step that follows its creation.
     */
    @Test
    void createSetsModeAndOwnerWithoutAWindow() throws IOException {
        AsNobody.assumeAvailable();
        Path dir = base.resolve("logs");
        Files.createDirectory(dir);
        AsNobody.own(dir, "rwxr-xr-x");
        Files.writeString(dir.resolve("app.log"), "line\n");
        FaultyFileSystem fs = new FaultyFileSystem(FileSystems.getDefault());
        Path log = fs.getPath(dir.resolve("app.log").toString());
        List<String> seen = new ArrayList<>();
        fs.beforeStep = (step, what) -> observe(log, seen);
        Rotation.rotate(log, RotationOptions.builder(2).create(PosixFilePermissions.fromString("rw-r-----"), "nobody", "nogroup")
                .build());
        observe(log, seen);
        assertEquals("nobody:nogroup rw-r-----", seen.get(seen.size() - 1));
        assertTrue(seen.size() >= 3, "the owner and the mode are set in steps after the creation: " + seen);
        for (String s : seen) {
            String owner = s.substring(0, s.indexOf(' '));
            Set<PosixFilePermission> mode = PosixFilePermissions.fromString(s.substring(s.indexOf(' ') + 1));
            assertTrue(PosixFilePermissions.fromString("rw-r-----").containsAll(mode), "more than asked: " + seen);
            if (!owner.equals("nobody:nogroup")) {
                assertTrue(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE).containsAll(mode),
                        "open to others before its owner was set: " + seen);
            }
        }
    }

    private static void observe(Path p, List<String> seen) throws IOException {
        PosixFileAttributes a = Rotation.attributesOrNull(p) == null ? null
                : Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a != null && Rotation.attributesOrNull(p.resolveSibling("app.log.rotating")) != null) {
            String s = a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
            }
        }
    }

    /** A compressed version has the mode, owner and group of the version it replaces. */
    @Test
    void compressionKeepsModeAndOwner() throws IOException {
        AsNobody.assumeAvailable();
        Path log = base.resolve("app.log");
        Files.writeString(log, "line\n");
        AsNobody.own(log, "rw-------");
        Rotation.rotate(log, RotationOptions.builder(2).compress().build());
        PosixFileAttributes gz = Files.readAttributes(base.resolve("app.log.1.gz"), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertEquals("nobody nogroup rw-------", gz.owner().getName() + " " + gz.group().getName() + " "
                + PosixFilePermissions.toString(gz.permissions()));
        assertFalse(Files.exists(base.resolve("app.log.1")));
    }

    /** The copy of copytruncate (the new version) is as private as the file it copies. */
    @Test
    void copyTruncateCopyKeepsModeAndOwner() throws IOException {
        AsNobody.assumeAvailable();
        Path log = base.resolve("app.log");
        Files.writeString(log, "line\n");
        AsNobody.own(log, "rw-------");
        Rotation.rotate(log, RotationOptions.builder(2).copyTruncate().build());
        PosixFileAttributes copy = Files.readAttributes(base.resolve("app.log.1"), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertEquals("nobody nogroup rw-------", copy.owner().getName() + " " + copy.group().getName() + " "
                + PosixFilePermissions.toString(copy.permissions()));
        assertEquals("line\n", Files.readString(base.resolve("app.log.1")));
        assertEquals(0, Files.size(log));
    }

    /** logrotate refuses such a folder unless su is given; Baton warns, naming it (and rotates). */
    @Test
    void checkFolderWarnsOnlyForAFolderAnyoneCanWriteWithoutTheStickyBit() throws IOException {
        Path log = base.resolve("app.log");
        Files.setAttribute(base, "unix:mode", 0777);
        Optional<String> warning = Rotation.checkFolder(log);
        assertTrue(warning.isPresent());
        assertTrue(warning.get().startsWith("folder " + base + " (mode 0777, owner "), warning.get());
        assertTrue(warning.get().contains("is writable by every user and has no sticky bit"), warning.get());
        Files.setAttribute(base, "unix:mode", 01777);
        assertEquals(Optional.empty(), Rotation.checkFolder(log), "sticky: others cannot rename or replace our files");
        Files.setAttribute(base, "unix:mode", 0775);
        assertEquals(Optional.empty(), Rotation.checkFolder(log));
        Files.setAttribute(base, "unix:mode", 0755);
        assertEquals(Optional.empty(), Rotation.checkFolder(log));
    }

    /** logrotate's test-0090 for versions: a version with a second name elsewhere is refused. */
    @Test
    void aHardLinkedVersionIsRefusedUnlessAllowHardLink() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path dir = fs.getPath("/logs");
            Fixtures.write(dir.resolve("app.log"), "now");
            Fixtures.write(dir.resolve("elsewhere"), "v1");
            Files.createLink(dir.resolve("app.log.1"), dir.resolve("elsewhere"));
            IOException e = assertThrows(IOException.class, () -> Rotation.rotate(dir.resolve("app.log"), RotationOptions.keep(3)));
            assertEquals("refusing to rotate /logs/app.log: its version slot app.log.1 has 2 hard links (allowhardlink is not"
                    + " set); nothing was renamed", e.getMessage());
            assertEquals(Fixtures.files("app.log=now app.log.1=v1 elsewhere=v1"), Fixtures.listing(dir));
            Rotation.rotate(dir.resolve("app.log"), RotationOptions.builder(3).allowHardLink().build());
            assertEquals(Fixtures.files("app.log.1=now app.log.2=v1 elsewhere=v1"), Fixtures.listing(dir));
        }
    }

    /** CVE-2011-1155's kin: a link at the state file's temp name is refused, not written through. */
    @Test
    void aLinkAtTheStateTempNameIsRefused() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path state = fs.getPath("/logs/baton.state");
            Path target = fs.getPath("/etc-passwd");
            Fixtures.write(target, "root:x:0:0");
            Files.createSymbolicLink(fs.getPath("/logs/baton.state.tmp"), target);
            IOException e = assertThrows(IOException.class,
                    () -> StateFile.record(state, fs.getPath("/logs/app.log"), Instant.parse("2026-01-01T00:00:00Z")));
            assertEquals("refusing to write state file /logs/baton.state: /logs/baton.state.tmp is a symbolic link to"
                    + " /etc-passwd (links are never followed), at the name of its temporary file; it was left as it is and"
                    + " nothing was written", e.getMessage());
            assertEquals("root:x:0:0", Files.readString(target));
            assertFalse(Files.exists(state));
        }
    }

    /** A state file that is a link is not read through (its text could end up in a message). */
    @Test
    void aStateFileThatIsALinkIsNotRead() throws IOException {
        try (FileSystem fs = Fixtures.jimfs()) {
            Path state = fs.getPath("/logs/baton.state");
            Fixtures.write(fs.getPath("/elsewhere"), StateFile.HEADER + "\nsecret line\n");
            Files.createSymbolicLink(state, fs.getPath("/elsewhere"));
            IOException e = assertThrows(IOException.class, () -> StateFile.read(state));
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            assertTrue(e.getMessage().contains("/logs/baton.state"), e.getMessage());
        }
    }
}
