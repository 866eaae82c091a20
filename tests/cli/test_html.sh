#!/usr/bin/env bash
# replay, explore and stress --html: one self-contained page (nothing fetched) with the run's steps, reads and
# verdicts as DOM text and data-* attributes; untrusted trace text escaped; a failed write is
# exit 4. When Debian's chromium is installed, the page is also loaded headless from file://
# and the DOM checked after its script ran.
# Arguments: the shapelog binary, the page fixture (html_fixture.cpp) and the directory that
# keeps the seed race's screenshot.
source "$(dirname "$0")/lib.sh" "$1"
FIXTURE=${2:?"usage: $0 SHAPELOG HTML_FIXTURE ARTIFACT_DIR"}
ARTIFACTS=${3:?"usage: $0 SHAPELOG HTML_FIXTURE ARTIFACT_DIR"}
traces=$(cd "$CLI_TEST_DIR/../../testdata/traces" && pwd)

# self_contained PAGE: nothing in it can fetch anything.
self_contained() {
  ! grep -qiE 'https?:|<[a-z][^>]*[[:space:]]src=|<link|@import|url\(' "$1" ||
    fail "$1 refers to something outside"
  grep -qF "default-src 'none'" "$1" || fail "$1 lacks its Content-Security-Policy"
}

step "replay --html FILE: the page, and the usual text on stdout"
expect_exit 1 shapelog replay "$traces/seed-race.json" --strategy naive --html seed.html
expect_stdout_contains "outcome: race"
[[ -s seed.html ]] || fail "seed.html was not written"
self_contained seed.html
grep -qF 'data-step="0" data-actor="reader" data-point="read.snapshot"' seed.html ||
  fail "the first step lacks its data-* attributes"
[[ $(grep -c 'class="step' seed.html) -eq 5 ]] || fail "expected 5 step rows"
grep -qF 'data-verdict="wrong"' seed.html || fail "the naive race's read is not marked wrong"
grep -qF '<span class="verdict">WRONG</span>' seed.html || fail "the bad read lacks the word WRONG"
grep -qF '<b>missing</b>: 11_0, 11_1' seed.html || fail "the bad read's missing entries are not listed"
grep -qF 'jump to the first bad read' seed.html || fail "no link to the first bad read"
grep -qF 'shapelog replay '"$traces"'/seed-race.json --strategy naive' seed.html ||
  fail "the reproducing command is not on the page"
grep -qF 'ets-read-write-race' seed.html || fail "the trace name is not on the page"
version=$(shapelog --version | head -n 1 | cut -d' ' -f2)
grep -qF "<span id=\"version\">$version</span>" seed.html || fail "the version is not on the page"
grep -qF 'seen=11_1 persisted=10_0 gen=' seed.html || fail "the writer's state is not shown"
echo "seed page: $(wc -c <seed.html) bytes"

step "--strategy all: one section per strategy and the outcome table"
expect_exit 1 shapelog replay "$traces/seed-race.json" --strategy all --html all.html
[[ $(grep -c '<section class="run"' all.html) -eq 4 ]] || fail "expected 4 runs"
grep -qF '<tr data-strategy="naive" data-outcome="race">' all.html || fail "outcome table lacks naive"
grep -qF '<tr data-strategy="generation" data-outcome="ok">' all.html || fail "outcome table lacks generation"

step "--html -: the page on stdout, instead of the text"
expect_exit 1 shapelog replay "$traces/seed-race.json" --strategy naive --html -
cmp -s "$OUT" seed.html || fail "the page on stdout differs from the file"

step "a hostile trace name and values are escaped"
cat >hostile.json <<'JSON'
{"format": "shapelog-trace/1",
 "name": "</script><script>alert(1)</script>\"'<b>&",
 "description": "<img src=x onerror=alert(2)>",
 "actors": [{"name": "w", "ops": [{"op": "append", "entries": [{"offset": "1_0", "value": "</script>\"'"}]}, {"op": "flush"}]},
            {"name": "r", "ops": [{"op": "read"}]}]}
JSON
expect_ok shapelog replay hostile.json --html hostile.html
self_contained hostile.html
[[ $(grep -c '<script>' hostile.html) -eq 1 ]] || fail "the trace name opened a script"
! grep -qF '<img' hostile.html || fail "the description made an element"
grep -qF '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;b&gt;&amp;' hostile.html ||
  fail "the trace name is not escaped as text"

