#!/usr/bin/env bash
# A file the CLI says it wrote must be there: a failed open, write or close of an output file
# (stress --out) is exit 4 with the path and the reason, never "trace written".
source "$(dirname "$0")/lib.sh" "$@"

# stress_out PATH: runs naive stress with chaos until a run reproduces its bad read (a run
# that does not, exits 1 without writing), and leaves that run's exit code in $got.
stress_out() {
  local seed
  for seed in 1 2 3 4 5 6 7 8; do
    LAST_CMD="shapelog stress --strategy naive --chaos --seed $seed --out $1"
    got=0
    shapelog stress --strategy naive --chaos --seed "$seed" --duration 20 --out "$1" \
      >"$OUT" 2>"$ERR" || got=$?
    grep -q "no trace:" "$OUT" || return 0
  done
  fail "eight failing stress runs reproduced no bad read"
}

if [[ -w /dev/full ]]; then
  step "stress --out /dev/full: ENOSPC is exit 4, and no claim that the trace was written"
  stress_out /dev/full
  [[ $got -eq 4 ]] || fail "expected exit 4, got $got"
  expect_stderr_contains "cannot write '/dev/full': No space left on device (ENOSPC)"
  ! grep -q "trace written" "$OUT" || fail "stress claimed a trace it did not write"
fi

step "stress --out into a missing directory: exit 4 with the path and the reason"
stress_out "$TMP/missing/race.json"
[[ $got -eq 4 ]] || fail "expected exit 4, got $got"
expect_stderr_contains "cannot write '$TMP/missing/race.json': No such file or directory (ENOENT)"
[[ ! -e $TMP/missing ]] || fail "a directory appeared"

step "stress --out a directory: exit 4 (EISDIR)"
mkdir "$TMP/adir"
stress_out "$TMP/adir"
[[ $got -eq 4 ]] || fail "expected exit 4, got $got"
expect_stderr_contains "cannot write '$TMP/adir': Is a directory (EISDIR)"
echo "write errors: all passed"
