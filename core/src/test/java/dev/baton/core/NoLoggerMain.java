package dev.baton.core;

/**
 * A failure nobody retrieves, in a JVM with no SLF4J provider (run by DiagnosticsTest with a class
 * path of its own): the default handler must still print it.
 */
public final class NoLoggerMain {
    private NoLoggerMain() {
    }

    public static void main(String[] args) {
        Loop loop = Loop.create(VirtualClock.of(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC));
        loop.spawn("lost-failure", () -> {
            throw new java.io.IOException("nobody logs this");
        });
        loop.runUntilIdle();
        loop.close();
        System.out.println("closed");
    }
}
