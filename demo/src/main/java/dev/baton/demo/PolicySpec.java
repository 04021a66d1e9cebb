package dev.baton.demo;

import dev.baton.rotation.RotationOptions;
import dev.baton.rotation.RotationPolicy;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One file's rotation as the config file (or the built-in defaults) describes it, before it is
 * bound to a file system.
 *
 * @param path the absolute, normalized path on the real file system
 * @param origin where it was named, {@code FILE:LINE}; "built-in" for the defaults
 * @param trigger when it is rotated
 * @param options how it is rotated
 */
record PolicySpec(Path path, String origin, Trigger trigger, RotationOptions options) {

    static PolicySpec every(Path path, String origin, int keep, Duration interval) {
        return new PolicySpec(path, origin, Trigger.every(interval), RotationOptions.keep(keep));
    }

    static PolicySpec bySize(Path path, String origin, int keep, long maxBytes, Duration checkEvery) {
        return new PolicySpec(path, origin, Trigger.bySize(maxBytes, checkEvery), RotationOptions.keep(keep));
    }

    static PolicySpec daily(Path path, String origin, int keep, ZoneId zone, LocalTime at) {
        return new PolicySpec(path, origin, Trigger.calendar("daily", zone, at, 0, null), RotationOptions.keep(keep));
    }

    String kind() {
        return trigger.kind();
    }

    int keep() {
        return options.keep();
    }

    /** This policy's path on {@code fs}: the same absolute path string (how --simulate mirrors files). */
    Path pathOn(FileSystem fs) {
        return fs.getPath(path.toString());
    }

    /** The rotation policy for this spec, on the file at {@code target}. */
    RotationPolicy toPolicy(Path target) {
        return trigger.toPolicy(target, options);
    }

    /** One line for people: {@code /var/log/app.log: every 30s, keep 3}. */
    String describe() {
        return path + ": " + trigger.describe() + ", " + options;
    }
}
