package dev.baton.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial's Python runs on the python3 of the machine, as the tutorial invites the reader to
 * run it: docs/python/generators.py prints what its comments say, today's asyncio version of the
 * seed program rotates, and the seed as written in 2016 fails the way chapter 3 says. Skipped,
 * with the reason, where there is no python3.
 *
 * <p>Real processes on real time: the point is the Python interpreter at hand. Each is bounded
 * (30 s), and the rotation check lets asyncio run 0.3 s of real time, since Python's event loop
 * has no virtual clock.
 */
class PythonExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void python3IsPresent() {
        String version;
        try {
            version = run(List.of("python3", "--version")).strip();
        } catch (IOException | InterruptedException | AssertionError e) {
            version = "";
        }
        assumeTrue(version.startsWith("Python 3."), "python3 is not on PATH (or does not run): the Python of docs/python is not checked here");
    }

    @Test
    void generatorsPyPrintsWhatItsCommentsSay() throws Exception {
        assertEquals("3\n2\n1\n0\n10\n15\n[3, 2, 1, 0]\n", run(List.of("python3", "docs/python/generators.py")));
    }

    @Test
    void todaysAsyncioVersionOfTheSeedRotatesOnThisPython() throws Exception {
        String driver = """
                import asyncio, os, sys
                sys.path.insert(0, "docs/python")
                import seed_rotate_today as seed
                d = sys.argv[1]
                for name in ("file1", "file3"):
                    with open(os.path.join(d, name), "w") as f:
                        f.write("x" * 2000)
                async def run():
                    tasks = [asyncio.create_task(seed.rotate_by_interval(os.path.join(d, "file1"), 3, 0.05)),
                             asyncio.create_task(seed.rotate_by_size(os.path.join(d, "file3"), 3, 1024, 0.05))]
                    await asyncio.sleep(0.3)
                    for task in tasks:
                        print("running" if not task.done() else "died: " + repr(task.exception()))
                        task.cancel()
                asyncio.run(run())
                print(sorted(os.listdir(d)), asyncio.iscoroutinefunction(seed.main))
                """;
        assertEquals("running\nrunning\n['file1.1', 'file3.1'] True\n", run(List.of("python3", "-c", driver, dir.toString())));
    }

    @Test
    void theSeedAsWrittenIn2016DiesWithATypeErrorOnThisPython() throws Exception {
        String driver = """
                import asyncio, sys, warnings
                warnings.simplefilter("ignore")
                sys.path.insert(0, "docs/python")
                import seed_rotate as seed
                loop = asyncio.new_event_loop()
                try:
                    task = loop.create_task(seed.rotate_by_interval("/nonexistent/file1", 3, 30))
                    loop.run_until_complete(asyncio.wait([task], timeout=5))
                    print(type(task.exception()).__name__ if task.done() else "still running")
                except TypeError:
                    print("TypeError")
                """;
        assertEquals("TypeError\n", run(List.of("python3", "-c", driver)));
    }

    /** Runs a command in the repository's root; returns its stdout, failing on a non-zero exit. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("python-stdout", ".txt");
        Path err = Files.createTempFile("python-stderr", ".txt");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within 30 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(process.exitValue() == 0, command + " exited with " + process.exitValue() + "\nstdout: " + stdout
                    + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