step "a failed write is exit 4, naming the file"
expect_exit 4 shapelog replay "$traces/seed-race.json" --html "$TMP/no/such/dir/x.html"
expect_stderr_contains "$TMP/no/such/dir/x.html"

step "explore --out --html: the minimized counterexample of each racing strategy"
expect_exit 1 shapelog explore "$traces/seed-race.json" --strategy all --out cx.json --html cx.html
self_contained cx.html
grep -qF '<section class="run" id="run-naive" data-strategy="naive" data-outcome="race"' cx.html ||
  fail "the naive counterexample is not on the page"
grep -qF 'data-verdict="wrong"' cx.html || fail "the counterexample's bad read is not marked"
grep -qF 'shapelog replay cx.json --strategy naive' cx.html || fail "no reproducing command"
expect_ok shapelog explore "$traces/seed-race.json" --strategy generation --html none.html
[[ ! -e none.html ]] || fail "explore wrote a page without a counterexample"

step "stress --out --html: the first bad read's trace, replayed"
written=0
for seed in 1 2 3 4 5 6; do
  expect_exit 1 shapelog stress --strategy naive --chaos --seed "$seed" --duration 20 --out race.json --html race.html
  if [[ -s race.html ]]; then written=1; break; fi
done
((written)) || fail "six failing stress runs wrote no page"
self_contained race.html
grep -qF 'data-verdict="wrong"' race.html || fail "the stress race's bad read is not marked"
grep -qF 'shapelog replay race.json --strategy naive' race.html || fail "no reproducing command"

step "a long run: its rows as data for the page's script, its warnings capped"
# 600 appends and flushes, then the seed's race: the reader snapshots before the last flush.
# The schedule ends with 30 elements that do nothing, each a warning.
"$PYTHON" - >long.json <<'PY'
import json
n = 600
writer = [op for t in range(n) for op in ({"op": "append", "count": 1}, {"op": "flush"})]
writer += [{"op": "append", "count": 2}, {"op": "flush"}]
print(json.dumps({"format": "shapelog-trace/1", "name": "long-race",
  "actors": [{"name": "writer", "ops": writer}, {"name": "reader", "ops": [{"op": "read", "after": str(n)}]}],
  "schedule": [{"actor": "writer", "steps": 5 * n + 2}, {"actor": "reader", "until": "read.snapshot"},
               {"actor": "writer", "until": "done"}] + [{"actor": "writer", "until": "done"}] * 30}))
PY
expect_exit 1 shapelog replay long.json --strategy naive --html long.html
self_contained long.html
[[ $(grep -c '<tr class="step' long.html) -eq 0 ]] || fail "the long run's rows are markup"
grep -qF '<script type="application/json" class="run-data">' long.html || fail "the long run has no data"
[[ $(grep -c '<p class="warning">' long.html) -eq 20 ]] || fail "expected the first 20 warnings"
grep -qF '10 more warnings not shown' long.html || fail "the warnings past 20 are not counted"
echo "long page ($(shapelog replay long.json --strategy naive --json 2>/dev/null | "$PYTHON" -c \
  'import json, sys; print(len(json.load(sys.stdin)["runs"][0]["timeline"]))' || true) steps): $(wc -c <long.html) bytes"

step "a wrong value holding </script>, quotes and invalid UTF-8, short and long"
# (A value is JSON: the trace's string value "</script>\"'" is shown with its quotes.)
got=$'\xff\xfe\xc3</script><script>window.hostile=2</script>"\x27<img src=x onerror=window.hostile=3>'
"$PYTHON" - >wrong-long.json <<'PY'
import json
value = "</script><script>window.hostile=1</script>\"'&amp;"
print(json.dumps({"format": "shapelog-trace/1", "name": "wrong-value",
  "actors": [{"name": "w", "ops": [{"op": "append", "entries": [{"offset": "1_0", "value": value}]}, {"op": "flush"}]},
             {"name": "r", "ops": [{"op": "read"}] * 2001}]}))
