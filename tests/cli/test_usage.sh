#!/usr/bin/env bash
# Usage errors (exit 2), --help (exit 0), where the log directory comes from (--dir before
# or after the subcommand, SHAPELOG_DIR, the default), and log directories that cannot be
# used: missing, a file, not a log, unreadable, locked by another writer.
source "$(dirname "$0")/lib.sh" "$@"

subcommands=(append flush read stat check)

step "--help for the program and every subcommand: exit 0, usage on stdout"
expect_ok shapelog --help
expect_stdout_contains "Usage"
for command in "${subcommands[@]}"; do
  expect_ok shapelog "$command" --help
  expect_stdout_contains "Usage"
  expect_stdout_contains "$command"
  expect_ok shapelog "$command" -h
  expect_stdout_contains "Usage"
done
[[ ! -e $TMP/shapelog-data ]] || fail "--help created the default log directory"

step "missing or unknown subcommand, unknown flags: exit 2 with a message"
expect_ok sl append -q a b
before=$(log_state)
expect_exit 2 shapelog
expect_stderr_contains "subcommand"
expect_exit 2 sl
expect_stderr_contains "subcommand"
expect_exit 2 sl bogus
expect_stderr_contains "unknown command 'bogus'" "--help"
expect_exit 2 shapelog --bogus
expect_stderr_contains "unknown option '--bogus'" "--help"
expect_exit 2 shapelog --bogus read
expect_stderr_contains "--bogus"
for command in "${subcommands[@]}"; do
  expect_exit 2 sl "$command" --no-such-flag
  expect_stderr_contains "--no-such-flag"
done
expect_exit 2 sl append --no-such-flag x
expect_stderr_contains "--no-such-flag"
expect_exit 2 sl read extra-positional
expect_stderr_contains "extra-positional"
expect_exit 2 sl read --from
expect_stderr_contains "--from"
expect_exit 2 sl append --tx
expect_stderr_contains "--tx"
expect_exit 2 sl --dir
expect_stderr_contains "--dir"
[[ $(log_state) == "$before" ]] || fail "a usage error changed the log"

step "append -- VALUE: values may start with a dash after --"
expect_ok sl append -- --not-a-flag -5
expect_ok sl read --format raw --from 2
expect_stdout '--not-a-flag
-5'

