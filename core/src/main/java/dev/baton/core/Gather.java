package dev.baton.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * asyncio's {@code gather}, {@code wait} and {@code as_completed}: waiting for several tasks. The
 * documentation users read is on {@link Loop#gather}, {@link Loop#gatherSettled},
 * {@link Loop#wait} and {@link Loop#asCompleted}.
 */
final class Gather {
    private Gather() {
    }

    /**
     * A task whose result is the results of {@code tasks}, in their order (asyncio's
     * {@code gather}). On the first failure (in time) the other tasks are cancelled, and once they
     * have unwound the gather task fails with that exception. Cancelling the gather task cancels
     * them all. Loop thread only.
     *
     * @throws IllegalArgumentException if a task belongs to another loop
     */
    static <T> Task<List<T>> gather(Scheduler loop, List<? extends Task<? extends T>> tasks) {
        List<Task<? extends T>> all = checkOwnTasks(loop, "gather", tasks);
        return loop.spawn("gather(" + all.size() + " tasks)", () -> {
            Supervisor supervisor = new Supervisor(loop, true, true);
            all.forEach(supervisor::watch);
            Coroutine self = Scheduler.currentCoroutine("gather");
            supervisor.awaitAll(self);
            supervisor.throwFailures();
            loop.throwIfCancelled(self);
            List<T> results = new ArrayList<>(all.size());
            for (Task<? extends T> task : all) {
                results.add(task.joinResult());
            }
            return results;
        });
    }

    /**
     * A task whose result lists, for each of {@code tasks} in order, its result, or its exception
     * if it failed, or a {@link CancellationException} if it was cancelled (asyncio's
     * {@code gather(..., return_exceptions=True)}). It waits for all and never fails because of
     * them. Loop thread only.
     */
    static Task<List<Object>> gatherSettled(Scheduler loop, List<? extends Task<?>> tasks) {
        List<Task<?>> all = checkOwnTasks(loop, "gatherSettled", tasks);
        return loop.spawn("gatherSettled(" + all.size() + " tasks)", () -> {
            Supervisor supervisor = new Supervisor(loop, false, false);
            all.forEach(supervisor::watch);
            Coroutine self = Scheduler.currentCoroutine("gatherSettled");
            supervisor.awaitAll(self);
            loop.throwIfCancelled(self);
            List<Object> outcomes = new ArrayList<>(all.size());
            for (Task<?> task : all) {
                outcomes.add(task.isDone() && !task.isCancelled() && !task.isFailed() ? task.joinResult() : task.failure());
            }
            return outcomes;
        });
    }

    private static <X extends Task<?>> List<X> checkOwnTasks(Scheduler loop, String operation, List<? extends X> tasks) {
        Objects.requireNonNull(tasks, operation + ": tasks must not be null");
        List<X> all = List.copyOf(tasks);
        for (X task : all) {
            if (task.loop() != loop) {
                throw new IllegalArgumentException(operation + ": task '" + task.name() + "' belongs to another loop");
            }
        }
        return all;
    }

    /** See {@link Loop#wait(List, Loop.ReturnWhen, Duration)}. */
    static Loop.Waited wait(List<? extends Task<?>> tasks, Loop.ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(tasks, "Loop.wait: tasks must not be null");
        Objects.requireNonNull(when, "Loop.wait: when must not be null");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("Loop.wait: timeout must not be negative, was " + timeout);
        }
        Coroutine self = Scheduler.currentCoroutine("Loop.wait");
        Scheduler loop = self.loop();
        List<Task<?>> all = checkOwnTasks(loop, "Loop.wait", tasks);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("Loop.wait: tasks must not be empty (nothing could ever complete)");
        }
        loop.enterSuspension(self, false);
        Waiter waiter = new Waiter(self);
        boolean[] expired = new boolean[1];
        Entry timer = null;
        if (timeout != null) {
            timer = loop.internalTimer(loop.deadlineAfter(timeout), () -> {
                expired[0] = true;
                waiter.wakeUp();
            });
        }
        for (Task<?> task : all) {
            task.whenDoneNotify(waiter);
        }
        try {
            while (!expired[0] && !satisfied(all, when)) {
                waiter.await();
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (Task<?> task : all) {
                task.forgetNotify(waiter);
            }
        }
        List<Task<?>> done = new ArrayList<>();
        List<Task<?>> pending = new ArrayList<>();
        for (Task<?> task : all) {
            (task.isDone() ? done : pending).add(task);
        }
        return new Loop.Waited(List.copyOf(done), List.copyOf(pending));
    }

    private static boolean satisfied(List<Task<?>> all, Loop.ReturnWhen when) {
        int done = 0;
        for (Task<?> task : all) {
            if (task.isDone()) {
                done++;
                if (when == Loop.ReturnWhen.FIRST_COMPLETED || when == Loop.ReturnWhen.FIRST_EXCEPTION && task.isFailed()) {
                    return true;
                }
            }
        }
        return done == all.size();
    }

    /** See {@link Loop#asCompleted}. */
    static <T> Iterable<Task<T>> asCompleted(List<? extends Task<T>> tasks) {
        Objects.requireNonNull(tasks, "Loop.asCompleted: tasks must not be null");
        Coroutine self = Scheduler.currentCoroutine("Loop.asCompleted");
        List<Task<T>> all = checkOwnTasks(self.loop(), "Loop.asCompleted", tasks);
        ArrayDeque<Task<T>> completed = new ArrayDeque<>();
        Waiter[] waiter = new Waiter[1];
        for (Task<T> task : all) {
            task.onDone(t -> {
                completed.addLast(t);
                if (waiter[0] != null) {
                    waiter[0].wakeUp();
                }
            });
        }
        return () -> new Iterator<>() {
            private int remaining = all.size();

            @Override
            public boolean hasNext() {
                return remaining > 0;
            }

            @Override
            public Task<T> next() {
                if (remaining == 0) {
                    throw new NoSuchElementException("Loop.asCompleted: every task has been handed out");
                }
                Coroutine me = Scheduler.currentCoroutine("Loop.asCompleted: next()");
                me.loop().enterSuspension(me, false);
                while (completed.isEmpty()) {
                    waiter[0] = new Waiter(me);
                    try {
                        waiter[0].await();
                    } finally {
                        waiter[0] = null;
                    }
                }
                remaining--;
                return completed.pollFirst();
            }
        };
    }

    /** One coroutine waiting for any of several tasks; woken once per wait. Baton holder only. */
    static final class Waiter implements Waitable {
        private final Coroutine coroutine;
        private boolean waiting;

        Waiter(Coroutine coroutine) {
            this.coroutine = coroutine;
        }

        /** Suspends until woken; throws the coroutine's cancellation if that is what woke it. */
        void await() {
            waiting = true;
            coroutine.loop().park(coroutine, this, true);
        }

        /** Wakes the coroutine if it waits; does nothing otherwise. */
        void wakeUp() {
            if (waiting) {
                waiting = false;
                coroutine.loop().wake(coroutine);
            }
        }

        @Override
        public void removeWaiter(Coroutine waiter) {
            waiting = false;
        }

        @Override
        public String describe(Scheduler loop) {
            return "waiting for the first of several tasks";
        }
    }
}
