#!/usr/bin/env bash
# append/read round trip: arguments, stdin lines, -0, JSON vs string values, --json, --tx, -q.
source "$(dirname "$0")/lib.sh" "$@"

step "arguments: one transaction, one entry per argument, offsets printed"
# (A JSON array as an argument is mangled by the argument parser: see test_bug_array_argument.sh.)
expect_ok sl append hello 42 '{"a": 1}' 'two words' '"quoted"' true null -3.5e2 12abc
expect_stdout '{"offset":"1_0"}
{"offset":"1_1"}
{"offset":"1_2"}
{"offset":"1_3"}
{"offset":"1_4"}
{"offset":"1_5"}
{"offset":"1_6"}
{"offset":"1_7"}
{"offset":"1_8"}'
expect_stderr_empty
[[ -f $LOG/SHAPELOG ]] || fail "the first append did not create the log directory"

step "read: JSON values as appended, other values as JSON strings"
expect_ok sl read
expect_stdout '{"offset":"1_0","value":"hello"}
{"offset":"1_1","value":42}
{"offset":"1_2","value":{"a": 1}}
{"offset":"1_3","value":"two words"}
{"offset":"1_4","value":"quoted"}
{"offset":"1_5","value":true}
{"offset":"1_6","value":null}
{"offset":"1_7","value":-3.5e2}
{"offset":"1_8","value":"12abc"}'
# Every output line is a JSON object.
"$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$OUT" || fail "read printed a line that is not JSON"

step "stdin: one entry per line; a final newline does not start an entry"
printf 'line one\n{"k":[1,2]}\n\n  spaced  \n' | expect_ok sl append
expect_stdout '{"offset":"2_0"}
{"offset":"2_1"}
{"offset":"2_2"}
{"offset":"2_3"}'
expect_ok sl read --from 2
expect_stdout '{"offset":"2_0","value":"line one"}
{"offset":"2_1","value":{"k":[1,2]}}
{"offset":"2_2","value":""}
{"offset":"2_3","value":"  spaced  "}'

step "stdin without a final newline"
printf 'a\nb' | expect_ok sl append
expect_stdout '{"offset":"3_0"}
{"offset":"3_1"}'

step "-0: NUL-separated values may contain newlines"
printf 'multi\nline\0{"x":\n 1}\0tab\there\0' | expect_ok sl append -0
expect_stdout '{"offset":"4_0"}
{"offset":"4_1"}
{"offset":"4_2"}'
expect_ok sl read --from 4
# A JSON value that spans lines is re-serialized on one line so the output stays JSON Lines.
expect_stdout '{"offset":"4_0","value":"multi\nline"}
{"offset":"4_1","value":{"x":1}}
{"offset":"4_2","value":"tab\there"}'
expect_ok sl read --from 4 --format raw -0
printf 'multi\nline\0{"x":\n 1}\0tab\there\0' | cmp - "$OUT" || fail "-0 raw output differs from the appended bytes"

step "--json: every value must be JSON; a bad one is named and nothing is appended"
before=$(log_state)
printf '1\n{"ok":true}\nnot json\n[]\n' | expect_exit 2 sl append --json
expect_stderr_contains "line 3" "not json" "--json"
expect_stdout ""
[[ $(log_state) == "$before" ]] || fail "a rejected --json append changed the log"
expect_exit 2 sl append --json 1 '"x"' oops
expect_stderr_contains "argument 3" "oops"
[[ $(log_state) == "$before" ]] || fail "a rejected --json append changed the log"
printf '1\n{"ok":true}\n"s"\n' | expect_ok sl append --json
expect_stdout_lines 3
expect_stdout_contains '"5_2"'

step "--tx: must be above the last transaction; the next default continues from it"
before=$(log_state)
expect_exit 2 sl append --tx 5 x
expect_stderr_contains "--tx 5" "last transaction 5"
expect_exit 2 sl append --tx 3 x
expect_stderr_contains "--tx 3"
expect_exit 2 sl append --tx abc x
expect_stderr_contains "--tx"
# (--tx -7 and --tx 18446744073709551616 are accepted and wrap or saturate: see
# test_bug_unsigned_flags.sh.)
[[ $(log_state) == "$before" ]] || fail "a rejected --tx changed the log"
expect_ok sl append --tx 10 ten
expect_stdout '{"offset":"10_0"}'
expect_ok sl append eleven
expect_stdout '{"offset":"11_0"}'

step "-q prints nothing and still appends"
expect_ok sl append -q quiet1 quiet2
expect_stdout ""
expect_stderr_empty
expect_ok sl read --from 12
expect_stdout '{"offset":"12_0","value":"quiet1"}
{"offset":"12_1","value":"quiet2"}'
printf 'q\n' | expect_ok sl append --quiet
expect_stdout ""

