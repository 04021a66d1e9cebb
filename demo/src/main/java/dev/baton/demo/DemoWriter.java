package dev.baton.demo;

import dev.baton.core.Loop;
import dev.baton.rotation.RotationEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * The demo's writer coroutine: once a second it appends a timestamped line to each file, the way
 * a program writing logs would, so that every policy has something to rotate.
 *
 * <p>Like a program that logrotate signals after a rotation, it can keep its files open and reopen
 * one when told it was rotated ({@link #rotated}); until then its lines would go to the renamed
 * file, so nothing is lost. On real files it opens each file for every line instead, so that it
 * also follows a file that something else moved or deleted.
 */
final class DemoWriter {
    /** How often a line is appended to each file. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    private final List<Path> files;
    private final PrintStream log;
    private final boolean keepOpen;
    /** Open streams, by index in {@code files}, when keeping files open. Loop thread only (the writer and the listeners). */
    private final OutputStream[] open;
    /** Lines written so far. Writer coroutine only. */
    private long count;
    /** Whether a failure was reported already (one report per run, not one per second). */
    private boolean reported;

    /**
     * @param files the files to append to
     * @param log where a write failure is reported (stderr)
     * @param keepOpen whether to keep each file open until it is rotated (for a file system only
     *     this run uses, such as a simulation's), rather than open it for every line
     */
    DemoWriter(List<Path> files, PrintStream log, boolean keepOpen) {
        this.files = List.copyOf(files);
        this.log = log;
        this.keepOpen = keepOpen;
        this.open = new OutputStream[this.files.size()];
    }

    /** A policy's listener calls this: the file was rotated, so the next line goes to a new file. Loop thread only. */
    void rotated(RotationEvent event) {
        if (event.outcome() == RotationEvent.Outcome.ROTATED) {
            int i = files.indexOf(event.path());
            if (i >= 0) {
                close(open[i]);
                open[i] = null;
            }
        }
    }

    /** The coroutine body: appends a line to each file every {@link #PERIOD}, until cancelled. */
    void run() {
        Loop loop = Loop.current();
        long start = loop.clock().nanoTime();
        Lines lines = new Lines(loop.clock().zone());
        try {
            for (long tick = 1; ; tick++) {
                // Fixed rate, like the interval policy: the k-th line is due at start + k seconds.
                long due = start + tick * PERIOD.toNanos();
                Loop.sleep(Duration.ofNanos(Math.max(0, due - loop.clock().nanoTime())));
                int length = lines.line(loop.clock().instant(), ++count);
                for (int i = 0; i < open.length; i++) {
                    append(i, lines.bytes, length);
                }
            }
        } finally {
            for (int i = 0; i < open.length; i++) {
                close(open[i]);
                open[i] = null;
            }
        }
    }

    /**
     * {@code instant} in {@code zone} to the second, as ISO_OFFSET_DATE_TIME prints it
     * (2024-11-03T01:30:00-04:00): the stamp that starts each line.
     */
    static String timestamp(Instant instant, ZoneId zone) {
        Lines lines = new Lines(zone);
        int length = lines.stamp(instant);
        return length < 0 ? Lines.slowStamp(instant, zone.getRules().getOffset(instant))
                : new String(lines.bytes, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * The writer's lines ({@code STAMP line N\n}), built by hand into one reused array: a
     * three-day simulation writes 259,200 of them, and DateTimeFormatter, a String and its bytes
     * per line were most of the writer's time. The date and the offset are converted again only
     * when they change. Writer coroutine only.
     */
    static final class Lines {
        /** Room for the longest line: a 25-byte stamp (offsets with seconds: 28), " line ", 19 digits, "\n". */
        private static final int CAPACITY = 64;
        private static final byte[] LINE = " line ".getBytes(StandardCharsets.US_ASCII);
        /** The days {@link #stamp} writes itself: years 0000 to 9999, four digits. */
        private static final long MIN_DAY = LocalDate.of(0, 1, 1).toEpochDay();
        private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

        private final ZoneRules rules;
        /** The current line; valid up to the length the last call returned. */
        final byte[] bytes = new byte[CAPACITY];
        /** The local epoch day whose "yyyy-MM-ddT" is in bytes[0..10], or Long.MIN_VALUE for none. */
        private long day = Long.MIN_VALUE;
        /** The offset whose id is in {@link #offsetId}, or null for none. */
        private ZoneOffset offset;
        private byte[] offsetId;

        Lines(ZoneId zone) {
            this.rules = zone.getRules();
        }

        /** Writes {@code STAMP line number\n} into {@link #bytes}; returns its length. */
        int line(Instant instant, long number) {
            int at = stamp(instant);
            if (at < 0) {
                // At most 58 bytes: "+999999999-12-31T23:59:59+18:00 line " and 19 digits.
                byte[] slow = (slowStamp(instant, rules.getOffset(instant)) + " line " + number + "\n").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(slow, 0, bytes, 0, slow.length);
                return slow.length;
            }
            for (byte b : LINE) {
                bytes[at++] = b;
            }
            int width = 1;
            for (long rest = number; rest >= 10; rest /= 10) {
                width++;
            }
            for (int i = at + width - 1; i >= at; i--, number /= 10) {
                bytes[i] = (byte) ('0' + number % 10);
            }
            at += width;
            bytes[at++] = '\n';
            return at;
        }

        /**
         * Writes the stamp of {@code instant} at the start of {@link #bytes}; returns its length,
         * or -1 for a year outside 0000-9999 (then {@link #slowStamp} prints it).
         */
        int stamp(Instant instant) {
            ZoneOffset o = rules.getOffset(instant);
            long local = instant.getEpochSecond() + o.getTotalSeconds();
            long d = Math.floorDiv(local, 86_400);
            int second = (int) Math.floorMod(local, 86_400);
            if (d != day) {
                if (d < MIN_DAY || d > MAX_DAY) {
                    return -1;
                }
                LocalDate date = LocalDate.ofEpochDay(d);
                digits(0, date.getYear(), 4);
                bytes[4] = '-';
                digits(5, date.getMonthValue(), 2);
                bytes[7] = '-';
                digits(8, date.getDayOfMonth(), 2);
                bytes[10] = 'T';
                day = d;
            }
            if (o != offset) {
                offsetId = o.getId().getBytes(StandardCharsets.US_ASCII);
                offset = o;
            }
            digits(11, second / 3600, 2);
            bytes[13] = ':';
            digits(14, second / 60 % 60, 2);
            bytes[16] = ':';
            digits(17, second % 60, 2);
            System.arraycopy(offsetId, 0, bytes, 19, offsetId.length);
            return 19 + offsetId.length;
        }

        /** The stamp through java.time, for the years {@link #stamp} leaves out. */
        static String slowStamp(Instant instant, ZoneOffset offset) {
            return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset).atOffset(offset).toString();
        }

        private void digits(int at, int value, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
        }
    }

    private void append(int index, byte[] bytes, int length) {
        Path file = files.get(index);
        try {
            OutputStream stream = open[index];
            if (stream == null) {
                stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                if (keepOpen) {
                    open[index] = stream;
                }
            }
            // Unbuffered, so a line is in the file as soon as it is written (a size check sees it).
            stream.write(bytes, 0, length);
            if (!keepOpen) {
                stream.close();
            }
        } catch (IOException e) {
            close(open[index]);
            open[index] = null;
            if (!reported) {
                reported = true;
                log.println("baton-demo: the writer could not append to " + file + ": " + e + " (reported once; it keeps trying)");
            }
        }
    }

    private static void close(OutputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing was buffered; the lines written are in the file
            }
        }
    }
}
