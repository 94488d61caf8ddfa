#!/bin/sh
# Same seed, same run, whatever the build: runs a seed range on two kv-sim
# binaries (this build's and another preset's -- a sanitized one against the
# release one) and requires identical per-seed trace hashes. A difference
# means the run depends on something outside the seed: uninitialised memory,
# undefined behaviour the optimiser exploits, an address or a hash order.
#
#   compare_builds.sh KV_SIM OTHER_KV_SIM [SEEDS]
# Without the other binary the test is skipped (exit 77), except under
# CI=true, where it fails: CI builds both.
set -eu
this="$1"
other="$2"
seeds="${3:-1:40}"
if [ ! -x "$other" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "compare_builds: $other is missing (build it: cmake --build --preset release --target kv-sim)" >&2
    exit 1
  fi
  echo "compare_builds: $other is missing; skipped" >&2
  exit 77
fi
a="$(mktemp)"
b="$(mktemp)"
trap 'rm -f "$a" "$b"' EXIT
"$this" --seeds "$seeds" --print-hashes | grep '^seed ' >"$a" || true
"$other" --seeds "$seeds" --print-hashes | grep '^seed ' >"$b" || true
n="$(wc -l <"$a")"
if [ "$n" -eq 0 ]; then
  echo "compare_builds: no runs from $this" >&2
  exit 1
fi
if ! diff "$a" "$b"; then
  echo "compare_builds: $this and $other disagree (lines above)" >&2
  exit 1
fi
echo "compare_builds: $n seeds, identical trace hashes in both builds"
