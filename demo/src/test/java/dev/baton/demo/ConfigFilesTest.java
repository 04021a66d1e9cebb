package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the refusal of a config or state file that another user could change tells the operator to do. */
class ConfigFilesTest {

    /**
     * A shared sticky folder such as /tmp is writable by everyone on purpose: the advice is to move
     * the file, not to chmod the folder (which would break it for every user).
     */
    @Test
    void aSharedStickyFolderIsNotToldToChmod(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        String refusal = ConfigFiles.writableByOthers(shared, "folder " + shared + " of the config file");
        assertTrue(refusal != null && refusal.contains("rwxrwxrwx, sticky") && refusal.contains("move the file to a folder only"), refusal);
        assertFalse(refusal.contains("chmod"), refusal);

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        String plain = ConfigFiles.writableByOthers(open, "folder " + open + " of the config file");
        assertTrue(plain != null && plain.contains("(chmod go-w " + open + ")"), plain);
    }

    /** The owner rule names the daemon's user and root once each: "not by root", not "not by root or root". */
    @Test
    void aForeignOwnerIsNamedOnceAgainstTheDaemonsUserOrRoot(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("app.conf"), "");
        var nobody = config.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(config, nobody);
        String refusal = ConfigFiles.writableByOthers(config, "config file");
        String expected = ConfigFiles.USER.equals("root") ? "not by root;" : "not by " + ConfigFiles.USER + " or root;";
        assertTrue(refusal != null && refusal.contains("owned by nobody, " + expected), refusal);
    }
}
