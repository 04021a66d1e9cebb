package dev.baton.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * asyncio's {@code gather}, on a {@link Supervisor}: wait for several tasks and collect their
 * outcomes. The documentation users read is on {@link Loop#gather} and {@link Loop#gatherSettled}.
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
}
