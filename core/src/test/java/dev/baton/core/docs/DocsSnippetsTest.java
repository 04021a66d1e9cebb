package dev.baton.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs cannot rot: every java block of README.md and docs/*.md is an excerpt of compiled code,
 * every python block one of docs/python, every xml block one of the example project's pom.
 */
class DocsSnippetsTest {
    // Surefire runs with the module directory as working directory; the repository is its parent.
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyJavaBlockOfTheDocsIsAnExcerptOfCompiledCode() throws IOException {
        String sources = DocsSnippets.sources(ROOT);
        String python = DocsSnippets.pythonSources(ROOT);
        String xml = DocsSnippets.exampleXml(ROOT);
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            problems.addAll(DocsSnippets.problems(ROOT.relativize(page).toString(), Files.readString(page), sources, python, xml));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aSnippetFoundInNoSourceIsReportedWithPageLineAndFirstLine() {
        String markdown = "# Page\n\ntext\n\n```java\nint answer = compute();\nreturn answer;\n```\n";
        List<String> problems = DocsSnippets.problems("docs/x.md", markdown, "class A { int other = 1; }");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("docs/x.md:6: java block starting `int answer = compute();`"), problems.get(0));
    }

    @Test
    void aSnippetIsMatchedWhateverItsIndentationAndLineBreaks() {
        String markdown = "```java\n    int answer =\n        compute();\n```\n";
        assertEquals(List.of(), DocsSnippets.problems("p.md", markdown, DocsSnippets.normalize("class A {\n  int answer = compute();\n}")));
    }

    @Test
    void eachPartBetweenEllipsisLinesMustBeFound() {
        String markdown = "```java\nclass A {\n// ...\nint missing;\n```\n";
        List<String> problems = DocsSnippets.problems("p.md", markdown, "class A { int b; }");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("int missing;"), problems.get(0));
    }

    @Test
    void aPythonBlockIsMatchedWithoutItsComments() {
        String markdown = "```python\nnow = datetime.datetime.now()   # naive local time\n```\n";
        String python = DocsSnippets.normalize(DocsSnippets.withoutPythonComments("# the seed\nnow = datetime.datetime.now()\n"));
        assertEquals(List.of(), DocsSnippets.problems("p.md", markdown, "", python));
        List<String> problems = DocsSnippets.problems("p.md", "```python\nnow = time.time()\n```\n", "", python);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("p.md:2: python block starting `now = time.time()`"), problems.get(0));
    }

    @Test
    void anXmlBlockIsMatchedAgainstTheExamplePomWithoutComments() {
        String pom = DocsSnippets.normalize(DocsSnippets.withoutXmlComments(
                "<dependency>\n  <!-- the core -->\n  <artifactId>baton-core</artifactId>\n</dependency>"));
        assertEquals(List.of(), DocsSnippets.problems("p.md", "```xml\n<dependency>\n<artifactId>baton-core</artifactId>\n</dependency>\n```\n", "", null, pom));
        List<String> problems = DocsSnippets.problems("p.md", "```xml\n<artifactId>baton-core</artifactId>\n<version>1</version>\n```\n", "", null, pom);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("p.md:2: xml block starting `<artifactId>baton-core</artifactId>`"), problems.get(0));
    }

    @Test
    void eachLineOfWhatACommandPrintsMustOccurInATest() {
        String markdown = "Run it:\n\n```sh\n./baton x\n```\n\nIt prints the trace:\n\n```text\ngot 42\ngot 43\n```\n";
        List<String> problems = DocsSnippets.problems("p.md", markdown, DocsSnippets.normalize("assertEquals(\"got 42\", printed);"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("p.md:11: printed line `got 43`"), problems.get(0));
        assertEquals(List.of(), DocsSnippets.problems("p.md", "Some output:\n\n```text\ngot 43\n```\n", ""));
    }

    @Test
    void blocksInOtherLanguagesAreNotChecked() {
        String markdown = "```sh\n./baton test\n```\n```mermaid\nflowchart LR\n```\n";
        assertEquals(List.of(), DocsSnippets.problems("p.md", markdown, ""));
    }
}
