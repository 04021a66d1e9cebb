package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a good config file means: its policies, with every default spelled out. */
class ConfigParserTest {

    @Test
    void theIssueExampleGivesOnePolicyPerPathWithTheDefaults() throws ConfigException {
        List<PolicySpec> specs = specs("example.conf", """
                /var/log/app.log /var/log/worker.log {
                    every 30s
                    rotate 3
                }
                /var/log/big.log {
                    size 1k        # k, M, G (1024-based, as logrotate)
                    check 60s
                    rotate 3
                }
                /var/log/daily.log {
                    daily          # at the start of each local day
                    at 00:00       # optional local time
                    zone Europe/Paris   # optional, default the loop's zone
                    rotate 5
                }
                /var/log/plain.log {
                    size 10M
                    rotate 1
                }
                /var/log/midnight.log{daily
                    rotate 2}
                """);
        assertEquals(Stream.of(
                PolicySpec.every(Path.of("/var/log/app.log"), "example.conf:1", 3, Duration.ofSeconds(30)),
                PolicySpec.every(Path.of("/var/log/worker.log"), "example.conf:1", 3, Duration.ofSeconds(30)),
                PolicySpec.bySize(Path.of("/var/log/big.log"), "example.conf:5", 3, 1024, Duration.ofSeconds(60)),
                PolicySpec.daily(Path.of("/var/log/daily.log"), "example.conf:10", 5, ZoneId.of("Europe/Paris"), LocalTime.MIDNIGHT),
                PolicySpec.bySize(Path.of("/var/log/plain.log"), "example.conf:16", 1, 10L << 20, ConfigParser.DEFAULT_CHECK),
                PolicySpec.daily(Path.of("/var/log/midnight.log"), "example.conf:20", 2, null, ConfigParser.DEFAULT_AT)).map(PolicySpec::toString).toList(), specs.stream().map(PolicySpec::toString).toList());
    }

    /** docs/demo.md: maxsize is checked every `check`, a minute by default; the header says so when set. */
    @Test
    void maxsizeTakesACheckInterval() throws ConfigException {
        List<BlockSpec> blocks = ConfigParser.parse("m", """
                /var/log/a.log {
                    daily
                    maxsize 8k
                    check 1s
                    rotate 5
                }
                /var/log/b.log {
                    daily
                    maxsize 8k
                    rotate 5
                }
                """);
        assertEquals(Duration.ofSeconds(1), blocks.get(0).trigger().sizeCheck());
        assertEquals("daily at 00:00 (maxsize checked every 1s)", blocks.get(0).trigger().describe());
        assertEquals(null, blocks.get(1).trigger().sizeCheck());
        assertEquals("daily at 00:00", blocks.get(1).trigger().describe());
    }

    /**
     * A package's stanza says 'su root root' (Debian's postgresql-common does): under the user it
     * names, it changes nothing and is read, so one such line does not stop every other file of
     * an include. Naming another user is refused (BadConfigTest).
     */
    @Test
    void suNamingTheUserBatonRunsAsIsRead() throws ConfigException {
        List<BlockSpec> blocks = ConfigParser.parse("pg", "su " + ConfigFiles.USER + " adm\n/var/log/a.log {\n    weekly\n"
                + "    rotate 10\n    su " + ConfigFiles.USER + "\n}\n");
        assertEquals(1, blocks.size());
    }

