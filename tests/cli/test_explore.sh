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
[[ $(field "$OUT" shapelog.version) == $(shapelog --version | awk 'NR == 1 {print $2}') ]] ||
  fail "explore --json does not carry the version"

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

step "the issue's traces: every strategy decided by the per-read search"
for t in four-readers two-clients; do
  expect_exit 1 shapelog explore "$traces/explore/$t.json" --strategy all --json
  for i in 0 1 2 3; do
    outcome=$(field "$OUT" "results.$i.outcome")
    strategy=$(field "$OUT" "results.$i.strategy")
    case $strategy in
      naive|recheck) [[ $outcome == race ]] || fail "$t: $strategy gave $outcome, not race" ;;
      *) [[ $outcome == ruled_out ]] || fail "$t: $strategy gave $outcome, not ruled_out" ;;
    esac
    [[ $(field "$OUT" "results.$i.search") == "per read" ]] || fail "$t: not split per read"
  done
done
expect_ok shapelog explore "$traces/explore/four-readers.json" --strategy generation
expect_stdout_contains "3 subproblems (one per distinct read: 4 reads, 1 merged as identical)"
expect_stdout_contains "standing for 421824 classes of the whole trace"
expect_stdout_contains "why searching per read is enough:"
expect_stdout_contains "beyond this trace: the writer's ops are safe against any number of readers"

step "a race found per read is a whole trace: every actor, replayed as a race"
expect_exit 1 shapelog explore "$traces/explore/four-readers.json" --strategy naive --out "$TMP/four-cx.json"
for actor in writer r1 r2 r3 r4; do
  grep -q "\"name\": \"$actor\"" "$TMP/four-cx.json" || fail "counterexample lost actor $actor"
done
expect_exit 1 shapelog replay "$TMP/four-cx.json" --strategy naive
expect_stdout_contains "outcome: race"

step "--whole-trace searches the whole trace and says why"
expect_ok shapelog explore "$small" --strategy generation --whole-trace --json
[[ $(field "$OUT" results.0.search) == "whole trace" ]] || fail "--whole-trace was split"
[[ $(field "$OUT" results.0.classes) == 100 ]] || fail "whole-trace classes changed"
expect_ok shapelog explore "$small" --strategy generation --json
[[ $(field "$OUT" results.0.split.whole_trace_classes) == 100 ]] || fail "split stands for other classes"
[[ $(field "$OUT" results.0.schedules) == $(field "$OUT" results.0.classes) ]] || fail "split ran more schedules than classes"

step "shards of the per-read search add up to the unsharded totals"
expect_exit 1 shapelog explore "$traces/explore/two-clients.json" --strategy all --json
cp "$OUT" "$TMP/all.json"
for k in 0 1 2 3; do
  code=0
  shapelog explore "$traces/explore/two-clients.json" --strategy all --shard "$k/4" --json \
    >"$TMP/c$k.json" || code=$?
  [[ $code -le 1 ]] || fail "shard $k/4 exited $code"
done
expect_exit 1 shapelog explore --merge "$TMP/c0.json" "$TMP/c1.json" "$TMP/c2.json" "$TMP/c3.json" --json
for i in 0 1 2 3; do
  for f in schedules classes outcome; do
    [[ $(field "$OUT" "results.$i.$f") == $(field "$TMP/all.json" "results.$i.$f") ]] ||
      fail "merged $f of result $i differs from the unsharded search"
  done
done

step "merge refuses what does not belong together"
expect_exit 1 shapelog explore "$seed" --strategy all --shard 1/4 --json
cp "$OUT" "$TMP/seed1.json"
expect_exit 2 shapelog explore --merge "$TMP/c0.json" "$TMP/seed1.json"
expect_stderr_contains "trace_id"
expect_exit 2 shapelog explore "$seed" --merge "$TMP/c0.json"
expect_stderr_contains "not both"
mutate() {  # mutate IN OUT PYTHON-STATEMENT-ON-d
  "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); exec(sys.argv[3]); json.dump(d, open(sys.argv[2],"w"))' "$1" "$2" "$3"
}
mutate "$TMP/c1.json" "$TMP/bogus.json" 'd["results"][0]["outcome"]="bogus"'
expect_exit 2 shapelog explore --merge "$TMP/c0.json" "$TMP/bogus.json"
expect_stderr_contains '"outcome"'
mutate "$TMP/c1.json" "$TMP/negative.json" 'd["results"][0]["schedules"]=-5'
expect_exit 2 shapelog explore --merge "$TMP/c0.json" "$TMP/negative.json"
expect_stderr_contains '"schedules"'
mutate "$TMP/c1.json" "$TMP/huge.json" 'd["results"][0]["schedules"]=2**64-1'
expect_exit 2 shapelog explore --merge "$TMP/c0.json" "$TMP/huge.json"
expect_stderr_contains "overflow"
mutate "$TMP/c1.json" "$TMP/flags.json" 'd["settings"]="exhaustive, preemption bound 3, reduction on, per read where it holds"'
expect_exit 2 shapelog explore --merge "$TMP/c0.json" "$TMP/flags.json"
expect_stderr_contains "settings"
expect_exit 2 shapelog explore "$seed" --shard 0/4294967296
expect_stderr_contains "N <= 4294967295"

step "--out that cannot be written: exit 4 with the path and the reason"
if [[ -w /dev/full ]]; then
  expect_exit 4 shapelog explore "$seed" --strategy naive --out /dev/full
  expect_stderr_contains "/dev/full"
  expect_stderr_contains "No space left"
  if grep -q "counterexample written" "$OUT"; then fail "claimed a write that failed"; fi
fi

step "bad input: exit 2 with a message"
expect_exit 2 shapelog explore "$TMP/none.json"
expect_exit 2 shapelog explore "$seed" --strategy sometimes
expect_exit 2 shapelog explore "$seed" --shard 3/3
expect_exit 2 shapelog explore "$seed" --shard x
expect_exit 2 shapelog explore
echo not json >"$TMP/bad.json"
expect_exit 2 shapelog explore --merge "$TMP/bad.json"
echo "explore: all passed"
