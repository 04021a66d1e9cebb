package dev.baton.bench

import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.hours

/**
 * Workloads 1-4 on kotlinx-coroutines-test, the peer a Kotlin user would reach for: the same
 * N coroutines x M sleeps of 1..7 units as [SleepWorkload] (one unit is one second of virtual
 * time, the same [SleepWorkload.units] formula), each coroutine a `launch` inside one `runTest`,
 * each sleep a `delay` on the test scheduler's virtual clock; and the generator as a
 * `sequence {}` iterator. The time counts launching the coroutines and `runTest` running them all
 * to the end, as Baton's counts spawning and `runForever`.
 *
 * With `memory=1` one more run measures the heap per suspended coroutine: after launching all,
 * `runCurrent()` starts every one (each suspends in its first `delay`, no virtual time passes),
 * then the heap after collection is read, less the baseline read the same way before.
 */
internal object KotlinxWorkloads {
    @JvmStatic
    fun sleep(o: Harness.Options): Harness.Json {
        val n = o.integer("coroutines", 1_000)
        val m = o.integer("sleeps", 1_000)
        val json = Harness.Json().put("workload", "kotlinx-sleep").put("coroutines", n).put("sleeps", m)
        if (o.integer("memory", 0) == 1) {
            val heap = once(n, m, true)[1]
            json.put("heap_bytes", heap).put("heap_bytes_per_coroutine", heap.toDouble() / n)
        }
        val elapsed = Harness.time(o.integer("warmup", 2), o.integer("runs", 5)) { once(n, m, false)[0] }
        val median = Harness.median(elapsed)
        return json.put("runs_ns", elapsed).put("cpu_ns_per_sleep", Harness.cpuPer(elapsed.size, n.toDouble() * m))
            .put("median_ns", median).put("ns_per_sleep", median / (n.toDouble() * m))
    }

    /** One run: {elapsed nanoseconds, heap bytes held by the suspended coroutines (0 unless asked)}. */
    private fun once(n: Int, m: Int, measureHeap: Boolean): LongArray {
        val baseline = if (measureHeap) Harness.heapAfterGc() else 0L
        var finished = 0 // touched only by the test dispatcher's one thread
        var heap = 0L
        var probeTime = 0L
        val start = System.nanoTime()
        runTest(timeout = 1.hours) {
            for (i in 0 until n) {
                launch {
                    for (j in 0 until m) {
                        delay(SleepWorkload.units(i, j) * 1_000L)
                    }
                    finished++
                }
            }
            if (measureHeap) {
                runCurrent()
                val t = System.nanoTime()
                heap = Harness.heapAfterGc() - baseline
                probeTime = System.nanoTime() - t
            }
        }
        val elapsed = System.nanoTime() - start - probeTime
        if (finished != n) {
            throw AssertionError("$finished of $n coroutines finished")
        }
        return longArrayOf(elapsed, heap)
    }

    /** Workload 4: one `next()` of a `sequence {}` that yields 0, 1, 2, ... forever. */
    @JvmStatic
    fun generator(o: Harness.Options): Harness.Json {
        val n = o.integer("nexts", 5_000_000)
        val elapsed = Harness.time(o.integer("warmup", 2), o.integer("runs", 5)) { nexts(n) }
        return Harness.Json().put("workload", "kotlinx-generator").put("nexts", n)
            .put("runs_ns", elapsed).put("ns_per_next", Harness.median(elapsed) / n)
    }

    private fun nexts(n: Int): Long {
        val values = sequence {
            var i = 0
            while (true) {
                yield(i)
                i++
            }
        }.iterator()
        var sum = 0L
        val start = System.nanoTime()
        for (k in 0 until n) {
            sum += values.next()
        }
        val elapsed = System.nanoTime() - start
        if (sum != n.toLong() * (n - 1) / 2) {
            throw AssertionError("the sequence yielded $sum in total, expected ${n.toLong() * (n - 1) / 2}")
        }
        GeneratorWorkload.SINK.addAndGet(sum)
        return elapsed
    }
}
