#!/usr/bin/env bash
# shapelog stress through the binary: naive with chaos fails and writes a trace that replay
# reproduces; generation and fallback read without a bad read, with reader threads and with
# reader processes (10,000 reads each); bad flags are exit 2.
source "$(dirname "$0")/lib.sh" "$@"

step "naive with --chaos fails, and replay reproduces the written trace"
written=0
for seed in 1 2 3 4 5 6; do
  expect_exit 1 shapelog stress --strategy naive --chaos --seed "$seed" --duration 20 --out "$TMP/race.json"
  expect_stdout_contains "first bad read after"
  if [[ -s $TMP/race.json ]]; then written=1; break; fi
done
((written)) || fail "six failing stress runs wrote no trace"
expect_exit 1 shapelog replay "$TMP/race.json" --strategy naive
expect_stdout_contains "outcome: race"
expect_ok shapelog replay "$TMP/race.json" --verify --quiet

for strategy in generation fallback; do
  step "$strategy: no bad read in 20,000 reads with chaos"
  expect_ok shapelog stress --strategy "$strategy" --chaos --readers 3 --reads 20000 --seed 7 --json
  "$PYTHON" - "$OUT" <<'PY' || fail "unexpected stress summary"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["bad_reads"] == 0 and s["reads"] >= 20000 and s["seed"] == 7, s
PY
done

for strategy in generation fallback; do
  step "$strategy: 4 reader processes and a writer, no bad read in 10,000 reads"
  expect_ok shapelog stress --processes --strategy "$strategy" --readers 4 --reads 10000 --seed 11 --json
  "$PYTHON" - "$OUT" <<'PY' || fail "unexpected stress summary"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["processes"] and s["bad_reads"] == 0 and s["reads"] >= 10000, s
PY
done

step "naive with reader processes fails too, and says a trace needs threads"
expect_exit 1 shapelog stress --processes --strategy naive --chaos --seed 2 --duration 20
expect_stdout_contains "first bad read after"
expect_stdout_contains "rerun without --processes"

step "bad flags are exit 2"
expect_exit 2 shapelog stress --strategy sometimes
expect_stderr_contains "--strategy"
expect_exit 2 shapelog stress --readers 0
expect_stderr_contains "'0' is not a whole number from 1 to 64"
expect_exit 2 shapelog stress --readers 65
expect_stderr_contains "'65' is not a whole number from 1 to 64"
expect_exit 2 shapelog stress --duration -1
expect_exit 2 shapelog stress --reads 10 --duration 2
echo "stress: all passed"
