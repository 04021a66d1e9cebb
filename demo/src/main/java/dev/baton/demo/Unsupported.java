package dev.baton.demo;

import java.util.Map;

/** logrotate directives Baton does not offer, each with what to use instead. */
final class Unsupported {
    private Unsupported() {
    }

    private static final String NUMBERED = "Baton names versions .1, .2, ... (the repair after a crash relies on numbers); remove the line";
    private static final String BESIDE = "versions stay beside the file (a rename across folders may be a copy, which is not crash-safe); remove the line";
    private static final String GZIP = "Baton compresses with the JDK's gzip only; remove the line, or run another compressor from postrotate";
    private static final String MAIL = "Baton does not send mail; remove the line, or send it from postrotate";

    /** Directives with the values that ask for exactly what Baton does: read, no effect. */
    static final Map<String, java.util.Set<String>> SAME_AS_BATON = Map.of(
            "compresscmd", java.util.Set.of("gzip", "/bin/gzip", "/usr/bin/gzip"),
            "uncompresscmd", java.util.Set.of("gunzip", "/bin/gunzip", "/usr/bin/gunzip"),
            "compressext", java.util.Set.of(".gz"));

    /** Directive name to the advice printed after "is not supported by Baton: ". */
    static final Map<String, String> ADVICE = Map.ofEntries(
            Map.entry("dateext", NUMBERED),
            Map.entry("dateformat", NUMBERED),
            Map.entry("dateyesterday", NUMBERED),
            Map.entry("datehourago", NUMBERED),
            Map.entry("start", "versions are numbered from 1; remove the line"),
            Map.entry("extension", "versions are named after the whole file name (app.log.1); remove the line"),
            Map.entry("addextension", "versions are named after the whole file name (app.log.1); remove the line"),
            Map.entry("olddir", BESIDE),
            Map.entry("createolddir", BESIDE),
            Map.entry("compresscmd", GZIP),
            Map.entry("uncompresscmd", GZIP),
            Map.entry("compressext", GZIP),
            Map.entry("compressoptions", GZIP),
            Map.entry("mail", MAIL),
            Map.entry("mailfirst", MAIL),
            Map.entry("maillast", MAIL),
            Map.entry("shred", "overwriting blocks is not meaningful on journaled and copy-on-write file systems; remove the line"),
            Map.entry("shredcycles", "overwriting blocks is not meaningful on journaled and copy-on-write file systems; remove the line"),
            Map.entry("su", "Baton does not change its identity, so 'su' may only name the user it runs as (" + ConfigFiles.USER
                    + "); run it as the user that owns the logs (User= in the systemd unit), or remove the line"),
            Map.entry("firstaction", "each file has its own schedule, so a block's files never rotate as one batch to run a"
                    + " command before; use prerotate, which runs before each file's rotation with the file as $1"),
            Map.entry("lastaction", "each file has its own schedule, so a block's files never rotate as one batch to run a"
                    + " command after; use postrotate, which runs after each file's rotation with the file as $1"),
            Map.entry("preremove", "a command per deleted version is not offered; remove the block, or use postrotate"),
            Map.entry("renamecopy", "use copytruncate for writers that do not reopen their file, or create with postrotate"),
            Map.entry("copy", "use copytruncate (Baton does not keep a copy while leaving the file to grow)"),
            Map.entry("minage", "versions are removed by count (rotate) or age (maxage); remove the line"),
            Map.entry("tabooext", "include skips backups and package leftovers (~, .bak, .dpkg-*, .rpm*, .swp, ...) and hidden files; remove the line"),
            Map.entry("taboopat", "include skips backups and package leftovers (~, .bak, .dpkg-*, .rpm*, .swp, ...) and hidden files; remove the line"),
            Map.entry("ignoreduplicates", "a file named by two blocks is an error in Baton, so that one file has one history; remove the duplicate path"));

    /** Directives that ask for logrotate's default, which is also Baton's: accepted, no effect. */
    static final java.util.Set<String> NO_OPS = java.util.Set.of("nomail", "noolddir", "nodateext", "noshred", "nocreateolddir");
}
