package dev.baton.core.logs;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.slf4j.event.Level;

/**
 * Every SLF4J event logged in this test JVM, captured by {@link RecordingServiceProvider}. Tests
 * filter by a string unique to them (a path, a task name), so tests running in parallel do not see
 * each other's events. Thread-safe.
 */
public final class RecordedLogs {
    /** One logged event, its message formatted. */
    public record Event(Level level, String logger, String message, Throwable error) {
        @Override
        public String toString() {
            return level + " " + logger + ": " + message + (error == null ? "" : " (" + error + ")");
        }
    }

    private static final Queue<Event> EVENTS = new ConcurrentLinkedQueue<>();

    private RecordedLogs() {
    }

    static void add(Event event) {
        EVENTS.add(event);
    }

    /** All events so far, oldest first. */
    public static List<Event> all() {
        return List.copyOf(EVENTS);
    }

    /** The events whose message contains {@code text}, oldest first. */
    public static List<Event> containing(String text) {
        return matching(e -> e.message().contains(text));
    }

    /** The events that match, oldest first. */
    public static List<Event> matching(Predicate<Event> filter) {
        return EVENTS.stream().filter(filter).toList();
    }
}
