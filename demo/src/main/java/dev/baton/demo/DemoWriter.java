package dev.baton.demo;

import dev.baton.core.Loop;
import dev.baton.rotation.RotationEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    /** Open channels, by index in {@code files}, when keeping files open. Loop thread only (the writer and the listeners). */
    private final FileChannel[] open;
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
        this.open = new FileChannel[this.files.size()];
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
        try {
            for (long tick = 1; ; tick++) {
                // Fixed rate, like the interval policy: the k-th line is due at start + k seconds.
                long due = start + tick * PERIOD.toNanos();
                Loop.sleep(Duration.ofNanos(Math.max(0, due - loop.clock().nanoTime())));
                String line = timestamp(loop.clock().instant(), loop.clock().zone()) + " line " + (++count) + "\n";
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < open.length; i++) {
                    append(i, bytes);
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
     * (2024-11-03T01:30:00-04:00). Written out by hand: a three-day simulation stamps 259,200
     * lines, and DateTimeFormatter was a tenth of its time.
     */
    static String timestamp(Instant instant, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(instant);
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return t.atOffset(offset).toString();
        }
        StringBuilder b = new StringBuilder(25);
        pad(b, year, 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        return b.append(offset.getId()).toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        return b.repeat('0', width - digits.length()).append(digits);
    }

    private void append(int index, byte[] bytes) {
        Path file = files.get(index);
        try {
            FileChannel channel = open[index];
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                if (keepOpen) {
                    open[index] = channel;
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (!keepOpen) {
                channel.close();
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

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was buffered; the lines written are in the file
            }
        }
    }
}
