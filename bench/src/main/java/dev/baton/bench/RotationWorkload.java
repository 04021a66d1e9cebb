package dev.baton.bench;

/** Workload 7: waits for the rotation module. */
final class RotationWorkload {
    private RotationWorkload() {}

    static Harness.Json run(Harness.Options o) {
        return new Harness.Json().put("workload", "rotate").put("pending", "dev.baton.rotation.Rotation is not on this branch yet");
    }
}
