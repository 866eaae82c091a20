#!/usr/bin/env bash
# Bad offsets in --from/--after/--to (garbage, overflow, --to before the start): exit 2 with
# a message naming the flag and the text, and the log unchanged.
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q a b c
expect_ok sl append -q d
expect_ok sl flush
expect_ok sl append -q e f        # buffered: the log is part on disk, part in the buffer
before=$(log_state)

bad=(abc '' ' 1' '1 ' '+1' '-2' '-1_0' '1_' '_1' '1_2_3' '1.5' '1e3' '0x10' '１'
     18446744073709551616 1_18446744073709551616 99999999999999999999999
     18446744073709551615_18446744073709551616 '1_-1' $'1\n2')
for flag in --from --after --to; do
  for text in "${bad[@]}"; do
    step "read $flag $(printf '%q' "$text")"
    expect_exit 2 sl read "$flag" "$text"
    expect_stderr_contains "$flag" "not an offset"
    [[ $text == *$'\n'* ]] || expect_stderr_contains "'$text'"
    expect_stdout ""
  done
done
# Also with --flag=VALUE, and with the other flags around it.
expect_exit 2 sl read --from=1_x
expect_stderr_contains "--from" "1_x"
expect_exit 2 sl read --from 1 --to 2_y --limit 3
expect_stderr_contains "--to" "2_y"
expect_exit 2 sl read --after 1 --to nope --format raw
expect_stderr_contains "--to" "nope"
# The largest valid offset is fine.
expect_ok sl read --from 18446744073709551615_18446744073709551615
expect_stdout ""

step "--to before the start of the range"
for args in "--from 3 --to 2" "--from 3_0 --to 2_5" "--from 1_1 --to 1_0" "--after 2 --to 1_9" \
            "--from 1 --to -1" "--after 1_2 --to 1_1"; do
  # shellcheck disable=SC2086
  expect_exit 2 sl read $args
  expect_stderr_contains "--to"
  expect_stdout ""
done

step "bad offsets fail at once with --follow, too"
expect_exit 2 timeout 3 "$SHAPELOG" --dir "$LOG" read --follow --from zzz
expect_stderr_contains "--from" "zzz"
expect_exit 2 timeout 3 "$SHAPELOG" --dir "$LOG" read --follow --from 5 --to 4
expect_stderr_contains "--to"

step "the log is unchanged"
[[ $(log_state) == "$before" ]] || fail "bad offsets changed the log"

step "bad offsets are reported even when the log directory does not exist"
expect_exit 2 shapelog --dir "$TMP/nowhere" read --from garbage
expect_stderr_contains "--from"
[[ ! -e $TMP/nowhere ]] || fail "read created a directory"
