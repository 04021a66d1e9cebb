package dev.baton.testing;

import dev.baton.core.LoopClock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentest4j.AssertionFailedError;

/**
 * A list of events, each stamped with the wall time of a loop's clock when it was recorded, and
 * an assertion on the whole list.
 *
 * <p>{@code trace.record("rotated")} stores {@code "rotated@"} followed by the clock's wall time
 * ({@link LoopClock#instant()}) as an ISO-8601 date-time with the offset of the clock's zone at
 * that instant, as {@link OffsetDateTime#toString()} writes it: seconds only when not zero,
 * fractions only when not zero, {@code Z} for offset zero. In {@code Europe/London}:
 * <pre>
 * rotated@2026-03-29T00:00Z           midnight GMT, the last hour before the clocks go forward
 * rotated@2026-03-30T00:00+01:00      midnight BST
 * tick@2026-03-29T00:00:01.5Z         seconds and fractions when there are any
 * </pre>
 * The offset makes the instants unambiguous where local times repeat (the fall-back hour). Being
 * wall time, the stamp follows {@link dev.baton.core.VirtualClock#stepWall wall-clock steps}.
 *
 * <p>Safe from any thread: coroutines of the loop and the test's thread may all record. Events
 * keep the order in which {@code record} was called.
 */
public final class Trace {
    /*
     * Design notes.
     *
     * Stamps are strings, not (event, instant) pairs, so that a test states its whole expectation
     * as a list of literals, and a failing assertion shows a diff a reader can act on (okhttp's
     * TaskRunnerTest: "run@" + nanoTime). Wall time with the zone's offset rather than elapsed
     * time: the tests this serves are about calendars (local midnight, DST), and an elapsed count
     * in nanoseconds says nothing about which local date it is.
     *
     * The diff is a longest-common-subsequence alignment: quadratic, fine for traces of hundreds.
     */

    private final LoopClock clock;
    /** The stamped events, in record order. Any thread (a concurrent list). */
    private final List<String> events = new CopyOnWriteArrayList<>();

    private Trace(LoopClock clock) {
        this.clock = clock;
    }

    /**
     * A trace stamped by {@code clock}. Under {@link VirtualTime} a test gets one injected, on its
     * loop's clock; this factory is for tests that build their own loop.
     *
     * @param clock the clock whose wall time stamps each record
     * @return a new, empty trace
     * @throws NullPointerException if {@code clock} is null
     */
    public static Trace of(LoopClock clock) {
        return new Trace(Objects.requireNonNull(clock, "Trace.of: clock must not be null"));
    }

    /**
     * Records {@code event}, stamped with the clock's wall time now:
     * {@code event + "@" + OffsetDateTime}, as described in the class documentation.
     *
     * @param event what happened
     * @throws NullPointerException if {@code event} is null
     */
    public void record(String event) {
        Objects.requireNonNull(event, "record: event must not be null");
        events.add(event + "@" + OffsetDateTime.ofInstant(clock.instant(), clock.zone()));
    }

    /**
     * The events recorded so far.
     *
     * @return the stamped events, in order; an unmodifiable copy
     */
    public List<String> events() {
        return List.copyOf(events);
    }

    /**
     * Asserts that the events recorded so far are exactly {@code expected}, in order.
     *
     * @param expected the stamped events, in order
     * @throws AssertionFailedError if not; its message is a line diff ({@code -} expected but not
     *     recorded, {@code +} recorded but not expected), and it carries both lists for IDEs
     */
    public void assertTrace(String... expected) {
        assertTrace(Arrays.asList(expected));
    }

    /**
     * {@link #assertTrace(String...)} with a list.
     *
     * @param expected the stamped events, in order
     */
    public void assertTrace(List<String> expected) {
        Objects.requireNonNull(expected, "assertTrace: expected must not be null");
        List<String> actual = events();
        if (actual.equals(expected)) {
            return;
        }
        throw new AssertionFailedError(diff(expected, actual), String.join("\n", expected), String.join("\n", actual));
    }

    @Override
    public String toString() {
        return "Trace" + events;
    }

    /** The message of a failed assertTrace: a header and a line diff. */
    static String diff(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        // lcs[i][j]: length of the longest common subsequence of expected[i..] and actual[j..].
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j))
                        ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                lines.add("  " + expected.get(i++));
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add("- " + expected.get(i++));
            } else {
                lines.add("+ " + actual.get(j++));
            }
        }
        StringBuilder text = new StringBuilder()
                .append("trace differs: ").append(n).append(" events expected, ").append(m)
                .append(" recorded (- expected but not recorded, + recorded but not expected):");
        for (String line : lines) {
            text.append("\n").append(line);
        }
        return text.toString();
    }
}
