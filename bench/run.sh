#!/usr/bin/env bash
# Runs every shapelog benchmark and prints a summary of figures, ratios and targets.
#   bash bench/run.sh BUILD_DIR        (./dev.sh bench builds build-release and runs this)
# BUILD_DIR must hold a Release build (bench/ and cli/shapelog). The only thing this script
# builds is BUILD_DIR-nohook, the same tree with -DSHAPELOG_NO_YIELD_POINTS=ON, for the
# yield-hook comparison. Scratch data (a log of 10 million entries, ~1.3 GB) goes under
# $BENCH_TMPDIR (default: $TMPDIR or /tmp) and is deleted at the end.
# Environment knobs: BENCH_BIG_ENTRIES (default 10000000), BENCH_HOOK_RUNS (default 5),
#   EXPLORE_BUDGET (seconds per complete three-reader search, default 60),
#   STRESS_SECONDS (duration of each generation/fallback stress run, default 60),
#   STRESS_READS (e.g. 10000000: run generation and fallback for that many reads instead of
#   STRESS_SECONDS; ~4-5 minutes per strategy on the 2-core VM),
#   STRESS_OVERHEAD_SECONDS (each recording-overhead run, default 10),
#   PEER_ENTRIES (log sizes of bench_peers' reads, default 1000000,10000000; its 10 M case
#   needs ~2.5 GB of scratch at the peak). bench_peers is skipped with a note when BUILD_DIR
#   has none (its LevelDB, RocksDB and SQLite were not found: ./dev.sh bench installs them).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bash bench/run.sh BUILD_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
nohook="${build}-nohook"
shapelog="$build/cli/shapelog"
for program in bench_append_flush bench_buffer bench_follow bench_yield_hook bench_replay bench_explore \
  bench_read_floor; do
  [ -x "$build/bench/$program" ] || { echo "missing $build/bench/$program: build $1 first" >&2; exit 2; }
