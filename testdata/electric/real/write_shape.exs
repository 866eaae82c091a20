# Writes a shape directory with Electric's own encoders: LogFile.write_log_file/3 (records,
# and through ChunkIndex.write_from_stream/4 and KeyIndex the chunk and key index), and
# :erlang.term_to_binary of real %LogOffset{} structs for the metadata, as write_metadata!/3.
alias Electric.Replication.LogOffset
alias Electric.ShapeCache.PureFileStorage.LogFile
[dir] = System.argv()
File.mkdir_p!(Path.join(dir, "log"))
File.mkdir_p!(Path.join(dir, "metadata"))
base = 4_294_968_296
items =
  for i <- 0..29 do
    tx = base + div(i, 3)
    op = rem(i, 3) * 2
    type = Enum.at([:insert, :update, :delete], rem(i, 3))
    key = ~s("public"."items"/"#{i}")
    json = ~s({"key":#{inspect(key)},"value":{"id":"#{i}","v":"#{String.duplicate("r", 150)}"},"headers":{"operation":"#{type}","lsn":"#{tx}","op_position":#{op}}})
    {LogOffset.new(tx, op), key, type, json}
  end
log = Path.join(dir, "log/log.latest.0.jsonfile.bin")
{_, chunk, key} = LogFile.write_log_file(items, log, 1000)
File.rename!(chunk, Path.join(dir, "log/log.latest.0.chunk.bin"))
File.rm!(key)
meta = fn name, value -> File.write!(Path.join(dir, "metadata/#{name}.bin"), :erlang.term_to_binary(value)) end
meta.("version", 1)
meta.("latest_name", "latest.0")
{last, _, _, _} = List.last(items)
meta.("last_persisted_txn_offset", last)
meta.("pg_snapshot", %{xmin: 100, xmax: 110, xip_list: [105], filter_txns?: false})
meta.("last_snapshot_chunk", LogOffset.new(0, 0))
meta.("compaction_started?", false)
File.write!(Path.join(dir, "metadata/snapshot_started?.bin"), "")
File.write!(Path.join(dir, "log/0.jsonsnapshot"), ~s({"id":"s1"},\n{"id":"s2"},\n) <> <<4>>)
