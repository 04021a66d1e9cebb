package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What @VirtualTime injects, and how it reads its attributes. */
@VirtualTime(start = "2026-03-29T00:30", zone = "Europe/London")
class VirtualTimeTest {
    private Loop loopOfBeforeEach;

    @BeforeEach
    void remember(Loop loop) {
        loopOfBeforeEach = loop;
    }

    @Test
    void injectsALoopOnAVirtualClockAtTheStartInTheZone(Loop loop, VirtualClock clock) {
        assertSame(clock, loop.clock());
        assertEquals(ZonedDateTime.parse("2026-03-29T00:30Z[Europe/London]"), clock.now());
        assertFalse(loop.isClosed());
    }

    @Test
    void traceIsStampedByTheTestsClock(Trace trace, VirtualClock clock) {
        clock.stepWall(Duration.ofHours(1));
        trace.record("x");
        trace.assertTrace("x@2026-03-29T02:30+01:00");
    }

    @Test
    void beforeEachMethodsGetTheTestsLoop(Loop loop) {
        assertSame(loopOfBeforeEach, loop);
    }

    @Test
    @VirtualTime(start = "2026-10-25T01:30", zone = "America/New_York")
    void methodAnnotationWinsOverTheClasss(VirtualClock clock) {
        assertEquals(ZonedDateTime.parse("2026-10-25T01:30-04:00[America/New_York]"), clock.now());
    }

    @Test
    @VirtualTime(start = "2026-03-29T01:30", zone = "Europe/London")
    void startInAGapMovesLaterByTheGap(VirtualClock clock) {
        assertEquals("2026-03-29T02:30+01:00", clock.now().toOffsetDateTime().toString());
    }

    @Test
    @VirtualTime(start = "2026-10-25T01:30", zone = "Europe/London")
    void startInAnOverlapTakesTheEarlierOffset(VirtualClock clock) {
        assertEquals("2026-10-25T01:30+01:00", clock.now().toOffsetDateTime().toString());
    }

    @Test
    @VirtualTime(start = "2026-03-29T01:30+01:00", zone = "Asia/Tokyo")
    void startWithAnOffsetIsThatInstant(VirtualClock clock) {
        assertEquals(ZonedDateTime.parse("2026-03-29T09:30+09:00[Asia/Tokyo]"), clock.now());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void eachInvocationOfAParameterizedTestGetsItsOwnLoop(int run, Loop loop, VirtualClock clock) {
        // The first invocation moves its clock; the second starts afresh.
        assertEquals(ZonedDateTime.parse("2026-03-29T00:30Z[Europe/London]"), clock.now());
        loop.runFor(Duration.ofHours(run));
    }

    @Test
    void defaultRealTimeoutIsTenSeconds() throws NoSuchMethodException {
        assertEquals(10_000L, VirtualTime.class.getMethod("realTimeoutMillis").getDefaultValue());
    }

    @Nested
    class InANestedClass {
        @Test
        void theEnclosingClasssAnnotationApplies(VirtualClock clock) {
            assertEquals(ZoneId.of("Europe/London"), clock.zone());
        }
    }

    @Test
    void aSubclassInheritsTheAnnotation() {
        EngineKit.run(Subclass.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void badZoneFailsNamingTheAttributeAndValue() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(BadZone.class));
        assertInstanceOf(ExtensionConfigurationException.class, e);
        assertTrue(e.getMessage().startsWith("@VirtualTime(zone = \"Europe/Lundon\") on BadZone.test(): not a zone ID"), e.getMessage());
    }

    @Test
    void badStartFailsNamingTheAttributeAndValue() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(BadStart.class));
        assertInstanceOf(ExtensionConfigurationException.class, e);
        assertTrue(e.getMessage().startsWith("@VirtualTime(start = \"2026-3-29 00:30\") on BadStart: not a date-time;"), e.getMessage());
    }

    @Test
    void nonPositiveTimeoutFailsNamingTheAttributeAndValue() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(BadTimeout.class));
        assertEquals("@VirtualTime(realTimeoutMillis = 0) on BadTimeout.test(): must be positive", e.getMessage());
    }

    @Test
    void constructorInjectionFailsSayingWhere() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(LoopInConstructor.class));
        assertTrue(e.getMessage().contains("@VirtualTime injects Loop into test methods and @BeforeEach/@AfterEach methods only"), e.getMessage());
    }

    @VirtualTime(start = "2026-06-01T00:00", zone = "Asia/Tokyo")
    abstract static class Base {
    }

    @Fixture
    static class Subclass extends Base {
        @Test
        void test(VirtualClock clock) {
            assertEquals(ZonedDateTime.parse("2026-06-01T00:00+09:00[Asia/Tokyo]"), clock.now());
        }
    }

    @Fixture
    static class BadZone {
        @Test
        @VirtualTime(zone = "Europe/Lundon")
        void test(Loop loop) {
        }
    }

    @Fixture
    @VirtualTime(start = "2026-3-29 00:30")
    static class BadStart {
        @Test
        void test() {
        }
    }

    @Fixture
    static class BadTimeout {
        @Test
        @VirtualTime(realTimeoutMillis = 0)
        void test() {
        }
    }

    @Fixture
    @VirtualTime
    static class LoopInConstructor {
        LoopInConstructor(Loop loop) {
        }

        @Test
        void test() {
        }
    }
}
