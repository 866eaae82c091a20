# Stand-ins for the Electric modules the real log_file.ex, chunk_index.ex, key_index.ex and
# log_offset.ex only name (none is called on the write path used here).
defprotocol Jason.Encoder do
  def encode(value, opts)
end
defmodule Jason.Encode do
  def string(s, _opts), do: s
end
defmodule Electric.Postgres.Lsn do
  defstruct [:segment, :offset]
  def to_integer(_), do: 0
  def from_integer(_), do: %__MODULE__{}
end
defmodule Electric.ShapeCache.Storage.Error do
  defexception [:message]
end
defmodule Electric.Utils do
  def stream_add_side_effect(stream, start_fun, reducer, last_fun \\ & &1, after_fun \\ & &1) do
    Stream.transform(stream, start_fun, fn elem, acc -> {[elem], reducer.(elem, acc)} end,
      fn acc -> {[], last_fun.(acc)} end, after_fun)
  end
end
defmodule Electric.ShapeCache.PureFileStorage do
  defstruct [:buffer_ets, :chunk_bytes_threshold, :shape_handle, :stack_id, :stack_ets, read_only?: false, snapshot_file_timeout: 5000, version: 1]
  def safely_open_file!(path, modes, fun), do: File.open!(path, modes, fun)
end
defmodule Electric.LogItems do
end
defmodule Electric.ShapeCache.PureFileStorage.ActionFile do
end
