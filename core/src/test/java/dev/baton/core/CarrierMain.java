package dev.baton.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Three loops, one after another, each with two coroutines that hand the baton back and forth;
 * prints, per loop, the carrier threads its coroutines were mounted on. Run by CarrierTest in JVMs
 * of its own, with and without java.lang opened, to see which carrier each setting gives and what
 * it logs. It needs only core's classes and slf4j-api (no SLF4J provider: what Baton logs here it
 * prints on standard error).
 */
public final class CarrierMain {
    private CarrierMain() {
    }

    /** The carrier the calling virtual thread is mounted on, from its toString ("...@carrier"). */
    static String carrierName() {
        String self = Thread.currentThread().toString();
        int at = self.lastIndexOf('@');
        return at < 0 ? "none" : self.substring(at + 1);
    }

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) {
            java.util.Set<String> carriers = new java.util.TreeSet<>();
            try (Loop loop = Loop.create(VirtualClock.of(Instant.EPOCH, ZoneOffset.UTC))) {
                for (int c = 0; c < 2; c++) {
                    loop.spawn("switcher", () -> {
                        for (int k = 0; k < 50; k++) {
                            carriers.add(carrierName());
                            Loop.sleep(Duration.ofSeconds(1));
                        }
                    });
                }
                loop.runForever();
            }
            System.out.println("loop " + i + " carriers " + carriers);
        }
    }
}
