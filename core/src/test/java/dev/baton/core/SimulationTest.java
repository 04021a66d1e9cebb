package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Schedule exploration: what {@link Simulation#exploring} perturbs, what it keeps, and that a seed replays. */
class SimulationTest {

    private static VirtualClock clock() {
        return VirtualClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    }

    /** Five coroutines each record their name after a sleep of the same length: an equal-deadline tie. */
    private static List<String> tieOrder(Loop loop) {
        List<String> order = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d", "e")) {
            loop.spawn(name, () -> {
                Loop.sleep(Duration.ofSeconds(1));
                order.add(name);
            });
        }
        loop.runFor(Duration.ofSeconds(1));
        return order;
    }

    @Test
    void withoutExplorationTiesGoFirstInFirstOut() {
        try (Loop loop = Loop.create(clock())) {
            assertEquals(List.of("a", "b", "c", "d", "e"), tieOrder(loop));
        }
    }

    @Test
    void theSameSeedGivesTheSameOrder() {
        for (long seed = 0; seed < 10; seed++) {
            List<String> first;
            try (Loop loop = Simulation.exploring(clock(), seed)) {
                first = tieOrder(loop);
            }
            try (Loop loop = Simulation.exploring(clock(), seed)) {
                assertEquals(first, tieOrder(loop), "seed " + seed);
            }
        }
    }

    @Test
    void differentSeedsReorderEqualDeadlineTimers() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            try (Loop loop = Simulation.exploring(clock(), seed)) {
                orders.add(tieOrder(loop));
            }
        }
        assertTrue(orders.size() > 5, "20 seeds gave " + orders.size() + " orders of 5 tied timers: " + orders);
    }

    @Test
    void deadlineOrderIsKept() {
        for (long seed = 0; seed < 20; seed++) {
            try (Loop loop = Simulation.exploring(clock(), seed)) {
                List<Integer> order = new ArrayList<>();
                for (int i = 5; i >= 1; i--) {
                    int at = i;
                    loop.spawn("at " + i, () -> {
                        Loop.sleep(Duration.ofMillis(at));
                        order.add(at);
                    });
                }
                loop.runFor(Duration.ofSeconds(1));
                assertEquals(List.of(1, 2, 3, 4, 5), order, "seed " + seed);
            }
        }
    }

    @Test
    void sleepZeroStillLetsEverythingReadyRunFirst() {
        // The batch boundary is kept: a coroutine that yields resumes only after all that was ready.
        for (long seed = 0; seed < 20; seed++) {
            try (Loop loop = Simulation.exploring(clock(), seed)) {
                List<String> order = new ArrayList<>();
                loop.spawn("yielder", () -> {
                    loop.callSoon(() -> order.add("callback"));
                    loop.spawn("child", () -> order.add("child"));
                    Loop.sleep(Duration.ZERO);
                    order.add("yielder resumed");
                });
                loop.runUntilIdle();
                assertEquals("yielder resumed", order.get(2), "seed " + seed + ": " + order);
            }
        }
    }

    @Test
    void explorationIsSetBeforeTheFirstRun() {
        try (Loop loop = Loop.create(clock())) {
            loop.runUntilIdle();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.scheduler().setTieBreak(new TieBreak(1)));
            assertTrue(e.getMessage().contains("has already run"), e.getMessage());
        }
    }
}
