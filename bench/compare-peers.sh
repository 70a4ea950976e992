#!/usr/bin/env bash
# aslkit against other Amazon States Language tools, side by side, on one machine.
#
# Usage: bench/compare-peers.sh [BENCH_KIT_DIR]
#
# BENCH_KIT_DIR (or the ASLKIT_BENCH_KIT environment variable) is a benchmark kit holding
#   bench/gen.py          a generator of synthetic, valid definitions (chains, a corpus of
#                         realistic 20–60-state machines, counter loops) and their inputs, and
#   peers/*.sh            one wrapper script per peer tool (statelint.sh, asl-validator.sh,
#                         moto-sim.sh), each running an installed peer on the files it is given.
# As a convenience for a checkout that sits next to such a kit, it defaults to ../shared
# (relative to the repository). Peers live where the wrappers look for them ($PEERS_DIR).
#
# What it does: builds aslkit in release mode, generates the workloads into a temporary
# directory, then times whole processes — aslkit and every installed peer, alternating run by
# run so that load on a shared machine falls on all of them alike (bench/measure.py) — and
# prints a table of median wall-clock times, CPU times, peak memory and ratios.
#
# Workloads:
#   small   validate one 10-state definition (a chain of Pass states)
#   corpus  validate 500 realistic definitions of 20–60 states (≈10 MB), one process
#   large   validate one 10,000-state definition (≈0.9 MB)
#   loop    simulate a counter loop of 20,003 state transitions, JSON output
#
# Environment: RUNS (default 10) timed runs per command, PEER_RUNS (default RUNS) for the
# validation peers, SIM_PEER_RUNS (default 3) for the simulation peer (it takes seconds a run),
# PEERS (default "statelint asl-validator") which validation peers to run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
kit="${1:-${ASLKIT_BENCH_KIT:-$repo/../shared}}"
if [ ! -f "$kit/bench/gen.py" ]; then
  echo "no benchmark kit at $kit (expected bench/gen.py and peers/ there): pass its directory" >&2
  exit 2
fi
kit="$(cd "$kit" && pwd)"
runs="${RUNS:-10}"
peer_runs="${PEER_RUNS:-$runs}"
sim_peer_runs="${SIM_PEER_RUNS:-3}"
peers="${PEERS:-statelint asl-validator}"

cd "$repo"
export CARGO_TERM_COLOR=never
echo "== building aslkit (release)" >&2
cargo build --release --quiet
bin="$repo/target/release/aslkit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== generating workloads" >&2
python3 "$kit/bench/gen.py" --out "$work" --sizes 10,10000 --loops 10000 --jsonata 0 >/dev/null

