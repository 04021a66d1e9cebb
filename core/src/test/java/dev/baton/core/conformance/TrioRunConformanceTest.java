package dev.baton.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Event;
import dev.baton.core.Loop;
import dev.baton.core.Task;
import dev.baton.core.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * trio's _core/_tests/test_run.py, ported to Loop, Task and TaskGroup (a nursery). Trio's
 * checkpoint is {@code Loop.sleep(Duration.ZERO)}.
 *
 * <p>Skipped families, and why: cancel scopes, shielding and deadlines on scopes
 * (test_cancel_scope_*, test_cancel_shielding, test_cancel_inheritance, test_basic_timeout,
 * test_timekeeping, test_yield_briefly_checks_for_timeout, test_current_effective_deadline:
 * Baton cancels tasks, not scopes); nursery.start (test_nursery_start*); system tasks
 * (test_system_task_*); TrioToken (run_sync_soon: Baton's execute() is tested in core);
 * reschedule, abort and detached coroutines (test_reschedule, test_failed_abort,
 * test_slow_abort_*, test_*detach*); exc_info and chaining (no implicit context in Java);
 * contextvars, sniffio, KeyboardInterrupt, strict exception groups, cyclic garbage, statistics
 * and introspection.
 */
class TrioRunConformanceTest {

    @Test
    // test_run.py::test_basic
    void test_basic() {
        try (Loop loop = Trace.virtualLoop()) {
            assertEquals(8, loop.runUntilComplete(loop.spawn("trivial", () -> 8)));
            assertEquals(1, loop.runUntilComplete(loop.spawn("trivial2", () -> {
                Loop.sleep(Duration.ZERO);
                return 1;
            })));
        }
    }

    @Test
    // test_run.py::test_initial_task_error
    void test_initial_task_error() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> {
                throw new IllegalArgumentException("17");
            });
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("17", e.getCause().getMessage());
        }
    }

    @Test
    // test_run.py::test_run_nesting
    void test_run_nesting() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> inception = loop.spawn("inception", () -> {
                try {
                    loop.runUntilComplete(loop.spawn("main", () -> null));
                    return "nested run allowed";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            String message = loop.runUntilComplete(inception);
            assertTrue(message.contains("already running"), message);
        }
    }

    @Test
    // test_run.py::test_nursery_main_block_error_basic
    void test_nursery_main_block_error_basic() {
        try (Loop loop = Trace.virtualLoop()) {
            IllegalArgumentException exc = new IllegalArgumentException("whoops");
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                throw exc;
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertSame(exc, e.getCause().getCause());
        }
    }

    @Test
    // test_run.py::test_child_crash_basic
    void test_child_crash_basic() {
        try (Loop loop = Trace.virtualLoop()) {
            IllegalArgumentException myExc = new IllegalArgumentException("uh oh");
            Task<Task<Void>> main = loop.spawn("main", () -> TaskGroup.run(nursery -> nursery.spawn("erroring", () -> {
                throw myExc;
            })));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertSame(myExc, e.getCause().getCause());
        }
    }

    @Test
    // test_run.py::test_basic_interleave
    void test_basic_interleave() {
        // trio allows either order within a round; Baton's ready queue is FIFO, so the order is fixed.
        try (Loop loop = Trace.virtualLoop()) {
            List<String> record = new ArrayList<>();
            loop.runUntilComplete(loop.spawn("main", () -> TaskGroup.run(nursery -> {
                for (String whoami : List.of("a", "b")) {
                    nursery.spawn(whoami, () -> {
                        for (int i = 0; i < 3; i++) {
                            record.add(whoami + i);
                            Loop.sleep(Duration.ZERO);
                        }
                    });
                }
                return null;
            })));
            assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), record);
        }
    }

    @Test
    // test_run.py::test_task_crash_propagation
    void test_task_crash_propagation() {
        try (Loop loop = Trace.virtualLoop()) {
            List<String> looperRecord = new ArrayList<>();
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                nursery.spawn("looper", () -> {
                    try {
                        while (true) {
                            Loop.sleep(Duration.ZERO);
                        }
                    } catch (CancellationException e) {
                        looperRecord.add("cancelled");
                    }
                });
                nursery.spawn("crasher", () -> {
                    throw new IllegalArgumentException("argh");
                });
                return null;
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertEquals("argh", e.getCause().getCause().getMessage());
            assertEquals(List.of("cancelled"), looperRecord);
        }
    }

    private static Set<String> groupFailures(CompletionException runFailure) {
        CompletionException group = (CompletionException) runFailure.getCause();
        List<Throwable> all = new ArrayList<>();
        all.add(group.getCause());
        all.addAll(Arrays.asList(group.getSuppressed()));
        return all.stream().map(Throwable::getMessage).collect(Collectors.toSet());
    }

    @Test
    // test_run.py::test_main_and_task_both_crash
    void test_main_and_task_both_crash() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                nursery.spawn("crasher", () -> {
                    throw new IllegalArgumentException("ValueError");
                });
                throw new IllegalStateException("KeyError");
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertEquals(Set.of("ValueError", "KeyError"), groupFailures(e));
        }
    }

    @Test
    // test_run.py::test_two_child_crashes
    void test_two_child_crashes() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                for (String etype : List.of("KeyError", "ValueError")) {
                    nursery.spawn("crasher", () -> {
                        throw new IllegalStateException(etype);
                    });
                }
                return null;
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertEquals(Set.of("ValueError", "KeyError"), groupFailures(e));
        }
    }

    @Test
    // test_run.py::test_child_crash_wakes_parent
    void test_child_crash_wakes_parent() {
        try (Loop loop = Trace.virtualLoop()) {
            Event never = Event.create();
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                nursery.spawn("crasher", () -> {
                    throw new IllegalArgumentException("this is a crash");
                });
                never.await();
                return null;
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertEquals(Set.of("this is a crash"), groupFailures(e));
        }
    }

    @Test
    // test_run.py::test_cancel_points
    void test_cancel_points() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Void> main = loop.spawn("main", () -> {
                Loop.sleep(Duration.ZERO);
                self[0].cancel();
                trace.record("still running after cancel()");
                assertThrows(CancellationException.class, () -> Loop.sleep(Duration.ZERO));
                assertThrows(CancellationException.class, () -> Event.create().await());
                trace.record("every checkpoint refused");
            });
            self[0] = main;
            loop.runUntilComplete(main);
            assertEquals(List.of("still running after cancel()@0", "every checkpoint refused@0"), trace.events());
        }
    }

    @Test
    // test_run.py::test_cancel_edge_cases
    void test_cancel_edge_cases() {
        // Two cancels in a row are idempotent, and cancellation is level-triggered (R2), as in trio.
        try (Loop loop = Trace.virtualLoop()) {
            int[] refused = {0};
            Task<Void> main = loop.spawn("main", () -> {
                Loop.sleep(Duration.ofHours(1));
            });
            loop.runUntilIdle();
            assertTrue(main.cancel());
            assertTrue(main.cancel());
            Task<Void> levels = loop.spawn("levels", () -> {
                Task<?> me = loop.tasks().get(loop.tasks().size() - 1);
                me.cancel();
                for (int i = 0; i < 2; i++) {
                    try {
                        Event.create().await();
                    } catch (CancellationException e) {
                        refused[0]++;
                    }
                }
            });
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(main));
            loop.runUntilIdle();
            assertEquals(2, refused[0]);
            // Both refusals were caught and the body returned: its outcome wins (R1).
            assertTrue(levels.isDone() && !levels.isCancelled());
        }
    }

    @Test
    // test_run.py::test_precancelled_task
    void test_precancelled_task() {
        // Differs: trio starts a task spawned into an already-cancelled nursery and cancels it at
        // its first checkpoint; Baton refuses the spawn with IllegalStateException (R5), so that
        // no work starts in a group that is shutting down.
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            Task<?>[] self = new Task<?>[1];
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                self[0].cancel();
                try {
                    nursery.spawn("blocker", () -> {
                        trace.record("started");
                        Event.create().await();
                    });
                } catch (IllegalStateException e) {
                    trace.record("spawn refused");
                }
                return null;
            }));
            self[0] = main;
            assertThrows(CancellationException.class, () -> loop.runUntilComplete(main));
            assertEquals(List.of("spawn refused@0"), trace.events());
        }
    }

    @Test
    // test_run.py::test_nursery_closure
    void test_nursery_closure() {
        try (Loop loop = Trace.virtualLoop()) {
            Trace trace = Trace.on(loop);
            TaskGroup[] nursery = new TaskGroup[1];
            Task<Void> main = loop.spawn("main", () -> {
                TaskGroup.run(g -> {
                    nursery[0] = g;
                    // a child may spawn after the body returned, while the group still runs
                    g.spawn("child1", () -> {
                        Loop.sleep(Duration.ZERO);
                        g.spawn("child2", () -> trace.record("child2"));
                    });
                    return null;
                });
                assertThrows(IllegalStateException.class, () -> nursery[0].spawn("child2", () -> trace.record("late")));
            });
            loop.runUntilComplete(main);
            loop.runUntilIdle();
            assertEquals(List.of("child2@0"), trace.events());
        }
    }

    @Test
    // test_run.py::test_spawn_name
    void test_spawn_name() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<String> func1 = loop.spawn("func1", () -> Thread.currentThread().getName());
            assertEquals("func1", loop.runUntilComplete(func1));
            assertEquals("func1", func1.name());
        }
    }

    @Test
    // test_run.py::test_nice_error_on_bad_calls_to_run_or_spawn
    void test_nice_error_on_bad_calls_to_run_or_spawn() {
        try (Loop loop = Trace.virtualLoop()) {
            assertThrows(NullPointerException.class, () -> loop.spawn(null, () -> 1));
            IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> loop.spawn(" ", () -> 1));
            assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
            try (Loop other = Trace.virtualLoop()) {
                Task<Integer> foreign = other.spawn("foreign", () -> 1);
                assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(foreign));
            }
        }
    }

    @Test
    // test_run.py::test_out_of_context
    void test_out_of_context() {
        assertThrows(IllegalStateException.class, Loop::current);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Loop.sleep(Duration.ZERO));
        assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
    }

    @Test
    // test_run.py::test_nursery_explicit_exception
    void test_nursery_explicit_exception() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Void> main = loop.spawn("main", () -> TaskGroup.run(nursery -> {
                throw new IllegalStateException("KeyError");
            }));
            CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(main));
            assertEquals(Set.of("KeyError"), groupFailures(e));
        }
    }

    @Test
    // test_run.py::test_current_task
    void test_current_task() {
        try (Loop loop = Trace.virtualLoop()) {
            Task<Boolean> main = loop.spawn("main", () -> Loop.current() == loop);
            assertTrue(loop.runUntilComplete(main));
            assertFalse(loop.isClosed());
        }
    }
}
