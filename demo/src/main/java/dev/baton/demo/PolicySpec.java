package dev.baton.demo;

import dev.baton.rotation.RotationPolicy;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One rotation policy as the config file (or the built-in defaults) describes it, before it is
 * bound to a file system.
 *
 * @param path the absolute, normalized path on the real file system
 * @param line the config line that named the path; 0 for the defaults
 * @param kind "interval", "daily" or "size", as {@link RotationPolicy#kind()} names them
 * @param keep versions kept, at least 1
 * @param every the interval ("interval"), or how often the size is checked ("size"); else null
 * @param maxBytes the size a file must exceed to be rotated ("size"); else 0
 * @param zone the zone of a daily policy, or null for the loop's zone
 * @param at the local time of a daily policy; else null
 */
record PolicySpec(Path path, int line, String kind, int keep, Duration every, long maxBytes, ZoneId zone, LocalTime at) {

    static PolicySpec every(Path path, int line, int keep, Duration interval) {
        return new PolicySpec(path, line, "interval", keep, interval, 0, null, null);
    }

    static PolicySpec bySize(Path path, int line, int keep, long maxBytes, Duration checkEvery) {
        return new PolicySpec(path, line, "size", keep, checkEvery, maxBytes, null, null);
    }

    static PolicySpec daily(Path path, int line, int keep, ZoneId zone, LocalTime at) {
        return new PolicySpec(path, line, "daily", keep, null, 0, zone, at);
    }

    /** This policy's path on {@code fs}: the same absolute path string (how --simulate mirrors files). */
    Path pathOn(FileSystem fs) {
        return fs.getPath(path.toString());
    }

    /** The rotation policy for this spec, on the file at {@code target}. */
    RotationPolicy toPolicy(Path target) {
        return switch (kind) {
            case "interval" -> RotationPolicy.every(target, keep, every);
            case "size" -> RotationPolicy.bySize(target, keep, maxBytes, every);
            default -> RotationPolicy.daily(target, keep, zone, at);
        };
    }

    /** One line for people: {@code /var/log/app.log: every 30s, keep 3}. */
    String describe() {
        String when = switch (kind) {
            case "interval" -> "every " + Durations.format(every);
            case "size" -> "when over " + maxBytes + " bytes, checked every " + Durations.format(every);
            default -> "daily at " + at + (zone == null ? "" : " " + zone);
        };
        return path + ": " + when + ", keep " + keep;
    }
}
