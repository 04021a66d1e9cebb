package dev.baton.core;

import java.time.Duration;

/**
 * A coroutine that sleeps inside a class initializer, in a JVM with one carrier thread (run by
 * DiagnosticsTest and DumpTest): the sleeping virtual thread pins the only carrier, so the next
 * coroutine can never run. The loop cannot prevent it, but its watchdog must say so; this prints
 * the warning (or, with the argument {@code dump}, the loop's dump then) on one line and exits,
 * or exits with 1 after 20 s of silence.
 */
public final class PinnedSleeper {
    private PinnedSleeper() {
    }

    /** Its initializer suspends: the mistake this detects. */
    static final class Config {
        static final String VALUE;

        static {
            Loop.sleep(Duration.ofMillis(10));
            VALUE = "loaded";
        }

        private Config() {
        }
    }

    /**
     * With the argument {@code started}, the bystander runs first and is parked in its own sleep
     * when the loader pins the carrier: the coroutine left without a carrier is then one that had
     * run before, not one never started.
     */
    public static void main(String[] args) throws InterruptedException {
        Loop loop = Loop.create();
        if (args.length > 0 && args[0].equals("started")) {
            loop.spawn("bystander", () -> Loop.sleep(Duration.ofMillis(1))); // due before the loader's 10 ms
            loop.spawn("loader", () -> Config.VALUE);
        } else {
            loop.spawn("loader", () -> Config.VALUE);
            loop.spawn("bystander", () -> Loop.sleep(Duration.ofMillis(1)));
        }
        Thread.ofPlatform().daemon().start(loop::runForever);
        if (args.length > 0 && args[0].equals("dump")) {
            ForkedJvm.awaitFirstLogContaining("class initializer");
            System.out.println(loop.dump().replace('\n', ' '));
            System.exit(0);
        }
        ForkedJvm.exitWithFirstLogContaining("class initializer");
    }
}
