package dev.baton.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The plain harness: runs one workload in this JVM and prints its result as one JSON object on
 * stdout. {@code bench/run} starts one JVM per workload and scheduler setting, so that one
 * workload's garbage and JIT state do not leak into the next.
 *
 * <pre>
 *   java -jar baton-bench.jar WORKLOAD [key=value ...]
 *   WORKLOAD: sleep | floor | timers | rotate | generator
 *             | kotlinx-sleep | kotlinx-generator | reactor-sleep   (the peers on the same JVM)
 * </pre>
 *
 * Workloads are timed here: warmup runs, then measured runs, and the median is the figure. Most
 * run a whole loop for a second or more, where JMH's machinery adds nothing, and the generator
 * must be driven from a virtual thread, which JMH's threads are not. The one nanosecond-scale
 * operation, a single continuation switch, is measured by JMH: see {@code dev.baton.bench.jmh}.
 */
public final class Harness {
    private Harness() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java -jar baton-bench.jar sleep|floor|timers|rotate|generator|kotlinx-sleep|kotlinx-generator|reactor-sleep [key=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("options are key=value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Options o = new Options(options);
        Json result = switch (args[0]) {
            case "sleep" -> SleepWorkload.run(o);
            case "floor" -> ContinuationFloor.run(o);
            case "timers" -> TimerLateness.run(o);
            case "rotate" -> RotationWorkload.run(o);
            case "generator" -> GeneratorWorkload.run(o);
            case "kotlinx-sleep" -> KotlinxWorkloads.sleep(o);
            case "kotlinx-generator" -> KotlinxWorkloads.generator(o);
            case "reactor-sleep" -> ReactorWorkloads.sleep(o);
            default -> throw new IllegalArgumentException("unknown workload '" + args[0] + "'");
        };
        result.put("parallelism", System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"));
        System.out.println(result);
    }

    /** key=value options with defaults. */
    record Options(Map<String, String> values) {
        int integer(String key, int fallback) {
            String v = values.get(key);
            return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
        }
    }

    /**
     * Times {@code runs} calls of {@code run} after {@code warmup} unrecorded ones. Each call
     * returns its own elapsed nanoseconds (so it can leave setup and checks out of the time).
     */
    static long[] time(int warmup, int runs, LongSupplier run) {
        for (int i = 0; i < warmup; i++) {
            run.getAsLong();
        }
        long[] elapsed = new long[runs];
        long cpu = processCpuNanos();
        for (int i = 0; i < runs; i++) {
            elapsed[i] = run.getAsLong();
        }
        lastCpuNanos = cpu < 0 ? -1 : processCpuNanos() - cpu;
        return elapsed;
    }

    /**
     * The CPU time all of this JVM's threads used during the last {@link #time} call's measured
     * runs (setup and checks included), or -1 if the JVM does not tell. On a machine shared with
     * other work, wall time grows with the load and CPU time much less: a figure to compare when
     * the load average is high. It counts the collector's and compiler's threads too.
     */
    static long lastCpuNanos = -1;

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU nanoseconds of the last measured runs per operation, each run doing {@code perRun} operations; NaN if unknown. */
    static double cpuPer(int runs, double perRun) {
        return lastCpuNanos < 0 || runs == 0 ? Double.NaN : lastCpuNanos / (runs * perRun);
    }

    /** The median; NaN (printed as null by {@link Json}) when there are no values. */
    static double median(long[] values) {
        return median(Arrays.stream(values).asDoubleStream().toArray());
    }

    /** The median of {@code values}; NaN if there are none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** The value at quantile q (0..1) of sorted values, nearest rank. */
    static long quantile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Heap in use after full collections: the live set, as near as the JVM will tell. */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The first {@code lines} lines of the live heap's class histogram (jcmd GC.class_histogram). */
    static String classHistogram(int lines) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", String.valueOf(text).lines().limit(lines).toList());
        } catch (javax.management.JMException e) {
            return "no class histogram: " + e;
        }
    }

    /** A flat JSON object, enough for numbers, strings and number arrays. */
    static final class Json {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Json put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("{");
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(quote(e.getKey())).append(": ").append(value(e.getValue()));
            }
            return s.append('}').toString();
        }

        private static String value(Object v) {
            if (v instanceof long[] a) {
                StringBuilder s = new StringBuilder("[");
                for (int i = 0; i < a.length; i++) {
                    s.append(i == 0 ? "" : ", ").append(a[i]);
                }
                return s.append(']').toString();
            }
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                return "null";
            }
            if (v instanceof Number || v instanceof Boolean) {
                return v.toString();
            }
            return quote(String.valueOf(v));
        }

        private static String quote(String s) {
            StringBuilder q = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> q.append("\\\"");
                    case '\\' -> q.append("\\\\");
                    case '\n' -> q.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            q.append(String.format("\\u%04x", (int) c));
                        } else {
                            q.append(c);
                        }
                    }
                }
            }
            return q.append('"').toString();
        }
    }
}
