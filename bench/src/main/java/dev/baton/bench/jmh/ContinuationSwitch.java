package dev.baton.bench.jmh;

import java.util.concurrent.TimeUnit;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Workload 5 at its smallest: one resume of a raw continuation, which runs to its next yield and
 * comes back. Two stack switches, nothing else: the JVM's floor for a stackful coroutine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")
public class ContinuationSwitch {
    private static final ContinuationScope SCOPE = new ContinuationScope("bench");

    private Continuation continuation;
    /** Counted by the continuation so that its loop is not empty. */
    private long yields;

    @Setup
    public void setUp() {
        continuation = new Continuation(SCOPE, () -> {
            for (;;) {
                yields++;
                Continuation.yield(SCOPE);
            }
        });
    }

    @Benchmark
    public long runToNextYield() {
        continuation.run();
        return yields;
    }
}
