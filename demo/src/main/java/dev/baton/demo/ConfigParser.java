package dev.baton.demo;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the demo's config file, in logrotate's shape: one or more absolute paths, then a block of
 * directives in braces; {@code #} starts a comment. See docs/demo.md for the reference.
 *
 * <p>Every error of the file is collected, each as {@code FILE:LINE: reason}; a file with any
 * error yields no policy at all.
 */
final class ConfigParser {
    /*
     * Design notes. A line is split on whitespace; '{' and '}' are tokens of their own even when
     * written against a word. Outside a block, words are paths; inside, the first word of a line
     * (or after '{') is a directive and the rest of the line, up to a '}', its arguments.
     * One instance parses one file; it is used by one thread.
     */

    /** The directives, in the order the reference lists them. */
    static final List<String> DIRECTIVES = List.of("rotate", "every", "daily", "size", "check", "at", "zone");
    private static final List<String> TRIGGERS = List.of("every", "daily", "size");
    /** Default for {@code check}: how often the original program looked at a file's size. */
    static final Duration DEFAULT_CHECK = Duration.ofSeconds(60);
    /** Default for {@code at}: the start of the day. */
    static final LocalTime DEFAULT_AT = LocalTime.MIDNIGHT;
    /** The most versions a block may keep; more is a typo rather than a policy. */
    static final int MAX_KEEP = 10_000;
    private static final Pattern SIZE = Pattern.compile("(\\d+)([A-Za-z]*)");

    private final String fileName;
    /** Errors so far, in the order found; sorted by line (stably) at the end. */
    private final List<Error> errors = new ArrayList<>();
    private final List<PolicySpec> specs = new ArrayList<>();
    /** Every path named so far, with the line that named it first. */
    private final Map<Path, Integer> seen = new HashMap<>();
    /** Paths read since the last block, waiting for their '{'. */
    private final List<Path> pendingPaths = new ArrayList<>();
    private int pendingLine;
    /** The open block, or null outside one. */
    private Block block;

    private ConfigParser(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Parses {@code text}, the contents of the file named {@code fileName} in error messages.
     *
     * @return the policies, in file order
     * @throws ConfigException with every error found
     */
    static List<PolicySpec> parse(String fileName, String text) throws ConfigException {
        ConfigParser parser = new ConfigParser(fileName);
        parser.parseAll(text);
        if (!parser.errors.isEmpty()) {
            throw new ConfigException(parser.errors.stream()
                    .sorted(Comparator.comparingInt(Error::line))
                    .map(e -> fileName + ":" + e.line() + ": " + e.reason())
                    .toList());
        }
        return List.copyOf(parser.specs);
    }

    private void parseAll(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            parseLine(i + 1, tokens(lines[i]));
        }
        int last = Math.max(1, lines.length - (text.endsWith("\n") ? 1 : 0));
        if (block != null) {
            error(block.line, "unbalanced braces: the block opened here has no closing '}'");
            block = null;
        }
        if (!pendingPaths.isEmpty()) {
            error(pendingLine, "paths without a block: add '{', the directives, and '}' after them");
        }
        if (specs.isEmpty() && errors.isEmpty()) {
            error(last, "no policies: the file names no path; see --help for an example");
        }
    }

    /** The words of a line without its comment, with braces split off as words of their own. */
    private static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        for (String word : line.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.startsWith("#")) {
                break;
            }
            StringBuilder current = new StringBuilder();
            for (char c : word.toCharArray()) {
                if (c == '{' || c == '}') {
                    if (!current.isEmpty()) {
                        tokens.add(current.toString());
                        current.setLength(0);
                    }
                    tokens.add(String.valueOf(c));
                } else {
                    current.append(c);
                }
            }
            if (!current.isEmpty()) {
                tokens.add(current.toString());
            }
        }
        return tokens;
    }

    private void parseLine(int line, List<String> tokens) {
        int i = 0;
        while (i < tokens.size()) {
            String token = tokens.get(i);
            if (block == null) {
                if (token.equals("{")) {
                    openBlock(line);
                } else if (token.equals("}")) {
                    error(line, "unbalanced braces: '}' without an open block");
                } else if (DIRECTIVES.contains(token)) {
                    error(line, "directive '" + token + "' outside a block; put it between the '{' and '}' that follow the paths");
                    // Its values are not paths: skip them.
                    while (i + 1 < tokens.size() && !tokens.get(i + 1).equals("{") && !tokens.get(i + 1).equals("}")) {
                        i++;
                    }
                } else {
                    addPath(line, token);
                }
                i++;
            } else if (token.equals("}")) {
                closeBlock();
                i++;
            } else if (token.equals("{")) {
                error(line, "unbalanced braces: '{' inside the block opened at line " + block.line + "; close that block with '}' first");
                i++;
            } else {
                int end = i + 1;
                while (end < tokens.size() && !tokens.get(end).equals("}") && !tokens.get(end).equals("{")) {
                    end++;
                }
                directive(line, token, tokens.subList(i + 1, end));
                i = end;
            }
        }
    }

    private void addPath(int line, String token) {
        Path path;
        try {
            path = Path.of(token);
        } catch (InvalidPathException e) {
            error(line, "'" + token + "' is not a valid path: " + e.getReason());
            return;
        }
        if (!path.isAbsolute()) {
            error(line, "relative path '" + token + "': paths must be absolute (start with /)");
            return;
        }
        path = path.normalize();
        if (path.getFileName() == null) {
            error(line, "'" + token + "' names no file; give the path of the file to rotate");
            return;
        }
        Integer first = seen.putIfAbsent(path, line);
        if (first != null) {
            error(line, "path " + path + " given twice (first at line " + first + "); each file may have one policy");
            return;
        }
        if (pendingPaths.isEmpty()) {
            pendingLine = line;
        }
        pendingPaths.add(path);
    }

    private void openBlock(int line) {
        block = new Block(line, List.copyOf(pendingPaths));
        if (pendingPaths.isEmpty() && !seenPathErrorOn(line)) {
            error(line, "'{' without a path before it; a block follows one or more absolute paths");
        }
        pendingPaths.clear();
    }

    /** Whether an error was already reported on {@code line} (a bad path before this '{'). */
    private boolean seenPathErrorOn(int line) {
        return !errors.isEmpty() && errors.get(errors.size() - 1).line() == line;
    }

    private void directive(int line, String name, List<String> args) {
        if (!DIRECTIVES.contains(name)) {
            error(line, "unknown directive '" + name + "'; known: " + String.join(", ", DIRECTIVES));
            return;
        }
        Integer first = block.lines.putIfAbsent(name, line);
        if (first != null) {
            error(line, "'" + name + "' given twice in this block (first at line " + first + ")");
            return;
        }
        int wanted = name.equals("daily") ? 0 : 1;
        if (args.size() != wanted) {
            error(line, wanted == 0
                    ? "'daily' takes no value, got " + String.join(" ", args)
                    : "'" + name + "' takes one value (" + example(name) + "), got " + (args.isEmpty() ? "none" : args.size() + ": " + String.join(" ", args)));
            block.bad = true;
            return;
        }
        String value = wanted == 0 ? "" : args.get(0);
        try {
            switch (name) {
                case "rotate" -> block.keep = parseKeep(value);
                case "every" -> block.every = Durations.parse(value);
                case "daily" -> { }
                case "size" -> block.maxBytes = parseSize(value);
                case "check" -> block.check = Durations.parse(value);
                case "at" -> block.at = parseAt(value);
                default -> block.zone = parseZone(value);
            }
        } catch (IllegalArgumentException e) {
            error(line, name + ": " + e.getMessage());
            block.bad = true;
        }
    }

    private static String example(String name) {
        return switch (name) {
            case "rotate" -> "the number of versions to keep, for example 'rotate 5'";
            case "every" -> "a duration, for example 'every 30s'";
            case "size" -> "a size, for example 'size 1k'";
            case "check" -> "a duration, for example 'check 60s'";
            case "at" -> "a local time, for example 'at 00:00'";
            default -> "a zone, for example 'zone Europe/Paris'";
        };
    }

    private static int parseKeep(String value) {
        if (!value.matches("\\d+")) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number; give the number of versions to keep, for example 5");
        }
        int keep;
        try {
            keep = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            keep = Integer.MAX_VALUE;
        }
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 version, got " + value);
        }
        if (keep > MAX_KEEP) {
            throw new IllegalArgumentException("keeps at most " + MAX_KEEP + " versions, got " + value);
        }
        return keep;
    }

    /** A size in bytes: a whole number with an optional k, M or G, 1024-based, as logrotate reads it. */
    static long parseSize(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a size; use a whole number of bytes, or one with k, M or G (1024-based), for example 1k");
        }
        int shift = switch (m.group(2)) {
            case "" -> 0;
            case "k", "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "' in '" + value + "'; use k, M or G (1024-based), or none for bytes");
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large a size");
        }
    }

    private static LocalTime parseAt(String value) {
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a local time; use HH:MM (24-hour), for example 00:00 or 23:30");
        }
    }

    /** A zone id, with the reason in the message when it is unknown. */
    static ZoneId parseZone(String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown zone '" + value + "'; use a region such as Europe/Paris or an offset such as +01:00");
        }
    }

    private void closeBlock() {
        Block b = block;
        block = null;
        List<String> triggers = new ArrayList<>();
        for (String name : TRIGGERS) {
            if (b.lines.containsKey(name)) {
                triggers.add(name);
            }
        }
        int before = errors.size();
        if (triggers.isEmpty()) {
            error(b.line, "no trigger in this block; give exactly one of: every DURATION, daily, size SIZE");
        } else if (triggers.size() > 1) {
            String second = triggers.get(1);
            error(b.lines.get(second), "two triggers in one block ('" + triggers.get(0) + "' at line " + b.lines.get(triggers.get(0))
                    + ", '" + second + "' here); give exactly one");
        }
        if (!b.lines.containsKey("rotate")) {
            error(b.line, "no 'rotate N' in this block; say how many versions to keep, for example 'rotate 5'");
        }
        String trigger = triggers.size() == 1 ? triggers.get(0) : null;
        if (b.lines.containsKey("check") && !"size".equals(trigger) && !triggers.contains("size")) {
            error(b.lines.get("check"), "'check' only applies with 'size' (how often the size is looked at)");
        }
        for (String name : List.of("at", "zone")) {
            if (b.lines.containsKey(name) && !triggers.contains("daily")) {
                error(b.lines.get(name), "'" + name + "' only applies with 'daily'");
            }
        }
        if (b.bad || errors.size() > before || b.paths.isEmpty()) {
            return;
        }
        for (Path path : b.paths) {
            specs.add(switch (trigger) {
                case "every" -> PolicySpec.every(path, b.line, b.keep, b.every);
                case "size" -> PolicySpec.bySize(path, b.line, b.keep, b.maxBytes, b.check == null ? DEFAULT_CHECK : b.check);
                default -> PolicySpec.daily(path, b.line, b.keep, b.zone, b.at == null ? DEFAULT_AT : b.at);
            });
        }
    }

    private void error(int line, String reason) {
        errors.add(new Error(line, reason));
    }

    private record Error(int line, String reason) {
    }

    /** A block being read: its paths and the directives seen so far. */
    private static final class Block {
        final int line;
        final List<Path> paths;
        /** Directive name to the line that gave it. */
        final Map<String, Integer> lines = new LinkedHashMap<>();
        /** Whether a directive's value was rejected (already reported). */
        boolean bad;
        int keep;
        Duration every;
        long maxBytes;
        Duration check;
        LocalTime at;
        ZoneId zone;

        Block(int line, List<Path> paths) {
            this.line = line;
            this.paths = paths;
        }
    }
}
