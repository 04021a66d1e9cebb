package dev.baton.core.machine;

/**
 * The machine's load, for the few real-time tests whose assertion needs the cores: they are
 * skipped, saying why, when other processes hold the cores. In a package of its own: the tests
 * of other modules (rotation's) cannot reach a test class in a package of core's module.
 */
public final class MachineLoad {
    private MachineLoad() {
    }

    /** The one-minute load average from /proc/loadavg; 0 where there is none. */
    public static double oneMinute() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException unknown) {
            return 0;
        }
    }

    /** Skips the calling test unless the load average is below the number of cores; {@code why}: what a busy machine spoils. */
    public static void assumeQuiet(String why) {
        double load = oneMinute();
        int cores = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(load < cores,
                () -> "skipped: the machine's load average is " + load + " on " + cores + " cores, so " + why
                        + "; it runs when the machine is quiet (as in CI)");
    }
}
