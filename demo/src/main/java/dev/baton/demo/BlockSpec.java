package dev.baton.demo;

import dev.baton.rotation.RotationOptions;
import java.util.List;

/**
 * One block of the config file, read and checked, before its paths are expanded: its path
 * patterns, when its files are rotated and how.
 *
 * @param file the config file that holds it, as named in messages
 * @param line the line of its '{'
 * @param patterns its paths and globs, in the order written
 * @param trigger when its files are rotated
 * @param options how they are rotated
 */
record BlockSpec(String file, int line, List<PathPattern> patterns, Trigger trigger, RotationOptions options) {

    /**
     * A path as written in a block's head: a plain absolute path, or a glob ({@code *}, {@code ?},
     * {@code [...]}) expanded against the file system.
     *
     * @param text the path, unquoted and normalized
     * @param file the config file, as named in messages
     * @param line the line that names it
     * @param glob whether it has a wildcard
     */
    record PathPattern(String text, String file, int line, boolean glob) {
        String origin() {
            return file + ":" + line;
        }
    }
}