done
[ -x "$shapelog" ] || { echo "missing $shapelog: build $1 first" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed for the summary" >&2; exit 2; }

tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/shapelog-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export BENCH_TMPDIR="$tmp"
results="$tmp/results"
: >"$results"
started=$(date +%s)

section() { printf '\n==== %s ====\n\n' "$*"; }
# record NAME VALUE: one figure for the summary.
record() { echo "RESULT $1 $2" >>"$results"; }
# run PROGRAM ARGS...: runs a benchmark, shows its output, keeps its RESULT lines.
run() {
  "$@" | tee "$tmp/out"
  grep '^RESULT ' "$tmp/out" >>"$results" || true
}
. "$root/bench/lib.sh"  # now_ns, median, time_ms, median_of

echo "shapelog benchmarks: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $build"

# ---------------------------------------------------------------- 1. append + flush
section "1. append+flush vs write()+fdatasync() (bench_append_flush)"
run "$build/bench/bench_append_flush" 200 5

# ---------------------------------------------------------------- 2. buffer
section "2. buffered append vs memcpy; buffer read vs disk read (bench_buffer)"
run "$build/bench/bench_buffer" 200000 5
echo
echo "read --follow, woken by the writer's publish (bench_follow):"
run "$build/bench/bench_follow" "$shapelog" 200

echo
echo "2 M x 100-byte entries held in the buffer (--flush-threshold 0, 1 GiB buffer): read --format raw > /dev/null, then the same log flushed:"
bufdir="$tmp/buffered2m"
python3 -c "
import sys
w = sys.stdout.write
for i in range(2000000): w('v%019d-' % i + 'x' * 79 + '\\n')
" >"$tmp/values2m"
"$shapelog" --dir "$bufdir/log" append -q --buffer-capacity 1073741824 --flush-threshold 0 <"$tmp/values2m"
cp -r "$bufdir/log" "$bufdir/flushed"
"$shapelog" --dir "$bufdir/flushed" flush >/dev/null
rm -f "$tmp/values2m"
from_buffer=() from_disk=()
for _ in 1 2 3 4 5; do
  from_buffer+=("$(time_ms "$shapelog" --dir "$bufdir/log" read --format raw)")
  from_disk+=("$(time_ms "$shapelog" --dir "$bufdir/flushed" read --format raw)")
done
m_b=$(median "${from_buffer[@]}")
m_d=$(median "${from_disk[@]}")
echo "from the buffer: median $m_b ms (${from_buffer[*]}); from disk: median $m_d ms (${from_disk[*]})"
record "cli.buffer_raw_ms" "$m_b"
record "cli.buffer_flushed_raw_ms" "$m_d"
if [ -x /usr/bin/time ]; then
  rss=$( { /usr/bin/time -f '%M' "$shapelog" --dir "$bufdir/log" read --format raw >/dev/null; } 2>&1 | tail -1)
  echo "peak RSS of the read from the buffer: $rss KiB (the ring's 256 MB of shared file pages it touches count in it)"
  record "cli.buffer_rss_kib" "$rss"
fi
rm -rf "$bufdir"

# ---------------------------------------------------------------- 3. yield hook
section "3. yield hook, no scheduler installed vs compiled out (bench_yield_hook x2)"
if [ ! -x "$nohook/bench/bench_yield_hook" ] || [ "$nohook/bench/bench_yield_hook" -ot "$build/bench/bench_yield_hook" ]; then
  echo "building $nohook (-DSHAPELOG_NO_YIELD_POINTS=ON, target bench_yield_hook)"
  cmake -S "$root" -B "$nohook" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSHAPELOG_NO_YIELD_POINTS=ON >/dev/null
  cmake --build "$nohook" -j "$(nproc)" --target bench_yield_hook >/dev/null
fi
hook_runs=${BENCH_HOOK_RUNS:-5}
declare -A with without
for i in $(seq 1 "$hook_runs"); do
  # Alternate the two binaries so that load changes hit both alike.
  for variant in with without; do
    bin="$build/bench/bench_yield_hook"
    [ "$variant" = without ] && bin="$nohook/bench/bench_yield_hook"
    out=$("$bin" 5)
    [ "$i" = 1 ] && echo "$out" | grep -v '^RESULT' && echo
    for key in read1 read10 append1; do
      value=$(echo "$out" | awk -v k="yield.${key}_ns" '$1 == "RESULT" && $2 == k {print $3}')
      if [ "$variant" = with ]; then with[$key]="${with[$key]:-} $value"; else without[$key]="${without[$key]:-} $value"; fi
    done
  done
done
printf '%-10s %-40s %-40s %s\n' loop "with hook, ns/op (runs)" "compiled out, ns/op (runs)" "overhead of medians"
for key in read1 read10 append1; do
  # shellcheck disable=SC2086
  m_with=$(median ${with[$key]})
  # shellcheck disable=SC2086
  m_without=$(median ${without[$key]})
  overhead=$(awk -v a="$m_with" -v b="$m_without" 'BEGIN {printf "%.2f", (a - b) / b * 100}')
  printf '%-10s %-40s %-40s %s %%\n' "$key" "$m_with (${with[$key]# })" "$m_without (${without[$key]# })" "$overhead"
  record "yield.${key}_with_ns" "$m_with"
  record "yield.${key}_without_ns" "$m_without"
  record "yield.${key}_overhead_pct" "$overhead"
done

# Wall-clock medians on a busy 2-core machine move by more than 2 % from run to run; the
# instruction counts of the same loops under callgrind do not. When valgrind is installed,
# compare them too (inclusive instructions of LogReader::read and LogWriter::append).
if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
  echo
  echo "instruction counts (valgrind --tool=callgrind, bench_yield_hook 1):"
  for variant in with without; do
    bin="$build/bench/bench_yield_hook"
    [ "$variant" = without ] && bin="$nohook/bench/bench_yield_hook"
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$variant" "$bin" 1 >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$tmp/cg.$variant" 2>/dev/null >"$tmp/cg.$variant.txt"
  done
  for fn in "LogReader::read(" "LogWriter::append("; do
    a=$(grep -F "shapelog::$fn" "$tmp/cg.with.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
    b=$(grep -F "shapelog::$fn" "$tmp/cg.without.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
    pct=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (a - b) / b * 100}')
    echo "  $fn..): $a instructions with the hook, $b without: $pct %"
    key=$(echo "$fn" | tr -dc 'A-Za-z')
    record "yield.ir_${key}_overhead_pct" "$pct"
  done
fi

# ---------------------------------------------------------------- 4. replay
section "4. replay speed (bench_replay, then shapelog replay on the generated traces)"
run "$build/bench/bench_replay" --trace-out "$tmp/generated.json" --bounded-trace-out "$tmp/generated-bounded.json"
echo
for trace in generated generated-bounded; do
  ms=$(time_ms "$shapelog" replay "$tmp/$trace.json" --quiet)
  echo "shapelog replay $trace.json --quiet: $ms ms (parse + replay + verdicts + summary)"
  record "cli.replay_${trace//-/_}_ms" "$ms"
done
ms=$(time_ms "$shapelog" replay "$tmp/generated-bounded.json")
echo "shapelog replay generated-bounded.json (full timeline text, to /dev/null): $ms ms"
record "cli.replay_bounded_timeline_ms" "$ms"

# ---------------------------------------------------------------- 5. a big log through the CLI
big=${BENCH_BIG_ENTRIES:-10000000}
per=100000
batches=$(( (big + per - 1) / per ))
section "5. a log of $big x 100-byte entries through the CLI"
log="$tmp/biglog"
python3 -c "
import sys
w = sys.stdout.write
for i in range($per): w('v%020d-%s\n' % (i, 'x' * 78))
" >"$tmp/batch.txt"
echo "building it: $batches x 'shapelog append -q' of $per stdin lines (one transaction each)"
t0=$(now_ns)
for _ in $(seq 1 "$batches"); do
  "$shapelog" --dir "$log" append -q <"$tmp/batch.txt"
done
"$shapelog" --dir "$log" flush >/dev/null
t1=$(now_ns)
build_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
seg_bytes=$(cat "$log"/*.seg | wc -c)
echo "built in $build_s s ($(awk -v n=$((batches * per)) -v s="$build_s" 'BEGIN {printf "%.0f", n / s}') entries/s); $(ls "$log"/*.seg | wc -l) segments, $seg_bytes bytes"
record "big.entries" "$((batches * per))"
record "big.build_s" "$build_s"
"$shapelog" --dir "$log" stat

# Offsets: transaction t (1..batches) holds ops 0..per-1.
mid_tx=$(( (batches + 1) / 2 ))
declare -A read_from=([start]="1_0" [middle]="${mid_tx}_$((per / 2))" [end]="${batches}_$((per - 1000))")
cat "$log"/*.seg >/dev/null  # page cache warm for everyone
for where in start middle end; do
  samples=()
  for _ in $(seq 1 21); do
    samples+=("$(time_ms "$shapelog" --dir "$log" read --from "${read_from[$where]}" --limit 1000)")
  done
  m=$(median "${samples[@]}")
  lines=$("$shapelog" --dir "$log" read --from "${read_from[$where]}" --limit 1000 | wc -l)
  echo "read --from ${read_from[$where]} --limit 1000 ($where, $lines entries): median $m ms of 21 runs"
  record "big.read_${where}_ms" "$m"
done
samples=()
for _ in $(seq 1 11); do samples+=("$(time_ms "$shapelog" --dir "$log" read --last 1000)"); done
m=$(median "${samples[@]}")
echo "read --last 1000: median $m ms of 11 runs"
record "big.read_last_ms" "$m"

raw=() cat_t=()
for _ in 1 2 3; do
  cat_t+=("$(time_ms bash -c "cat '$log'/*.seg")")
  raw+=("$(time_ms "$shapelog" --dir "$log" read --format raw)")
done
m_raw=$(median "${raw[@]}")
m_cat=$(median "${cat_t[@]}")
echo "full read --format raw > /dev/null: median $m_raw ms (${raw[*]}); cat of the segments: median $m_cat ms (${cat_t[*]})"
record "big.full_raw_ms" "$m_raw"
record "big.cat_ms" "$m_cat"
record "big.seg_bytes" "$seg_bytes"
raw_lines=$("$shapelog" --dir "$log" read --format raw | wc -l)
echo "(read --format raw printed $raw_lines lines)"
echo "what the parts of that read cost at the least, against cat (bench_read_floor):"
run "$build/bench/bench_read_floor" "$log" 5
jsonl=()
for _ in 1 2 3; do jsonl+=("$(time_ms "$shapelog" --dir "$log" read)"); done
m_jsonl=$(median "${jsonl[@]}")
echo "full read as JSON Lines > /dev/null: median $m_jsonl ms (${jsonl[*]})"
record "big.full_jsonl_ms" "$m_jsonl"

if [ -x /usr/bin/time ]; then
  rss=$( { /usr/bin/time -f '%M' "$shapelog" --dir "$log" read --format raw >/dev/null; } 2>&1 | tail -1)
  rss_jsonl=$( { /usr/bin/time -f '%M' "$shapelog" --dir "$log" read >/dev/null; } 2>&1 | tail -1)
  echo "peak RSS of a full read: raw $rss KiB, jsonl $rss_jsonl KiB"
  record "big.rss_raw_kib" "$rss"
  record "big.rss_jsonl_kib" "$rss_jsonl"
else
  echo "/usr/bin/time is missing (Debian package 'time'): peak RSS not measured"
fi
rm -rf "$log"
# ---------------------------------------------------------------- 6. explore
section "6. explore: seed-trace rate, schedules per class, the issue's traces, a generated trace, sleep sets (bench_explore)"
run "$build/bench/bench_explore" --seconds 1 --max-bound 4 --budget "${EXPLORE_BUDGET:-10}"
echo
echo "the same through the CLI (parse + search + minimize + JSON), seed trace, every strategy:"
for strategy in naive recheck fallback generation; do
  "$shapelog" explore "$root/testdata/traces/seed-race.json" --strategy "$strategy" --json 2>/dev/null |
    python3 -c "
import json, sys
r = json.load(sys.stdin)['results'][0]
print(f\"  {r['strategy']:<10} {r['outcome']:<10} {r['schedules']:>3} schedules, {r['classes']:>3} classes, {r['seconds'] * 1e6:.0f} us\")
" || true
done

# ---------------------------------------------------------------- 7. stress
section "7. stress: time to the first bad read (naive --chaos), long clean runs, recording cost"
# stress_json ARGS...: one `shapelog stress --json` run; prints its JSON line (exit 1 = bad read).
stress_json() { "$shapelog" stress --json "$@" 2>/dev/null || true; }
# field JSON NAME: one field of a stress summary ("-" when absent).
field() { python3 -c "import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2], '-'))" "$1" "$2"; }

echo "(a) naive --chaos, 4 readers, 10 seeds, stop at the first bad read (cap 30 s each):"
firsts=()
for seed in 1 2 3 4 5 6 7 8 9 10; do
  j=$(stress_json --strategy naive --chaos --readers 4 --seed "$seed" --duration 30)
  first=$(field "$j" first_bad_read_seconds)
  echo "  seed $seed: first bad read after $first s; $(field "$j" reads) reads; reproduced as a race: $(field "$j" reproduced)"
  [ "$first" = "-" ] && first=30
  firsts+=("$first")
done
m=$(median "${firsts[@]}")
echo "  median time to the first bad read: $m s (target <= 1 s)"
record "stress.naive_chaos_first_bad_median_s" "$m"
record "stress.naive_chaos_first_bad_max_s" "$(printf '%s\n' "${firsts[@]}" | sort -g | tail -1)"

echo
if [ -n "${STRESS_READS:-}" ]; then
  limit=(--reads "$STRESS_READS")
  echo "(b) generation and fallback, 4 readers, --reads $STRESS_READS (STRESS_READS):"
else
  limit=(--duration "${STRESS_SECONDS:-60}")
  echo "(b) generation and fallback, 4 readers, --duration ${STRESS_SECONDS:-60} s (set STRESS_READS=10000000 for the full 10 M):"
fi
for strategy in generation fallback; do
  j=$(stress_json --strategy "$strategy" --readers 4 --seed 1 --keep-going "${limit[@]}")
  reads=$(field "$j" reads) rate=$(field "$j" reads_per_second) bad=$(field "$j" bad_reads) secs=$(field "$j" seconds)
  proj=$(awk -v r="$rate" 'BEGIN {printf "%.0f", 1e7 / r}')
  echo "  $strategy: $reads reads in $secs s ($(printf '%.0f' "$rate") reads/s), $bad bad reads, $(field "$j" appends) appends, $(field "$j" flushes) flushes; 10 M reads would take $proj s"
  record "stress.${strategy}_reads" "$reads"
  record "stress.${strategy}_reads_per_s" "$rate"
  record "stress.${strategy}_bad_reads" "$bad"
  record "stress.${strategy}_seconds" "$secs"
done

echo
overhead_s=${STRESS_OVERHEAD_SECONDS:-10}
echo "(c) recording overhead: generation, 4 readers, seed 7, $overhead_s s, with and without recording, 3 runs each alternating:"
rec=() norec=()
for _ in 1 2 3; do
  rec+=("$(field "$(stress_json --strategy generation --readers 4 --seed 7 --duration "$overhead_s")" reads_per_second)")
  norec+=("$(field "$(stress_json --strategy generation --readers 4 --seed 7 --duration "$overhead_s" --no-record)" reads_per_second)")
done
m_rec=$(median "${rec[@]}")
m_norec=$(median "${norec[@]}")
echo "  reads/s with recording: ${rec[*]} (median $m_rec); with --no-record: ${norec[*]} (median $m_norec)"
echo "  ratio recording / no recording: $(awk -v a="$m_rec" -v b="$m_norec" 'BEGIN {printf "%.3f", a / b}')"
record "stress.record_reads_per_s" "$m_rec"
record "stress.norecord_reads_per_s" "$m_norec"

# ---------------------------------------------------------------- 8. peers
section "8. shapelog vs LevelDB, RocksDB, SQLite, as ratios to raw I/O (bench_peers)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -x "$build/bench/bench_peers" ]; then
  run "$build/bench/bench_peers" --entries "${PEER_ENTRIES:-1000000,10000000}"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
else
  echo "skipped: $build/bench/bench_peers was not built (configure with -DSHAPELOG_PEER_BENCH=ON)"
fi

# ---------------------------------------------------------------- 9. electric
section "9. shapelog electric over a 1 GiB shape log vs cat (bench_electric.sh)"
run bash "$root/bench/bench_electric.sh" "$build"

record "total.seconds" "$(( $(date +%s) - started ))"

# ---------------------------------------------------------------- summary
section "summary"
python3 "$root/bench/summary.py" "$results"
