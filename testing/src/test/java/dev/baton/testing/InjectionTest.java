package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.LoopClock;
import dev.baton.core.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** java.time.Clock, LoopClock and ScheduledExecutorService parameters belong to the test's loop; a Loop without @VirtualTime says so. */
@VirtualTime(start = "2026-03-29T00:30", zone = "Europe/London")
class InjectionTest {

    @Test
    void clockParametersReadTheTestsVirtualClock(Loop loop, VirtualClock virtual, LoopClock loopClock, Clock clock) {
        assertSame(virtual, loopClock);
        assertSame(loop.clock(), loopClock);
        assertEquals(ZoneId.of("Europe/London"), clock.getZone());
        assertEquals(Instant.parse("2026-03-29T00:30:00Z"), clock.instant());
        loop.runFor(Duration.ofHours(1));
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), clock.instant(), "a java.time.Clock that follows virtual time");
        assertEquals("2026-03-29T02:30", java.time.LocalDateTime.now(clock).toString());
    }

    @Test
    void anInjectedExecutorRunsItsTasksOnTheLoopOnVirtualTime(Loop loop, ScheduledExecutorService executor, Trace trace) {
        executor.schedule(() -> trace.record("once"), 90, TimeUnit.MINUTES);
        executor.scheduleAtFixedRate(() -> trace.record("rate"), 0, 1, TimeUnit.HOURS);
        loop.runFor(Duration.ofHours(2));
        trace.assertTrace("rate@2026-03-29T00:30Z", "rate@2026-03-29T02:30+01:00", "once@2026-03-29T03:00+01:00",
                "rate@2026-03-29T03:30+01:00");
        executor.shutdown();
        assertTrue(executor.isTerminated(), "shutdown cancels periodic tasks; nothing else was pending");
    }

    @Test
    void aLoopParameterWithoutVirtualTimeSaysWhatToAdd() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(WithoutVirtualTime.class,
                Map.of("junit.jupiter.extensions.autodetection.enabled", "true")));
        assertInstanceOf(ParameterResolutionException.class, e);
        assertTrue(e.getMessage().startsWith("the Loop parameter of void dev.baton.testing.InjectionTest$WithoutVirtualTime.test(dev.baton.core.Loop)"
                + " needs @VirtualTime on the test method or its class"), e.getMessage());
    }

    /**
     * JUnit's default, auto-detection off: the failure stays JUnit's, and the launcher's listener
     * from this jar (found by the launcher itself) prints under it what to add.
     */
    @Test
    void aLoopParameterWithoutVirtualTimeGetsAHintWithJunitsDefaults() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            org.junit.platform.launcher.core.LauncherFactory.create().execute(
                    org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                            .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(WithoutVirtualTime.class))
                            .configurationParameter(EngineKit.ENABLE, "true")
                            .build());
        } finally {
            System.setErr(original);
        }
        String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains("baton-testing: test(Loop) takes a Loop parameter, which @VirtualTime injects:"
                + " annotate the test method or its class with @VirtualTime"), printed);
    }

    @Test
    void withAutodetectionOnVirtualTimeTestsStillGetTheirParameters() {
        EngineKit.run(WithVirtualTime.class, Map.of("junit.jupiter.extensions.autodetection.enabled", "true"))
                .assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Fixture
    static class WithoutVirtualTime {
        @Test
        void test(Loop loop) {
            loop.runFor(Duration.ofSeconds(1));
        }
    }

    @Fixture
    @VirtualTime
    static class WithVirtualTime {
        @Test
        void test(Loop loop, Clock clock) {
            loop.runFor(Duration.ofSeconds(1));
            assertEquals(Instant.parse("2026-01-01T00:00:01Z"), clock.instant());
        }
    }
}
