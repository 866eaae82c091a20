#!/usr/bin/env bash
# cpack -G DEB builds a Debian package of what cmake --install installs, with the runtime
# dependencies declared, and the binary it holds runs from the extracted files.
#   $2: the build directory   $3: ON when the build made manual pages (help2man was found)
source "$(dirname "$0")/lib.sh" "$@"
BUILD=${2:?"usage: $0 SHAPELOG BUILD_DIR MAN_PAGES"}
MAN_PAGES=${3:-OFF}
BUILD=$(cd "$OLDPWD" && cd "$BUILD" && pwd)  # lib.sh moved to $TMP
command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null ||
  { echo "SKIP: dpkg-deb and dpkg-shlibdeps (dpkg-dev) are needed"; exit 77; }

step "cpack -G DEB"
expect_ok cpack -G DEB -B "$TMP/package" --config "$BUILD/CPackConfig.cmake"
debs=("$TMP"/package/shapelog_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one shapelog_*.deb, found: ${debs[*]}"
deb=${debs[0]}

step "dpkg-deb -I: the package and its runtime dependencies"
expect_ok dpkg-deb -I "$deb"
expect_stdout_contains " Package: shapelog"
expect_stdout_contains " Version: $("$SHAPELOG" --version | head -n 1 | cut -d' ' -f2)"
grep -E '^ Depends: ' "$OUT" >depends || fail "no Depends field"
for library in libc6 libstdc++6 libfmt9 libboost-context; do
  grep -qF "$library" depends || fail "Depends does not name $library: $(cat depends)"
done

step "dpkg-deb -c: the binary, every manual page, the completion scripts"
expect_ok dpkg-deb -c "$deb"
files=(./usr/bin/shapelog ./usr/share/bash-completion/completions/shapelog
       ./usr/share/zsh/vendor-completions/_shapelog ./usr/share/fish/vendor_completions.d/shapelog.fish)
[[ $MAN_PAGES == ON ]] && files+=(./usr/share/man/man1/shapelog.1 ./usr/share/man/man1/shapelog-replay.1)
for file in "${files[@]}"; do
  grep -qE " $file\$" "$OUT" || fail "the package does not hold $file"
done

step "dpkg-deb -x: the packaged binary runs and replays the seed race"
expect_ok dpkg-deb -x "$deb" root
expect_ok root/usr/bin/shapelog --version
expect_ok root/usr/bin/shapelog replay "$CLI_TEST_DIR/../../testdata/traces/seed-race.json" --verify --quiet
expect_stdout_contains "verify: ok"
if [[ $MAN_PAGES == ON ]]; then
  expect_ok man -l root/usr/share/man/man1/shapelog-replay.1
  expect_stdout_contains "shapelog-replay"
fi