step "--dir before or after the subcommand, SHAPELOG_DIR, and the default"
d1=$TMP/d1 d2=$TMP/d2 d3=$TMP/d3 d4=$TMP/d4
expect_ok shapelog --dir "$d1" append -q one
expect_ok shapelog append -q --dir "$d2" two
expect_ok env SHAPELOG_DIR="$d3" "$SHAPELOG" append -q three
expect_ok env SHAPELOG_DIR="$d3" "$SHAPELOG" --dir "$d4" append -q four   # --dir wins
expect_ok shapelog append -q five                                         # ./shapelog-data
for pair in "$d1:one" "$d2:two" "$d3:three" "$d4:four" "$TMP/shapelog-data:five"; do
  dir=${pair%%:*} value=${pair#*:}
  expect_ok shapelog read --dir "$dir" --format raw
  expect_stdout "$value"
  expect_ok shapelog --dir "$dir" read --format raw
  expect_stdout "$value"
  expect_ok env SHAPELOG_DIR="$dir" "$SHAPELOG" read --format raw
  expect_stdout "$value"
  expect_ok env SHAPELOG_DIR="$dir" "$SHAPELOG" stat
  expect_stdout_contains '"last_seen":"1_0"'
done
expect_ok env SHAPELOG_DIR="$d1" "$SHAPELOG" read --dir "$d2" --format raw
expect_stdout "two"

step "a missing log directory: read, stat, check, flush exit 2 naming it and create nothing"
for command in read stat check flush; do
  expect_exit 2 shapelog --dir "$TMP/missing" "$command"
  expect_stderr_contains "$TMP/missing" "does not exist"
  expect_stdout ""
  [[ ! -e $TMP/missing ]] || fail "$command created the missing directory"
done
expect_exit 2 shapelog --dir "$TMP/missing/deeper" read
expect_stderr_contains "does not exist"

step "a log directory that is a file: every subcommand exits 2, the file is untouched"
printf 'precious\n' >"$TMP/afile"
for command in read stat check flush "append x"; do
  # shellcheck disable=SC2086
  expect_exit 2 shapelog --dir "$TMP/afile" $command
  expect_stderr_contains "$TMP/afile" "not a directory"
done
[[ $(cat "$TMP/afile") == precious ]] || fail "the file given as --dir was changed"
expect_exit 2 shapelog --dir "$TMP/afile/sub" read

step "a directory that is not a log: exit 2, nothing written into it"
mkdir "$TMP/notalog"; printf 'x' >"$TMP/notalog/file.txt"
for command in read stat check flush "append x"; do
  # shellcheck disable=SC2086
  expect_exit 2 shapelog --dir "$TMP/notalog" $command
  expect_stderr_contains "$TMP/notalog"
done
[[ $(ls "$TMP/notalog") == file.txt ]] || fail "a non-log directory was written to: $(ls "$TMP/notalog")"

step "a log with a header from another format version: exit 2"
mkdir "$TMP/future"; printf 'shapelog-log/99\n' >"$TMP/future/SHAPELOG"
expect_exit 2 shapelog --dir "$TMP/future" read
expect_stderr_contains "is a log of format version 99"

step "an unreadable log directory: exit 2 with a message naming it, the log unchanged"
expect_ok shapelog --dir "$TMP/locked" append -q --flush secret
chmod 755 "$TMP"
chmod 000 "$TMP/locked"
run_unprivileged=()
if [[ $(id -u) -ne 0 ]]; then
  run_unprivileged=()
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  run_unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  run_unprivileged=(skip)
fi
if [[ ${run_unprivileged[0]:-} == skip ]]; then
  echo "SKIP: running as root without setpriv: permissions do not apply, unreadable-dir case skipped"
elif [[ ! -x $SHAPELOG ]] || ! "${run_unprivileged[@]}" test -x "$SHAPELOG"; then
  echo "SKIP: the unprivileged user cannot run $SHAPELOG; unreadable-dir case skipped"
else
  locked_before=$(dir_checksum "$TMP/locked")
  for command in read stat check flush "append x"; do
    got=0
    # shellcheck disable=SC2086
    "${run_unprivileged[@]}" "$SHAPELOG" --dir "$TMP/locked" $command >"$OUT" 2>"$ERR" || got=$?
    LAST_CMD="${run_unprivileged[*]} shapelog --dir $TMP/locked $command"
    [[ $got -eq 2 ]] || fail "unreadable dir: expected exit 2, got $got"
    expect_stderr_contains "$TMP/locked"
    grep -qiE "permission|denied|cannot|not readable|not writable" "$ERR" || fail "the message does not say what is wrong"
    grep -q secret "$OUT" && fail "read returned data from an unreadable directory"
  done
  chmod 755 "$TMP/locked"
  [[ $(dir_checksum "$TMP/locked") == "$locked_before" ]] || fail "a command on the unreadable directory changed it"
fi
chmod 755 "$TMP/locked"

step "a writer waits for the lock, then fails (exit 4) naming the holder; readers do not wait"
expect_ok sl append -q --flush held
before=$(log_state)
# Hold the writer lock from this shell: flock(1) locks our fd 9's open file description,
# which stays locked until we close fd 9.
exec 9<>"$LOG/lock"
flock -n 9 || fail "could not take the lock file for the test"
start=$(date +%s%N)
expect_exit 4 sl append --lock-timeout 200 blocked
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_stderr_contains "locked" "--lock-timeout" "(shapelog append)"
((elapsed_ms >= 200)) || fail "append gave up after ${elapsed_ms} ms, before --lock-timeout 200"
expect_exit 4 sl flush --lock-timeout 100
expect_stderr_contains "locked"
expect_ok sl read --format raw --last 1
expect_stdout held
expect_ok sl stat
[[ $(log_state) == "$before" ]] || fail "a writer that did not get the lock changed the log"
exec 9>&-
expect_ok sl append -q --lock-timeout 2000 after
expect_ok sl read --format raw --last 1
expect_stdout after
