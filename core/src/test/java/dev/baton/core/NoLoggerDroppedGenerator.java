package dev.baton.core;

/**
 * A dropped generator whose body fails while it is being closed, in a JVM with no SLF4J provider
 * (run by DiagnosticsTest with a class path of its own): the report must still reach standard
 * error. Exits once the body has unwound and the report has had time to print, or after 20 s.
 */
public final class NoLoggerDroppedGenerator {
    private NoLoggerDroppedGenerator() {
    }

    static volatile boolean unwound;

    public static void main(String[] args) throws InterruptedException {
        drop();
        long end = System.nanoTime() + 20_000_000_000L;
        while (!unwound && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(20);
        }
        Thread.sleep(500); // the report follows the unwinding on the body's thread
        System.out.println(unwound ? "unwound" : "never reclaimed in 20 s");
    }

    private static void drop() {
        Generator<Integer> g = Generator.of(y -> {
            try {
                y.yield(1);
                y.yield(2);
            } finally {
                unwound = true;
                throw new IllegalStateException("cleanup failed-4713");
            }
        });
        g.next();
    }
}
