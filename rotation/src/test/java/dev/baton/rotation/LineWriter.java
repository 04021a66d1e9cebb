package dev.baton.rotation;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import sun.misc.Signal;

/**
 * A child process for {@link OpenWriterTest}: a daemon-like writer that keeps {@code args[0]} open
 * and appends numbered lines ({@code 1\n}, {@code 2\n}, ...), one {@code write} per line, until
 * the file {@code args[1]} appears; then it prints {@code WROTE <n>}. On SIGHUP it reopens its
 * file at the next line (as daemons do for logrotate's postrotate). It writes its pid to
 * {@code args[0] + ".pid"} and prints {@code READY} once its file is open.
 */
public final class LineWriter {
    private LineWriter() {
    }

    /** Set by the SIGHUP handler, cleared by the writing thread when it reopens. */
    private static volatile boolean reopen;

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Path stop = Path.of(args[1]);
        Signal.handle(new Signal("HUP"), signal -> reopen = true);
        Files.writeString(Path.of(args[0] + ".pid"), Long.toString(ProcessHandle.current().pid()));
        FileOutputStream out = new FileOutputStream(file.toFile(), true); // O_APPEND
        System.out.println("READY");
        System.out.flush();
        long n = 0;
        int reopens = 0;
        while (true) {
            if ((n & 255) == 0 && Files.exists(stop)) {
                break;
            }
            if (reopen) {
                reopen = false;
                out.close();
                out = new FileOutputStream(file.toFile(), true);
                reopens++;
            }
            n++;
            out.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
            LockSupport.parkNanos(20_000); // about 30,000 lines a second, not gigabytes
        }
        out.close();
        System.out.println("WROTE " + n + " REOPENED " + reopens);
    }
}
