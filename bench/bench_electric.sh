#!/usr/bin/env bash
# shapelog electric over a 1 GiB Electric shape log (written by tests/electric/make_shape.py:
# ~1 KiB records, 10 MiB chunks as Electric's default threshold cuts them), warm cache:
#   electric read --format raw   vs  cat FILE > /dev/null   (target >= 0.5x its throughput)
#   electric check (JSON valid.)  vs  cat                   (target >= 0.25x)
#   electric read --from near the end, with the chunk index (target <= 10 ms) and without
#   bash bench/bench_electric.sh BUILD_DIR     (a Release build; ELECTRIC_RECORDS to resize)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bash bench/bench_electric.sh BUILD_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
shapelog=$(cd "$1" && pwd)/cli/shapelog
[ -x "$shapelog" ] || { echo "missing $shapelog: build $1 first" >&2; exit 2; }
records=${ELECTRIC_RECORDS:-1000000}
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/shapelog-bench-electric-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
shape=$tmp/shape

. "$root/bench/lib.sh"  # median_of, time_ms

python3 "$root/tests/electric/make_shape.py" "$shape" --records "$records" --json-bytes 1050 \
  --chunk-bytes $((10 * 1024 * 1024)) --snapshot-chunks 0 >/dev/null
log=$shape/log/log.latest.0.jsonfile.bin
bytes=$(stat -c %s "$log")
echo "log: $bytes bytes, $records records, $(( $(stat -c %s "$shape/log/log.latest.0.chunk.bin") / 64 )) chunks"
cat "$log" >/dev/null  # warm the cache
"$shapelog" electric check "$shape" >/dev/null || { echo "the generated shape does not check clean" >&2; exit 1; }

cat_ms=$(median_of 5 cat "$log")
raw_ms=$(median_of 5 "$shapelog" electric read --format raw "$shape")
check_ms=$(median_of 3 "$shapelog" electric check "$shape")
check_nojson_ms=$(median_of 3 "$shapelog" electric check --no-json-check "$shape")
jsonl_ms=$(median_of 3 "$shapelog" electric read "$shape")
# Near the end: the 10th record from the end, by its offset (three ops per transaction).
i=$((records - 10))
from="$((4294968296 + i / 3))_$(( (i % 3) * 2 ))"
from_ms=$(median_of 9 "$shapelog" electric read --from "$from" --limit 1 "$shape")
from_scan_ms=$(median_of 3 "$shapelog" electric read --from "$from" --limit 1 --no-index "$shape")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mibs() { awk -v b="$bytes" -v ms="$1" 'BEGIN {printf "%.0f", b / 1048576 / (ms / 1000)}'; }
echo "cat FILE > /dev/null:            $cat_ms ms ($(mibs "$cat_ms") MiB/s)"
echo "electric read --format raw:      $raw_ms ms ($(mibs "$raw_ms") MiB/s), $(ratio "$cat_ms" "$raw_ms")x cat (target >= 0.5x)"
echo "electric check (JSON validated): $check_ms ms ($(mibs "$check_ms") MiB/s), $(ratio "$cat_ms" "$check_ms")x cat (target >= 0.25x)"
echo "electric check --no-json-check:  $check_nojson_ms ms, $(ratio "$cat_ms" "$check_nojson_ms")x cat"
echo "electric read (jsonl):           $jsonl_ms ms, $(ratio "$cat_ms" "$jsonl_ms")x cat"
echo "electric read --from $from --limit 1: $from_ms ms with the index (target <= 10 ms), $from_scan_ms ms with --no-index"
echo "RESULT electric.cat_ms $cat_ms"
echo "RESULT electric.read_raw_ms $raw_ms"
echo "RESULT electric.read_raw_vs_cat $(ratio "$cat_ms" "$raw_ms")"
echo "RESULT electric.check_ms $check_ms"
echo "RESULT electric.check_vs_cat $(ratio "$cat_ms" "$check_ms")"
echo "RESULT electric.read_from_index_ms $from_ms"
echo "RESULT electric.read_from_scan_ms $from_scan_ms"
