package dev.baton.demo;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads a config file (the one given, or one it includes) after checking that nobody but its
 * reader or root can change it: a config file runs commands (prerotate, postrotate), so a file or
 * folder another user can write is a way to run their commands as the daemon's user. logrotate
 * refuses such files for the same reason.
 */
final class ConfigFiles {
    /*
     * Design notes. The checks are made on the real path (a symbolic link to a config file is
     * followed; the file it names and that file's folder are what is checked). The owner is
     * compared by name with the user the JVM runs as (user.name comes from getpwuid(getuid())).
     * A folder with the sticky bit is not treated specially: /tmp is not a place for a config
     * that runs commands, whatever its bit says. Stateless.
     */

    /** The user this process runs as. */
    static final String USER = System.getProperty("user.name");

    private ConfigFiles() {
    }

    /**
     * The real path of {@code file}, which {@link #read} checks, or null after adding
     * {@code NAME:0: reason} to {@code errors}.
     */
    static Path realPath(Path file, String name, List<String> errors) {
        try {
            return file.toRealPath();
        } catch (NoSuchFileException e) {
            errors.add(name + ":0: no such file");
        } catch (IOException e) {
            errors.add(name + ":0: cannot read: " + e.getMessage());
        }
        return null;
    }

    /**
     * The text of {@code file}, whose real path is {@code real} (from {@link #realPath}), without a
     * leading UTF-8 byte-order mark, or null after adding {@code NAME:0: reason} to {@code errors}.
     */
    static String read(Path file, Path real, String name, List<String> errors) {
        String refused = refusal(real);
        if (refused != null) {
            errors.add(name + ":0: " + refused);
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            errors.add(name + ":0: no such file");
            return null;
        } catch (IOException e) {
            errors.add(name + ":0: cannot read: " + e.getMessage());
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            errors.add(name + ":0: not UTF-8 text");
            return null;
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Why the file whose real path is {@code real} may not be used as a config file, or null if it may. */
    private static String refusal(Path real) {
        if (Files.isDirectory(real)) {
            return "is a folder, not a config file (to read every file of a folder, as logrotate does with a folder on its"
                    + " command line, give a config file with the line 'include " + real + "')";
        }
        String fileRule = writableByOthers(real, "config file");
        if (fileRule != null) {
            return fileRule;
        }
        Path folder = real.getParent();
        return folder == null ? null : writableByOthers(folder, "folder " + folder + " of the config file");
    }

    /** A refusal if {@code path} is writable by group or others or owned by another user than this one or root. */
    static String writableByOthers(Path path, String what) {
        return writableByOthers(path, what, "it can run commands as");
    }

    /**
     * The same, saying what another user could do with it: {@code consequence} is followed by this
     * user's name.
     */
    static String writableByOthers(Path path, String what, String consequence) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null; // no owners or modes on this file system: nothing to check
        } catch (IOException e) {
            return "cannot read the attributes of " + path + ": " + e.getMessage();
        }
        String owner = a.owner().getName();
        if (!owner.equals(USER) && !owner.equals("root")) {
            return "refusing it: the " + what + " is owned by " + owner + ", not by " + (USER.equals("root") ? "root" : USER + " or root")
                    + "; " + consequence + " " + USER + " (chown it)";
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            boolean shared = a.isDirectory() && sticky(path);
            return "refusing it: the " + what + " is writable by " + (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    ? "others" : "its group") + " (" + PosixFilePermissions.toString(a.permissions()) + (shared ? ", sticky" : "") + "); "
                    + consequence + " " + USER + (shared
                    ? " (a shared folder such as /tmp: move the file to a folder only " + USER + " can write, rather than change this one)"
                    : " (chmod go-w " + path + ")");
        }
        return null;
    }

    /** Whether folder {@code path} has the sticky bit (a shared folder such as /tmp); false where that cannot be read. */
    private static boolean sticky(Path path) {
        try {
            return (((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 01000) != 0;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
