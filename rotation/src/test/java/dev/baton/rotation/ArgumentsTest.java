package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments fail at the factory, naming the argument and the rule; and the read-back API. */
class ArgumentsTest {
    private static final Path LOG = Path.of("app.log");
    private static final Duration THIRTY = Duration.ofSeconds(30);

    static Stream<Arguments> badArguments() {
        return Stream.of(
                bad("every: null path", NullPointerException.class, "path must not be null", () -> RotationPolicy.every(null, 3, THIRTY)),
                bad("every: keep 0", IllegalArgumentException.class, "keep must be at least 1, was 0", () -> RotationPolicy.every(LOG, 0, THIRTY)),
                bad("every: keep -1", IllegalArgumentException.class, "keep must be at least 1, was -1", () -> RotationPolicy.every(LOG, -1, THIRTY)),
                bad("every: null interval", NullPointerException.class, "interval must not be null", () -> RotationPolicy.every(LOG, 3, null)),
                bad("every: zero interval", IllegalArgumentException.class, "interval must be positive, was PT0S", () -> RotationPolicy.every(LOG, 3, Duration.ZERO)),
                bad("every: negative interval", IllegalArgumentException.class, "interval must be positive, was PT-0.000000001S",
                        () -> RotationPolicy.every(LOG, 3, Duration.ofNanos(-1))),
                bad("daily: null path", NullPointerException.class, "path must not be null", () -> RotationPolicy.daily(null, 3)),
                bad("daily: keep 0", IllegalArgumentException.class, "keep must be at least 1, was 0", () -> RotationPolicy.daily(LOG, 0)),
                bad("daily(zone, at): null path", NullPointerException.class, "path must not be null",
                        () -> RotationPolicy.daily(null, 3, ZoneId.of("UTC"), LocalTime.NOON)),
                bad("daily(zone, at): keep 0", IllegalArgumentException.class, "keep must be at least 1, was 0",
                        () -> RotationPolicy.daily(LOG, 0, null, LocalTime.NOON)),
                bad("daily(zone, at): null at", NullPointerException.class, "at must not be null (use LocalTime.MIDNIGHT for the start of the day)",
                        () -> RotationPolicy.daily(LOG, 3, null, null)),
                bad("bySize: null path", NullPointerException.class, "path must not be null", () -> RotationPolicy.bySize(null, 3, 1024, THIRTY)),
                bad("bySize: keep 0", IllegalArgumentException.class, "keep must be at least 1, was 0", () -> RotationPolicy.bySize(LOG, 0, 1024, THIRTY)),
                bad("bySize: maxBytes 0", IllegalArgumentException.class, "maxBytes must be positive, was 0", () -> RotationPolicy.bySize(LOG, 3, 0, THIRTY)),
                bad("bySize: maxBytes -5", IllegalArgumentException.class, "maxBytes must be positive, was -5", () -> RotationPolicy.bySize(LOG, 3, -5, THIRTY)),
                bad("bySize: null checkEvery", NullPointerException.class, "checkEvery must not be null", () -> RotationPolicy.bySize(LOG, 3, 1024, null)),
                bad("bySize: zero checkEvery", IllegalArgumentException.class, "checkEvery must be positive, was PT0S",
                        () -> RotationPolicy.bySize(LOG, 3, 1024, Duration.ZERO)),
                bad("withListener: null", NullPointerException.class, "listener must not be null",
                        () -> RotationPolicy.every(LOG, 3, THIRTY).withListener(null)),
                bad("start: null loop", NullPointerException.class, "loop must not be null", () -> RotationPolicy.every(LOG, 3, THIRTY).start(null)),
                bad("rotate: null path", NullPointerException.class, "path must not be null", () -> Rotation.rotate(null, 3)),
                bad("rotate: keep 0", IllegalArgumentException.class, "keep must be at least 1, was 0", () -> Rotation.rotate(LOG, 0)),
                bad("event: FAILED without error", IllegalArgumentException.class,
                        "error must be set when the outcome is FAILED, may be set when it is ROTATED (a step after the rotation"
                                + " failed), and must not be set otherwise; outcome was FAILED, error null",
                        () -> new RotationEvent(Instant.EPOCH, LOG, "daily", RotationEvent.Outcome.FAILED, null)),
                bad("event: a skip with an error", IllegalArgumentException.class,
                        "error must be set when the outcome is FAILED, may be set when it is ROTATED (a step after the rotation"
                                + " failed), and must not be set otherwise; outcome was SKIPPED_EMPTY, error java.io.IOException: x",
                        () -> new RotationEvent(Instant.EPOCH, LOG, "daily", RotationEvent.Outcome.SKIPPED_EMPTY, new java.io.IOException("x"))));
    }

    private static Arguments bad(String name, Class<? extends Throwable> type, String message, Executable call) {
        return Arguments.of(name, type, message, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentFailsAtTheCallNamingTheArgumentAndTheRule(String name, Class<? extends Throwable> type, String message, Executable call) {
        Throwable thrown = assertThrows(type, call);
        assertEquals(message, thrown.getMessage());
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of(RotationPolicy.every(LOG, 3, THIRTY), "interval", "every 30s, keep 3"),
                Arguments.of(RotationPolicy.every(LOG, 5, Duration.ofSeconds(90)), "interval", "every 1m30s, keep 5"),
                Arguments.of(RotationPolicy.every(LOG, 1, Duration.ofMillis(1)), "interval", "every 0.001s, keep 1"),
                Arguments.of(RotationPolicy.daily(LOG, 5), "daily", "daily at 00:00 (loop zone), keep 5"),
                Arguments.of(RotationPolicy.daily(LOG, 5, ZoneId.of("Europe/London"), LocalTime.of(2, 30)), "daily",
                        "daily at 02:30 Europe/London, keep 5"),
                Arguments.of(RotationPolicy.bySize(LOG, 3, 1024, Duration.ofMinutes(1)), "size", "over 1024 bytes, checked every 1m, keep 3"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("descriptions")
    void describeStatesTheScheduleInWords(RotationPolicy policy, String kind, String description) {
        assertEquals(kind, policy.kind());
        assertEquals(description, policy.describe());
        assertEquals(LOG, policy.path());
        assertEquals("RotationPolicy[" + kind + " app.log: " + description + "]", policy.toString());
    }

    @Test
    void withListenerReturnsACopyWithTheSameSchedule() {
        RotationPolicy original = RotationPolicy.bySize(LOG, 4, 10, THIRTY);
        RotationPolicy copy = original.withListener(event -> { });
        assertNotSame(original, copy);
        assertEquals(original.describe(), copy.describe());
        assertEquals(4, copy.keep());
        assertEquals(LOG, copy.path());
    }

    @Test
    void runOutsideALoopFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RotationPolicy.daily(LOG, 1).run());
        assertEquals(true, e.getMessage().startsWith("Loop.current() must be called from a coroutine"), e.getMessage());
    }
}