PY
"$FIXTURE" hostile.json "$got" wrong.html || fail "html_fixture failed on hostile.json"
"$FIXTURE" wrong-long.json "$got" wrong-long.html || fail "html_fixture failed on wrong-long.json"
for page in wrong.html wrong-long.html; do
  self_contained "$page"
  [[ $(grep -c '<script>' "$page") -eq 1 ]] || fail "a value opened a script in $page"
  ! grep -qF '<img' "$page" || fail "a value made an element in $page"
  "$PYTHON" -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$page" || fail "$page is not UTF-8"
done
grep -qF '<b>wrong value</b> at 1_0: expected <code>&quot;&lt;/script&gt;\&quot;&#39;&quot;</code>, got <code>'$'\uFFFD\uFFFD\uFFFD''&lt;/script&gt;&lt;script&gt;window.hostile=2' wrong.html ||
  fail "the wrong value is not shown escaped, its invalid bytes as U+FFFD"
grep -qF '\u003c/script\u003e\u003cscript\u003ewindow.hostile=1' wrong-long.html ||
  fail "the long page's data does not escape < and >"

# The rest needs a browser.
command -v chromium >/dev/null || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }

# dom PAGE: the DOM after the page's script ran, loaded from file:// with every host name
# unresolvable, so nothing could be fetched even if the page asked.
dom() {
  HOME=$TMP timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 \
    --dump-dom "file://$TMP/$1" >"$1.dom" 2>"$1.log" || fail "chromium failed on $1: $(tail -n 5 "$1.log")"
  ! grep -q 'CONSOLE' "$1.log" || fail "console messages on $1: $(grep CONSOLE "$1.log")"
}

step "chromium: the seed race under every strategy"
dom all.html
grep -qF 'data-ready="yes"' all.html.dom || fail "the page's script did not run to its end"
steps=$(shapelog replay "$traces/seed-race.json" --strategy all --json |
  "$PYTHON" -c 'import json, sys; print(sum(len(r["timeline"]) for r in json.load(sys.stdin)["runs"]))' || true)
[[ $(grep -c '<tr class="step' all.html.dom) -eq $steps ]] ||
  fail "expected $steps step rows in the DOM (the --json timelines' steps)"
grep -qF '<section class="run" id="run-naive" data-strategy="naive" data-outcome="race"' all.html.dom ||
  fail "the naive run is not the one shown first"
[[ $(grep -c '<section class="run hidden"' all.html.dom) -eq 3 ]] || fail "expected the other 3 runs as hidden tabs"
grep -qF '<b>missing</b>: 11_0, 11_1' all.html.dom || fail "the missing entries are not in the DOM"

step "chromium: the hostile page runs nothing of the trace's"
dom hostile.html
grep -qF 'data-ready="yes"' hostile.html.dom || fail "the hostile page's script did not run to its end"
! grep -qF '<img' hostile.html.dom || fail "the description became an element"

for page in cx.html race.html; do
  step "chromium: $page"
  dom "$page"
  grep -qF 'data-ready="yes"' "$page.dom" || fail "the script of $page did not run to its end"
  grep -qF 'data-verdict="wrong"' "$page.dom" || fail "$page shows no wrong read"
done

step "chromium: a long run renders only the rows in view; links, keys, hover and find reveal the right ones"
"$PYTHON" "$CLI_TEST_DIR/browser_check.py" long long.html "$TMP" || fail "the long page failed in chromium"

for page in wrong.html wrong-long.html; do
  step "chromium: $page shows the hostile values as text and runs none of them"
  "$PYTHON" "$CLI_TEST_DIR/browser_check.py" hostile "$page" "$TMP" || fail "$page failed in chromium"
done

step "chromium: a screenshot of the seed race, kept in $ARTIFACTS"
HOME=$TMP timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --host-resolver-rules="MAP * ~NOTFOUND" --window-size=1200,800 --screenshot="$TMP/seed-race.png" \
  "file://$TMP/all.html" >shot.log 2>&1 || fail "chromium could not take the screenshot: $(tail -n 5 shot.log)"
"$PYTHON" "$CLI_TEST_DIR/png_check.py" seed-race.png 1200 800 || fail "the screenshot is not the page"
mkdir -p "$ARTIFACTS" && cp seed-race.png "$ARTIFACTS/seed-race.png"
