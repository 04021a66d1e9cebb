package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logrotate's {@code include /etc/logrotate.d}: a folder's files are read in name order, backups,
 * package leftovers and hidden files skipped, each starting from the includer's defaults.
 */
class IncludeFolderTest {
    @TempDir
    Path dir;

    @Test
    void aFoldersFilesAreReadInNameOrderSkippingBackupsAndLeftovers() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("nginx"), dir.resolve("nginx.log") + " {\n    daily\n}\n");
        Files.writeString(d.resolve("apache"), dir.resolve("apache.log") + " {\n    weekly\n    rotate 9\n}\n");
        for (String skipped : List.of("nginx~", "nginx.bak", "nginx.dpkg-old", "nginx.rpmsave", ".hidden", "nginx.swp")) {
            Files.writeString(d.resolve(skipped), dir.resolve(skipped.replace('~', '_') + ".log") + " {\n    daily\n}\n");
        }
        Path main = Files.writeString(dir.resolve("main.conf"), "rotate 4\ncompress\ninclude conf.d\n"
                + dir.resolve("own.log") + " {\n    hourly\n}\n");

        List<BlockSpec> blocks = ConfigParser.read(main, "main.conf");

        assertEquals(List.of(
                        d.resolve("apache") + ":1 " + dir.resolve("apache.log") + " keep 9 compress true",
                        d.resolve("nginx") + ":1 " + dir.resolve("nginx.log") + " keep 4 compress true",
                        "main.conf:4 " + dir.resolve("own.log") + " keep 4 compress true"),
                blocks.stream().map(b -> b.patterns().get(0).origin() + " " + b.patterns().get(0).text()
                        + " keep " + b.options().keep() + " compress " + b.options().compress()).toList());
    }
}
