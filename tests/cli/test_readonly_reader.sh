#!/usr/bin/env bash
# A user who can read a log directory but not write it can still read it: readers map the
# shared buffer read-only and take no lock. Writers get a clear message, exit 2, and the log
# stays as it was.
source "$(dirname "$0")/lib.sh" "$@"

if [[ $(id -u) -ne 0 ]]; then
  as_reader=()
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  echo "SKIP: running as root without setpriv"; exit 77
fi
step "a log with flushed and buffered entries, then made read-only"
expect_ok sl append -q --flush on-disk
expect_ok sl append -q in-buffer
chmod 755 "$TMP"
chmod -R a+rX,a-w "$LOG"
# The build tree may sit where the unprivileged user cannot go (a clone in a mktemp -d
# directory): the reader runs a copy of the binary from the test's own directory.
cp "$SHAPELOG" "$TMP/shapelog-copy"
SHAPELOG="$TMP/shapelog-copy"
"${as_reader[@]}" test -x "$SHAPELOG" || { echo "SKIP: the unprivileged user cannot run $SHAPELOG"; exit 77; }
before=$(log_state)

step "read, stat and check work without write access"
expect_ok "${as_reader[@]}" "$SHAPELOG" --dir "$LOG" read --format raw
expect_stdout "on-disk
in-buffer"
expect_ok "${as_reader[@]}" "$SHAPELOG" --dir "$LOG" stat
expect_stdout_contains '"buffered_entries":1'
expect_ok "${as_reader[@]}" "$SHAPELOG" --dir "$LOG" check
expect_stdout_contains '"ok":true'

step "append and flush are refused with exit 2 and change nothing"
for command in "append -q more" flush; do
  expect_exit 2 "${as_reader[@]}" "$SHAPELOG" --dir "$LOG" $command
  expect_stderr_contains "$LOG"
done
[[ $(log_state) == "$before" ]] || fail "a refused writer changed the log"

step "--follow without write access falls back to its --poll-ms"
"${as_reader[@]}" "$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 --format raw >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
wait_until 10 grep -qx in-buffer "$TMP/follow.out"
expect_ok sl append -q after-follow
wait_until 10 grep -qx after-follow "$TMP/follow.out"
kill -s TERM $follower
wait $follower || fail "read --follow without write access exited $?"
[[ ! -s $TMP/follow.err ]] || { cat "$TMP/follow.err" >&2; fail "read --follow printed a message"; }
echo "readonly_reader: all passed"
