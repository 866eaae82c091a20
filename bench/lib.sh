# Timing helpers shared by the benchmark scripts (bench/run.sh, bench/bench_electric.sh):
#   . "$(dirname "$0")/lib.sh"

# now_ns: monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# median VALUES...: the median of numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

# time_ms COMMAND...: wall time of one run in milliseconds (stdout discarded).
time_ms() {
  local t0 t1
  t0=$(now_ns)
  "$@" >/dev/null
  t1=$(now_ns)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e6}'
}

# median_of N COMMAND...: the median wall time of N runs, in ms.
median_of() {
  local n=$1
  shift
  local times=() i
  for ((i = 0; i < n; i++)); do times+=("$(time_ms "$@")"); done
  median "${times[@]}"
}
