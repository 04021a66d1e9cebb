package dev.baton.rotation;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * A child process for {@link CrashSafetyTest}: rotates {@code dir/app.log} with the options named
 * by {@code args[1]}, on the real disk seen through a {@link FaultyFileSystem} that counts the
 * steps. Before step {@code args[2]} it prints {@code AT <step> <what>} and waits to be killed;
 * with 0 it runs to the end and prints {@code DONE <steps>}.
 */
public final class KillableRotation {
    private KillableRotation() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        FaultyFileSystem fs = new FaultyFileSystem(FileSystems.getDefault());
        Path log = fs.getPath(args[0]).resolve("app.log");
        int killAt = Integer.parseInt(args[2]);
        fs.beforeStep = (step, what) -> {
            if (step == killAt) {
                System.out.println("AT " + step + " " + what);
                System.out.flush();
                try {
                    Thread.sleep(60_000); // the parent kills this process with SIGKILL now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.exit(3); // never killed: the parent's assertion names the step
            }
        };
        Rotation.rotate(log, CrashSafetyTest.options(args[1]));
        System.out.println("DONE " + fs.steps.size());
    }
}
