package dev.baton.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Schedule exploration, {@code @VirtualTime(explore = N)}: a check-then-act race across
 * {@code Loop.sleep(Duration.ZERO)} that FIFO hides is found, its seed named and replayed exactly;
 * the correct version passes every run.
 */
@VirtualTime
class ExplorationTest {

    /** Two coroutines claim one slot; the buggy claim checks, yields, then acts. */
    static final class Slot {
        boolean free = true;
        final List<String> claims = new CopyOnWriteArrayList<>();

        void claimBuggy(String who) {
            if (free) {
                Loop.sleep(Duration.ZERO); // e.g. a log call that yields: another coroutine may run here
                free = false;
                claims.add(who);
            }
        }

        void claimCorrect(String who) {
            if (free) {
                free = false; // act before yielding: the check and the act are one atomic step
                Loop.sleep(Duration.ZERO);
                claims.add(who);
            }
        }

        /** The race: "late" yields once first, so in FIFO order it checks after "early" acted. */
        static List<String> race(Loop loop, boolean buggy) {
            Slot slot = new Slot();
            Task<Void> early = loop.spawn("early", () -> {
                if (buggy) {
                    slot.claimBuggy("early");
                } else {
                    slot.claimCorrect("early");
                }
            });
            Task<Void> late = loop.spawn("late", () -> {
                Loop.sleep(Duration.ZERO);
                if (buggy) {
                    slot.claimBuggy("late");
                } else {
                    slot.claimCorrect("late");
                }
            });
            loop.runUntilComplete(loop.gather(List.of(early, late)));
            return slot.claims;
        }
    }

    @Test
    void theBugPassesInFifoOrder() {
        EngineKit.run(BuggyFifo.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void explorationFindsTheBugWithin20RunsAndNamesTheSeed() {
        BuggyExplored.runs.set(0);
        Throwable e = EngineKit.onlyFailure(EngineKit.run(BuggyExplored.class));
        VirtualTimeExtension.ExploredFailure explored = assertInstanceOf(VirtualTimeExtension.ExploredFailure.class, e);
        int runs = BuggyExplored.runs.get();
        assertTrue(runs <= 20, runs + " runs");
        assertEquals(1 + runs - 1, explored.seed, "run n uses seed 1 + (n - 1) when no seed is given");
        assertTrue(e.getMessage().startsWith("schedule exploration: run " + runs + " of 20 failed with seed " + explored.seed
                + "; replay exactly this order with @VirtualTime(seed = " + explored.seed + "L)."), e.getMessage());
        assertEquals("one claim ==> expected: <[early]> but was: <[early, late]>", e.getCause().getMessage());
        System.out.println("ExplorationTest: found in " + runs + " of 20 runs, seed " + explored.seed);
    }

    @Test
    void replayingTheSeedFailsTheSameWayEveryTime() {
        long seed = ((VirtualTimeExtension.ExploredFailure) EngineKit.onlyFailure(EngineKit.run(BuggyExplored.class))).seed;
        for (int i = 0; i < 5; i++) {
            BuggyExplored.runs.set(0);
            Throwable e = EngineKit.onlyFailure(EngineKit.run(BuggyExplored.class, Map.of(VirtualTime.SEED_PARAMETER, Long.toString(seed))));
            assertEquals(1, BuggyExplored.runs.get(), "a replay is one run");
            assertTrue(e.getMessage().startsWith("schedule exploration: run 1 of 1 failed with seed " + seed + ";"), e.getMessage());
            assertEquals("one claim ==> expected: <[early]> but was: <[early, late]>", e.getCause().getMessage());
        }
    }

    @Test
    void aSeedOnTheAnnotationReplaysTheSameOrder() {
        // Seeds that give the failing order and one that does not, each five times: the same outcome every time.
        for (int i = 0; i < 5; i++) {
            assertEquals(SeedTwo.outcome(), SeedTwo.outcome());
        }
        assertNotEquals(0, EngineKit.run(BuggyExplored.class).failed().count());
    }

    @Test
    void theCorrectVersionPassesAll20Runs() {
        CorrectExplored.runs.set(0);
        CorrectExplored.beforeEach.set(0);
        EngineKit.run(CorrectExplored.class).assertStatistics(s -> s.succeeded(1).failed(0));
        assertEquals(20, CorrectExplored.runs.get());
        assertEquals(20, CorrectExplored.beforeEach.get(), "each run repeats the @BeforeEach methods on its own loop");
    }

    @Test
    void aNegativeExploreCountIsABadAttribute() {
        Throwable e = EngineKit.onlyFailure(EngineKit.run(NegativeExplore.class));
        assertTrue(e.getMessage().startsWith("@VirtualTime(explore = -1) on NegativeExplore: must not be negative"), e.getMessage());
    }

    @Fixture
    @VirtualTime
    static class BuggyFifo {
        @Test
        void test(Loop loop) {
            assertEquals(List.of("early"), Slot.race(loop, true), "one claim");
        }
    }

    @Fixture
    @VirtualTime(explore = 20)
    static class BuggyExplored {
        static final AtomicInteger runs = new AtomicInteger();

        @Test
        void test(Loop loop) {
            runs.incrementAndGet();
            assertEquals(List.of("early"), Slot.race(loop, true), "one claim");
        }
    }

    @Fixture
    @VirtualTime(seed = 2)
    static class SeedTwo {
        @Test
        void test(Loop loop) {
            assertEquals(List.of("early"), Slot.race(loop, true), "one claim");
        }

        static String outcome() {
            org.junit.platform.testkit.engine.Events events = EngineKit.run(SeedTwo.class);
            return events.failed().count() == 0 ? "passed"
                    : EngineKit.onlyFailure(events).getCause().getMessage();
        }
    }

    @Fixture
    @VirtualTime(explore = 20)
    static class CorrectExplored {
        static final AtomicInteger runs = new AtomicInteger();
        static final AtomicInteger beforeEach = new AtomicInteger();
        private Loop setUp;

        @org.junit.jupiter.api.BeforeEach
        void setUp(Loop loop) {
            beforeEach.incrementAndGet();
            setUp = loop;
        }

        @Test
        void test(Loop loop) {
            runs.incrementAndGet();
            assertEquals(setUp, loop, "the @BeforeEach method saw this run's loop");
            assertEquals(List.of("early"), Slot.race(loop, false), "one claim");
        }
    }

    @Fixture
    @VirtualTime(explore = -1)
    static class NegativeExplore {
        @Test
        void test() {
        }
    }
}
