#!/usr/bin/env python3
"""The asyncio side of bench/run: the same workloads as the Java harness, stdlib only.

    python3 asyncio_bench.py sleep coroutines=1000 sleeps=1000 warmup=1 runs=3 [memory=1]
    python3 asyncio_bench.py generator nexts=1000000 runs=5
    python3 asyncio_bench.py timers timers=10000 spread_ms=2000 runs=3

Each prints one JSON object on stdout, with the same field names as the Java harness.
"""
import asyncio
import gc
import json
import platform
import selectors
import sys
import time


def units(i, j):
    """The length of sleep j of coroutine i, 1..7 units; SleepWorkload.units in Java is the same."""
    return 1 + (i * 31 + j * 17) % 7


class FakeClock:
    def __init__(self):
        self.now = 0.0


class FakeSelector(selectors.SelectSelector):
    """Never blocks: a wait for `timeout` seconds moves the fake clock on by `timeout` instead."""

    def __init__(self, clock):
        super().__init__()
        self.clock = clock

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError("fake-time loop: nothing is scheduled, it would wait forever")
        self.clock.now += timeout
        return []


class FakeTimeLoop(asyncio.SelectorEventLoop):
    """asyncio's own event loop, with virtual time: time() reads the fake clock, which moves only
    when the loop would otherwise wait. One unit of sleep is one second of fake time; whole
    seconds keep the float arithmetic exact, so equal deadlines stay equal."""

    def __init__(self):
        self.clock = FakeClock()
        super().__init__(FakeSelector(self.clock))

    def time(self):
        return self.clock.now


def rss_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def quantile(sorted_values, q):
    rank = -(-q * len(sorted_values) // 1)  # ceil
    return sorted_values[max(0, min(len(sorted_values) - 1, int(rank) - 1))]


def sleep_once(n, m, measure_memory):
    """Spawns n tasks of m sleeps and runs the loop until they have all finished.
    Returns (elapsed ns, RSS grown by the suspended tasks, or 0 unless measure_memory)."""
    loop = FakeTimeLoop()
    asyncio.set_event_loop(loop)
    finished = [0]
    memory = [0, 0]

    async def sleeper(i):
        for j in range(m):
            await asyncio.sleep(units(i, j))
        finished[0] += 1
        if finished[0] == n:
            loop.stop()

    async def probe(baseline):
        # Runs after every sleeper has started and suspended once: the ready queue is FIFO and
        # no time passes before it comes round. Its own time is left out of the run's.
        t = time.perf_counter_ns()
        gc.collect()
        memory[0] = rss_bytes() - baseline
        memory[1] = time.perf_counter_ns() - t

    baseline = 0
    if measure_memory:
        gc.collect()
        baseline = rss_bytes()
    start = time.perf_counter_ns()
    tasks = [loop.create_task(sleeper(i)) for i in range(n)]
    if measure_memory:
        loop.create_task(probe(baseline))
    loop.run_forever()
    elapsed = time.perf_counter_ns() - start - memory[1]
    if finished[0] != n:
        raise AssertionError(f"{finished[0]} of {n} tasks finished")
    del tasks
    loop.close()
    asyncio.set_event_loop(None)
    return elapsed, memory[0]


def run_sleep(o):
    n = int(o.get("coroutines", 1000))
    m = int(o.get("sleeps", 1000))
    result = {"workload": "sleep", "coroutines": n, "sleeps": m}
    runs = []
    if o.get("memory") == "1":
        # First, in a fresh process: freed memory stays in Python's allocator, so a later
        # baseline would hide what the run needs. Its time (less the probe's) is a measured run:
        # CPython has no JIT to warm up, and at a million coroutines a run is long.
        elapsed, rss = sleep_once(n, m, True)
        runs.append(elapsed)
        result["rss_bytes"] = rss
        result["rss_bytes_per_coroutine"] = rss / n
    for _ in range(int(o.get("warmup", 1))):
        sleep_once(n, m, False)
    runs += [sleep_once(n, m, False)[0] for _ in range(int(o.get("runs", 3)))]
    result["runs_ns"] = runs
    result["median_ns"] = median(runs)
    result["ns_per_sleep"] = median(runs) / (n * m)
    return result


def run_generator(o):
    n = int(o.get("nexts", 1_000_000))

    def counter():
        i = 0
        while True:
            yield i
            i += 1

    def once():
        g = counter()
        nxt = g.__next__
        start = time.perf_counter_ns()
        for _ in range(n):
            nxt()
        return time.perf_counter_ns() - start

    for _ in range(int(o.get("warmup", 1))):
        once()
    runs = [once() for _ in range(int(o.get("runs", 5)))]
    return {"workload": "generator", "nexts": n, "runs_ns": runs, "median_ns": median(runs),
            "ns_per_next": median(runs) / n}


def run_timers(o):
    n = int(o.get("timers", 10_000))
    spread = int(o.get("spread_ms", 2000)) / 1000
    lead = int(o.get("lead_ms", 100)) / 1000

    def once():
        loop = asyncio.new_event_loop()
        lateness = [0.0] * n

        async def timer(slot, deadline):
            await asyncio.sleep(max(0.0, deadline - loop.time()))
            lateness[slot] = loop.time() - deadline

        async def main():
            start = loop.time() + lead
            tasks = []
            for i in range(n):
                slot = (i * 7919) % n
                tasks.append(loop.create_task(timer(slot, start + spread * slot / n)))
            for t in tasks:
                await t

        loop.run_until_complete(main())
        loop.close()
        return [int(x * 1e9) for x in lateness]

    for _ in range(int(o.get("warmup", 1))):
        once()
    samples = []
    for _ in range(int(o.get("runs", 3))):
        samples.extend(once())
    samples.sort()
    return {"workload": "timers", "timers": n, "spread_ms": int(spread * 1000), "samples": len(samples),
            "p50_ns": quantile(samples, 0.50), "p99_ns": quantile(samples, 0.99), "max_ns": samples[-1]}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    options = dict(arg.split("=", 1) for arg in argv[2:])
    workloads = {"sleep": run_sleep, "generator": run_generator, "timers": run_timers}
    result = workloads[argv[1]](options)
    result["python"] = platform.python_version()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
