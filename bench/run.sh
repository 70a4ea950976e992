#!/usr/bin/env bash
# Times `aslkit validate` in release mode, two ways:
#   1. in-process, with the library (`cargo bench --bench validate`: median and min per case);
#   2. the binary, end to end, on the same generated corpus written to a temporary directory
#      (500 typical machines, one ~900 KiB machine, one deeply nested machine), with hyperfine
#      when it is installed and bash's `time` otherwise.
# The corpus comes from benches/validate.rs (`-- --generate DIR`), so both measure the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "== building (release)"
cargo build --release --quiet
cargo bench --quiet --bench validate --no-run
bin=target/release/aslkit

echo "== in-process (cargo bench --bench validate)"
cargo bench --quiet --bench validate

echo "== binary on the generated corpus"
cargo bench --quiet --bench validate -- --generate "$dir"
cases=("$dir/typical" "$dir/large.asl.json" "$dir/deep.asl.json")
for c in "${cases[@]}"; do
  if ! "$bin" validate "$c" >/dev/null; then
    echo "aslkit validate $c reported problems in machines AWS accepts" >&2
    exit 1
  fi
done

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 2 --style basic "${cases[@]/#/$bin validate }"
else
  echo "(hyperfine not installed: 5 runs each with bash's time)"
  TIMEFORMAT='  real %3Rs  user %3Us  sys %3Ss'
  for c in "${cases[@]}"; do
    echo "$bin validate ${c#"$dir"/}"
    for _ in 1 2 3 4 5; do
      time "$bin" validate "$c" >/dev/null
    done
  done
fi
