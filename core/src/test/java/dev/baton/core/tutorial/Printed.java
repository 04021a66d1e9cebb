package dev.baton.core.tutorial;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a piece of docs/tutorial.md prints: captured so that its test can assert it, and printed
 * again, so that the reader who runs the chapter's command sees it. Core's tests do not run in
 * parallel (junit-platform.properties), so replacing {@link System#out} for a moment is safe.
 */
public final class Printed {
    private Printed() {}

    /** Runs {@code body}, prints what it printed to {@link System#out}, and returns that text. */
    public static String by(Runnable body) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        out.print(text);
        out.flush();
        return text;
    }
}
