package dev.baton.demo;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for {@link ManyWritersIT}: a service that keeps its log files open for its whole
 * life, as the ones {@code copytruncate} is for. It opens each of {@code args[2..]} for appending
 * ({@code O_APPEND}), prints {@code READY}, then every {@code args[1]} milliseconds appends the
 * next numbered line ({@code 1\n}, {@code 2\n}, ...) to each file, one {@code write} per line,
 * until the file {@code args[0]} exists; then it prints {@code WROTE <n>}: each file got lines 1
 * to n.
 */
public final class ManyFileWriter {
    private ManyFileWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path stop = Path.of(args[0]);
        long periodNanos = Long.parseLong(args[1]) * 1_000_000L;
        FileOutputStream[] files = new FileOutputStream[args.length - 2];
        for (int i = 0; i < files.length; i++) {
            files[i] = new FileOutputStream(args[i + 2], true);
        }
        System.out.println("READY");
        System.out.flush();
        long n = 0;
        long next = System.nanoTime();
        while (!Files.exists(stop)) {
            n++;
            byte[] line = (n + "\n").getBytes(StandardCharsets.US_ASCII);
            for (FileOutputStream f : files) {
                f.write(line);
            }
            next += periodNanos;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        for (FileOutputStream f : files) {
            f.close();
        }
        System.out.println("WROTE " + n);
    }
}
