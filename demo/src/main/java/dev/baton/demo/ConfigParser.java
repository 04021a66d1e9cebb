package dev.baton.demo;

import dev.baton.rotation.RotationOptions;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the daemon's config file, in logrotate's syntax: directives before the first block are
 * the defaults of the blocks that follow; a block is one or more absolute paths or globs
 * (quoted if they hold spaces) and directives in braces; {@code include} reads a file or each
 * file of a folder; {@code #} starts a comment. See docs/demo.md for the reference.
 *
 * <p>Every error of every file is collected, each as {@code FILE:LINE: reason}; a config with
 * any error yields no block at all.
 */
final class ConfigParser {
    /*
     * Design notes. A line is split into words; a quoted word ("..." or '...') is one word and
     * never a brace or a comment. '{' and '}' are words of their own even when written against a
     * word. Outside a block, a word that names a directive (known or not supported) starts a
     * default for the blocks that follow, anything else is a path; inside, the first word of a
     * line (or after '{') is a directive and the rest of the line, up to a brace, its values.
     * prerotate and postrotate take the following lines verbatim up to a line whose first word is
     * endscript.
     *
     * Defaults: each file starts with the defaults of its includer at the point of the include;
     * what it sets applies to its own later blocks only (so an included file cannot change the
     * blocks of the file that included it). Within a block, a directive given twice is an error;
     * among the defaults, a later one replaces an earlier one (the way logrotate.conf is layered).
     *
     * One instance reads one config (with its includes); it is used by one thread.
     */

    /** The directives Baton knows, in the order the reference lists them. */
    static final List<String> DIRECTIVES = List.of("rotate", "every", "hourly", "daily", "weekly", "monthly", "yearly",
            "size", "check", "at", "zone", "copytruncate", "nocopytruncate", "create", "nocreate", "compress", "nocompress",
            "delaycompress", "nodelaycompress", "ifempty", "notifempty", "missingok", "nomissingok", "minsize", "maxsize",
            "maxage", "allowhardlink", "noallowhardlink", "prerotate", "postrotate", "sharedscripts", "nosharedscripts",
            "include");
    private static final Set<String> TRIGGERS = Set.of("every", "hourly", "daily", "weekly", "monthly", "yearly", "size");
    private static final Set<String> SCRIPTS = Set.of("prerotate", "postrotate");
    /** Every directive followed by a script up to endscript, supported or not. */
    private static final Set<String> SCRIPT_LIKE = Set.of("prerotate", "postrotate", "firstaction", "lastaction", "preremove");
    private static final Set<String> NO_VALUE = Set.of("hourly", "daily", "monthly", "yearly", "copytruncate", "nocopytruncate",
            "nocreate", "compress", "nocompress", "delaycompress", "nodelaycompress", "ifempty", "notifempty", "missingok",
            "nomissingok", "allowhardlink", "noallowhardlink", "sharedscripts", "nosharedscripts", "prerotate", "postrotate");
    /** Default for {@code check}: how often the original program looked at a file's size. */
    static final Duration DEFAULT_CHECK = Duration.ofSeconds(60);
    /** Default for {@code at}: the start of the day. */
    static final LocalTime DEFAULT_AT = LocalTime.MIDNIGHT;
    private static final Pattern SIZE = Pattern.compile("(\\d+)([A-Za-z]*)");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    /** Names an included folder's files may have and still be skipped: backups and package leftovers. */
    private static final Pattern TABOO = Pattern.compile("^\\..*|.*(~|\\.bak|\\.orig|\\.swp|\\.disabled|\\.cfsaved|\\.rhn-cfg-tmp-.*"
            + "|\\.dpkg-[a-z]+|\\.rpm[a-z]+|\\.ucf-[a-z]+|,v)$");

    /** Errors of all files, in the order the files were read, each file's by line. */
    private final List<String> errors = new ArrayList<>();
    private final List<BlockSpec> blocks = new ArrayList<>();
    /** Real paths of the files being read (the include chain), to refuse a cycle. */
    private final Set<Path> reading = new HashSet<>();
    /** Every plain path named so far, with where. */
    private final Map<Path, String> seen = new HashMap<>();

    private ConfigParser() {
    }

    /**
     * Reads the config file {@code file} (named {@code name} in messages) and what it includes,
     * refusing files and folders others can write.
     *
     * @return the blocks, in file order
     * @throws ConfigException with every error found
     */
    static List<BlockSpec> read(Path file, String name) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        Path real = ConfigFiles.realPath(file, name, parser.errors);
        String text = real == null ? null : ConfigFiles.read(file, real, name, parser.errors);
        if (text != null) {
            parser.parseFile(name, file, real, text, new Settings());
        }
        return parser.result(name);
    }

    /**
     * Parses {@code text}, the contents of the file named {@code fileName} in messages; an
     * {@code include} with a relative path is read from the folder of {@code fileName}.
     *
     * @throws ConfigException with every error found
     */
    static List<BlockSpec> parse(String fileName, String text) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        parser.parseFile(fileName, null, null, text.startsWith("\uFEFF") ? text.substring(1) : text, new Settings());
        return parser.result(fileName);
    }

    private List<BlockSpec> result(String name) throws ConfigException {
        if (errors.isEmpty() && blocks.isEmpty()) {
            errors.add(name + ":" + 1 + ": no policies: the file names no path; see --help for an example");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return List.copyOf(blocks);
    }

    // ---------------------------------------------------------------------------------------
    // One file

    /** The state of one file being read. */
    private final class FileReader {
        final String name;
        final Path path;
        final Settings defaults;
        final List<Error> fileErrors = new ArrayList<>();
        /** Paths read since the last block, waiting for their '{'. */
        final List<BlockSpec.PathPattern> pendingPaths = new ArrayList<>();
        int pendingLine;
        /** The open block's settings, or null outside one. */
        Settings block;
        int blockLine;
        List<BlockSpec.PathPattern> blockPaths;

        FileReader(String name, Path path, Settings defaults) {
            this.name = name;
            this.path = path;
            this.defaults = defaults;
        }

        void error(int line, String reason) {
            fileErrors.add(new Error(line, reason));
        }
    }

    /** Parses {@code text}, the contents of {@code path} (null for text given as such), whose real path is {@code real}. */
    private void parseFile(String name, Path path, Path real, String text, Settings inherited) {
        if (real != null) {
            reading.add(real);
        }
        FileReader f = new FileReader(name, path, inherited.copy());
        String[] lines = text.split("\r\n|\r|\n", -1);
        int count = lines.length - (text.endsWith("\n") || text.endsWith("\r") ? 1 : 0);
        for (int i = 0; i < count; i++) {
            int lineNo = i + 1;
            List<Token> tokens = tokens(f, lineNo, lines[i]);
            String script = scriptStarted(f, lineNo, tokens);
            if (script != null) {
                int end = i + 1;
                while (end < count && !firstWord(lines[end]).equals("endscript")) {
                    end++;
                }
                if (end >= count) {
                    f.error(lineNo, "'" + script + "' has no 'endscript' line: the script runs to the end of the file");
                    f.block = null;
                    i = count;
                } else {
                    String body = String.join("\n", List.of(lines).subList(i + 1, end)).strip();
                    setScript(f, lineNo, script, body);
                    List<String> after = List.of(lines[end].trim().split("\\s+"));
                    if (after.size() > 1 && !after.get(1).startsWith("#")) {
                        // "endscript }" closes the block too, as logrotate reads it.
                        parseLine(f, end + 1, tokens(f, end + 1, lines[end].trim().substring("endscript".length())));
                    }
                    i = end;
                }
            }
        }
        if (f.block != null) {
            f.error(f.blockLine, "unbalanced braces: the block opened here has no closing '}'");
        }
        if (!f.pendingPaths.isEmpty()) {
            f.error(f.pendingLine, "paths without a block: add '{', the directives, and '}' after them");
        }
        f.fileErrors.stream().sorted(Comparator.comparingInt(Error::line))
                .forEach(e -> errors.add(name + ":" + e.line() + ": " + e.reason()));
        if (real != null) {
            reading.remove(real);
        }
    }

    private static String firstWord(String line) {
        String t = line.trim();
        int space = t.indexOf(' ');
        int tab = t.indexOf('\t');
        int end = space < 0 ? tab : tab < 0 ? space : Math.min(space, tab);
        return end < 0 ? t : t.substring(0, end);
    }

    /**
     * Parses the tokens of a line; if the line opens a script (prerotate/postrotate inside a
     * block, with nothing after it), returns the script's directive so that the caller reads its
     * body.
     */
    private String scriptStarted(FileReader f, int line, List<Token> tokens) {
        int last = tokens.size() - 1;
        if (last >= 0 && !tokens.get(last).quoted && SCRIPT_LIKE.contains(tokens.get(last).text)) {
            boolean atDirectiveStart = last == 0 || tokens.get(last - 1).isBrace("{");
            if (atDirectiveStart) {
                parseLine(f, line, tokens.subList(0, last));
                String script = tokens.get(last).text;
                if (!SCRIPTS.contains(script)) {
                    f.error(line, "'" + script + "' is not supported by Baton: " + Unsupported.ADVICE.get(script));
                    if (f.block != null) {
                        f.block.bad = true;
                    }
                } else if (f.block == null) {
                    f.error(line, "'" + script + "' outside a block; scripts belong to the block of the files they are for");
                }
                return script;
            }
        }
        parseLine(f, line, tokens);
        return null;
    }

    private void setScript(FileReader f, int line, String script, String body) {
        if (f.block == null || !SCRIPTS.contains(script)) {
            return;
        }
        if (body.isEmpty()) {
            f.error(line, "'" + script + "' has an empty script; remove it or give the commands before 'endscript'");
            return;
        }
        if (!f.block.given(script, line, f)) {
            return;
        }
        if (script.equals("prerotate")) {
            f.block.prerotate = body;
        } else {
            f.block.postrotate = body;
        }
    }

    /** A word of a line: its text, unquoted, and whether it was quoted. */
    private record Token(String text, boolean quoted) {
        boolean isBrace(String brace) {
            return !quoted && text.equals(brace);
        }
    }

    /** The words of a line without its comment; braces split off; quotes removed. */
    private static List<Token> tokens(FileReader f, int line, String text) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        boolean quotedWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    f.error(line, "unclosed quote " + c + ": a quoted path ends with the same quote on its line");
                    return List.of();
                }
                current.append(text, i + 1, close);
                inWord = true;
                quotedWord = true;
                i = close + 1;
                continue;
            }
            if (Character.isWhitespace(c) || c == '{' || c == '}') {
                if (inWord) {
                    tokens.add(new Token(current.toString(), quotedWord));
                    current.setLength(0);
                    inWord = false;
                    quotedWord = false;
                }
                if (c == '{' || c == '}') {
                    tokens.add(new Token(String.valueOf(c), false));
                }
                i++;
                continue;
            }
            if (c == '#' && !inWord) {
                break;
            }
            current.append(c);
            inWord = true;
            i++;
        }
        if (inWord) {
            tokens.add(new Token(current.toString(), quotedWord));
        }
        return tokens;
    }

    private static boolean isDirectiveName(String word) {
        return DIRECTIVES.contains(word) || Unsupported.ADVICE.containsKey(word) || Unsupported.NO_OPS.contains(word);
    }

    private void parseLine(FileReader f, int line, List<Token> tokens) {
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            if (f.block == null) {
                if (token.isBrace("{")) {
                    openBlock(f, line);
                    i++;
                } else if (token.isBrace("}")) {
                    f.error(line, "unbalanced braces: '}' without an open block");
                    i++;
                } else if (!token.quoted && isDirectiveName(token.text)) {
                    int end = valuesEnd(tokens, i + 1);
                    if (!f.pendingPaths.isEmpty()) {
                        f.error(line, "directive '" + token.text + "' between paths and their '{'; put it inside the block");
                    } else {
                        directive(f, f.defaults, false, line, token.text, texts(tokens.subList(i + 1, end)));
                    }
                    i = end;
                } else {
                    addPath(f, line, token.text);
                    i++;
                }
            } else if (token.isBrace("}")) {
                closeBlock(f);
                i++;
            } else if (token.isBrace("{")) {
                f.error(line, "unbalanced braces: '{' inside the block opened at line " + f.blockLine + "; close that block with '}' first");
                i++;
            } else {
                int end = valuesEnd(tokens, i + 1);
                directive(f, f.block, true, line, token.text, texts(tokens.subList(i + 1, end)));
                i = end;
            }
        }
    }

    private static int valuesEnd(List<Token> tokens, int from) {
        int end = from;
        while (end < tokens.size() && !tokens.get(end).isBrace("}") && !tokens.get(end).isBrace("{")) {
            end++;
        }
        return end;
    }

    private static List<String> texts(List<Token> tokens) {
        return tokens.stream().map(Token::text).toList();
    }

    private void addPath(FileReader f, int line, String text) {
        if (!text.startsWith("/")) {
            f.error(line, "relative path '" + text + "': paths must be absolute (start with /)");
            return;
        }
        Path path;
        try {
            path = Path.of(text.replace("*", "_").replace("?", "_").replace("[", "_").replace("]", "_"));
        } catch (InvalidPathException e) {
            String jnu = System.getProperty("sun.jnu.encoding");
            f.error(line, "path '" + text + "' cannot be named: " + e.getReason()
                    + (jnu != null && !jnu.toUpperCase(Locale.ROOT).contains("UTF") ? "; this JVM names files in " + jnu
                    + " (the locale); start it under a UTF-8 locale, for example LC_ALL=C.UTF-8 (./baton and demo/dist/baton-rotate.service do)" : ""));
            return;
        }
        boolean glob = Globs.isGlob(text);
        String normalized = Globs.normalize(text);
        if (Path.of("/").equals(path.normalize()) || normalized.equals("/")) {
            f.error(line, "'" + text + "' names no file; give the path of the file to rotate");
            return;
        }
        if (!glob) {
            Path p = Path.of(normalized);
            String first = seen.putIfAbsent(p, f.name + ":" + line);
            if (first != null) {
                String where = first.startsWith(f.name + ":") ? "line " + first.substring(f.name.length() + 1) : first;
                f.error(line, "path " + p + " given twice (first at " + where + "); each file may have one policy");
                return;
            }
        }
        if (f.pendingPaths.isEmpty()) {
            f.pendingLine = line;
        }
        f.pendingPaths.add(new BlockSpec.PathPattern(normalized, f.name, line, glob));
    }

    private void openBlock(FileReader f, int line) {
        // Defaults record no lines, attempts or bad values (those are a block's), so the copy starts without any.
        f.block = f.defaults.copy();
        f.blockLine = line;
        f.blockPaths = List.copyOf(f.pendingPaths);
        if (f.pendingPaths.isEmpty() && f.fileErrors.stream().noneMatch(e -> e.line() == line)) {
            f.error(line, "'{' without a path before it; a block follows one or more absolute paths");
        }
        f.pendingPaths.clear();
    }

    // ---------------------------------------------------------------------------------------
    // Directives

    private void directive(FileReader f, Settings s, boolean inBlock, int line, String name, List<String> args) {
        if (name.equals("su") && (args.size() == 1 || args.size() == 2) && args.get(0).equals(ConfigFiles.USER)) {
            // The identity Baton runs as already (a package's 'su root root' under root): nothing
            // to change. The group has no effect either: versions keep the file's owner and group,
            // and new files get create's or the old file's.
            return;
        }
        if (args.size() == 1 && Unsupported.SAME_AS_BATON.getOrDefault(name, java.util.Set.of()).contains(args.get(0))) {
            return; // asks for what Baton does anyway (compresscmd gzip, compressext .gz)
        }
        if (Unsupported.ADVICE.containsKey(name)) {
            f.error(line, "'" + name + "' is not supported by Baton: " + Unsupported.ADVICE.get(name));
            return;
        }
        if (Unsupported.NO_OPS.contains(name)) {
            return;
        }
        if (!DIRECTIVES.contains(name)) {
            f.error(line, "unknown directive '" + name + "'; see docs/demo.md for the directives Baton reads");
            return;
        }
        if (name.equals("include")) {
            if (inBlock) {
                f.error(line, "'include' inside a block; put it between blocks");
            } else if (args.size() != 1) {
                f.error(line, "'include' takes one value (a file or folder), got " + (args.isEmpty() ? "none" : args.size()));
            } else {
                include(f, line, args.get(0));
            }
            return;
        }
        if (SCRIPTS.contains(name)) {
            f.error(line, "'" + name + "' must end its line; the script follows on the next lines, up to 'endscript'");
            return;
        }
        if (inBlock) {
            s.attempted.add(name);
        }
        boolean optionalValue = name.equals("weekly") || name.equals("create");
        if (NO_VALUE.contains(name) && !args.isEmpty()) {
            f.error(line, "'" + name + "' takes no value, got " + String.join(" ", args));
            s.bad = inBlock || s.bad;
            return;
        }
        if (!NO_VALUE.contains(name) && !optionalValue && args.size() != 1) {
            f.error(line, "'" + name + "' takes one value (" + example(name) + "), got "
                    + (args.isEmpty() ? "none" : args.size() + ": " + String.join(" ", args)));
            if (inBlock) {
                s.bad = true;
            }
            return;
        }
        if (inBlock && !s.given(name, line, f)) {
            return;
        }
        try {
            apply(s, inBlock, line, name, args, f);
        } catch (IllegalArgumentException e) {
            f.error(line, name + ": " + e.getMessage());
            if (inBlock) {
                s.bad = true;
            }
        }
    }

    private void apply(Settings s, boolean inBlock, int line, String name, List<String> args, FileReader f) {
        String value = args.isEmpty() ? null : args.get(0);
        if (TRIGGERS.contains(name)) {
            if (inBlock && s.triggerLine > 0) {
                f.error(line, "two triggers in one block ('" + s.trigger + "' at line " + s.triggerLine + ", '" + name
                        + "' here); give exactly one" + (name.equals("size") || s.trigger.equals("size")
                        ? " (for 'daily, or sooner when over N' use maxsize N)" : ""));
                s.bad = true;
                return;
            }
            switch (name) {
                case "every" -> s.every = Durations.parse(value);
                case "size" -> s.maxBytes = positiveSize(value);
                case "weekly" -> s.weekday = parseWeekday(args);
                default -> { }
            }
            s.trigger = name;
            s.triggerLine = inBlock ? line : 0;
            return;
        }
        switch (name) {
            case "rotate" -> s.keep = parseKeep(value);
            case "check" -> s.check = Durations.parse(value);
            case "at" -> s.at = parseAt(value);
            case "zone" -> s.zone = parseZone(value);
            case "copytruncate" -> s.copyTruncate = true;
            case "nocopytruncate" -> s.copyTruncate = false;
            case "create" -> parseCreate(s, args);
            case "nocreate" -> s.create = false;
            case "compress" -> s.compress = true;
            case "nocompress" -> s.compress = false;
            case "delaycompress" -> s.delayCompress = true;
            case "nodelaycompress" -> s.delayCompress = false;
            case "ifempty" -> s.ifEmpty = true;
            case "notifempty" -> s.ifEmpty = false;
            case "missingok" -> s.missingOk = true;
            case "nomissingok" -> s.missingOk = false;
            case "minsize" -> s.minSize = positiveSize(value);
            case "maxsize" -> s.maxSize = positiveSize(value);
            case "maxage" -> s.maxAge = parseDays(value);
            case "allowhardlink" -> s.allowHardLink = true;
            case "noallowhardlink" -> s.allowHardLink = false;
            case "sharedscripts" -> s.sharedScripts = true;
            case "nosharedscripts" -> s.sharedScripts = false;
            default -> throw new IllegalStateException(name);
        }
    }

    private static String example(String name) {
        return switch (name) {
            case "rotate" -> "the number of versions to keep, for example 'rotate 5'";
            case "every" -> "a duration, for example 'every 30s'";
            case "size", "minsize", "maxsize" -> "a size, for example '" + name + " 1k'";
            case "check" -> "a duration, for example 'check 60s'";
            case "at" -> "a local time, for example 'at 00:00'";
            case "maxage" -> "a number of days, for example 'maxage 30'";
            default -> "a zone, for example 'zone Europe/Paris'";
        };
    }

    private void include(FileReader f, int line, String target) {
        Path path;
        try {
            path = Path.of(target);
            if (!path.isAbsolute()) {
                Path base = f.path != null ? f.path.toAbsolutePath().getParent() : Path.of(f.name).toAbsolutePath().getParent();
                path = base.resolve(path);
            }
        } catch (InvalidPathException e) {
            f.error(line, "include: '" + target + "' is not a path: " + e.getReason());
            return;
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            String refused = ConfigFiles.writableByOthers(path, "included folder");
            if (refused != null) {
                f.error(line, "include " + path + ": " + refused);
                return;
            }
            try (Stream<Path> list = Files.list(path)) {
                list.filter(p -> !TABOO.matcher(p.getFileName().toString()).matches())
                        .filter(Files::isRegularFile)
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .forEach(files::add);
            } catch (IOException e) {
                f.error(line, "include: cannot list " + path + ": " + e.getMessage());
                return;
            }
        } else if (Files.exists(path)) {
            files.add(path);
        } else {
            f.error(line, "include: no such file or folder " + path);
            return;
        }
        for (Path file : files) {
            List<String> readErrors = new ArrayList<>();
            Path real = ConfigFiles.realPath(file, file.toString(), readErrors);
            if (real != null && reading.contains(real)) {
                f.error(line, "include " + file + ": it is already being read (an include cycle)");
                continue;
            }
            String text = real == null ? null : ConfigFiles.read(file, real, file.toString(), readErrors);
            if (text == null) {
                readErrors.forEach(e -> f.error(line, "include " + e.replaceFirst(":0: ", ": ")));
                continue;
            }
            parseFile(file.toString(), file, real, text, f.defaults);
        }
    }

    private void closeBlock(FileReader f) {
        Settings b = f.block;
        int line = f.blockLine;
        f.block = null;
        int before = f.fileErrors.size();
        if (b.trigger == null && b.attempted.stream().noneMatch(TRIGGERS::contains)) {
            f.error(line, "no trigger in this block; give exactly one of: every DURATION, hourly, daily, weekly, monthly,"
                    + " yearly, size SIZE (logrotate rotates at each of its runs, usually daily)");
        }
        if (b.keep == 0 && !b.attempted.contains("rotate")) {
            f.error(line, "no 'rotate N' in this block; say how many versions to keep, for example 'rotate 5'");
        }
        String trigger = b.trigger;
        if (b.lines.containsKey("check") && !"size".equals(trigger) && b.maxSize <= 0) {
            f.error(b.lines.get("check"), "'check' only applies with 'size' or 'maxsize' (how often the size is looked at)");
        }
        boolean calendar = trigger != null && !trigger.equals("every") && !trigger.equals("size");
        if (b.lines.containsKey("at") && !(calendar && !trigger.equals("hourly"))) {
            f.error(b.lines.get("at"), "'at' only applies with 'daily', 'weekly', 'monthly' or 'yearly'");
        }
        if (b.lines.containsKey("zone") && !calendar) {
            f.error(b.lines.get("zone"), "'zone' only applies with 'hourly', 'daily', 'weekly', 'monthly' or 'yearly'");
        }
        if (b.bad || f.fileErrors.size() > before || f.blockPaths.isEmpty() || trigger == null || b.keep == 0) {
            return;
        }
        RotationOptions options;
        try {
            options = b.options(b.lines.containsKey("create") && b.lines.containsKey("copytruncate"));
        } catch (IllegalArgumentException e) {
            f.error(line, e.getMessage());
            return;
        }
        Trigger t = switch (trigger) {
            case "every" -> Trigger.every(b.every);
            case "size" -> Trigger.bySize(b.maxBytes, b.check == null ? DEFAULT_CHECK : b.check);
            case "weekly" -> b.weekday == null ? Trigger.every(Duration.ofDays(7))
                    : Trigger.calendar("weekly", b.zone, b.at == null ? DEFAULT_AT : b.at, 0, b.weekday);
            default -> Trigger.calendar(trigger, b.zone, b.at == null ? DEFAULT_AT : b.at, 0, null);
        };
        if (!trigger.equals("size") && b.check != null) {
            t = t.withSizeCheck(b.check); // with maxsize, checked above
        }
        blocks.add(new BlockSpec(f.name, line, f.blockPaths, t, options));
    }

    // ---------------------------------------------------------------------------------------
    // Values

    private static int parseKeep(String value) {
        if (value.matches("-\\d+")) {
            throw new IllegalArgumentException("must keep at least 1 version, got " + value + " (logrotate's 'rotate -1' never"
                    + " removes versions; Baton keeps a count: give the most you want, for example 1000)");
        }
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
            throw new IllegalArgumentException("must keep at least 1 version, got " + value
                    + " (logrotate's 'rotate 0' deletes the file's history; Baton keeps at least one version)");
        }
        if (keep > RotationOptions.MAX_KEEP) {
            throw new IllegalArgumentException("keeps at most " + RotationOptions.MAX_KEEP + " versions, got " + value);
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

    private static long positiveSize(String value) {
        long size = parseSize(value);
        if (size < 1) {
            throw new IllegalArgumentException("'" + value + "' must be at least 1 byte");
        }
        return size;
    }

    private static Duration parseDays(String value) {
        if (!value.matches("\\d{1,6}") || Integer.parseInt(value) < 1) {
            throw new IllegalArgumentException("'" + value + "' is not a number of days from 1 to 999999");
        }
        return Duration.ofDays(Integer.parseInt(value));
    }

    /** logrotate's weekday: 0 Sunday ... 6 Saturday, 7 every seven days (null); none is Sunday. */
    private static DayOfWeek parseWeekday(List<String> args) {
        if (args.isEmpty()) {
            return DayOfWeek.SUNDAY;
        }
        if (args.size() > 1 || !args.get(0).matches("[0-7]")) {
            throw new IllegalArgumentException("'" + String.join(" ", args) + "' is not a weekday; use 0 (Sunday) to 6"
                    + " (Saturday), or 7 for every seven days");
        }
        int n = Integer.parseInt(args.get(0));
        return n == 7 ? null : n == 0 ? DayOfWeek.SUNDAY : DayOfWeek.of(n);
    }

    private static LocalTime parseAt(String value) {
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a local time; use HH:MM (24-hour), for example 00:00 or 23:30");
        }
    }

    /** A zone id (case-insensitive; the short ids EST, PST ... too), with the reason in the message when it is unknown. */
    static ZoneId parseZone(String value) {
        try {
            return ZoneId.of(value, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            for (String id : ZoneId.getAvailableZoneIds()) {
                if (id.equalsIgnoreCase(value)) {
                    return ZoneId.of(id);
                }
            }
            for (Map.Entry<String, String> e2 : ZoneId.SHORT_IDS.entrySet()) {
                if (e2.getKey().equalsIgnoreCase(value)) {
                    return ZoneId.of(e2.getValue());
                }
            }
            String upper = value.toUpperCase(Locale.ROOT);
            if (!upper.equals(value)) {
                try {
                    return ZoneId.of(upper);
                } catch (DateTimeException ignored) {
                    // fall through to the message
                }
            }
            throw new IllegalArgumentException("unknown zone '" + value + "'; use a region such as Europe/Paris or an offset such as +01:00");
        }
    }

    private static void parseCreate(Settings s, List<String> args) {
        if (args.size() > 3) {
            throw new IllegalArgumentException("takes at most a mode, an owner and a group (create 0640 www-data adm), got "
                    + String.join(" ", args));
        }
        Set<PosixFilePermission> mode = null;
        String owner = null;
        String group = null;
        if (!args.isEmpty()) {
            String m = args.get(0);
            if (!MODE.matcher(m).matches()) {
                throw new IllegalArgumentException("'" + m + "' is not an octal mode; use for example 0640");
            }
            int bits = Integer.parseInt(m, 8);
            if (bits > 0777) {
                throw new IllegalArgumentException("mode " + m + " has setuid, setgid or sticky bits; a log file takes permission bits only (0 to 0777)");
            }
            mode = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
            for (int i = 0; i < 9; i++) {
                if ((bits & (0400 >> i)) != 0) {
                    mode.add(all[i]);
                }
            }
        }
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        if (args.size() > 1) {
            owner = args.get(1);
            mustExist("user", owner, users::lookupPrincipalByName);
        }
        if (args.size() > 2) {
            group = args.get(2);
            mustExist("group", group, users::lookupPrincipalByGroupName);
        }
        s.create = true;
        s.createMode = mode == null ? null : Collections.unmodifiableSet(mode);
        s.createOwner = owner;
        s.createGroup = group;
    }

    /** A look-up of a user or group name on this machine. */
    private interface Lookup {
        void find(String name) throws IOException;
    }

    /** Throws, naming the {@code kind} ("user" or "group") and {@code name}, unless {@code lookup} finds it. */
    private static void mustExist(String kind, String name, Lookup lookup) {
        try {
            lookup.find(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("no " + kind + " '" + name + "' on this machine");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot look up " + kind + " '" + name + "': " + e.getMessage());
        }
    }

    private record Error(int line, String reason) {
    }

    /**
     * The directives in force: the defaults, or a block's. Package-private for ConfigParserTest,
     * which checks that {@link #copy} keeps every field.
     */
    static final class Settings implements Cloneable {
        /** Directive name to the line that gave it, in this block only (empty for defaults). Replaced only by copy(). */
        Map<String, Integer> lines = new LinkedHashMap<>();
        /** Whether a directive's value was rejected (already reported); never set for defaults. */
        boolean bad;
        /**
         * The directives this block gave, good or bad: a bad 'rotate' is not also reported missing
         * (empty for defaults). Replaced only by copy().
         */
        Set<String> attempted = new HashSet<>();
        int keep;
        String trigger;
        /** The line of this block's trigger; 0 if inherited from the defaults. */
        int triggerLine;
        Duration every;
        long maxBytes;
        DayOfWeek weekday;
        Duration check;
        LocalTime at;
        ZoneId zone;
        boolean copyTruncate;
        boolean create;
        /** Unmodifiable, so that a copy may share it. */
        Set<PosixFilePermission> createMode;
        String createOwner;
        String createGroup;
        boolean compress;
        boolean delayCompress;
        boolean ifEmpty = true;
        boolean missingOk = true;
        long minSize;
        long maxSize;
        Duration maxAge;
        boolean allowHardLink;
        boolean sharedScripts;
        String prerotate;
        String postrotate;

        /**
         * A copy with every field's value: a field added later is copied too. The collections a
         * block fills in ({@link #lines}, {@link #attempted}) are copied, not shared; the others
         * are immutable values.
         */
        Settings copy() {
            Settings c;
            try {
                c = (Settings) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
            c.lines = new LinkedHashMap<>(lines);
            c.attempted = new HashSet<>(attempted);
            return c;
        }

        /** Records that this block gives {@code name} at {@code line}; false (and an error) if it did already. */
        boolean given(String name, int line, FileReader f) {
            // The no-argument switches come in pairs (compress/nocompress): one entry per pair.
            String key = name.startsWith("no") && DIRECTIVES.contains(name.substring(2)) ? name.substring(2) : name;
            Integer first = lines.putIfAbsent(key, line);
            if (first != null) {
                f.error(line, "'" + name + "' given twice in this block (first at line " + first + ")");
                bad = true;
                return false;
            }
            return true;
        }

        /**
         * The rotation options. With copytruncate, a create inherited from the defaults is
         * dropped (logrotate: the old file stays in place, so create has no effect); given both
         * in one block ({@code bothHere}) it is an error.
         */
        RotationOptions options(boolean bothHere) {
            RotationOptions.Builder o = RotationOptions.builder(keep);
            if (copyTruncate) {
                o.copyTruncate();
            }
            if (create && (!copyTruncate || bothHere)) {
                o.create(createMode, createOwner, createGroup);
            }
            if (compress) {
                o.compress();
            }
            if (delayCompress && compress) {
                o.delayCompress();
            }
            if (!ifEmpty) {
                o.notIfEmpty();
            }
            if (!missingOk) {
                o.notMissingOk();
            }
            if (minSize > 0) {
                o.minSize(minSize);
            }
            if (maxSize > 0) {
                o.maxSize(maxSize);
            }
            if (maxAge != null) {
                o.maxAge(maxAge);
            }
            if (allowHardLink) {
                o.allowHardLink();
            }
            if (sharedScripts) {
                o.sharedScripts();
            }
            if (prerotate != null) {
                o.prerotate(prerotate);
            }
            if (postrotate != null) {
                o.postrotate(postrotate);
            }
            return o.build();
        }
    }
}