small="$work/chain/chain-10.json"
large="$work/chain/chain-10000.json"
loop="$work/loop/loop-10000.json"
corpus=("$work"/corpus/*.json)

# A peer that cannot run here (not installed) is left out of the table, with a note.
peer_ok() { # peer_ok SCRIPT ARGS...: the peer runs and accepts a valid definition
  "$@" >/dev/null 2>&1
}

plan="$work/plan.json"
python3 - "$plan" "$runs" "$peer_runs" "$sim_peer_runs" "$bin" "$kit/peers" "$small" "$large" "$loop" \
  "$work/inputs/loop.json" "$peers" "${corpus[@]}" <<'EOF'
import json, os, subprocess, sys
(plan, runs, peer_runs, sim_peer_runs, aslkit, peers_dir, small, large, loop, loop_input,
 peers, *corpus) = sys.argv[1:]
runs, peer_runs, sim_peer_runs = int(runs), int(peer_runs), int(sim_peer_runs)
commands = []
def add(workload, tool, argv, n, ok=(0,)):
    commands.append({"workload": workload, "tool": tool, "argv": argv, "runs": n, "ok": list(ok)})
def usable(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600).returncode == 0
    except Exception:
        return False
validate = {"small": [small], "corpus": corpus, "large": [large]}
for workload, files in validate.items():
    add(workload, "aslkit", [aslkit, "validate", "--format", "json", *files], runs)
for peer in peers.split():
    script = os.path.join(peers_dir, f"{peer}.sh")
    if not (os.path.exists(script) and usable([script, small])):
        print(f"note: peer {peer} is not installed or does not run here; left out", file=sys.stderr)
        continue
    for workload, files in validate.items():
        add(workload, peer, [script, *files], peer_runs)
# The loop's execution is longer than AWS's 25,000-event history allows a Standard workflow, so
# both tools may end it FAILED (exit 1): that is the expected outcome, not a tool error.
add("loop", "aslkit", [aslkit, "simulate", loop, "--input", loop_input, "--format", "json"], runs, ok=(0, 1))
moto = os.path.join(peers_dir, "moto-sim.sh")
if sim_peer_runs > 0 and os.path.exists(moto) and usable([moto, small, "{}"]):
    add("loop", "moto", [moto, loop, loop_input], sim_peer_runs, ok=(0, 1))
else:
    print("note: peer moto is not installed, does not run here, or SIM_PEER_RUNS=0; left out", file=sys.stderr)
json.dump({"runs": runs, "warmup": 1, "commands": commands}, open(plan, "w"))
EOF

echo "== timing (alternating runs; this takes a few minutes)" >&2
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$repo/bench/measure.py" <"$plan" >"$work/results.jsonl"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work/results.jsonl" "$load_before" "$load_after" <<'EOF'
import json, os, platform, sys
results = [json.loads(l) for l in open(sys.argv[1])]
def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
print(f"machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}")
print(f"load average (1, 5, 15 min): {sys.argv[2]} before, {sys.argv[3]} after")
print()
def ms(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
labels = {
    "small": "validate one small file (10 states)",
    "corpus": "validate 500 files of 20–60 states, one process",
    "large": "validate one 10,000-state machine (0.9 MB)",
    "loop": "simulate a 20,003-transition loop, JSON output",
}
targets = {  # wall seconds, peak MiB, minimum ratio to the fastest peer
    "small": (0.003, None, None),
    "corpus": (0.050, None, 25),
    "large": (0.025, 30, None),
    "loop": (0.025, 40, 500),
}
print("| workload | tool | median wall | median CPU | peak RSS | runs |")
print("|---|---|---:|---:|---:|---:|")
for r in results:
    flag = " (failed)" if r["failed"] else ""
    print(f"| {r['workload']} | {r['tool']}{flag} | {ms(r['wall'])} | {ms(r['cpu'])} | {r['rss_kib'] / 1024:.0f} MB | {r['runs']} |")
print()
print("| workload | aslkit | fastest peer | ratio | target | met |")
print("|---|---|---|---:|---|---|")
all_met = True
for key, label in labels.items():
    mine = [r for r in results if r["workload"] == key and r["tool"] == "aslkit"]
    if not mine:
        continue
    a = mine[0]
    peers = sorted((r for r in results if r["workload"] == key and r["tool"] != "aslkit" and not r["failed"]),
                   key=lambda r: r["wall"])
    wall, mib, ratio_target = targets[key]
    ratio = peers[0]["wall"] / a["wall"] if peers else None
    fastest = f"{peers[0]['tool']} {ms(peers[0]['wall'])}" if peers else "—"
    met = not a["failed"] and a["wall"] <= wall
    goal = [f"≤ {ms(wall)}"]
    if mib is not None:
        goal.append(f"≤ {mib} MB")
        met = met and a["rss_kib"] / 1024 <= mib
    if ratio_target is not None:
        goal.append(f"≥ {ratio_target}×")
        met = met and (ratio is None or ratio >= ratio_target)
    all_met &= met
    ratio_text = f"{ratio:.0f}×" if ratio is not None else "—"
    mem = f", {a['rss_kib'] / 1024:.0f} MB"
    print(f"| {label} | {ms(a['wall'])}{mem} | {fastest} | {ratio_text} | {', '.join(goal)} | {'yes' if met else 'no'} |")
print()
print("every target met" if all_met else "some targets not met")
EOF
