package dev.baton.core;

import java.time.Duration;

/**
 * PinnedSleeper's hang (a coroutine sleeps inside a class initializer and pins the loop's only
 * carrier, so the next coroutine is handed the baton but never runs), run by DumpTest: once the
 * watchdog has named it, this prints the loop's dump on one line and exits, or exits with 1 after
 * 20 s of silence.
 */
public final class PinnedDump {
    private PinnedDump() {
    }

    /** Its initializer suspends. */
    static final class Config {
        static final String VALUE;

        static {
            Loop.sleep(Duration.ofMillis(10));
            VALUE = "loaded";
        }

        private Config() {
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Loop loop = Loop.create();
        loop.spawn("loader", () -> Config.VALUE);
        loop.spawn("bystander", () -> Loop.sleep(Duration.ofMillis(1)));
        Thread.ofPlatform().daemon().start(loop::runForever);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (!dev.baton.core.logs.RecordedLogs.containing("class initializer").isEmpty()) {
                System.out.println(loop.dump().replace('\n', ' '));
                System.exit(0);
            }
            Thread.sleep(20);
        }
        System.out.println("no warning in 20 s");
        System.exit(1);
    }
}
