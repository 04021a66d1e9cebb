package dev.baton.demo;

import dev.baton.core.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line, parsed and checked; see {@link Main} for the options.
 *
 * @param help {@code --help}
 * @param version {@code --version}
 * @param config {@code --config FILE}, or null for the built-in policies
 * @param simulate {@code --simulate DURATION}, or null to run on real time
 * @param zone {@code --zone ZONE}, or null for the system's zone
 * @param startLocal {@code --start} as a local date-time in the zone, or null
 * @param startInstant {@code --start} as an instant (an ISO instant or offset date-time), or null
 * @param format {@code --format}
 * @param state {@code --state FILE}, or null for the default
 * @param check {@code --check}: print what would be rotated when, touch nothing
 */
record Options(boolean help, boolean version, Path config, Duration simulate, ZoneId zone,
               LocalDateTime startLocal, Instant startInstant, Format format, Path state, boolean check) {

    /** How rotations are printed. */
    enum Format {
        /** A readable table on stdout. */
        TABLE,
        /** One JSON object per line on stdout, and nothing else there. */
        JSONL,
        /** With --simulate: an SVG picture of the timeline on stdout. */
        SVG
    }

    /**
     * Parses {@code args}. Options take their value as the next argument or after '='
     * ({@code --zone UTC}, {@code --zone=UTC}).
     *
     * @throws UsageException naming the option and the rule it breaks
     */
    static Options parse(String[] args) throws UsageException {
        boolean help = false;
        boolean version = false;
        Path config = null;
        Duration simulate = null;
        ZoneId zone = null;
        LocalDateTime startLocal = null;
        Instant startInstant = null;
        Format format = Format.TABLE;
        Path state = null;
        boolean check = false;
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help", "--version", "--check" -> {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    if (name.equals("--version")) {
                        version = true;
                    } else if (name.equals("--check")) {
                        check = true;
                    } else {
                        help = true;
                    }
                    continue;
                }
                case "--config", "--simulate", "--zone", "--start", "--format", "--state" -> {
                    if (!given.add(name)) {
                        throw new UsageException(name + " given twice");
                    }
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException(name + " needs a value: " + valueHint(name));
                        }
                        value = args[++i];
                    }
                    if (value.isEmpty()) {
                        throw new UsageException(name + " needs a value: " + valueHint(name));
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name + "; see --help"
                        : "unexpected argument '" + arg + "'; options start with --, see --help");
            }
            try {
                switch (name) {
                    case "--config" -> config = Path.of(value);
                    case "--state" -> state = Path.of(value).toAbsolutePath().normalize();
                    case "--simulate" -> simulate = Durations.parse(value);
                    case "--zone" -> zone = ConfigParser.parseZone(value);
                    case "--format" -> format = parseFormat(value);
                    default -> {
                        Object start = parseStart(value);
                        if (start instanceof Instant instant) {
                            startInstant = instant;
                        } else {
                            startLocal = (LocalDateTime) start;
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(name + ": " + e.getMessage());
            }
        }
        if (!help && !version && simulate == null && given.contains("--start")) {
            throw new UsageException("--start only applies with --simulate (real runs start now)");
        }
        if (!help && !version && check && simulate != null) {
            throw new UsageException("--check and --simulate exclude each other: --check prints the next rotation of each file,"
                    + " --simulate runs them on a virtual clock");
        }
        if (!help && !version && format == Format.SVG && simulate == null) {
            throw new UsageException("--format svg only applies with --simulate (it draws the simulated timeline)");
        }
        return new Options(help, version, config, simulate, zone, startLocal, startInstant, format, state, check);
    }

    private static String valueHint(String name) {
        return switch (name) {
            case "--config" -> "a config file, for example --config /etc/baton-demo.conf";
            case "--simulate" -> "a duration, for example --simulate 3d";
            case "--zone" -> "a zone, for example --zone America/New_York";
            case "--start" -> "a date-time, for example --start 2024-11-02T12:00";
            case "--state" -> "a state file, for example --state /var/lib/baton-rotate/state";
            default -> "table, jsonl or svg";
        };
    }

    private static Format parseFormat(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "table" -> Format.TABLE;
            case "jsonl" -> Format.JSONL;
            case "svg" -> Format.SVG;
            default -> throw new IllegalArgumentException("unknown format '" + value + "'; use table, jsonl or svg");
        };
    }

    /** A LocalDateTime (local in the zone), or an Instant from an ISO instant or offset date-time. */
    private static Object parseStart(String value) {
        try {
            return java.time.LocalDate.parse(value).atStartOfDay();
        } catch (DateTimeParseException notDate) {
            // a date-time, then
        }
        try {
            return LocalDateTime.parse(value);
        } catch (DateTimeParseException notLocal) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return ZonedDateTime.parse(value).toInstant();
                } catch (DateTimeParseException notZoned) {
                    throw new IllegalArgumentException("'" + value + "' is not a date-time; use a date such as 2024-11-02, a local"
                            + " date-time such as 2024-11-02T12:00 (in --zone) or an ISO instant such as 2024-11-02T16:00:00Z");
                }
            }
        }
    }

    /** The zone runs use: {@code --zone}, else the system's. */
    ZoneId zoneOrSystem() {
        return zone != null ? zone : ZoneId.systemDefault();
    }

    /**
     * The virtual clock of a simulation: {@code --start} in {@link #zoneOrSystem()}, else
     * {@code now} (the caller's reading of real time) truncated to the second.
     */
    VirtualClock virtualClock(Instant now) {
        ZoneId z = zoneOrSystem();
        if (startLocal != null) {
            return VirtualClock.of(startLocal, z);
        }
        return VirtualClock.of(startInstant != null ? startInstant : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), z);
    }
}