    /** compresscmd gzip, uncompresscmd gunzip and compressext .gz ask for what Baton does: read; another program is refused (BadConfigTest). */
    @Test
    void compressionDirectivesNamingGzipAreRead() throws ConfigException {
        List<BlockSpec> blocks = ConfigParser.parse("gz", "/var/log/a.log {\n    daily\n    rotate 3\n    compress\n"
                + "    compresscmd /bin/gzip\n    uncompresscmd /bin/gunzip\n    compressext .gz\n}\n");
        assertEquals(true, blocks.get(0).options().compress());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("xz", "/var/log/a.log {\n    daily\n"
                + "    rotate 3\n    compresscmd /usr/bin/xz\n}\n"));
        assertTrue(e.getMessage().contains("'compresscmd' is not supported by Baton"), e.getMessage());
    }

    static List<PolicySpec> specs(String name, String text) throws ConfigException {
        return Targets.resolve(ConfigParser.parse(name, text), java.nio.file.FileSystems.getDefault()).specs();
    }

    @Test
    void pathsAreNormalizedSoTheSameFileCannotHideBehindDots() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("c", """
                /var/log/a.log { daily
                rotate 1 }
                /var/log/../log/./a.log { daily
                rotate 1 }
                """));
        assertEquals(List.of("c:3: path /var/log/a.log given twice (first at line 1); each file may have one policy"), e.errors());
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "1k, 1024", "1K, 1024", "2M, 2097152", "3G, 3221225472", "8796093022207M, 9223372036853727232"})
    void sizesAre1024Based(String text, long bytes) {
        assertEquals(bytes, ConfigParser.parseSize(text));
    }

    @Test
    void anEnormousSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseSize("9999999999999G"));
        assertEquals("'9999999999999G' is too large a size", e.getMessage());
    }

    /**
     * Each file and each block starts from a copy of the defaults: the copy must keep every
     * directive (also one added later) and share no collection a block fills in.
     */
    @Test
    void aCopyOfTheSettingsKeepsEveryFieldAndSharesNoModifiableCollection() throws Exception {
        ConfigParser.Settings source = new ConfigParser.Settings();
        ConfigParser.Settings defaults = new ConfigParser.Settings();
        for (Field field : settingsFields()) {
            giveOtherValue(source, field);
            assertNotEquals(field.get(defaults), field.get(source), field.getName() + ": the sample must differ from the default");
        }

        ConfigParser.Settings copy = source.copy();

        for (Field field : settingsFields()) {
            Object original = field.get(source);
            Object copied = field.get(copy);
            assertEquals(original, copied, field.getName() + " lost in the copy");
            if (original == copied && (copied instanceof Collection<?> || copied instanceof Map<?, ?>)) {
                assertThrows(UnsupportedOperationException.class,
                        () -> { if (copied instanceof Map<?, ?> m) { m.clear(); } else { ((Collection<?>) copied).clear(); } },
                        field.getName() + " is shared with the source and can be changed through the copy");
            }
        }
    }

    private static List<Field> settingsFields() {
        List<Field> fields = Stream.of(ConfigParser.Settings.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()).toList();
        fields.forEach(f -> f.setAccessible(true));
        return fields;
    }

    /** Sets {@code field} of {@code s} to a value other than its default, by type, so that a new field needs no change here unless of a new type. */
    @SuppressWarnings("unchecked")
    private static void giveOtherValue(ConfigParser.Settings s, Field field) throws IllegalAccessException {
        Class<?> type = field.getType();
        Object value = field.get(s);
        if (type == int.class) {
            field.setInt(s, field.getInt(s) + 7);
        } else if (type == long.class) {
            field.setLong(s, field.getLong(s) + 7);
        } else if (type == boolean.class) {
            field.setBoolean(s, !field.getBoolean(s));
        } else if (type == String.class) {
            field.set(s, "sample " + field.getName());
        } else if (type == Duration.class) {
            field.set(s, Duration.ofSeconds(7));
        } else if (type == DayOfWeek.class) {
            field.set(s, DayOfWeek.TUESDAY);
        } else if (type == LocalTime.class) {
            field.set(s, LocalTime.of(1, 2));
        } else if (type == ZoneId.class) {
            field.set(s, ZoneId.of("Europe/Paris"));
        } else if (value instanceof Map<?, ?> map) {
            ((Map<String, Integer>) map).put("rotate", 3);
        } else if (value instanceof Collection<?> collection) {
            ((Collection<String>) collection).add("rotate");
        } else if (field.getGenericType().getTypeName().equals("java.util.Set<java.nio.file.attribute.PosixFilePermission>")) {
            // As parseCreate stores a mode.
            field.set(s, Collections.unmodifiableSet(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ)));
        } else {
            throw new AssertionError("no sample value for " + field.getName() + " of type " + field.getGenericType() + "; add one here");
        }
    }
}
