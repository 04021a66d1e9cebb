package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The timer heap against the simplest model of what it promises: timers leave by (deadline, the
 * order they were scheduled), a removed timer never fires, and the count is the number pending.
 * Deadlines are drawn from few values, so timers chain, chains of one deadline coexist, and the
 * chains' tail table collides.
 */
class TimersTest {
    /** The model's key: the deadline, then the order of scheduling. */
    private record Key(long deadline, long order) { }

    private final Timers timers = new Timers();

    private Entry timer() {
        return new Entry(() -> { }, timers);
    }

    @Test
    void equalDeadlinesLeaveInTheOrderTheyWereScheduledAcrossInterleavedDeadlines() {
        List<Entry> atTen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Entry ten = timer();
            timers.add(ten, 10);
            atTen.add(ten);
            timers.add(timer(), 5 + 10 * (i % 2)); // breaks the chain of 10 every time
        }
        List<Timer> out = new ArrayList<>();
        Timer t;
        while ((t = timers.pollDue(10)) != null) {
            out.add(t);
        }
        assertEquals(9, out.size(), "6 at 10 and 3 at 5 are due at 10");
        assertEquals(atTen, out.subList(3, 9), "the timers at 10 in scheduling order");
        assertEquals(3, timers.size(), "the three at 15 are still pending");
        assertEquals(15, timers.nextDeadline());
    }

    @Test
    void aRemovedTimerInTheMiddleOfAChainNeverFiresAndItsNeighboursKeepTheirOrder() {
        Entry a = timer();
        Entry b = timer();
        Entry c = timer();
        timers.add(a, 7);
        timers.add(b, 7);
        timers.add(c, 7);
        assertTrue(timers.remove(b));
        assertFalse(timers.remove(b), "removing twice");
        Entry d = timer();
        timers.add(d, 7);
        assertSame(a, timers.pollDue(7));
        assertSame(c, timers.pollDue(7));
        assertSame(d, timers.pollDue(7));
        assertNull(timers.pollDue(7));
        assertEquals(0, timers.size());
    }

    @Test
    void aTimerCanBeScheduledAgainAfterItFiredOrWasRemoved() {
        Entry a = timer();
        Entry b = timer();
        timers.add(a, 3);
        timers.add(b, 3);
        assertSame(a, timers.pollDue(3));
        timers.add(a, 3); // after b, which is still pending at the same deadline
        assertTrue(timers.remove(b));
        timers.add(b, 3);
        assertSame(a, timers.pollDue(3));
        assertSame(b, timers.pollDue(3));
        assertNull(timers.pollDue(Long.MAX_VALUE - 1));
    }

    @Test
    void randomOperationsMatchAnOrderedSetModel() {
        for (long seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            Timers heap = new Timers();
            Map<Timer, Key> keys = new IdentityHashMap<>();
            TreeSet<Timer> model = new TreeSet<>(Comparator.comparing((Timer t) -> keys.get(t).deadline())
                    .thenComparingLong(t -> keys.get(t).order()));
            Set<Timer> pending = Collections.newSetFromMap(new IdentityHashMap<>());
            long order = 0;
            List<Entry> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(new Entry(() -> { }, heap));
            }
            long now = 0;
            for (int step = 0; step < 4_000; step++) {
                Entry e = all.get(random.nextInt(all.size()));
                int op = random.nextInt(10);
                if (op < 5) {
                    if (pending.add(e)) {
                        long deadline = now + random.nextInt(random.nextBoolean() ? 4 : 40);
                        keys.put(e, new Key(deadline, order++));
                        heap.add(e, deadline);
                        model.add(e);
                    }
                } else if (op < 7) {
                    boolean was = pending.remove(e);
                    if (was) {
                        model.remove(e);
                    }
                    assertEquals(was, heap.remove(e), "seed " + seed + " step " + step + ": remove");
                } else {
                    now += random.nextInt(3);
                    Timer expected = model.isEmpty() || keys.get(model.first()).deadline() > now ? null : model.pollFirst();
                    pending.remove(expected);
                    assertSame(expected, heap.pollDue(now), "seed " + seed + " step " + step + ": the next due at " + now);
                }
                assertEquals(model.size(), heap.size(), "seed " + seed + " step " + step + ": pending");
                assertEquals(model.isEmpty() ? Scheduler.NEVER : keys.get(model.first()).deadline(), heap.nextDeadline(),
                        "seed " + seed + " step " + step + ": next deadline");
                assertEquals(pending.contains(e) ? keys.get(e).deadline() : Scheduler.NEVER, heap.deadlineOf(e),
                        "seed " + seed + " step " + step + ": the deadline of a timer, pending or not");
                if (step % 100 == 0) { // as a dump asks: every timer, sharing what walks along chains found
                    Map<Timer, Timer> heads = new IdentityHashMap<>();
                    for (Entry any : all) {
                        assertEquals(pending.contains(any) ? keys.get(any).deadline() : Scheduler.NEVER, heap.deadlineOf(any, heads),
                                "seed " + seed + " step " + step + ": a dump's deadline of a timer");
                    }
                }
            }
        }
    }
}
