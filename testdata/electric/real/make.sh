#!/usr/bin/env bash
# Rewrites testdata/electric/real/shape with Electric's own encoders (elixir 1.14, Debian 12):
#   bash testdata/electric/real/make.sh ELECTRIC_CHECKOUT
# It compiles, from an electric-sql/electric checkout (these fixtures: commit dc07a1e), the
# real log_offset.ex, log_chunker.ex and pure_file_storage/{file_info,key_index,chunk_index,
# log_file}.ex beside stubs.ex (stand-ins for modules they only name), then runs
# write_shape.exs, which writes records through LogFile.write_log_file/3 and metadata through
# :erlang.term_to_binary of real %LogOffset{} structs. Elixir 1.14 does not know the pinned
# `binary-size(^n)` of newer Elixir; the copies drop the pin, which changes no behaviour.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bash $0 ELECTRIC_CHECKOUT" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
lib=$1/packages/sync-service/lib/electric
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in replication/log_offset.ex shape_cache/log_chunker.ex \
         shape_cache/pure_file_storage/{file_info,key_index,chunk_index,log_file}.ex; do
  sed 's/size(^/size(/g' "$lib/$f" >"$tmp/$(basename "$f")"
done
mkdir "$tmp/ebin"
(cd "$tmp" && elixirc -o ebin "$here/stubs.ex" log_offset.ex log_chunker.ex file_info.ex \
   key_index.ex chunk_index.ex log_file.ex >/dev/null 2>&1)
rm -rf "$here/shape"
elixir -pa "$tmp/ebin" "$here/write_shape.exs" "$here/shape"
