package dev.baton.demo;

import dev.baton.rotation.Rotation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files a config's blocks name, found on a file system and checked before anything is
 * touched: globs expanded, each file named once (not twice through a symbolic link, a hard link
 * or a second glob), no file that is another's version, no name whose versions would be too long
 * for the file system. Also used to expand globs again while running.
 */
final class Targets {
    /*
     * Design notes. Identity: an existing file is known by its file key (device and inode), so a
     * symbolic link to its folder and a hard link both show; a file that does not exist yet by
     * the real path of its folder and its name. Name length: Linux's file systems allow 255 bytes
     * per name (NAME_MAX), and the JDK has no pathconf; the longest name a rotation writes is the
     * file's name plus ".rotating", ".copying" or ".N.gz.part". Stateless.
     */

    /** The longest file name, in bytes, of the file systems Baton runs on (Linux's NAME_MAX). */
    static final int NAME_MAX = 255;
    private static final Pattern VERSION_SUFFIX = Pattern.compile("\\.(\\d+(\\.gz)?(\\.part)?|rotating|copying)");

    /** The files and what to tell the operator (not errors), among which each folder's {@link Rotation#checkFolder} warning. */
    record Resolved(List<PolicySpec> specs, List<String> warnings) {
    }

    private Targets() {
    }

    /**
     * The files of {@code blocks} on {@code fs}.
     *
     * @throws ConfigException with every error, each {@code FILE:LINE: reason}
     */
    static Resolved resolve(List<BlockSpec> blocks, FileSystem fs) throws ConfigException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<PolicySpec> specs = new ArrayList<>();
        Map<Object, PolicySpec> byIdentity = new HashMap<>();
        Set<Path> checkedFolders = new LinkedHashSet<>();
        for (BlockSpec block : blocks) {
            for (BlockSpec.PathPattern pattern : block.patterns()) {
                List<Path> paths;
                if (pattern.glob()) {
                    try {
                        paths = logsMatching(fs, pattern.text());
                    } catch (IOException e) {
                        errors.add(pattern.origin() + ": cannot expand " + pattern.text() + ": " + e);
                        continue;
                    }
                } else {
                    paths = List.of(fs.getPath(pattern.text()));
                }
                for (Path path : paths) {
                    if (pattern.glob() && Files.isSymbolicLink(path)) {
                        warnings.add(pattern.origin() + ": " + pattern.text() + " matches the symbolic link " + path
                                + "; Baton does not rotate links, so it is left alone");
                        continue;
                    }
                    String problem = check(path, block);
                    if (problem != null) {
                        errors.add(pattern.origin() + ": " + problem);
                        continue;
                    }
                    PolicySpec spec = new PolicySpec(path, pattern.origin(), block.trigger(), block.options());
                    Object id = identity(path);
                    PolicySpec first = byIdentity.putIfAbsent(id, spec);
                    if (first != null) {
                        errors.add(pattern.origin() + ": " + path + " is the same file as " + first.path() + " (" + first.origin() + ")"
                                + (pattern.glob() ? ", matched again by " + pattern.text() : first.path().equals(path) ? "" : " through a link")
                                + "; each file may have one policy");
                        continue;
                    }
                    specs.add(spec);
                    String warning = folderWarning(path, checkedFolders);
                    if (warning != null) {
                        warnings.add(warning);
                    }
                }
            }
        }
        Map<Path, Integer> index = new HashMap<>();
        for (PolicySpec spec : specs) {
            index.putIfAbsent(spec.path(), index.size());
        }
        List<PolicySpec> ordered = List.copyOf(specs);
        for (PolicySpec spec : specs) {
            for (int i : basesOf(spec.path(), index)) {
                PolicySpec other = ordered.get(i);
                errors.add(spec.origin() + ": " + spec.path() + " is a version of " + other.path() + " (" + other.origin()
                        + "); rotating both would fork its history");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Resolved(List.copyOf(specs), List.copyOf(warnings));
    }

    /** Why {@code path} cannot be rotated with {@code block}'s options, or null. */
    static String check(Path path, BlockSpec block) {
        if (Files.isSymbolicLink(path)) {
            String target;
            try {
                target = path.toRealPath().toString();
            } catch (IOException e) {
                target = "a missing file";
            }
            return path + " is a symbolic link (to " + target + "); Baton does not rotate links, name the file itself";
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return path + " is a folder; name the files in it, for example " + path + "/*.log";
        }
        String name = path.getFileName().toString();
        int keep = block.options().keep();
        String longest = "." + keep + (block.options().compress() ? ".gz.part" : "");
        if (longest.length() < ".rotating".length()) {
            longest = ".rotating";
        }
        int bytes = (name + longest).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) {
            return "the name " + name + " is too long for its versions: " + name + longest + " would be " + bytes
                    + " bytes, over the file system's " + NAME_MAX + "; rename the file or keep fewer versions";
        }
        return null;
    }

