#!/usr/bin/env bash
# cmake --install puts what a user of the tool needs where their system looks for it: the
# binary, a manual page for shapelog and one per subcommand that `man` renders, and bash, zsh
# and fish completion that completes subcommands and --strategy values.
#   $2: the build directory   $3: ON when the build made manual pages (help2man was found)
source "$(dirname "$0")/lib.sh" "$@"
BUILD=${2:?"usage: $0 SHAPELOG BUILD_DIR MAN_PAGES"}
BUILD=$(cd "$OLDPWD" && cd "$BUILD" && pwd)  # lib.sh moved to $TMP
MAN_PAGES=${3:-OFF}

step "cmake --install into a temporary prefix, and with DESTDIR"
expect_ok cmake --install "$BUILD" --prefix "$TMP/prefix"
P=$TMP/prefix
expect_ok env DESTDIR="$TMP/stage" cmake --install "$BUILD" --prefix /usr
[[ -x $TMP/stage/usr/bin/shapelog ]] || fail "DESTDIR install has no usr/bin/shapelog"
[[ -f $TMP/stage/usr/share/zsh/vendor-completions/_shapelog ]] ||
  fail "prefix /usr: zsh completion is not in Debian's vendor-completions"

step "the installed binary runs"
expect_ok "$P/bin/shapelog" --version
head -n 1 "$OUT" | grep -qE '^shapelog [0-9]+\.[0-9]+\.[0-9]+$' || fail "no version line"

commands=$("$P/bin/shapelog" --help | sed -n '/^Subcommands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ')
[[ $commands == *replay* && $commands == *completion* ]] || fail "subcommands not found in --help"

step "manual pages: shapelog.1 and one per subcommand, each renders"
if [[ $MAN_PAGES == ON ]]; then
  command -v man >/dev/null || fail "man is needed (apt-get install man-db)"
  for page in shapelog $(printf 'shapelog-%s ' $commands); do
    file=$P/share/man/man1/$page.1
    [[ -f $file ]] || fail "no manual page $file"
    LAST_CMD="man -l $file"
    MANWIDTH=80 man -l "$file" >"$OUT" 2>"$ERR" || fail "man -l failed on $page.1"
    grep -q "^NAME" "$OUT" || fail "$page.1 renders without a NAME section"
    grep -qE "^ +$page +- " "$OUT" || fail "$page.1's NAME is not '$page - ...'"
    [[ ! -s $ERR ]] || fail "man -l $page.1 warned"
  done
  grep -qF -- "--strategy" <(MANWIDTH=80 man -l "$P/share/man/man1/shapelog-replay.1") ||
    fail "shapelog-replay.1 does not list --strategy"
  MANPATH=$P/share/man man -w shapelog-replay >/dev/null || fail "man does not find shapelog-replay in the prefix"
else
  echo "(no manual pages in this build: help2man was not found)"
fi

step "bash completion: the installed file and 'completion bash' complete the same"
bash_file=$P/share/bash-completion/completions/shapelog
[[ -f $bash_file ]] || fail "no $bash_file"
cmp -s "$bash_file" <("$P/bin/shapelog" completion bash) || fail "the installed script is not 'completion bash'"
# complete_words SCRIPT WORD...: what bash offers for the last WORD.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _shapelog; echo "${COMPREPLY[*]}"' \
    complete "$@"
}
LAST_CMD="source <(shapelog completion bash); complete -p shapelog"
bash -c "source <('$P/bin/shapelog' completion bash); complete -p shapelog" | grep -qx "complete -F _shapelog shapelog" ||
  fail "sourcing 'completion bash' registers no completion for shapelog"
[[ $(complete_words "$bash_file" shapelog "") == "$(echo $commands)" ]] ||
  fail "shapelog <TAB> offers '$(complete_words "$bash_file" shapelog "")', not every subcommand"
[[ $(complete_words "$bash_file" shapelog re) == "read replay" ]] || fail "shapelog re<TAB>"
[[ $(complete_words "$bash_file" shapelog replay --strategy "") == "naive recheck fallback generation all" ]] ||
  fail "replay --strategy <TAB> offers '$(complete_words "$bash_file" shapelog replay --strategy "")'"
[[ $(complete_words "$bash_file" shapelog --dir /x read --strategy g) == "generation" ]] ||
  fail "read --strategy g<TAB> after --dir"
[[ $(complete_words "$bash_file" shapelog read --str) == "--strategy" ]] || fail "read --str<TAB>"
[[ $(complete_words "$bash_file" shapelog replay --color "") == "auto always never" ]] ||
  fail "replay --color <TAB>: the global options' values after the command"
touch "$TMP/my trace.json"
[[ $(cd "$TMP" && complete_words "$bash_file" shapelog replay "my") == "my trace.json" ]] ||
  fail "replay <TAB> does not complete a trace file name with a space"

step "zsh and fish completion: installed, and valid for the shells that are here"
zsh_file=$P/share/zsh/site-functions/_shapelog
fish_file=$P/share/fish/vendor_completions.d/shapelog.fish
[[ -f $zsh_file && -f $fish_file ]] || fail "no zsh or fish completion in the prefix"
head -n 1 "$zsh_file" | grep -qx "#compdef shapelog" || fail "$zsh_file does not start with #compdef"
if command -v zsh >/dev/null; then
  zsh -n "$zsh_file" || fail "zsh -n $zsh_file"
  zsh -fc 'autoload -U compinit; compinit -u -D; source "$1"; [[ $_comps[shapelog] == _shapelog ]]' \
    zsh "$zsh_file" || fail "sourcing $zsh_file registers no completion for shapelog"
fi
if command -v fish >/dev/null; then
  fish -n "$fish_file" || fail "fish -n $fish_file"
  offered=$(fish --no-config -c "source '$fish_file'; complete -C 'shapelog replay --strategy '" | cut -f1 | sort | paste -sd' ')
  [[ $offered == "all fallback generation naive recheck" ]] || fail "fish offers '$offered' for --strategy"
fi

step "completion for a shell it does not know: exit 2, naming the shells it knows"
expect_exit 2 shapelog completion tcsh
expect_stderr_contains "tcsh" "bash"