step "nothing to append: exit 2, log unchanged"
before=$(log_state)
expect_exit 2 sl append </dev/null
expect_stderr_contains "nothing to append"
[[ $(log_state) == "$before" ]] || fail "an empty append changed the log"

step "the whole log reads back in order"
expect_ok sl read
expect_stdout_lines 26
awk -F'"' '{print $4}' "$OUT" >"$TMP/offsets"
sort -t_ -k1,1n -k2,2n -c "$TMP/offsets" || fail "read output is not in offset order"

step "read: strings are JSON string literals, escaped exactly where JSON needs it"
# Plain text (ASCII or UTF-8, no quote, backslash or control character) is copied as it is;
# anything else goes through the JSON library. Both must print the same literal it would.
printf 'with "quotes"\nback\\slash\ncafé ünïcode 🎉\n\001ctrl\177del\nplain text\n' |
  expect_ok sl append -q --tx 100
expect_ok sl read --from 100
del=$(printf '\177')
expect_stdout '{"offset":"100_0","value":"with \"quotes\""}
{"offset":"100_1","value":"back\\slash"}
{"offset":"100_2","value":"café ünïcode 🎉"}
{"offset":"100_3","value":"\u0001ctrl'"$del"'del"}
{"offset":"100_4","value":"plain text"}'

step "read: values about as large as the output buffer (1 MiB) print whole, in order"
# Lines are written straight into the 1 MiB output buffer when they fit, and built apart when
# not; either way each line must be whole and the lines in order.
"$PYTHON" -c '
import sys
sizes = [5] * 20000 + [(1 << 20) - 69 + d for d in range(5)] + [(1 << 20) + 10, 2500000, 7]
for i, n in enumerate(sizes): sys.stdout.write(chr(97 + i % 26) * n + "\n")
' >"$TMP/sizes"
expect_ok sl append -q --tx 200 <"$TMP/sizes"
expect_ok sl read --from 200
"$PYTHON" -c '
import json, sys
expected = open(sys.argv[1]).read().split("\n")[:-1]
lines = open(sys.argv[2]).read().split("\n")
assert lines[-1] == "", "the output does not end with a newline"
got = [json.loads(line) for line in lines[:-1]]
assert len(got) == len(expected), f"{len(got)} lines, expected {len(expected)}"
for i, (line, value) in enumerate(zip(got, expected)):
    assert line == {"offset": f"200_{i}", "value": value}, f"line {i + 1} differs"
' "$TMP/sizes" "$OUT" || fail "large values did not read back as whole JSON lines"

step "read: a JSON value with a carriage return or a newline in its spacing prints on one line"
printf '{"r":\r1}\0[1,\n2]\0{"plain":[1,2]}\0' | expect_ok sl append -0 -q --tx 300
expect_ok sl read --from 300
expect_stdout '{"offset":"300_0","value":{"r":1}}
{"offset":"300_1","value":[1,2]}
{"offset":"300_2","value":{"plain":[1,2]}}'

step "read: every byte that JSON escapes, escaped as a JSON library does, also in long values"
# Each control character, the quote and the backslash alone and between UTF-8 text; DEL, which
# JSON leaves as it is; and values whose escaped form (6 bytes a control character) does and
# does not fit the 1 MiB output buffer. Python's json.dumps writes what nlohmann's dump does.
"$PYTHON" -c '
import sys
import random
specials = [chr(c) for c in range(1, 32)] + ["\"", "\\"]
values = specials + ["\x7f"]
# Each at every place of the first eight bytes and after, among ASCII and UTF-8 text.
values += ["abcdéfgh"[:k] + c + "ijklmnop日" for c in specials for k in range(9)]
rand = random.Random(17)
alphabet = specials + list("ab é日\x7f") * 4
# (Starting with "a", none is JSON, so each is stored as a string.)
values += ["a" + "".join(rand.choice(alphabet) for _ in range(rand.randrange(40))) for _ in range(2000)]
values += ["\x01" * 200000, "\"" * 150000, "x\\" * 100000 + "\n"]
sys.stdout.buffer.write(b"".join(v.encode() + b"\0" for v in values))
' >"$TMP/escapes"
expect_ok sl append -0 -q --tx 400 <"$TMP/escapes"
expect_ok sl read --from 400
"$PYTHON" -c '
import json, sys
values = open(sys.argv[1], "rb").read().decode().split("\0")[:-1]
lines = open(sys.argv[2], "rb").read().decode().split("\n")[:-1]
assert len(lines) == len(values), f"{len(lines)} lines, expected {len(values)}"
for i, (line, value) in enumerate(zip(lines, values)):
    want = "{\"offset\":\"400_%d\",\"value\":%s}" % (i, json.dumps(value, ensure_ascii=False))
    assert line == want, f"line {i + 1}: {line[:80]!r}, expected {want[:80]!r}"
' "$TMP/escapes" "$OUT" || fail "escaped strings differ from what a JSON library writes"
