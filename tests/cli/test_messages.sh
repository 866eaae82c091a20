#!/usr/bin/env bash
# Messages are safe to print and say what is wrong: bytes from files are escaped (\xNN) and
# cut short, a damaged marker file is told apart from another format version, and system
# errors come with what to do. The log is never changed by a rejected command.
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q a b c
marker=$LOG/SHAPELOG

# rejected_untouched TEXT...: `stat` and `append` are exit 2, say each TEXT, print no raw
# control byte, and leave the log's files as they were.
rejected_untouched() {
  local before command
  before=$(dir_checksum "$LOG")
  for command in stat "append -q d"; do
    # shellcheck disable=SC2086
    expect_exit 2 sl $command
    expect_stderr_contains "$@"
    ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$ERR" || fail "a raw control byte reached stderr"
  done
  [[ $(dir_checksum "$LOG") == "$before" ]] || fail "a rejected command changed the log"
}

step "a marker full of terminal escapes is damage, shown escaped"
printf '\e]0;pwned\a\e[31mEVIL\n' >"$marker"
rejected_untouched "is damaged: it should hold exactly \"shapelog-log/1\\n\" but holds \"\\x1b]0;pwned\\x07\\x1b[31mEVIL\\x0a\"" \
  "restore the file (printf 'shapelog-log/1\\n' > $marker)"

step "a marker without its newline is damage, not another version"
printf 'shapelog-log/1' >"$marker"
rejected_untouched "is damaged" "holds \"shapelog-log/1\""

step "a long marker is cut short; invalid UTF-8 is escaped"
{ printf '\xff\xfe'; head -c 300 /dev/zero | tr '\0' 'x'; } >"$marker"
rejected_untouched "holds \"\\xff\\xfexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\""

step "a marker of another version says which version and what to do"
printf 'shapelog-log/7\n' >"$marker"
rejected_untouched "is a log of format version 7, but this shapelog reads version 1; use a shapelog that reads version 7"

step "a marker that is a directory"
rm "$marker" && mkdir "$marker"
rejected_untouched "is a directory, not the marker file of a shapelog log"
rmdir "$marker" && printf 'shapelog-log/1\n' >"$marker"
expect_ok sl read --format raw
expect_stdout "a
b
c"

step "a symbolic link loop as --dir: exit 2, says what it is"
ln -s loop2 "$TMP/loop1" && ln -s loop1 "$TMP/loop2"
expect_exit 2 shapelog --dir "$TMP/loop1" stat
expect_stderr_contains "(ELOOP); the path has a symbolic link loop"
expect_exit 2 shapelog --dir "$TMP/loop1" append x
expect_stderr_contains "(ELOOP)"
step "flags and words from the command line are shown escaped too"
for command in "read --from $'\e[31m1'" "read --strategy $'\e[2J'" "stress --readers $'\e]0;x\a'" "$'\e[31mbogus'"; do
  eval "expect_exit 2 sl $command"
  ! LC_ALL=C grep -q $'\x1b' "$ERR" || fail "an escape byte reached stderr from: $command"
  expect_stderr_contains '\x1b'
done
echo "messages: all passed"
