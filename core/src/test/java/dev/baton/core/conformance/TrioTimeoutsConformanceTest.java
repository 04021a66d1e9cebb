package dev.baton.core.conformance;

import static dev.baton.core.conformance.Trace.ms;
import static dev.baton.core.conformance.Trace.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trio's _tests/test_timeouts.py, ported to Loop.sleep and Loop.withTimeout (fail_after; a
 * move_on_after is a caught TimeoutException). The peer's real-time checks become exact
 * virtual-time traces.
 *
 * <p>Skipped families, and why: shielded timeouts (test_context_shields_from_outer,
 * test_move_on_after_moves_on_even_if_shielded, test_fail_after_fails_even_if_shielded: no shield);
 * scope objects and their deadlines (test_timeout_deadline_on_entry, test_invalid_access_unentered,
 * test_fail_access_before_entering); manual reschedule (test_cannot_wake_sleep_forever); NaN
 * (a Duration cannot be NaN).
 */
class TrioTimeoutsConformanceTest {

    @Test
    // test_timeouts.py::test_sleep
    void test_sleep() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.runUntilComplete(loop.spawn("main", () -> {
                Loop.sleep(s(1));
                trace.record("slept 1 s");
                Loop.sleep(Duration.ZERO);
                trace.record("checkpoint");
            }));
            assertEquals(List.of("slept 1 s@1000", "checkpoint@1000"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::test_move_on_after
    void test_move_on_after() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.runUntilComplete(loop.spawn("main", () -> {
                try {
                    Loop.withTimeout(s(1), () -> {
                        Loop.sleep(s(100));
                        return null;
                    });
                } catch (TimeoutException movedOn) {
                    trace.record("moved on");
                }
            }));
            assertEquals(List.of("moved on@1000"), trace.events());
        }
    }

    @Test
    // test_timeouts.py::test_fail
    void test_fail() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            loop.runUntilComplete(loop.spawn("main", () -> {
                assertThrows(TimeoutException.class, () -> Loop.withTimeout(s(1), () -> {
                    Loop.sleep(s(100));
                    return null;
                }));
                trace.record("too slow");
                Loop.withTimeout(s(100), () -> {
                    Loop.sleep(Duration.ZERO);
                    return null;
                });
                trace.record("in time");
            }));
            assertEquals(List.of("too slow@1000", "in time@1000"), trace.events());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sleep", "withTimeout", "join"})
    // test_timeouts.py::test_timeouts_raise_value_error
    void test_timeouts_raise_value_error(String operation) {
        // Delays must not be negative (R4 for withTimeout and join): rejected before anything runs.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<String> main = loop.spawn("main", () -> {
                Task<Void> other = loop.spawn("other", () -> Loop.sleep(s(1)));
                try {
                    switch (operation) {
                        case "sleep" -> Loop.sleep(ms(-1));
                        case "withTimeout" -> Loop.withTimeout(ms(-1), () -> {
                            trace.record("body ran");
                            return null;
                        });
                        default -> other.join(ms(-1));
                    }
                    return "accepted";
                } catch (IllegalArgumentException e) {
                    Loop.sleep(s(2));
                    return e.getMessage();
                }
            });
            String message = loop.runUntilComplete(main);
            assertTrue(message.contains("negative"), message);
            assertEquals(List.of(), trace.events());
        }
    }
}
