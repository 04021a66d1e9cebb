#!/usr/bin/env python3
"""Runs every workload of bench/run and prints one table; see bench/run for how to call it.

Each Java workload runs in its own JVM once per Baton configuration (CONFIGS), then once on each
peer that runs on the same JVM (kotlinx-coroutines-test, Reactor), one after the other, so the
ratios of one row come from JVMs run minutes apart at most; each asyncio workload runs once in
its own Python process. Every child's output goes to bench/target/logs/. The figures, the machine
and the settings go to bench/target/results.json.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.path.join(HERE, "target")
LOGS = os.path.join(TARGET, "logs")

# Baton's configurations: the JDK's shared scheduler as it comes, the shared scheduler with one
# carrier for the whole JVM, and a carrier of the loop's own (what a loop uses when the JVM opens
# java.lang to it; see docs/performance.md).
OPEN_JAVA_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED"
CONFIGS = [("default", ["-Ddev.baton.carrier=shared"]),
           ("p1", ["-Ddev.baton.carrier=shared", "-Djdk.virtualThreadScheduler.parallelism=1"]),
           ("own", [OPEN_JAVA_LANG])]
CONFIG_TITLES = {"default": "shared scheduler", "p1": "shared, parallelism=1", "own": "own carrier"}
# The peers on the same JVM, each workload in one JVM of its own (neither uses virtual threads).
PEERS = [("kotlinx", "kotlinx-coroutines-test"), ("reactor", "Reactor")]
ADD_EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"

# Sizes and repetitions: (full, quick). Quick is a smoke run: the same code paths, small sizes.
SIZES = {
    "w1": ({"coroutines": 1000, "sleeps": 1000, "warmup": 2, "runs": 5},
           {"coroutines": 1000, "sleeps": 100, "warmup": 1, "runs": 2}),
    "w1_py": ({"coroutines": 1000, "sleeps": 1000, "warmup": 1, "runs": 3},
              {"coroutines": 1000, "sleeps": 100, "warmup": 0, "runs": 1}),
    "w2": ({"coroutines": 100000, "sleeps": 10, "warmup": 1, "runs": 3},
           {"coroutines": 10000, "sleeps": 10, "warmup": 1, "runs": 1}),
    "w2_py": ({"coroutines": 100000, "sleeps": 10, "warmup": 0, "runs": 2},
              {"coroutines": 10000, "sleeps": 10, "warmup": 0, "runs": 1}),
    "w3": ({"coroutines": 1000000, "sleeps": 2, "memory": 1, "warmup": 0, "runs": 2},
           {"coroutines": 100000, "sleeps": 2, "memory": 1, "warmup": 0, "runs": 1}),
    "w3_py": ({"coroutines": 1000000, "sleeps": 2, "memory": 1, "warmup": 0, "runs": 0},
              {"coroutines": 100000, "sleeps": 2, "memory": 1, "warmup": 0, "runs": 0}),
    "w4": ({"nexts": 200000, "nexts_platform": 20000, "warmup": 2, "runs": 5},
           {"nexts": 20000, "nexts_platform": 2000, "warmup": 1, "runs": 2}),
    "w4_kotlinx": ({"nexts": 5000000, "warmup": 2, "runs": 5},
                   {"nexts": 500000, "warmup": 1, "runs": 2}),
    "w4_py": ({"nexts": 1000000, "warmup": 1, "runs": 5},
              {"nexts": 200000, "warmup": 1, "runs": 2}),
    "w5": ({"coroutines": 1000, "yields": 1000, "warmup": 3, "runs": 7},
           {"coroutines": 1000, "yields": 100, "warmup": 1, "runs": 3}),
    "w6": ({"timers": 10000, "spread_ms": 2000, "warmup": 1, "runs": 3},
           {"timers": 2000, "spread_ms": 500, "warmup": 0, "runs": 1}),
    "w7_10": ({"keep": 10, "rotations": 2000, "warmup": 200},
              {"keep": 10, "rotations": 200, "warmup": 20}),
    "w7_1000": ({"keep": 1000, "rotations": 40, "warmup": 5},
                {"keep": 1000, "rotations": 4, "warmup": 1}),
    "jmh": (["-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"],
            ["-f", "1", "-wi", "1", "-w", "500ms", "-i", "2", "-r", "500ms"]),
}

# The goals judged on a full run, per Baton configuration: (text, check(config, value, ratios)),
# where ratios maps "asyncio", "kotlinx", "reactor" to that peer's figure / Baton's (None if none).
GOALS = {
    "w1": [("asyncio/Baton >= 8x", lambda c, v, r: at_least(r.get("asyncio"), 8)),
           ("kotlinx/Baton > 1x", lambda c, v, r: at_least(r.get("kotlinx"), 1.0000001)),
           ("Reactor/Baton >= 0.67x (within 1.5x)", lambda c, v, r: at_least(r.get("reactor"), 1 / 1.5))],
    "w2": [("kotlinx/Baton > 1x", lambda c, v, r: at_least(r.get("kotlinx"), 1.0000001))],
    "w3": [("asyncio/Baton >= 3x", lambda c, v, r: at_least(r.get("asyncio"), 3)),
           ("kotlinx/Baton > 1x", lambda c, v, r: at_least(r.get("kotlinx"), 1.0000001))],
    "w3_heap": [("<= 850 B", lambda c, v, r: None if v is None else v <= 850)],
    "w5": [("Baton (row 1) <= 4x floor", lambda c, v, r: None if v is None else v <= 4)],
    "w4": [("Baton next() <= 4x floor (row 5)", lambda c, v, r: None if v is None else v <= 4)],
    "w4_paired": [("next() <= 4x the paired floor", lambda c, v, r: None if v is None else v <= 4)],
    "w6": [("p99 <= 1 ms", lambda c, v, r: None if v is None else v <= 1_000_000)],
}


def at_least(x, minimum):
    return None if x is None else x >= minimum

# Each child's time limit, so a hung workload fails its row instead of the whole run.
CHILD_TIMEOUT_S = 600


class Runner:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.java = args.java
        self.jar = args.jar
        self.heap = heap_size()
        self.started = time.monotonic()
        self.log_index = 0

    def size(self, key):
        return SIZES[key][1 if self.quick else 0]

    def note(self, text):
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)

    def child(self, name, command):
        """Runs one child process; returns the JSON object on its last stdout line, or an error."""
        self.log_index += 1
        log = os.path.join(LOGS, f"{self.log_index:02d}-{name}.log")
        self.note(f"{name}: {' '.join(shlex.quote(c) for c in command[:1])} ...")
        t = time.monotonic()
        try:
            p = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=ROOT)
            out, err, code = p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            out, err, code = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), \
                "timed out after %ds" % CHILD_TIMEOUT_S, -1
        with open(log, "w") as f:
            f.write("$ " + " ".join(shlex.quote(c) for c in command) + "\n")
            f.write(f"# exit {code} after {time.monotonic() - t:.1f}s\n--- stdout\n{out}\n--- stderr\n{err}\n")
        lines = [l for l in out.splitlines() if l.startswith("{")]
        if code != 0 or not lines:
            tail = (err.strip().splitlines() or ["no output"])[-1]
            self.note(f"{name}: FAILED ({tail}); see {os.path.relpath(log, ROOT)}")
            return {"error": tail, "log": os.path.relpath(log, ROOT)}
        return json.loads(lines[-1])

    def java_workload(self, config_flags, name, workload, options, extra_flags=()):
        command = [self.java, ADD_EXPORTS, f"-Xmx{self.heap}", *extra_flags, *config_flags,
                   "-jar", self.jar, workload] + [f"{k}={v}" for k, v in options.items()]
        return self.child(name, command)

    def jmh(self, config_flags, name, benchmark):
        """Runs one JMH benchmark (average time, ns/op); returns {"ns_per_op": score, ...}."""
        out = os.path.join(LOGS, f"jmh-{name}.json")
        if os.path.exists(out):
            os.remove(out)
        jvm_args = " ".join([ADD_EXPORTS, *config_flags])
        command = [self.java, ADD_EXPORTS, "-cp", self.jar, "org.openjdk.jmh.Main", f"dev\\.baton\\.bench\\.jmh\\.{benchmark}\\.",
                   *self.size("jmh"), "-rf", "json", "-rff", out, "-jvmArgsAppend", jvm_args]
        self.log_index += 1
        log = os.path.join(LOGS, f"{self.log_index:02d}-{name}.log")
        self.note(f"{name}: JMH {benchmark}")
        try:
            p = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=ROOT)
            text, code = p.stdout + p.stderr, p.returncode
        except subprocess.TimeoutExpired:
            text, code = "timed out", -1
        with open(log, "w") as f:
            f.write("$ " + " ".join(shlex.quote(c) for c in command) + f"\n# exit {code}\n{text}")
        if "No matching benchmarks" in text:
            return {"pending": f"no JMH benchmark {benchmark} in this build"}
        try:
            with open(out) as f:
                result = json.load(f)[0]
            metric = result["primaryMetric"]
            return {"ns_per_op": metric["score"], "error_ns": metric["scoreError"],
                    "unit": metric["scoreUnit"], "benchmark": result["benchmark"]}
        except (OSError, ValueError, IndexError, KeyError):
            tail = (text.strip().splitlines() or ["no output"])[-1]
            self.note(f"{name}: FAILED ({tail}); see {os.path.relpath(log, ROOT)}")
            return {"error": tail, "log": os.path.relpath(log, ROOT)}

    def python_workload(self, name, workload, options):
        command = [sys.executable, os.path.join(HERE, "asyncio_bench.py"), workload] + \
                  [f"{k}={v}" for k, v in options.items()]
        return self.child(name, command)


def heap_size():
    """-Xmx for the JVMs: 8 GiB (a million suspended coroutines need over 1 GiB, and room keeps
    collections rare), or half the machine's memory if that is less."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    half_mib = int(line.split()[1]) // 1024 // 2
                    return f"{min(8192, half_mib)}m"
    except OSError:
        pass
    return "8g"


