package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libraries are named modules that export only their API package, and the demo runs on the
 * module path: {@code java -p <demo jar>:<its dependencies> -m dev.baton.demo/dev.baton.demo.Main},
 * the command docs/demo.md shows. The path is the one failsafe passes in {@code baton.demo.modulePath}.
 */
class ModulePathIT {
    private static final List<Path> MODULE_PATH = Arrays.stream(System.getProperty("baton.demo.modulePath").split(File.pathSeparator))
            .map(Path::of).toList();

    @TempDir
    Path dir;

    @Test
    void theLibrariesAreExplicitModulesExportingOnlyTheirApiPackage() {
        ModuleFinder finder = ModuleFinder.of(MODULE_PATH.toArray(Path[]::new));
        for (String name : List.of("dev.baton.core", "dev.baton.rotation", "dev.baton.demo")) {
            ModuleDescriptor module = finder.find(name).orElseThrow(() -> new AssertionError(name + " is not on " + MODULE_PATH)).descriptor();
            assertFalse(module.isAutomatic(), name + " has a module-info");
            Set<String> exports = module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
            assertEquals(name.equals("dev.baton.demo") ? Set.of() : Set.of(name), exports, name + " exports");
        }
        assertTrue(finder.find("dev.baton.rotation").orElseThrow().descriptor().requires().stream()
                .anyMatch(r -> r.name().equals("dev.baton.core") && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
                "rotation's API speaks of Loop and Task: it requires core transitively");
    }

    @Test
    void theDemoSimulatesOnTheModulePath() throws IOException, InterruptedException {
        String modulePath = MODULE_PATH.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        // A real process (the point is the module path of a fresh JVM); an hour of virtual time takes well under a second.
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p", modulePath, "-m", "dev.baton.demo/dev.baton.demo.Main",
                "--simulate", "1h", "--zone", "UTC", "--start", "2024-01-01T00:00")
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the demo did not finish a one-hour simulation within 60 s");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        String describe = "exit " + process.exitValue() + "\nstdout (last line): " + (lines.isEmpty() ? "" : lines.getLast()) + "\nstderr: " + errors;
        assertEquals(0, process.exitValue(), describe);
        assertTrue(lines.getLast().startsWith("summary: rotations per file: ") && lines.getLast().endsWith("; 0 errors"), describe);
        assertFalse(errors.contains("SLF4J"), "slf4j-simple is found on the module path too: " + describe);
    }
}
