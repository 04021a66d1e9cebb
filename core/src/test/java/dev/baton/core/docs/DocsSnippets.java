package dev.baton.core.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that every {@code ```java} block of a markdown page is a verbatim excerpt of compiled
 * code: after whitespace is collapsed, each part of the block (parts are separated by a line that is
 * only {@code ...} or {@code // ...}) must occur in some {@code .java} file under a module's
 * {@code src/}. A snippet that no longer matches the code therefore fails the build, naming the
 * page, the line and the snippet's first line. A {@code ```python} block is checked the same way
 * against the {@code .py} files under {@code docs/python} (the seed program, restored, and the
 * tutorial's Python), with {@code #} comments ignored on both sides, and a {@code ```xml} block
 * against the {@code pom.xml} files under {@code examples/} (the project docs/install.md describes),
 * with {@code <!-- -->} comments ignored. A {@code ```text} block that follows a paragraph starting
 * "It prints" is what a command prints, which the test behind it asserts: each of its lines must
 * occur in some {@code .java} file. Other blocks (sh, mermaid, other text) are prose.
 */
final class DocsSnippets {
    private DocsSnippets() {}

    /**
     * Every {@code .java} file under {@code <root>/<module>/src} and {@code <root>/examples/<project>/src},
     * whitespace collapsed, joined.
     */
    static String sources(Path root) {
        StringBuilder all = new StringBuilder();
        List<Path> parents = Files.isDirectory(root.resolve("examples")) ? List.of(root, root.resolve("examples")) : List.of(root);
        try {
            for (Path module : modulesUnder(parents)) {
                try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        all.append(normalize(Files.readString(file))).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    private static List<Path> modulesUnder(List<Path> parents) throws IOException {
        List<Path> modules = new ArrayList<>();
        for (Path parent : parents) {
            try (Stream<Path> children = Files.list(parent)) {
                children.filter(p -> Files.isDirectory(p.resolve("src"))).sorted().forEach(modules::add);
            }
        }
        return modules;
    }

    /** Every {@code pom.xml} under {@code <root>/examples}, comments dropped, whitespace collapsed, joined. */
    static String exampleXml(Path root) {
        StringBuilder all = new StringBuilder();
        if (!Files.isDirectory(root.resolve("examples"))) {
            return "";
        }
        try (Stream<Path> files = Files.walk(root.resolve("examples"))) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("pom.xml")).sorted().toList()) {
                all.append(normalize(withoutXmlComments(Files.readString(file)))).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** Every {@code .py} file under {@code <root>/docs/python}, comments dropped, whitespace collapsed. */
    static String pythonSources(Path root) {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root.resolve("docs/python"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".py")).sorted().toList()) {
                all.append(normalize(withoutPythonComments(Files.readString(file)))).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** The problems of one page whose python blocks are not checked. */
    static List<String> problems(String page, String markdown, String sources) {
        return problems(page, markdown, sources, null);
    }

    /**
     * The problems of one page: one line per java block not found in {@code sources}, and, unless
     * {@code pythonSources} is null, per python block not found in it.
     */
    static List<String> problems(String page, String markdown, String sources, String pythonSources) {
        return problems(page, markdown, sources, pythonSources, null);
    }

    /**
     * The problems of one page: as {@link #problems(String, String, String, String)}, and, unless
     * {@code exampleXml} is null, one line per xml block not found in it.
     */
    static List<String> problems(String page, String markdown, String sources, String pythonSources, String exampleXml) {
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String fence = lines[i].strip();
            if (!fence.startsWith("```") || fence.length() == 3) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].strip().equals("```")) {
                end++;
            }
            if (fence.equals("```python") && pythonSources != null) {
                String text = normalize(withoutPythonComments(String.join("\n", List.of(lines).subList(start, end))));
                if (!pythonSources.contains(text)) {
                    problems.add(page + ":" + (start + 1) + ": python block starting `" + lines[start].strip()
                            + "` is not a verbatim excerpt of any .py file under docs/python (part: `"
                            + abbreviate(text) + "`)");
                }
            }
            if (fence.equals("```xml") && exampleXml != null) {
                String text = normalize(withoutXmlComments(String.join("\n", List.of(lines).subList(start, end))));
                if (!exampleXml.contains(text)) {
                    problems.add(page + ":" + (start + 1) + ": xml block starting `" + lines[start].strip()
                            + "` is not a verbatim excerpt of any pom.xml under examples/ (part: `"
                            + abbreviate(text) + "`)");
                }
            }
            if (fence.equals("```text") && followsItPrints(lines, i)) {
                for (int j = start; j < end; j++) {
                    String text = normalize(lines[j]);
                    if (!text.isEmpty() && !sources.contains(text)) {
                        problems.add(page + ":" + (j + 1) + ": printed line `" + abbreviate(text)
                                + "` occurs in no .java file under */src/, so no test prints and asserts it");
                        break;
                    }
                }
            }
            if (fence.equals("```java")) {
                List<String> part = new ArrayList<>();
                for (int j = start; j <= end; j++) {
                    String line = j < end ? lines[j] : null;
                    if (line == null || line.strip().equals("...") || line.strip().equals("// ...")) {
                        String text = normalize(String.join("\n", part));
                        if (!text.isEmpty() && !sources.contains(text)) {
                            String first = lines[start].strip();
                            problems.add(page + ":" + (start + 1) + ": java block starting `" + first
                                    + "` is not a verbatim excerpt of any .java file under */src/ (part: `"
                                    + abbreviate(text) + "`)");
                            break;
                        }
                        part.clear();
                    } else {
                        part.add(line);
                    }
                }
            }
            i = end;
        }
        return problems;
    }

    /** Whether the paragraph before the fence at {@code fence} starts with "It prints". */
    private static boolean followsItPrints(String[] lines, int fence) {
        int i = fence - 1;
        while (i >= 0 && lines[i].isBlank()) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        while (i > 0 && !lines[i - 1].isBlank()) {
            i--;
        }
        return lines[i].startsWith("It prints");
    }

    /** Drops each {@code #} comment that starts a line or follows whitespace (none of our strings holds one). */
    static String withoutPythonComments(String text) {
        return text.replaceAll("(?m)(^|\\s)#.*$", "$1");
    }

    /** Drops each {@code <!-- -->} comment. */
    static String withoutXmlComments(String text) {
        return text.replaceAll("(?s)<!--.*?-->", " ");
    }

    /** Collapses every run of whitespace to one space and trims. */
    static String normalize(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