    /**
     * The logs a glob {@code pattern} names now: its matches without the versions of another match
     * ({@link #withoutVersions}), and with a version or leftover of a file that is missing now but
     * that the glob would match (app.log.1 after a rotation without {@code create}, app.log.rotating
     * after a crash) standing for that file: its history is not rotated as a log of its own, and a
     * leftover is finished by the file's recovery. In the matches' order, each once.
     *
     * @throws IOException if a folder on the way cannot be listed
     */
    static List<Path> logsMatching(FileSystem fs, String pattern) throws IOException {
        List<Path> matches = Globs.expand(fs, pattern);
        Set<Path> all = new HashSet<>(matches);
        Set<Path> logs = new LinkedHashSet<>();
        for (Path p : withoutVersions(matches)) {
            Path log = p;
            climbing:
            for (;;) { // app.log.1.1 -> app.log.1 -> app.log
                for (Path base : possibleBases(log)) {
                    if (all.contains(base) || !Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS) && Globs.wouldMatchName(fs, pattern, base)) {
                        log = base;
                        continue climbing;
                    }
                }
                break;
            }
            logs.add(log);
        }
        return List.copyOf(logs);
    }

    /**
     * {@code paths} without those that are versions of another of them (a glob matching app.log and
     * app.log.1), in their order. Linear: each name is cut at its dots and the base looked up, so a
     * rescan of a folder of many files does not compare every file with every other.
     */
    static List<Path> withoutVersions(List<Path> paths) {
        Set<Path> all = new HashSet<>(paths);
        List<Path> kept = new ArrayList<>();
        for (Path p : paths) {
            if (!isVersionOfOneOf(p, all)) {
                kept.add(p);
            }
        }
        return kept;
    }

    /** Whether {@code p} is a version ({@link #isVersionOf}) of a path in {@code all}. */
    private static boolean isVersionOfOneOf(Path p, Set<Path> all) {
        for (Path base : possibleBases(p)) {
            if (all.contains(base)) {
                return true;
            }
        }
        return false;
    }

    /** The indexes in {@code index} of the paths {@code p} is a version of, in ascending order. */
    private static List<Integer> basesOf(Path p, Map<Path, Integer> index) {
        List<Integer> found = new ArrayList<>(1);
        for (Path base : possibleBases(p)) {
            Integer i = index.get(base);
            if (i != null) {
                found.add(i);
            }
        }
        found.sort(null);
        return found;
    }

    /**
     * The paths {@code p} would be a version of ({@link #isVersionOf}), whether or not they exist:
     * every version suffix starts at a dot, so {@code p}'s name is cut at each of its dots.
     */
    private static List<Path> possibleBases(Path p) {
        String name = p.getFileName().toString();
        List<Path> bases = new ArrayList<>(1);
        for (int dot = name.indexOf('.', 1); dot > 0; dot = name.indexOf('.', dot + 1)) {
            if (VERSION_SUFFIX.matcher(name.substring(dot)).matches()) {
                bases.add(p.resolveSibling(name.substring(0, dot)));
            }
        }
        return bases;
    }

    /** Whether {@code p} is one of the names a rotation of {@code base} writes: base.N, base.N.gz, base.rotating, ... */
    static boolean isVersionOf(Path p, Path base) {
        if (!p.getParent().equals(base.getParent())) {
            return false;
        }
        String name = p.getFileName().toString();
        String b = base.getFileName().toString();
        return name.startsWith(b) && VERSION_SUFFIX.matcher(name.substring(b.length())).matches();
    }

    /** The file's identity: its file key if it exists, else the real path of its folder and its name. */
    static Object identity(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (a.fileKey() != null) {
                return a.fileKey();
            }
        } catch (IOException missing) {
            // not there yet: by folder and name
        }
        try {
            return path.getParent().toRealPath().resolve(path.getFileName()).toString();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize().toString();
        }
    }

    /**
     * The warning of {@link Rotation#checkFolder} for {@code file}'s folder, once per folder: null
     * if that folder was checked before (it is added to {@code checked}), is safe, or cannot be read.
     */
    static String folderWarning(Path file, Set<Path> checked) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !checked.add(folder)) {
            return null;
        }
        try {
            return Rotation.checkFolder(file).orElse(null);
        } catch (IOException e) {
            return null; // a folder that cannot be read fails the rotation itself, with its reason
        }
    }
}
