#!/usr/bin/env bash
# Process crashes: a loop of `shapelog append` / `flush` / `append --flush` writing a known
# sequence of values is killed with SIGKILL at a random moment (the loop and the shapelog
# process inside it, together); then check_trial.py verifies the log: `check` is clean or
# `check --repair` fixes a torn tail, every entry a completed flush covered is there in
# order with its value, nothing is duplicated, published buffered entries are still
# readable, and a following `flush` persists them.
#
#   tests/crash/sigkill.sh PATH_TO_SHAPELOG            # TRIALS=30 by default (~15 s)
#   TRIALS=200 tests/crash/sigkill.sh build/cli/shapelog
#   SEED=1234 ...                                      # replay the same kill times
set -uo pipefail
export LC_ALL=C.UTF-8
SHAPELOG=${1:?"usage: $0 PATH_TO_SHAPELOG"}
SHAPELOG=$(cd "$(dirname "$SHAPELOG")" && pwd)/$(basename "$SHAPELOG")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TRIALS=${TRIALS:-30}
SEED=${SEED:-$RANDOM}
RANDOM=$SEED
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=$(command -v python3)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shapelog-sigkill.XXXXXX")
LOOP_PID=""
cleanup() {
  [[ -n $LOOP_PID ]] && kill -KILL -- "-$LOOP_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
unset SHAPELOG_DIR

# The writer loop of trial $1: values 1, 2, ... ; journal lines as check_trial.py describes.
writer_loop() {
  local trial=$1 log=$2 journal=$3 i rc
  local sl=("$SHAPELOG" --dir "$log")
  for ((i = 1; ; i++)); do
    echo "S $i" >>"$journal"
    if ((i % 7 == 0)); then
      "${sl[@]}" append -q --flush "t$trial-$i" 2>>"$journal.err"; rc=$?
      ((rc == 0)) && echo "AF $i" >>"$journal"
    elif ((i % 3 == 0)); then
      # A low threshold makes this append flush by itself: a kill may land in that flush.
      "${sl[@]}" append -q --flush-threshold 64 "t$trial-$i" 2>>"$journal.err"; rc=$?
      ((rc == 0)) && echo "A $i" >>"$journal"
    else
      "${sl[@]}" append -q "t$trial-$i" 2>>"$journal.err"; rc=$?
      ((rc == 0)) && echo "A $i" >>"$journal"
    fi
    ((rc == 0)) || { echo "X append $i exited $rc" >>"$journal"; return; }
    if ((i % 4 == 0)); then
      "${sl[@]}" flush >/dev/null 2>>"$journal.err"; rc=$?
      ((rc == 0)) && echo "F $i" >>"$journal"
      ((rc == 0)) || { echo "X flush after $i exited $rc" >>"$journal"; return; }
    fi
  done
}

echo "sigkill: $TRIALS trials, SEED=$SEED"
passed=0 failed=0 start=$SECONDS
for ((t = 1; t <= TRIALS; t++)); do
  log=$TMP/log-$t journal=$TMP/journal-$t
  : >"$journal"
  # Job control gives the loop its own process group, so one kill reaches the loop and the
  # shapelog process it is running at that moment.
  set -m
  writer_loop "$t" "$log" "$journal" &
  LOOP_PID=$!
  set +m
  # 10 ms to 400 ms: from "killed in the first append" to a few dozen commands in.
  sleep "$(printf '0.%03d' $((10 + RANDOM % 390)))"
  kill -KILL -- "-$LOOP_PID" 2>/dev/null
  wait "$LOOP_PID" 2>/dev/null
  LOOP_PID=""
  if "$PYTHON" "$HERE/check_trial.py" "$SHAPELOG" "$log" "$journal" "$t" >"$TMP/result" 2>&1; then
    passed=$((passed + 1))
    [[ -n ${VERBOSE:-} ]] && cat "$TMP/result"
  else
    failed=$((failed + 1))
    cat "$TMP/result"
    [[ -s $journal.err ]] && sed 's/^/  loop stderr: /' "$journal.err" | tail -5
    if [[ -n ${KEEP:-} ]]; then cp -r "$log" "$journal" "$KEEP/" 2>/dev/null; fi
  fi
  rm -rf "$log"
done
echo "sigkill: $passed passed, $failed failed ($TRIALS trials, SEED=$SEED, $((SECONDS - start)) s)"
((failed == 0))
