#!/usr/bin/env bash
# One entry point for setting up, building, testing and benchmarking shapelog.
#   ./dev.sh main        install dependencies, build (Release), replay the seed race under every strategy
#   ./dev.sh test        install dependencies, build, run every test (ctest)
#   ./dev.sh asan        the test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./dev.sh tsan        the concurrency tests under ThreadSanitizer
#   ./dev.sh bench       build (Release) and run the benchmarks (see BENCHMARKS.md)
#   ./dev.sh format      apply .clang-format to every C++ file
#   ./dev.sh format-check  fail, naming the files, when a C++ file is not formatted (CI runs it)
#   ./dev.sh deps        only install the Debian packages
#   ./dev.sh seed [BIN]  only the replay main ends with (BIN: build-release/cli/shapelog)
# Installing packages and building each print one line; their output goes to a log file,
# shown (its end, and its path) only when the step fails.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake ninja-build pkg-config python3 time valgrind help2man man-db
          libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev libxxhash-dev libboost-context-dev
          libsimdjson-dev)
# Only the test commands need these: the quick start's main job should not wait for a browser.
test_packages=(chromium)  # tests/cli/test_html.sh loads the HTML timeline headless
# Only the benchmarks need these: bench_peers compares shapelog with LevelDB, RocksDB, SQLite.
bench_packages=(libleveldb-dev librocksdb-dev libsqlite3-dev)
# The formatter is pinned to Debian 12's version: another version formats some lines otherwise.
format_packages=(clang-format-14)

# quietly WHAT COMMAND...: runs COMMAND with stdout and stderr in a log file, and shows one
# line: WHAT, then "done" or "FAILED". On a terminal the line also shows the latest "[n/N]"
# that the command printed (ninja's progress), so a long build does not look stuck.
quietly() {
  local what=$1 started=$SECONDS log status=0 clear=""
  shift
  [ -t 1 ] && clear=$'\033[K'  # erases the rest of the progress line
  log=$(mktemp "${TMPDIR:-/tmp}/shapelog-dev.XXXXXX.log")
  printf '%s ...' "$what"
  "$@" 2>&1 | tee "$log" | show_progress "$what" || status=$?
  [ -n "$clear" ] && printf '\r%s ...' "$what"
  if [ $status -eq 0 ]; then
    printf ' done (%d s)%s\n' $((SECONDS - started)) "$clear"
    rm -f "$log"
    return 0
  fi
  printf ' FAILED%s\n' "$clear"
  echo "---- the last 30 lines of its output:" >&2
  tail -n 30 "$log" >&2
  echo "---- the full output is in $log" >&2
  return $status
}

show_progress() {
  local line
  if [ ! -t 1 ]; then
    cat >/dev/null
    return
  fi
  while IFS= read -r line; do
    [[ $line =~ ^(\[[0-9]+/[0-9]+\]) ]] && printf '\r%s ... %s' "$1" "${BASH_REMATCH[1]}"
  done
  return 0
}

# deps [EXTRA...]: installs what is missing of the packages and EXTRA.
deps() {
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  quietly "installing ${#missing[@]} Debian package$([ ${#missing[@]} -eq 1 ] || echo s)" \
    $sudo env DEBIAN_FRONTEND=noninteractive \
    bash -c 'apt-get update && apt-get install -y "$@"' apt "${missing[@]}"
}

# build DIR TARGET [cmake options...]   (TARGET all: everything)
build() {
  local dir=$1 target=$2
  shift 2
  quietly "building $dir" \
    bash -c 'cmake -S . -B "$1" -G Ninja "${@:3}" && cmake --build "$1" -j "$(nproc)" --target "$2"' \
    cmake "$dir" "$target" "$@"
}

# The quick start's result: every strategy's timeline and outcome, the table, and whether
# each outcome is the one the trace expects (exit 0), or not (exit 1).
seed() {
  local bin=${1:-build-release/cli/shapelog}
  "$bin" replay testdata/traces/seed-race.json --verify
}

# format [--check]: clang-format on every tracked C++ file; with --check, changes nothing and
# fails naming each file that would change.
format() {
  local files
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
  if [ "${1:-}" != --check ]; then
    clang-format-14 -i "${files[@]}"
    return
  fi
  local bad=()
  for f in "${files[@]}"; do
    # Compares the output, not --dry-run -Werror: version 14 reports an unchanged
    # "}  // TEST_SUITE(...)" comment as a violation.
    clang-format-14 "$f" | cmp -s - "$f" || bad+=("$f")
  done
  [ ${#bad[@]} -eq 0 ] && return 0
  echo "not formatted (run ./dev.sh format): ${bad[*]}" >&2
  return 1
}

# The whole command is one function, called on the last line: bash has then read all of
# this file before it runs anything, so a git pull that rewrites it during a build cannot
# make the running script execute a mix of old and new lines.
run() {
  local jobs
  jobs=$(nproc)
  case "${1:-}" in
    deps) deps "${test_packages[@]}" "${bench_packages[@]}" "${format_packages[@]}" ;;
    format)
      deps "${format_packages[@]}"
      format
      ;;
    format-check)
      deps "${format_packages[@]}"
      format --check
      ;;
    main)
      deps
      # Only the binary (and its manual pages): the tests and benchmarks are most of a build.
      build build-release shapelog_docs -DCMAKE_BUILD_TYPE=Release
      seed
      ;;
    seed) seed "${2:-}" ;;
    test)
      deps "${test_packages[@]}"
      build build all -DCMAKE_BUILD_TYPE=RelWithDebInfo
      ctest --test-dir build -j "$jobs" --output-on-failure
      ;;
    asan)
      deps "${test_packages[@]}"
      build build-asan all -DCMAKE_BUILD_TYPE=Debug -DSHAPELOG_ASAN=ON
      ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan -j "$jobs" --output-on-failure
      ;;
    tsan)
      deps
      build build-tsan all -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHAPELOG_TSAN=ON
      ctest --test-dir build-tsan -j "$jobs" --output-on-failure -L concurrency
      ;;
    bench)
      deps "${bench_packages[@]}"
      build build-release all -DCMAKE_BUILD_TYPE=Release -DSHAPELOG_PEER_BENCH=ON
      bash bench/run.sh build-release
      ;;
    *)
      sed -n '2,13p' "$0"
      exit 2
      ;;
  esac
}

run "$@"; exit
