package dev.baton.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Glob patterns of config paths, as the shell and logrotate read them: {@code *}, {@code ?} and
 * {@code [...]} in any component; a wildcard never matches '/', nor a leading '.' unless the
 * pattern's component starts with one. Matches are regular files (or anything that is not a
 * folder in the last component), sorted by path.
 */
final class Globs {
    private Globs() {
    }

    static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** {@code text} with '.', '..' and repeated slashes resolved, wildcards kept. */
    static String normalize(String text) {
        return Path.of(text).normalize().toString();
    }

    /**
     * Whether {@code pattern} (absolute, normalized) would match {@code p}, a regular file in the
     * folder of one of its matches, if it existed: the pattern's last part against its name, by
     * the rules of {@link #expand} (hidden names only for a part that starts with a dot).
     */
    static boolean wouldMatchName(FileSystem fs, String pattern, Path p) {
        String part = pattern.substring(pattern.lastIndexOf('/') + 1);
        if (!isGlob(part)) {
            return part.equals(p.getFileName().toString());
        }
        return nameMatches(part, matcherOf(fs, part), p.getFileName());
    }

    /** Whether {@code pattern} (absolute, normalized) matches {@code p} by the rules of {@link #expand}, part by part. */
    static boolean matches(FileSystem fs, String pattern, Path p) {
        String[] parts = pattern.substring(1).split("/");
        if (!p.isAbsolute() || p.getNameCount() != parts.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            Path name = p.getName(i);
            boolean same = isGlob(parts[i]) ? nameMatches(parts[i], matcherOf(fs, parts[i]), name) : parts[i].equals(name.toString());
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** {@code part} of a pattern (wildcards, no braces: '{' and '}' are plain characters) as a matcher of names. */
    private static PathMatcher matcherOf(FileSystem fs, String part) {
        return fs.getPathMatcher("glob:" + part.replace("{", "\\{").replace("}", "\\}"));
    }

    /** Whether file name {@code name} matches {@code part}: a hidden name only a part that starts with a dot. */
    private static boolean nameMatches(String part, PathMatcher matcher, Path name) {
        return (part.startsWith(".") || !name.toString().startsWith(".")) && matcher.matches(name);
    }

    /**
     * The paths on {@code fs} that {@code pattern} (absolute, normalized) matches now.
     *
     * @throws IOException if a folder on the way cannot be listed (a missing one is no match)
     */
    static List<Path> expand(FileSystem fs, String pattern) throws IOException {
        String[] parts = pattern.substring(1).split("/");
        List<Path> current = new ArrayList<>(List.of(fs.getPath("/")));
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                if (!isGlob(part)) {
                    Path p = dir.resolve(part);
                    if (last ? Files.exists(p, LinkOption.NOFOLLOW_LINKS) : Files.isDirectory(p)) {
                        next.add(p);
                    }
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                PathMatcher matcher = matcherOf(fs, part);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (!nameMatches(part, matcher, entry.getFileName())) {
                            continue;
                        }
                        if (last ? !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) : Files.isDirectory(entry)) {
                            next.add(entry);
                        }
                    }
                } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException gone) {
                    // vanished while listing: no match there
                }
            }
            current = next;
        }
        current.sort(Comparator.comparing(Path::toString));
        return current;
    }
}
