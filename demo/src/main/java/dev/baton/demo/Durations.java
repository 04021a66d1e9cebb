package dev.baton.demo;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short durations of the config file and the command line: 500ms, 30s, 5m, 2h, 1d. */
final class Durations {
    private static final Pattern SHAPE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration {@code text} names: a whole number and one unit of ms, s, m, h, d.
     *
     * @throws IllegalArgumentException with the reason, if the text is not such a duration or is zero
     */
    static Duration parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            if (text.matches("\\d+")) {
                throw new IllegalArgumentException("duration '" + text + "' has no unit; use ms, s, m, h or d (for example 30s)");
            }
            if (text.matches("\\d+[A-Za-z]+")) {
                throw new IllegalArgumentException("duration '" + text + "' has an unknown unit; use ms, s, m, h or d (for example 30s)");
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration; use a whole number and a unit: 500ms, 30s, 5m, 2h, 1d");
        }
        long amount;
        Duration duration;
        try {
            amount = Long.parseLong(m.group(1));
            duration = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            duration.toNanos(); // the loop counts in nanoseconds: about 292 years at most
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long; the most is about 292 years (106751d)");
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("duration '" + text + "' must be longer than zero");
        }
        return duration;
    }

    /** {@code duration} in the largest unit that divides it exactly, the way {@link #parse} reads it. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        if (!duration.equals(Duration.ofMillis(ms))) {
            return duration.toString();
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
