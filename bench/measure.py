#!/usr/bin/env python3
"""Times whole processes side by side, alternating, and prints medians.

Used by bench/compare-peers.sh. Reads a JSON plan on standard input:

    {"runs": 10, "warmup": 1,
     "commands": [{"workload": "...", "tool": "...", "argv": [...], "runs": 3, "ok": [0, 1]}]}

Every round runs each command once (a command with fewer `runs` drops out once it has had
them), so load that comes and goes on a shared machine falls on every tool alike rather than on
whichever ran while it lasted. Each run is waited for with wait4(2), which gives that one
process's CPU time and peak resident set size. Prints one JSON object per command (median wall
seconds, median CPU seconds, peak RSS in KiB, runs, exit codes seen) on standard output.
Standard output and error of the measured processes are discarded.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=devnull, stdout=devnull, stderr=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(devnull)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss, proc.returncode


def main():
    plan = json.load(sys.stdin)
    default_runs = plan.get("runs", 10)
    warmup = plan.get("warmup", 1)
    commands = plan["commands"]
    for c in commands:
        c.setdefault("runs", default_runs)
        c["samples"] = []
    for c in commands:
        for _ in range(min(warmup, c["runs"])):
            run_once(c["argv"])
    rounds = max(c["runs"] for c in commands)
    for i in range(rounds):
        for c in commands:
            if i < c["runs"]:
                c["samples"].append(run_once(c["argv"]))
        print(f"  round {i + 1}/{rounds}", file=sys.stderr, end="\r", flush=True)
    print(file=sys.stderr)
    for c in commands:
        walls = [s[0] for s in c["samples"]]
        cpus = [s[1] for s in c["samples"]]
        codes = sorted({s[3] for s in c["samples"]})
        bad = [code for code in codes if code not in c.get("ok", [0])]
        print(
            json.dumps(
                {
                    "workload": c["workload"],
                    "tool": c["tool"],
                    "wall": statistics.median(walls),
                    "cpu": statistics.median(cpus),
                    "rss_kib": max(s[2] for s in c["samples"]),
                    "runs": len(walls),
                    "exit_codes": codes,
                    "failed": bool(bad),
                }
            )
        )


if __name__ == "__main__":
    main()
