#!/usr/bin/env bash
# shapelog explore through the binary: exit codes, the counterexample file that replay
# reproduces, --json certificates, and --merge of shards.
source "$(dirname "$0")/lib.sh" "$@"
traces=$(cd "$(dirname "$0")/../../testdata" && pwd)
seed=$traces/traces/seed-race.json
small=$traces/explore/two-readers.json

# field FILE a.0.b: one value of a JSON document by dotted path (strings unquoted).
field() {
  "$PYTHON" -c '
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value if isinstance(value, str) else json.dumps(value))' "$1" "$2"
}

step "naive races: exit 1, a minimized counterexample that replay reproduces"
expect_exit 1 shapelog explore "$seed" --strategy naive --out "$TMP/cx.json"
expect_stdout_contains "naive: RACE"
expect_stdout_contains "counterexample with 1 preemption"
expect_stdout_contains "read.snapshot"
expect_exit 1 shapelog replay "$TMP/cx.json" --strategy naive
expect_stdout_contains "outcome: race"
expect_ok shapelog replay "$TMP/cx.json" --verify --quiet

step "generation and fallback are ruled out: exit 0 with a certificate"
expect_ok shapelog explore "$seed" --strategy generation
expect_stdout_contains "generation: ruled out"
expect_stdout_contains "complete"
expect_ok shapelog explore "$seed" --strategy fallback --json
[[ $(field "$OUT" results.0.outcome) == ruled_out ]] || fail "fallback not ruled out"
[[ $(field "$OUT" results.0.complete) == true ]] || fail "fallback search not complete"

step "--strategy all: exit 1 because naive and recheck race"
expect_exit 1 shapelog explore "$seed" --strategy all
for s in naive recheck fallback generation; do expect_stdout_contains "$s:"; done

step "budgets: exit 3, nothing ruled out"
expect_exit 3 shapelog explore "$traces/explore/three-readers.json" --strategy generation --max-schedules 20
expect_stdout_contains "NOT ruled out"
expect_exit 3 shapelog explore "$small" --strategy generation --preemption-bound 1

step "random and PCT print their seed and reproduce with it"
expect_exit 1 shapelog explore "$small" --strategy naive --random 200 --seed 5 --json
expect_stderr_contains "seed 5"
first=$(field "$OUT" results.0.schedules)
expect_exit 1 shapelog explore "$small" --strategy naive --random 200 --seed 5 --json
[[ $(field "$OUT" results.0.schedules) == "$first" ]] || fail "same seed, different run"
expect_exit 1 shapelog explore "$small" --strategy naive --random 200 --pct 2 --seed 9
expect_exit 3 shapelog explore "$small" --strategy generation --random 50 --seed 1

step "shards merge into the verdict of one unsharded search"
expect_ok shapelog explore "$small" --strategy generation --json
whole=$(field "$OUT" results.0.classes)
for k in 0 1 2; do
  expect_ok shapelog explore "$small" --strategy generation --shard "$k/3" --json
  cp "$OUT" "$TMP/shard$k.json"
done
expect_ok shapelog explore --merge "$TMP/shard0.json" "$TMP/shard1.json" "$TMP/shard2.json" --json
[[ $(field "$OUT" results.0.classes) == "$whole" ]] || fail "merged classes differ from the whole search"
[[ $(field "$OUT" results.0.outcome) == ruled_out ]] || fail "merged shards not ruled out"
step "a missing shard leaves the merge incomplete"
expect_exit 3 shapelog explore --merge "$TMP/shard0.json" "$TMP/shard2.json"
step "a shard given twice is bad input"
expect_exit 2 shapelog explore --merge "$TMP/shard0.json" "$TMP/shard0.json"
expect_stderr_contains "given twice"

step "bad input: exit 2 with a message"
expect_exit 2 shapelog explore "$TMP/none.json"
expect_exit 2 shapelog explore "$seed" --strategy sometimes
expect_exit 2 shapelog explore "$seed" --shard 3/3
expect_exit 2 shapelog explore "$seed" --shard x
expect_exit 2 shapelog explore
echo not json >"$TMP/bad.json"
expect_exit 2 shapelog explore --merge "$TMP/bad.json"
echo "explore: all passed"
