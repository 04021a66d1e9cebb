package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderingTest {

    private static List<String> threeSleepers() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            for (String name : List.of("a", "b", "c")) {
                long step = switch (name) {
                    case "a" -> 3;
                    case "b" -> 5;
                    default -> 7;
                };
                loop.spawn(name, () -> {
                    for (int i = 0; i < 4; i++) {
                        Loop.sleep(Duration.ofSeconds(step));
                        trace.record(name);
                    }
                });
            }
            loop.runFor(Duration.ofSeconds(30));
            return trace.events();
        }
    }

    @Test
    void threeCoroutinesInterleaveByDeadlineThenScheduleOrder() {
        // a every 3 s, b every 5 s, c every 7 s; at 15 s b's timer (set at 10 s) precedes a's (set at 12 s).
        assertEquals(List.of(
                "a@3000", "b@5000", "a@6000", "c@7000", "a@9000", "b@10000", "a@12000",
                "c@14000", "b@15000", "b@20000", "c@21000", "c@28000"), threeSleepers());
    }

    @Test
    void theSameProgramGivesTheSameTraceEveryRun() {
        List<String> first = threeSleepers();
        for (int run = 0; run < 100; run++) {
            assertEquals(first, threeSleepers(), "run " + run);
        }
    }

    @Test
    void sameDeadlineTimersFireInScheduleOrder() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> fired = new ArrayList<>();
            loop.callLater(Duration.ofSeconds(2), () -> fired.add("late"));
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callLater(Duration.ofSeconds(1), () -> fired.add("t" + n));
            }
            loop.callAt(loop.clock().instant().plusSeconds(1), () -> fired.add("at"));
            loop.runUntilIdle();
            assertEquals(List.of(), fired, "runUntilIdle does not move time");
            loop.runFor(Duration.ofSeconds(2));
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "at", "late"), fired);
        }
    }

    @Test
    void sameDeadlineSleepsResumeInScheduleOrder() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = new Trace(loop);
            for (String name : List.of("x", "y", "z")) {
                loop.spawn(name, () -> {
                    Loop.sleep(Duration.ofMillis(10));
                    trace.record(name);
                });
            }
            loop.runFor(Duration.ofSeconds(1));
            assertEquals(List.of("x@10", "y@10", "z@10"), trace.events());
        }
    }

    @Test
    void callSoonCallbacksRunFirstInFirstOut() {
        try (Loop loop = Trace.virtualLoop()) {
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.callSoon(() -> ran.add(n));
            }
            loop.runUntilIdle();
            assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), ran);
        }
    }

    @Test
    void readyCoroutinesAndCallbacksShareOneFifoQueue() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("cb1"));
            loop.spawn("co1", () -> {
                ran.add("co1");
                loop.callSoon(() -> ran.add("cb3"));
                Loop.sleep(Duration.ZERO);
                ran.add("co1-again");
            });
            loop.callSoon(() -> ran.add("cb2"));
            loop.spawn("co2", () -> ran.add("co2"));
            loop.runUntilIdle();
            assertEquals(List.of("cb1", "co1", "cb2", "co2", "cb3", "co1-again"), ran);
        }
    }

    @Test
    void sleepZeroLetsEveryReadyCoroutineRunFirst() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                loop.spawn(name, () -> {
                    for (int i = 0; i < 3; i++) {
                        ran.add(name + i);
                        Loop.sleep(Duration.ZERO);
                    }
                });
            }
            loop.runUntilIdle();
            assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), ran);
            assertEquals(0, loop.clock().nanoTime(), "no virtual time passed");
        }
    }

    @Test
    void cancelledCallbackDoesNotRun() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> ran = new ArrayList<>();
            Loop.Handle soon = loop.callSoon(() -> ran.add("soon"));
            Loop.Handle later = loop.callLater(Duration.ofSeconds(1), () -> ran.add("later"));
            loop.callLater(Duration.ofSeconds(1), () -> ran.add("kept"));
            assertEquals(true, soon.cancel());
            assertEquals(true, later.cancel());
            assertEquals(false, later.cancel(), "a second cancel changes nothing");
            loop.runFor(Duration.ofSeconds(2));
            assertEquals(List.of("kept"), ran);
        }
    }
}
