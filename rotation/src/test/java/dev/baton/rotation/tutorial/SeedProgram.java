package dev.baton.rotation.tutorial;

import dev.baton.core.Loop;
import dev.baton.rotation.RotationPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * docs/tutorial.md, chapter 3 (and docs/rotation.md): the seed's main(), line for line, on real
 * time; it rotates /tmp/file1 to /tmp/file4 until the process is stopped. {@link
 * Chapter3SeedProgramTest} runs the same four policies on virtual time, and {@code ./baton demo}
 * is the finished program.
 */
public final class SeedProgram {
    private SeedProgram() {}

    public static void main(String[] args) {
        Loop loop = Loop.create(); // real time, system zone
        RotationPolicy.every(Path.of("/tmp/file1"), 3, Duration.ofSeconds(30)).start(loop);
        RotationPolicy.every(Path.of("/tmp/file2"), 5, Duration.ofSeconds(20)).start(loop);
        RotationPolicy.bySize(Path.of("/tmp/file3"), 3, 1024, Duration.ofSeconds(60)).start(loop);
        RotationPolicy.daily(Path.of("/tmp/file4"), 5).start(loop);
        loop.runForever();
    }
}
