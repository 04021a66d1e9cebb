package dev.baton.bench;

/** Workload 4: waits for core's Generator. */
final class GeneratorWorkload {
    private GeneratorWorkload() {}

    static Harness.Json run(Harness.Options o) {
        return new Harness.Json().put("workload", "generator").put("pending", "dev.baton.core.Generator is not on this branch yet");
    }
}
