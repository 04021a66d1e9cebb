package dev.baton.core.toolkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Compression, the blocking work the rotation module does, moved off the loop with toThread: a
 * ticker on the same loop keeps its 10 ms beat. Done on the loop instead, the slow-coroutine
 * warning names the compressing coroutine. Real time, bounded: the subject is a real thread
 * blocking a real carrier.
 */
class ToThreadCompressionTest {

    private static final int MEGABYTES = 50;

    private static long compress(int megabytes) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        for (int i = 0; i < block.length; i += 2) {
            block[i] = 'x'; // half random, half compressible: gzip works for its living
        }
        CountingNull sink = new CountingNull();
        try (OutputStream gzip = new GZIPOutputStream(sink)) {
            for (int i = 0; i < megabytes; i++) {
                gzip.write(block);
            }
        }
        return sink.count;
    }

    /** Counts what it is given and discards it. */
    private static final class CountingNull extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /**
     * The ticker's longest gap while {@code work} runs in a coroutine of the same loop. The ticker
     * stops once the work is done.
     */
    private static long longestGapMillis(Loop.Body work) {
        try (Loop loop = Loop.create()) {
            long[] longestGap = new long[1];
            boolean[] stop = new boolean[1];
            loop.spawn("ticker", () -> {
                long last = loop.clock().nanoTime();
                while (!stop[0]) {
                    Loop.sleep(Duration.ofMillis(10));
                    long now = loop.clock().nanoTime();
                    longestGap[0] = Math.max(longestGap[0], now - last);
                    last = now;
                }
            });
            Task<Void> worker = loop.spawn("compressor", () -> {
                try {
                    work.run();
                } finally {
                    stop[0] = true;
                }
            });
            loop.runUntilComplete(worker);
            loop.runUntilIdle();
            return Duration.ofNanos(longestGap[0]).toMillis();
        }
    }

    @Test
    void aTickerKeepsItsBeatWhileFiftyMegabytesAreCompressedWithToThread() {
        // What the machine gives a 10 ms ticker anyway (other processes, collections), measured
        // in the same run, so that a busy machine does not fail the test and a quiet one sees 50 ms.
        dev.baton.core.machine.MachineLoad.assumeQuiet("a real-time beat says nothing about the loop");
        long baseline = longestGapMillis(() -> Loop.sleep(Duration.ofSeconds(1)));
        long gap = longestGapMillis(() -> Loop.toThread(() -> compress(MEGABYTES)));
        System.out.println("toThread compression of " + MEGABYTES + " MB: the ticker's longest gap was " + gap
                + " ms (idle baseline " + baseline + " ms)");
        assertTrue(gap < 50 + baseline, "the ticker's longest gap was " + gap + " ms, the idle baseline " + baseline + " ms");
    }

    @Test
    void compressingOnTheLoopIsNamedByTheSlowCoroutineWarning() {
        try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
            loop.setSlowThreshold(Duration.ofMillis(50));
            Task<Long> compressor = loop.spawn("compressor-on-the-loop", () -> compress(20));
            loop.runUntilComplete(compressor);
        }
        assertTrue(dev.baton.core.logs.RecordedLogs.containing("'compressor-on-the-loop' has held the loop's baton").size() == 1,
                "the warning names the culprit");
    }
}
