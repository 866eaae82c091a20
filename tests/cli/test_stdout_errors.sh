#!/usr/bin/env bash
# Only EPIPE means "the reader of stdout went away" (quiet exit 0, see test_pipe.sh). Any
# other error writing stdout loses output: exit 4 and "cannot write to stdout: <reason>".
#   shapelog read > /dev/full     ENOSPC
#   shapelog read >&-             EBADF (stdout closed)
source "$(dirname "$0")/lib.sh" "$@"

# expect_stdout_error REASON CMD... (CMD's stdout is set up by the caller)
expect_stdout_error() {
  local reason=$1; shift
  LAST_CMD=$(printf '%q ' "$@")
  local got=0
  "$@" 2>"$ERR" || got=$?
  [[ $got -eq 4 ]] || fail "expected exit 4 when stdout cannot be written, got $got"
  expect_stderr_contains "cannot write to stdout: $reason"
}

[[ -w /dev/full ]] || { echo "SKIP: no /dev/full"; exit 77; }
expect_ok sl append -q a b c

step "stdout is /dev/full: exit 4 with the reason, for every subcommand that prints"
for command in read stat check flush; do
  expect_stdout_error "No space left on device" sl "$command" >/dev/full
done
# append prints after appending: the entry is in the log, but the offsets did not reach us.
expect_stdout_error "No space left on device" sl append d >/dev/full
expect_ok sl read --format raw --last 1
expect_stdout d
# Large output fails while the command is still writing (not only at the final flush).
seq 1 200000 | sl append -q
expect_stdout_error "No space left on device" sl read >/dev/full

step "stdout is closed: exit 4 (EBADF), and nothing lands in the log's files"
before=$(log_state)
expect_stdout_error "Bad file descriptor" sl read >&-
expect_stdout_error "Bad file descriptor" sl stat >&-
[[ $(log_state) == "$before" ]] || fail "reading with stdout closed changed the log"
expect_stdout_error "Bad file descriptor" sl append e >&-
expect_ok sl read --format raw --last 1
expect_stdout e
expect_ok sl check

step "quiet: nothing to print, nothing to fail"
expect_ok sl append -q f >/dev/full
