package dev.baton.core.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine other processes use, for the few real-time tests whose assertion needs
 * the cores: they are skipped, saying why, when other processes hold the cores. In a package of
 * its own: the tests of other modules (rotation's) cannot reach a test class in a package of
 * core's module.
 */
public final class MachineLoad {
    /*
     * Design notes.
     *
     * Measured, not averaged: the CPU time of the whole machine (/proc/stat) less this JVM's own
     * (/proc/self/stat) over a short window just before the test. The one-minute load average
     * used before also counted the build's own earlier tests and this JVM's start, so in a full
     * build on 2 cores it was always at the core count and the tests never ran. Where /proc is
     * missing the tests run.
     */

    /** How long the machine is watched before a test. */
    private static final long WINDOW_MILLIS = 300;
    /** Above this share of all cores' time used by other processes, the machine is busy: half a core on 2. */
    private static final double BUSY = 0.25;

    private MachineLoad() {
    }

    /**
     * The share of this JVM's cores' time ({@code availableProcessors()} of them, which a container
     * may set below the machine's) that other processes, and the kernel for them, used during the
     * next {@value #WINDOW_MILLIS} ms, from 0 up; 0 where /proc cannot tell. Blocks for the window.
     */
    public static double othersShare() {
        try {
            long[] before = machineTicks();
            long selfBefore = ownTicks();
            Thread.sleep(WINDOW_MILLIS);
            long[] after = machineTicks();
            long selfAfter = ownTicks();
            // The machine's ticks are summed over all its CPUs: per CPU, times the cores this JVM may use.
            double ours = (double) (after[1] - before[1]) / after[2] * Runtime.getRuntime().availableProcessors();
            long others = (after[0] - before[0]) - (selfAfter - selfBefore);
            return ours <= 0 ? 0 : Math.max(0, others / ours);
        } catch (IOException | RuntimeException unknown) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The machine's busy and total clock ticks so far, from the first line of /proc/stat, and its number of CPUs. */
    private static long[] machineTicks() throws IOException {
        java.util.List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
        long cpus = lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        String[] f = lines.get(0).trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal ...
        long busy = 0;
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            long ticks = Long.parseLong(f[i]);
            total += ticks;
            if (i != 4 && i != 5) {
                busy += ticks;
            }
        }
        return new long[] {busy, total, Math.max(1, cpus)};
    }

    /** This process's user and system clock ticks so far (fields 14 and 15 of /proc/self/stat). */
    private static long ownTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Skips the calling test when other processes hold the cores; {@code why}: what a busy machine spoils. */
    public static void assumeQuiet(String why) {
        double share = othersShare();
        int cores = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(share <= BUSY,
                () -> String.format("skipped: other processes used %.0f%% of the time of this JVM's %d cores just before it, so %s;"
                        + " it runs when they use less than %.0f%%", share * 100, cores, why, BUSY * 100));
    }
}