def machine_facts(java):
    facts = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "cores": os.cpu_count(),
        "cpu": "",
        "memory_gib": None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    facts["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            facts["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    v = subprocess.run([java, "-version"], capture_output=True, text=True)
    lines = v.stderr.strip().splitlines()
    facts["jdk"] = lines[1].strip() if len(lines) > 1 else v.stderr.strip()
    facts["java"] = java
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        facts["commit"] = rev + ("+changes" if dirty else "")
    except OSError:
        facts["commit"] = "unknown"
    return facts


# ---------------------------------------------------------------------------------------------
# Formatting

def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns < 1_000:
        return f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.3g} us"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_bytes(b):
    if b is None:
        return "-"
    return f"{b:,.0f} B"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def ratio(a, b):
    return a / b if a is not None and b else None


def value(result, key):
    if not isinstance(result, dict):
        return None
    v = result.get(key)
    return v if isinstance(v, (int, float)) else None


def cell(result, key, fmt):
    if isinstance(result, dict):
        if "pending" in result:
            return "pending"
        if "error" in result:
            return "failed"
    return fmt(value(result, key))


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a one-minute smoke run")
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="comma-separated workload numbers (default: all)")
    parser.add_argument("--no-python", action="store_true", help="skip the asyncio side")
    parser.add_argument("--java", required=True, help="the java launcher (bench/run passes the one ./baton finds)")
    parser.add_argument("--jar", required=True, help="the bench jar")
    args = parser.parse_args()
    try:
        only = {int(x) for x in args.only.split(",") if x.strip()}
    except ValueError:
        only = set()
    if not only or not only <= set(range(1, 8)):
        parser.error(f"--only takes workload numbers 1-7 separated by commas, got '{args.only}'")
    shutil.rmtree(LOGS, ignore_errors=True)  # one run's logs only
    os.makedirs(LOGS)
    r = Runner(args)
    facts = machine_facts(args.java)
    r.note(f"{'quick' if args.quick else 'full'} run on {facts['cores']} cores, {facts['jdk']}, Python {facts['python']}, -Xmx{r.heap}")

    baton = {c: {} for c, _ in CONFIGS}
    peers = {p: {} for p, _ in PEERS}
    py = {}
    w3_flags = [f"-Xms{r.heap}"]  # a large young generation keeps a million stacks out of many collections
    # Workload by workload, every configuration and peer in a row: each row's ratios come from
    # JVMs run within minutes of each other, under about the same load.
    for number, key, workload, extra in ((1, "w1", "sleep", ()), (2, "w2", "sleep", ()), (3, "w3", "sleep", w3_flags)):
        if number not in only:
            continue
        label = {"w1": "sleep-1k", "w2": "sleep-100k", "w3": "sleep-1M"}[key]
        for config, flags in CONFIGS:
            baton[config][key] = r.java_workload(flags, f"{key}-{label}-{config}", workload, r.size(key), extra)
        for peer, _ in PEERS:
            peers[peer][key] = r.java_workload([], f"{key}-{label}-{peer}", f"{peer}-sleep", r.size(key), extra)
    if 4 in only:
        for config, flags in CONFIGS:
            baton[config]["w4"] = r.java_workload(flags, f"w4-generator-{config}", "generator", r.size("w4"))
        peers["kotlinx"]["w4"] = r.java_workload([], "w4-generator-kotlinx", "kotlinx-generator", r.size("w4_kotlinx"))
    for config, flags in CONFIGS:
        b = baton[config]
        if 5 in only:
            b["w5"] = r.java_workload(flags, f"w5-floor-{config}", "floor", r.size("w5"))
            b["w5_jmh"] = r.jmh(flags, f"w5-switch-{config}", "ContinuationSwitch")
        if 6 in only:
            b["w6"] = r.java_workload(flags, f"w6-timers-{config}", "timers", r.size("w6"))
        if 7 in only:
            b["w7_10"] = r.java_workload(flags, f"w7-rotate-keep10-{config}", "rotate", r.size("w7_10"))
            b["w7_1000"] = r.java_workload(flags, f"w7-rotate-keep1000-{config}", "rotate", r.size("w7_1000"))
    if not args.no_python:
        if 1 in only:
            py["w1"] = r.python_workload("w1-asyncio-sleep-1k", "sleep", r.size("w1_py"))
        if 2 in only:
            py["w2"] = r.python_workload("w2-asyncio-sleep-100k", "sleep", r.size("w2_py"))
        if 3 in only:
            py["w3"] = r.python_workload("w3-asyncio-sleep-1M", "sleep", r.size("w3_py"))
        if 4 in only:
            py["w4"] = r.python_workload("w4-python-generator", "generator", r.size("w4_py"))
        if 6 in only:
            py["w6"] = r.python_workload("w6-asyncio-timers", "timers", r.size("w6"))
    facts["load_average_at_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    facts["wall_seconds"] = round(time.monotonic() - r.started, 1)

    rows = build_rows(baton, peers, py, only, args.quick)
    print_table(rows, facts, args.quick, r.heap)
    results = {
        "mode": "quick" if args.quick else "full",
        "machine": facts,
        "settings": {
            "configs": {c: " ".join(f) or "(JDK default)" for c, f in CONFIGS},
            "peers": {p: title for p, title in PEERS},
            "jvm_flags": [ADD_EXPORTS, f"-Xmx{r.heap}"],
            "w3_extra_jvm_flags": w3_flags,
            "sizes": {k: v[1 if args.quick else 0] for k, v in SIZES.items()},
        },
        "rows": rows,
        "raw": {"baton": baton, "peers": peers, "asyncio": py},
    }
    with open(os.path.join(TARGET, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    with open(os.path.join(TARGET, "results.md"), "w") as f:
        f.write(markdown(rows, facts, args.quick, r.heap))
    print(f"\nresults: {os.path.relpath(os.path.join(TARGET, 'results.json'), os.getcwd())} (and results.md), "
          f"logs: {os.path.relpath(LOGS, os.getcwd())}/", flush=True)
    failed = [row["name"] for row in rows if row.get("failed")]
    return 1 if failed else 0


def build_rows(baton, peers, py, only, quick):
    """One row per figure: Baton under each config, each peer and asyncio where they have one, the
    ratios peer/Baton per config, and the goals judged per config."""
    rows = []

    def add(number, name, key, field, fmt, py_result=None, py_field=None, goals=None, peer_field=None,
            lower_is_better=True):
        unit = "ns" if fmt is fmt_ns else "bytes" if fmt is fmt_bytes else "count"
        row = {"number": number, "name": name, "field": field, "unit": unit, "baton": {}, "cells": {},
               "ratios": {}, "status": {}}
        others = {"asyncio": (py_result, py_field or field)}
        for peer, _ in PEERS:
            res = peers[peer].get(key)
            others[peer] = (res, peer_field or field)
        for other, (res, f) in others.items():
            row[other] = value(res, f) if res is not None else None
            row["cells"][other] = "-" if res is None else cell(res, f, fmt)
            if isinstance(res, dict) and "error" in res:
                row["failed"] = True
        for config in baton:
            res = baton[config].get(key)
            v = value(res, field)
            row["baton"][config] = v
            row["cells"][config] = cell(res, field, fmt)
            if isinstance(res, dict) and ("error" in res):
                row["failed"] = True
            if isinstance(res, dict) and "pending" in res:
                row["pending"] = res["pending"]
            row["ratios"][config] = {other: (ratio(row[other], v) if lower_is_better else ratio(v, row[other]))
                                     for other in others}
        row["goals"] = [text for text, _ in goals or []]
        row["goal_judged"] = bool(goals) and not quick
        if goals and not quick:  # goals are about the full sizes
            for config in baton:
                row["status"][config] = []
                for _, check in goals:
                    ok = check(config, row["baton"][config], row["ratios"][config])
                    row["status"][config].append(None if ok is None else ("met" if ok else "missed"))
        rows.append(row)
        return row

    if 1 in only:
        s = SIZES["w1"][1 if quick else 0]
        add(1, f"sleep/resume {s['coroutines']:,} x {s['sleeps']:,}, per sleep", "w1", "ns_per_sleep", fmt_ns,
            py.get("w1"), goals=GOALS["w1"])
    if 1 in only:
        add(1, "  the same, CPU of all the JVM's threads per sleep", "w1", "cpu_ns_per_sleep", fmt_ns)
    if 2 in only:
        s = SIZES["w2"][1 if quick else 0]
        add(2, f"sleep/resume {s['coroutines']:,} x {s['sleeps']:,}, per sleep", "w2", "ns_per_sleep", fmt_ns,
            py.get("w2"), goals=GOALS["w2"])
    if 2 in only:
        add(2, "  the same, CPU of all the JVM's threads per sleep", "w2", "cpu_ns_per_sleep", fmt_ns)
    if 3 in only:
        s = SIZES["w3"][1 if quick else 0]
        add(3, f"{s['coroutines']:,} suspended x {s['sleeps']}, per sleep", "w3", "ns_per_sleep", fmt_ns,
            py.get("w3"), goals=GOALS["w3"])
        add(3, "  the same, CPU of all the JVM's threads per sleep", "w3", "cpu_ns_per_sleep", fmt_ns)
        add(3, "memory per suspended coroutine (live heap; asyncio: RSS)", "w3", "heap_bytes_per_coroutine",
            fmt_bytes, py.get("w3"), py_field="rss_bytes_per_coroutine", goals=GOALS["w3_heap"])
    if 4 in only:
        gen = add(4, "generator next(), consumer on a virtual thread (kotlinx: sequence{})", "w4", "ns_per_next",
                  fmt_ns, py.get("w4"), goals=GOALS["w4"] if 5 in only else None)
        add(4, "generator next(), consumer a coroutine of a loop", "w4", "ns_per_next_coroutine", fmt_ns)
        add(4, "generator next(), consumer on a platform thread", "w4", "ns_per_next_platform", fmt_ns)
        # The same JVM, alternating rounds: one raw continuation yielding as a generator's body would,
        # then next() from a virtual thread and from a coroutine (the goal judged without the spread
        # between fresh JVMs that row 5's ratio carries).
        add(4, "  one raw continuation yielding, per yield+resume, same JVM (paired floor)", "w4",
            "ns_per_yield_floor_one", fmt_ns)
        times = lambda v: "-" if v is None else f"{v:.2f}x"
        add(4, "  next() from a virtual thread / paired floor, median of rounds", "w4", "paired_ratio_virtual", times,
            goals=None if quick else GOALS["w4_paired"])
        add(4, "  next() from a coroutine / paired floor, median of rounds", "w4", "paired_ratio_coroutine", times,
            goals=None if quick else GOALS["w4_paired"])
        # The JDK alone, no Baton: a plain virtual thread and a producer handing a counter back and
        # forth with park/unpark, and with the consumer yielding first (what a next() must do at least).
        add(4, "  JDK hand-off to a thread and back, park / paired floor (no Baton)", "w4",
            "paired_ratio_jdk_park_handoff", times)
        add(4, "  JDK hand-off to a thread and back, yield then park / paired floor (no Baton)", "w4",
            "paired_ratio_jdk_yield_handoff", times)
    if 5 in only:
        s = SIZES["w5"][1 if quick else 0]
        floor = add(5, f"continuation floor {s['coroutines']:,} x {s['yields']:,}, per yield+resume", "w5", "ns_per_yield", fmt_ns)
        # The floor's own goals: Baton's row 1 and row 4 over the floor, per config.
        for config in baton:
            f = floor["baton"][config]
            floor["ratios"][config]["row 1 / floor"] = ratio(value(baton[config].get("w1"), "ns_per_sleep"), f)
            if 4 in only:
                x = ratio(value(baton[config].get("w4"), "ns_per_next"), f)
                gen["ratios"][config]["next / floor"] = x
                if not quick:
                    gen["status"].setdefault(config, []).clear()
                    gen["status"][config].append(None if x is None else ("met" if x <= 4 else "missed"))
        if 1 in only:
            floor["goals"] = [GOALS["w5"][0][0]]
            floor["goal_judged"] = not quick
            for config in baton:
                x = floor["ratios"][config]["row 1 / floor"]
                floor["status"][config] = [None if x is None or quick else ("met" if x <= 4 else "missed")]
        add(5, "continuation switch, one resume+yield (JMH)", "w5_jmh", "ns_per_op", fmt_ns)
    if 6 in only:
        for q, goals in (("p50", None), ("p99", GOALS["w6"]), ("max", None)):
            add(6, f"real-clock timer lateness {q}", "w6", f"{q}_ns", fmt_ns, py.get("w6"), goals=goals)
    if 7 in only:
        for key, keep in (("w7_10", 10), ("w7_1000", 1000)):
            add(7, f"rotate keep {keep}, per rotation", key, "ns_per_rotation", fmt_ns)
            add(7, f"rotate keep {keep}, renames per rotation", key, "renames_per_rotation", lambda v: "-" if v is None else f"{v:,.0f}")
    return rows


RATIO_COLUMNS = [("asyncio", "asyncio/Baton"), ("kotlinx", "kotlinx/Baton"), ("reactor", "Reactor/Baton"),
                 ("row 1 / floor", "row 1 / floor"), ("next / floor", "next / floor")]


def table_cells(rows):
    """The table's header and body as strings, shared by the text and Markdown renderings."""
    configs = [c for c, _ in CONFIGS]
    used = [(k, title) for k, title in RATIO_COLUMNS
            if any(row["ratios"].get(c, {}).get(k) is not None for row in rows for c in configs)]
    header = ["#", "workload", *(f"Baton {CONFIG_TITLES[c]}" for c in configs),
              *(title for _, title in PEERS), "asyncio", *(f"{t} ({' / '.join(configs)})" for _, t in used),
              "goal", "goal met? (" + " / ".join(configs) + ")"]
    body = []
    for row in rows:
        ratio_cells = []
        for k, _ in used:
            values = [row["ratios"].get(c, {}).get(k) for c in configs]
            ratio_cells.append(" / ".join(fmt_ratio(x) for x in values) if any(x is not None for x in values) else "")
        status = ""
        if row["goals"]:
            if row.get("goal_judged"):
                per_goal = []
                for i in range(len(row["goals"])):
                    per_goal.append(" / ".join((row["status"].get(c) or [None] * (i + 1))[i] or "-" for c in configs))
                status = "; ".join(per_goal)
            else:
                status = "full run only"
        body.append([str(row["number"]), row["name"], *(row["cells"][c] for c in configs),
                     *(row["cells"].get(p, "-") for p, _ in PEERS), row["cells"]["asyncio"], *ratio_cells,
                     "; ".join(row["goals"]), status])
    return header, body


def markdown(rows, facts, quick, heap):
    header, body = table_cells(rows)
    lines = [f"Machine: {facts['cores']} cores ({facts['cpu'] or 'cpu unknown'}), {facts['memory_gib']} GiB, {facts['os']}; "
             f"{facts['jdk']}; JVM -Xmx{heap}; Python {facts['python']}; commit {facts.get('commit')}; "
             f"{facts['date_utc']} UTC; load average {facts.get('load_average_at_start', 0):.2f} at start, "
             f"{facts.get('load_average_at_end', 0):.2f} at end; {'quick' if quick else 'full'} run, {facts['wall_seconds']:.0f} s.",
             "", "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in body:
        lines.append("| " + " | ".join(c.replace("|", "/") for c in r) + " |")
    return "\n".join(lines) + "\n"


def print_table(rows, facts, quick, heap):
    header, body = table_cells(rows)
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    print(f"Baton bench ({'QUICK smoke run: small sizes, figures not comparable with the goals' if quick else 'full run'})")
    print(f"machine: {facts['cores']} cores ({facts['cpu'] or 'cpu unknown'}), {facts['memory_gib']} GiB, {facts['os']}")
    print(f"JDK: {facts['jdk']}; JVM: -Xmx{heap}; Python {facts['python']}; commit {facts.get('commit')}; {facts['date_utc']} UTC")
    la0, la1 = facts.get("load_average_at_start"), facts.get("load_average_at_end")
    if la0 is not None:
        # The run itself keeps about one core busy (and the build just before it counts too), so
        # only load beyond that means other work competed for the cores.
        busy = max(la0, la1 or 0) > 1 + 0.5 * (facts["cores"] or 1)
        print(f"load average: {la0:.2f} at start, {la1:.2f} at end" +
              ("  <- NOISY: other work competed for the cores; rerun on a quiet machine" if busy
               else " (about one core is this run's own)"))
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print(line)
    for r in body:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) if i < len(header) - 2 else c.ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))
    print()
    print("Per-sleep figures: wall time from spawning to the last coroutine's end, divided by coroutines x sleeps;")
    print("the CPU rows: CPU time of every thread of the JVM over the measured runs, divided the same way (less")
    print("sensitive to other work on the machine than wall time; it counts the collector and compiler too).")
    print("Baton columns: separate JVMs, one per configuration (" + "; ".join(
        f"{CONFIG_TITLES[c]}: {' '.join(f)}" for c, f in CONFIGS) + ").")
    print("'a / b / c' in the ratio and goal columns follow that order. Each peer runs once per workload, in its own JVM;")
    print("a ratio peer/Baton above 1x means Baton was faster (or smaller). asyncio runs once.")
    pending = [(row["number"], row["pending"]) for row in rows if row.get("pending")]
    for number, why in dict(pending).items():
        print(f"workload {number} pending: {why}")
    print(f"wall time: {facts['wall_seconds']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
