#!/usr/bin/env bash
# One entry point for setting up, building, testing and benchmarking shapelog.
#   ./dev.sh main    install dependencies, build (Release), replay the seed race under every strategy
#   ./dev.sh test    install dependencies, build, run every test (ctest)
#   ./dev.sh asan    the test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./dev.sh tsan    the concurrency tests under ThreadSanitizer
#   ./dev.sh bench   build (Release) and run the benchmarks (see BENCHMARKS.md)
#   ./dev.sh deps    only install the Debian packages
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake ninja-build pkg-config python3 time valgrind
          libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev libxxhash-dev libboost-context-dev)

deps() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# build DIR [cmake options...]
build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

jobs=$(nproc)
case "${1:-}" in
  deps) deps ;;
  main)
    deps
    build build-release -DCMAKE_BUILD_TYPE=Release
    ./build-release/cli/shapelog replay testdata/traces/seed-race.json --strategy all
    echo
    ./build-release/cli/shapelog replay testdata/traces/seed-race.json --verify --quiet
    ;;
  test)
    deps
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    ctest --test-dir build -j "$jobs" --output-on-failure
    ;;
  asan)
    deps
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DSHAPELOG_ASAN=ON
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan -j "$jobs" --output-on-failure
    ;;
  tsan)
    deps
    build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHAPELOG_TSAN=ON
    ctest --test-dir build-tsan -j "$jobs" --output-on-failure -L concurrency
    ;;
  bench)
    deps
    build build-release -DCMAKE_BUILD_TYPE=Release
    bash bench/run.sh build-release
    ;;
  *)
    sed -n '2,9p' "$0"
    exit 2
    ;;
esac
