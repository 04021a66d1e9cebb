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
                        paths = withoutVersions(Globs.expand(fs, pattern.text()));
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
        for (PolicySpec spec : specs) {
            for (PolicySpec other : specs) {
                if (spec != other && isVersionOf(spec.path(), other.path())) {
                    errors.add(spec.origin() + ": " + spec.path() + " is a version of " + other.path() + " (" + other.origin()
                            + "); rotating both would fork its history");
                }
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

    /** {@code paths} without those that are versions of another of them (a glob matching app.log and app.log.1). */
    static List<Path> withoutVersions(List<Path> paths) {
        List<Path> kept = new ArrayList<>();
        for (Path p : paths) {
            boolean version = false;
            for (Path other : paths) {
                if (other != p && isVersionOf(p, other)) {
                    version = true;
                    break;
                }
            }
            if (!version) {
                kept.add(p);
            }
        }
        return kept;
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
