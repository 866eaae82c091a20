#!/usr/bin/env bash
# Whole-number flags accept plain decimal digits within range only. CLI11 2.1.2 on its own
# takes "-1" for an unsigned option (wrapping it: `append --tx -1 x` appended at tx
# 18446744073709551615 and blocked every later append), saturates on overflow, and reads
# "010" as octal and "0x10" as hex. Each bad value: exit 2, a message naming the flag and
# the text, and the log unchanged.
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q a b c
before=$(log_state)
problems=()
bad_case() {  # bad_case FLAG_NAME ARGS...: expects exit 2 naming FLAG_NAME, log unchanged
  local flag=$1; shift
  local got=0
  sl "$@" >"$OUT" 2>"$ERR" </dev/null || got=$?
  if [[ $got -ne 2 ]]; then
    problems+=("shapelog $*: exit $got (expected 2); stdout: $(head -c 120 "$OUT" | tr '\n' ' ')")
  elif ! grep -qF -- "$flag" "$ERR"; then
    problems+=("shapelog $*: exit 2 but the message does not name $flag")
  else
    local args=("$@") i
    for ((i = 0; i + 1 < ${#args[@]}; ++i)); do
      if [[ ${args[i]} == "$flag" ]] && ! grep -qF -- "'${args[i + 1]}'" "$ERR"; then
        problems+=("shapelog $*: exit 2 but the message does not quote '${args[i + 1]}'")
      fi
    done
  fi
  if [[ $(log_state) != "$before" ]]; then
    problems+=("shapelog $*: CHANGED THE LOG")
    rm -rf "$LOG"; sl append -q a b c; before=$(log_state)
  fi
}
bad_case --tx append --tx -1 x
bad_case --tx append --tx -7 x
bad_case --tx append --tx 18446744073709551616 x
bad_case --tx append --tx 99999999999999999999999 x
bad_case --tx append --tx 010 x
bad_case --tx append --tx 0x10 x
bad_case --tx append --tx +5 x
bad_case --tx append --tx 1e3 x
bad_case --tx append --tx " 5" x
bad_case --tx append --tx "" x
bad_case --limit read --limit -1
bad_case --limit read --limit 18446744073709551616
bad_case --last read --last -1
bad_case --last read --last 0x2
bad_case --poll-ms read --poll-ms -1
bad_case --lock-timeout append --lock-timeout -5 x
bad_case --lock-timeout flush --lock-timeout 1.5
bad_case --lock-timeout check --repair --lock-timeout -1
bad_case --flush-threshold append --flush-threshold -1 x
bad_case --buffer-capacity append --buffer-capacity -4096 x
bad_case --buffer-capacity flush --buffer-capacity 0x100000
# explore: the flags are checked before the trace is opened.
bad_case --preemption-bound explore --preemption-bound -1 no-such-trace.json
bad_case --preemption-bound explore --preemption-bound 4294967296 no-such-trace.json
bad_case --random explore --random 0x10 no-such-trace.json
bad_case --pct explore --pct 010 --random 5 no-such-trace.json
bad_case --seed explore --seed -1 --random 5 no-such-trace.json
bad_case --max-schedules explore --max-schedules 1e3 no-such-trace.json
bad_case --max-seconds explore --max-seconds -1 no-such-trace.json
bad_case --max-seconds explore --max-seconds nan no-such-trace.json
# --shard K/N is checked once the trace is loaded.
trace=$(cd "$(dirname "$0")/../../testdata/explore" && pwd)/two-readers.json
bad_case --shard explore --shard 0/-1 "$trace"
bad_case --shard explore --shard 0x1/4 "$trace"
bad_case --shard explore --shard 1/4294967297 "$trace"

if ((${#problems[@]})); then
  printf '  %s\n' "${problems[@]}" >&2
  LAST_CMD=""
  fail "${#problems[@]} bad number flag value(s) not rejected as expected"
fi

step "good values still work: the largest --tx, 0, and flags with '='"
expect_ok sl read --limit=0
expect_stdout ""
expect_ok sl read --last 2 --limit 1 --format raw
expect_stdout b
expect_ok sl append --tx 10 --lock-timeout 0 --flush-threshold 0 x
expect_stdout '{"offset":"10_0"}'
expect_ok sl append --tx=18446744073709551615 y
expect_stdout '{"offset":"18446744073709551615_0"}'
expect_exit 2 sl append z
expect_stderr_contains "largest possible"
