package com.example;

import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.testing.Trace;
import dev.baton.testing.VirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TickerTest {

    @Test
    @VirtualTime(start = "2026-03-29T00:30", zone = "Europe/London")
    void ticksEveryHalfHourAcrossTheSpringChange(Loop loop, Trace trace) {
        Task<Void> ticker = loop.spawn("ticker", () -> {
            for (int i = 0; i < 3; i++) {
                Loop.sleep(Duration.ofMinutes(30));
                trace.record("tick");
            }
        });
        loop.runUntilComplete(ticker);
        trace.assertTrace(
                "tick@2026-03-29T02:00+01:00",   // 01:00 GMT is 02:00 BST: the clocks went forward
                "tick@2026-03-29T02:30+01:00",
                "tick@2026-03-29T03:00+01:00");
    }
}
