package dev.baton.rotation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The other user of the security tests: {@code nobody} (uid and gid 65534), whose moves run as a
 * real separate process through {@code setpriv}. The tests run as root; where the machine is not
 * root or has no such user, they are skipped with the reason printed.
 */
final class AsNobody {
    static final List<String> SETPRIV = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    private AsNobody() {
    }

    /** Skips the calling test, saying why, unless we are root and can act as nobody. */
    static void assumeAvailable() {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "not running as root (user " + System.getProperty("user.name") + ")";
        } else {
            try {
                Process p = new ProcessBuilder(command("id", "-u")).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.equals("65534")) {
                    why = "setpriv --reuid=65534 did not give uid 65534: " + out;
                }
            } catch (IOException e) {
                why = "setpriv is not available: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted";
            }
        }
        if (why != null) {
            System.err.println("security test skipped: " + why);
        }
        assumeTrue(why == null, "needs root and a second user: " + why);
    }

    /** Runs {@code args} as nobody; fails the test, with the output, unless it exits 0. */
    static void run(String... args) throws IOException {
        try {
            Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("as nobody, " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Gives {@code p} to nobody:nogroup with {@code mode}. */
    static void own(Path p, String mode) throws IOException {
        UserPrincipalLookupService names = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, names.lookupPrincipalByName("nobody"));
        Files.setAttribute(p, "unix:gid", 65534);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<String> command(String... args) {
        List<String> c = new ArrayList<>(SETPRIV);
        c.addAll(List.of(args));
        return c;
    }
}
