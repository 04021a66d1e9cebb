package dev.baton.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;
import org.junit.platform.engine.TestExecutionResult;

/** Runs {@link Fixture} classes on the Jupiter engine and hands back what happened. */
final class EngineKit {
    /** The configuration parameter that enables fixtures. */
    static final String ENABLE = "baton.testing.fixtures";

    private EngineKit() {
    }

    /** Runs every test of {@code fixture}; the events of its tests (not its containers). */
    static Events run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    static Events run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ENABLE, "true")
                .configurationParameters(configuration)
                .selectors(selectClass(fixture))
                .execute()
                .testEvents();
    }

    /** The one failure among {@code events}; fails if there is not exactly one. */
    static Throwable onlyFailure(Events events) {
        List<Throwable> failures = events.failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        if (failures.size() != 1) {
            throw new AssertionError("expected exactly one failed test, got " + failures.size() + ": " + describe(events));
        }
        return failures.get(0);
    }

    /**
     * How long the first test among {@code events} took, from its start to its end as the engine
     * reported them: without discovery and class loading, with the extension's work.
     */
    static Duration firstTestDuration(Events events) {
        Event started = events.started().list().get(0);
        Event finished = events.finished().stream()
                .filter(e -> e.getTestDescriptor().equals(started.getTestDescriptor()))
                .findFirst().orElseThrow();
        return Duration.between(started.getTimestamp(), finished.getTimestamp());
    }

    /** Each finished test as "displayName STATUS". */
    static String describe(Events events) {
        StringBuilder text = new StringBuilder();
        for (Event e : events.list()) {
            if (e.getType() == EventType.FINISHED) {
                TestExecutionResult result = e.getRequiredPayload(TestExecutionResult.class);
                text.append("\n  ").append(e.getTestDescriptor().getDisplayName()).append(' ').append(result.getStatus());
                result.getThrowable().ifPresent(t -> text.append(": ").append(t));
            }
        }
        return text.toString();
    }
}
