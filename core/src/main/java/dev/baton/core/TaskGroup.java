package dev.baton.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * Structured concurrency: a scope whose child coroutines all end before it does (asyncio's
 * {@code TaskGroup}, trio's nursery).
 *
 * <pre>{@code
 * int total = TaskGroup.run(group -> {
 *     Task<Integer> a = group.spawn("a", () -> fetch("a"));
 *     Task<Integer> b = group.spawn("b", () -> fetch("b"));
 *     return a.join() + b.join();
 * });
 * }</pre>
 *
 * <p>{@link #run} runs the body as a child coroutine of the calling one, then waits until the body
 * and every coroutine spawned in the group are done. When one of them fails, all the others are
 * cancelled; once they have unwound, {@code run} throws a {@link CompletionException} whose cause
 * is the first failure and whose suppressed exceptions are the later ones. A child cancelled by
 * someone else is not a failure. If the calling coroutine is cancelled, every child is cancelled
 * and {@code run} returns only after they have unwound: it throws the cancellation, or, if
 * children failed meanwhile, the {@link CompletionException} of their failures (no failure is
 * lost; the caller's cancellation surfaces at its next suspension point). Once the group is
 * shutting down, {@link #spawn} refuses new children.
 *
 * <p>Loop-local: use a group only from coroutines of its loop, and spawn in it only until
 * {@code run} returns.
 */
public final class TaskGroup {
    /**
     * A task group's body: spawns children in {@code group} and may return a value.
     *
     * @param <R> the type of the value the body returns
     */
    @FunctionalInterface
    public interface Body<R> {
        /**
         * Runs the body as the group's first child coroutine. It may suspend and may throw.
         *
         * @param group the group to spawn children in, open until {@link TaskGroup#run} returns
         * @return the value {@link TaskGroup#run} returns once every child is done
         * @throws Exception anything; it fails the group, so the other children are cancelled
         */
        R run(TaskGroup group) throws Exception;
    }

    private final Scheduler loop;
    private final Supervisor supervisor;
    /** The task of the coroutine in run(); once it is asked to cancel, the group is shutting down. */
    private final Task<?> caller;
    /** Set when run() returns. Baton holder only. */
    private boolean closed;

    private TaskGroup(Scheduler loop, Task<?> caller) {
        this.loop = loop;
        this.caller = caller;
        this.supervisor = new Supervisor(loop, true, false);
    }

    /**
     * Runs {@code body} with a new group and waits for everything spawned in it; see the class
     * documentation.
     *
     * @param <R> the type of the body's result
     * @param body the code to run as the group's first child; it spawns the others
     * @return what the body returned
     * @throws CompletionException if the body or a child failed
     * @throws java.util.concurrent.CancellationException if the calling coroutine was cancelled
     * @throws IllegalStateException if the caller is not a coroutine
     */
    public static <R> R run(Body<R> body) {
        Objects.requireNonNull(body, "TaskGroup.run: body must not be null");
        Coroutine self = Scheduler.currentCoroutine("TaskGroup.run");
        TaskGroup group = new TaskGroup(self.loop(), self);
        Task<R> scope = group.spawn(self.name() + "/group", () -> body.run(group));
        try {
            group.supervisor.awaitAll(self);
        } finally {
            group.closed = true;
        }
        // Failures first: a cancelled caller still learns what its children threw while unwinding.
        List<Throwable> failures = group.supervisor.failures();
        if (!failures.isEmpty()) {
            CompletionException failed = new CompletionException("a task group failed: " + Reports.describe(failures.get(0)), failures.get(0));
            failures.subList(1, failures.size()).forEach(failed::addSuppressed);
            throw failed;
        }
        self.loop().throwIfCancelled(self);
        return scope.joinResult();
    }

    /**
     * Spawns a child coroutine in this group; see {@link Loop#spawn(String, Callable)}.
     *
     * @param <T> the type of the body's result
     * @param name the child's name: its thread's name, and how logs and dumps refer to it
     * @param body the code the child runs; it may suspend and may throw
     * @return the child's task; the group waits for it, and cancels it if another child fails
     * @throws IllegalStateException if the group's {@code run} has returned, or if the group is
     *     shutting down (a child failed or the caller was cancelled, so its children are being
     *     cancelled): the child is refused, not started (asyncio refuses too; trio would start it
     *     cancelled)
     */
    public <T> Task<T> spawn(String name, Callable<T> body) {
        if (closed) {
            throw new IllegalStateException("TaskGroup.spawn('" + name + "'): the group has ended; spawn inside TaskGroup.run");
        }
        if (supervisor.isShuttingDown() || loop.pendingCancellation(caller.coroutine()) != null) {
            throw new IllegalStateException("TaskGroup.spawn('" + name + "'): the group is shutting down (a child failed"
                    + " or the caller was cancelled, and its children are being cancelled); the child was not started");
        }
        Task<T> task = loop.spawn(name, body);
        supervisor.watch(task);
        return task;
    }

    /**
     * Spawns a child coroutine that returns nothing; see {@link #spawn(String, Callable)}.
     *
     * @param name the child's name: its thread's name, and how logs and dumps refer to it
     * @param body the code the child runs; it may suspend and may throw
     * @return the child's task, whose result is null; the group waits for it, and cancels it if
     *     another child fails
     * @throws IllegalStateException as {@link #spawn(String, Callable)}
     */
    public Task<Void> spawn(String name, Loop.Body body) {
        Objects.requireNonNull(body, "spawn: body must not be null");
        return spawn(name, () -> {
            body.run();
            return null;
        });
    }
}
