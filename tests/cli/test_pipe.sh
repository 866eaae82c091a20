#!/usr/bin/env bash
# `shapelog read | head -1` (the reader of our stdout goes away): exit 0, no message.
source "$(dirname "$0")/lib.sh" "$@"

step "a log of ~5 MB, so read is still writing when head exits"
seq 1 20000 | awk '{printf "%s-%0250d\n", $1, 0}' | expect_ok sl append -q
expect_ok sl append -q buffered-at-the-end

for format in jsonl raw; do
  step "read --format $format | head -1"
  set +o pipefail
  sl read --format "$format" 2>"$ERR" | head -1 >"$OUT"
  statuses=("${PIPESTATUS[@]}")
  set -o pipefail
  LAST_CMD="sl read --format $format | head -1"
  [[ ${statuses[0]} -eq 0 ]] || fail "read exited ${statuses[0]} when its reader went away"
  expect_stderr_empty
  expect_stdout_lines 1
  expect_stdout_contains "1-000"
done

step "read | head -c 10"
set +o pipefail
sl read 2>"$ERR" | head -c 10 >/dev/null; status=${PIPESTATUS[0]}
set -o pipefail
[[ $status -eq 0 ]] || fail "read | head -c 10: read exited $status"
expect_stderr_empty

step "stat and check into a closed pipe"
for command in stat check; do
  set +o pipefail
  sl "$command" 2>"$ERR" | true; status=${PIPESTATUS[0]}
  set -o pipefail
  [[ $status -eq 0 ]] || fail "$command | true: exited $status"
  expect_stderr_empty
done

step "the default SIGPIPE disposition does not matter: read under a shell that ignores it"
set +o pipefail
(trap '' PIPE; "$SHAPELOG" --dir "$LOG" read 2>"$ERR" | head -1 >/dev/null; exit "${PIPESTATUS[0]}"); status=$?
set -o pipefail
[[ $status -eq 0 ]] || fail "read with SIGPIPE ignored exited $status"
expect_stderr_empty
