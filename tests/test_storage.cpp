#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "error_capture.h"
#include "shapelog/error.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/posix_file_system.h"
#include "storage/faulty_file_system.h"
#include "storage/temporary_directory.h"

using namespace shapelog;
using shapelog::testing::error_from;
using shapelog::testing::error_kind;
using namespace std::chrono_literals;

namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::string read_string(const ReadableFile& file, uint64_t pos, size_t size) {
  std::string out(size, '\0');
  out.resize(file.read_at(pos, std::as_writable_bytes(std::span(out))));
  return out;
}

// Runs the rest of the test case twice, through SUBCASEs: once on PosixFileSystem in a
// fresh temporary directory, once on MemoryFileSystem in "/log".
struct EachFileSystem {
  TemporaryDirectory temp{"storage"};
  PosixFileSystem posix;
  MemoryFileSystem memory;
  FileSystem* fs = nullptr;
  std::string root;

  EachFileSystem() {
    SUBCASE("posix") {
      fs = &posix;
      root = temp.path();
    }
    SUBCASE("memory") {
      fs = &memory;
      root = "/log";
      memory.create_directories(root);
    }
  }
  std::string path(const std::string& name) const { return join_path(root, name); }
};

}  // namespace

TEST_CASE("file system: append, size and read_at round trip, short reads at the end") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string path = each.path("00000001.seg");
  {
    auto writer = fs.open_append(path);
    CHECK(writer->size() == 0);
    writer->append(bytes_of("hello "));
    writer->append(bytes_of("world"));
    writer->sync();
    CHECK(writer->size() == 11);
  }
  auto reader = fs.open_read(path);
  CHECK(reader->size() == 11);
  CHECK(read_string(*reader, 0, 11) == "hello world");
  CHECK(read_string(*reader, 6, 100) == "world");
  CHECK(read_string(*reader, 11, 4).empty());
  CHECK(read_string(*reader, 50, 4).empty());

  // Reopening appends after what is there.
  auto writer = fs.open_append(path);
  CHECK(writer->size() == 11);
  writer->append(bytes_of("!"));
  CHECK(read_string(*reader, 0, 100) == "hello world!");
}

TEST_CASE("file system: a reader sees appends made after it opened") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  auto writer = fs.open_append(each.path("a"));
  writer->append(bytes_of("one"));
  auto reader = fs.open_read(each.path("a"));
  CHECK(reader->size() == 3);
  writer->append(bytes_of("two"));
  CHECK(reader->size() == 6);
  CHECK(read_string(*reader, 3, 3) == "two");
}

TEST_CASE("file system: truncate cuts the file") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  auto writer = fs.open_append(each.path("a"));
  writer->append(bytes_of("abcdef"));
  writer->truncate(2);
  CHECK(writer->size() == 2);
  writer->append(bytes_of("XY"));
  CHECK(read_string(*fs.open_read(each.path("a")), 0, 100) == "abXY");
  const auto error = error_from([&] { writer->truncate(10); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Internal);
}

TEST_CASE("file system: rename replaces, remove deletes, list is sorted") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  fs.write_file(each.path("b"), bytes_of("new"));
  fs.write_file(each.path("a"), bytes_of("old"));
  fs.create_directories(each.path("sub/deeper"));
  CHECK(fs.list(each.root) == std::vector<std::string>{"a", "b", "sub"});
  CHECK(fs.list(each.path("sub")) == std::vector<std::string>{"deeper"});
  CHECK(fs.is_directory(each.path("sub/deeper")));
  CHECK_FALSE(fs.is_directory(each.path("a")));

  fs.rename(each.path("b"), each.path("a"));
  fs.sync_dir(each.root);
  CHECK(fs.list(each.root) == std::vector<std::string>{"a", "sub"});
  CHECK(read_string(*fs.open_read(each.path("a")), 0, 100) == "new");

  fs.remove(each.path("a"));
  CHECK_FALSE(fs.exists(each.path("a")));
  CHECK(fs.exists(each.path("sub")));
  CHECK(fs.list(each.root) == std::vector<std::string>{"sub"});
  const auto error = error_from([&] { fs.remove(each.path("a")); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Io);
  CHECK(std::string(error->what()).find("(ENOENT)") != std::string::npos);
}

TEST_CASE("file system: write_file replaces the whole file and leaves no temporary") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  fs.write_file(each.path("header"), bytes_of("first version"));
  fs.write_file(each.path("header"), bytes_of("second"));
  CHECK(read_string(*fs.open_read(each.path("header")), 0, 100) == "second");
  CHECK(fs.list(each.root) == std::vector<std::string>{"header"});
}

TEST_CASE("file system: map_shared mappings of one path share their bytes") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string path = each.path("buffer");
  auto first = fs.map_shared(path, 4096);
  auto second = fs.map_shared(path, 4096);
  REQUIRE(first->bytes().size() == 4096);
  CHECK(first->bytes()[100] == std::byte{0});
  first->bytes()[100] = std::byte{42};
  CHECK(second->bytes()[100] == std::byte{42});

  auto* word = reinterpret_cast<std::atomic<uint64_t>*>(first->bytes().data());
  word->store(7);
  CHECK(reinterpret_cast<std::atomic<uint64_t>*>(second->bytes().data())->load() == 7);

  // A later mapping (after the others are gone) sees the same bytes and may grow them.
  first.reset();
  second.reset();
  auto grown = fs.map_shared(path, 8192);
  CHECK(grown->bytes().size() == 8192);
  CHECK(grown->bytes()[100] == std::byte{42});
  CHECK(grown->bytes()[8000] == std::byte{0});
}

TEST_CASE("file system: a read-only mapping sees the writer's bytes") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string path = each.path("buffer");
  CHECK_THROWS_AS(fs.map_shared_read_only(path, 4096), Error);
  auto writer = fs.map_shared(path, 4096);
  auto reader = fs.map_shared_read_only(path, 4096);
  REQUIRE(reader->bytes().size() == 4096);
  auto* word = reinterpret_cast<std::atomic<uint64_t>*>(writer->bytes().data() + 64);
  word->store(99, std::memory_order_release);
  CHECK(reinterpret_cast<std::atomic<uint64_t>*>(reader->bytes().data() + 64)
            ->load(std::memory_order_acquire) == 99);
  CHECK_THROWS_AS(fs.map_shared_read_only(path, 8192), Error);  // longer than the file
}

TEST_CASE("posix file system: map gives the bytes read_at gives, from any position") {
  TemporaryDirectory temp("storage");
  PosixFileSystem fs;
  const std::string path = join_path(temp.path(), "seg");
  std::string content;
  for (int i = 0; content.size() < 3 * 4096 + 100; ++i) content += fmt::format("{},", i);
  fs.open_append(path)->append(bytes_of(content));
  auto file = fs.open_read(path);
  // Page-aligned and not, within one page and across pages, up to the last byte.
  for (const auto& [pos, length] : std::vector<std::pair<uint64_t, size_t>>{
           {0, 10}, {1, 4096}, {4095, 2}, {4096, 4096}, {5000, content.size() - 5000}}) {
    CAPTURE(pos);
    auto mapped = file->map(pos, length);
    REQUIRE(mapped);
    const auto bytes = mapped->bytes();
    REQUIRE(bytes.size() == length);
    CHECK(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()) ==
          read_string(*file, pos, length));
  }
}

TEST_CASE("posix file system: a shared region's file has its disk space from the start") {
  // A write through the mapping into a hole that the disk has no room for would raise SIGBUS;
  // allocated up front, a full disk is an error when the region is mapped instead.
  TemporaryDirectory temp("storage");
  PosixFileSystem fs;
  const std::string path = join_path(temp.path(), "buffer");
  const size_t size = 1 << 20;
  auto region = fs.map_shared(path, size);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(static_cast<uint64_t>(st.st_size) == size);
  CHECK(static_cast<uint64_t>(st.st_blocks) * 512 >= size);
}

TEST_CASE("memory file system: files are not mapped, so readers use read_at") {
  MemoryFileSystem fs;
  fs.create_directories("/log");
  fs.open_append("/log/seg")->append(bytes_of("abc"));
  CHECK(fs.open_read("/log/seg")->map(0, 3) == nullptr);
}

TEST_CASE("file system: a second lock times out with Busy naming the holder") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string path = each.path("LOCK");
  auto held = fs.lock(path, 50ms, "pid 4242: shapelog append");

  const auto start = std::chrono::steady_clock::now();
  const auto error = error_from([&] { fs.lock(path, 50ms, "pid 5: shapelog flush"); });
  CHECK(std::chrono::steady_clock::now() - start >= 50ms);
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Busy);
  CHECK(std::string(error->what()).find("pid 4242: shapelog append") != std::string::npos);
  CHECK(std::string(error->what()).find("--lock-timeout") != std::string::npos);

  held.reset();
  auto retaken = fs.lock(path, 50ms, "pid 6");
  CHECK(retaken != nullptr);
  CHECK(read_string(*fs.open_read(path), 0, 100) == "pid 6");
}

TEST_CASE("file system: a waiting lock is granted when the holder lets go") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string path = each.path("LOCK");
  auto held = fs.lock(path, 50ms, "first");
  std::thread releaser([&] {
    std::this_thread::sleep_for(20ms);
    held.reset();
  });
  CHECK(fs.lock(path, 2s, "second") != nullptr);
  releaser.join();
}

TEST_CASE("file system: unusable paths are BadInput naming the path") {
  EachFileSystem each;
  FileSystem& fs = *each.fs;
  const std::string missing = each.path("missing");
  fs.write_file(each.path("plain"), bytes_of("x"));

  auto expect_bad_input = [](const std::optional<Error>& error, const std::string& path) {
    REQUIRE(error);
    CHECK(error->kind() == ErrorKind::BadInput);
    CHECK(std::string(error->what()).find("'" + path) != std::string::npos);
  };
  expect_bad_input(error_from([&] { fs.open_read(missing); }), missing);
  expect_bad_input(error_from([&] { fs.list(missing); }), missing);
  expect_bad_input(error_from([&] { fs.open_append(missing + "/00000001.seg"); }), missing);
  expect_bad_input(error_from([&] { fs.write_file(missing + "/header", bytes_of("x")); }), missing);
  expect_bad_input(error_from([&] { fs.lock(missing + "/LOCK", 10ms, "me"); }), missing);
  expect_bad_input(error_from([&] { fs.check_writable(missing); }), missing);
  expect_bad_input(error_from([&] { fs.check_writable(each.path("plain")); }), each.path("plain"));
  expect_bad_input(error_from([&] { fs.create_directories(each.path("plain/sub")); }),
                   each.path("plain"));
  CHECK_NOTHROW(fs.check_writable(each.root));
  CHECK_FALSE(fs.exists(missing));
  CHECK_FALSE(fs.exists(missing + "/deeper"));
}

TEST_CASE("posix file system: boot_id is stable within a boot") {
  PosixFileSystem fs;
  const std::string id = fs.boot_id();
  CHECK_FALSE(id.empty());
  CHECK(id.back() != '\n');
  CHECK(fs.boot_id() == id);
}

TEST_CASE("memory file system: a crash keeps exactly the synced prefix") {
  MemoryFileSystem fs;
  fs.create_directories("/log");
  auto writer = fs.open_append("/log/a");
  fs.sync_dir("/log");
  writer->append(bytes_of("durable"));
  writer->sync();
  writer->append(bytes_of(" lost"));
  CHECK(fs.synced_size("/log/a") == 7);
  CHECK(fs.read_all("/log/a") == "durable lost");

  fs.simulate_crash();
  CHECK(fs.read_all("/log/a") == "durable");
  CHECK(fs.open_append("/log/a")->size() == 7);
}

TEST_CASE("memory file system: a crash reverts directory changes that were not synced") {
  MemoryFileSystem fs;
  fs.create_directories("/log");
  fs.write_file("/log/kept", bytes_of("kept"));  // syncs /log
  fs.write_file("/log/moved", bytes_of("moved"));
  fs.write_file("/log/removed", bytes_of("removed"));

  auto created = fs.open_append("/log/created");
  created->append(bytes_of("data"));
  created->sync();  // contents synced, but the entry is not
  fs.rename("/log/moved", "/log/target");
  fs.remove("/log/removed");
  CHECK(fs.list("/log") == std::vector<std::string>{"created", "kept", "target"});

  fs.simulate_crash();
  CHECK(fs.list("/log") == std::vector<std::string>{"kept", "moved", "removed"});
  CHECK(fs.read_all("/log/moved") == "moved");
  CHECK(fs.read_all("/log/removed") == "removed");
  CHECK(fs.is_directory("/log"));

  fs.rename("/log/moved", "/log/target");
  fs.sync_dir("/log");
  fs.simulate_crash();
  CHECK(fs.list("/log") == std::vector<std::string>{"kept", "removed", "target"});
}

TEST_CASE("memory file system: a crash changes boot_id, frees locks, keeps regions") {
  MemoryFileSystem fs;
  fs.create_directories("/log");
  fs.create_directories("/shm");
  const std::string boot = fs.boot_id();
  auto lock = fs.lock("/log/LOCK", 10ms, "crashed writer");
  auto region = fs.map_shared("/shm/buffer", 256);
  CHECK(reinterpret_cast<uintptr_t>(region->bytes().data()) % 64 == 0);
  region->bytes()[3] = std::byte{9};

  fs.simulate_crash();
  CHECK(fs.boot_id() != boot);
  auto relocked = fs.lock("/log/LOCK", 10ms, "restarted writer");
  lock.reset();  // releasing the pre-crash lock must not release the new holder's
  CHECK(error_kind([&] { fs.lock("/log/LOCK", 10ms, "third"); }) == ErrorKind::Busy);

  auto after = fs.map_shared("/shm/buffer", 256);
  CHECK(after->bytes().data() == region->bytes().data());
  CHECK(after->bytes()[3] == std::byte{9});
  const auto error = error_from([&] { fs.map_shared("/shm/buffer", 512); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Internal);
}

TEST_CASE("memory file system: helpers damage files") {
  MemoryFileSystem fs;
  fs.write_file("/seg", bytes_of("abcdef"));
  fs.corrupt("/seg", 1, std::byte{0x20});
  CHECK(fs.read_all("/seg") == "aBcdef");
  fs.truncate_file("/seg", 3);
  CHECK(fs.read_all("/seg") == "aBc");
  fs.truncate_file("/seg", 5);
  CHECK(fs.read_all("/seg") == std::string("aBc\0\0", 5));
  fs.simulate_crash();
  CHECK(fs.read_all("/seg") == std::string("aBc\0\0", 5));
  CHECK(error_kind([&] { fs.corrupt("/seg", 5, std::byte{1}); }) == ErrorKind::Internal);
}

TEST_CASE("memory file system: a reader thread follows a writer thread") {
  MemoryFileSystem fs;
  auto writer = fs.open_append("/a");
  auto reader = fs.open_read("/a");
  constexpr int kAppends = 200;
  std::thread writing([&] {
    for (int i = 0; i < kAppends; ++i) writer->append(bytes_of("x"));
  });
  // Checked after the loop, so that a spinning reader does not pile up assertions.
  uint64_t seen = 0;
  bool grew_only = true;
  bool read_all_x = true;
  while (seen < kAppends) {
    const uint64_t size = reader->size();
    grew_only = grew_only && size >= seen;
    read_all_x =
        read_all_x && read_string(*reader, seen, size - seen) == std::string(size - seen, 'x');
    seen = size;
  }
  CHECK(grew_only);
  CHECK(read_all_x);
  writing.join();
}

TEST_CASE("faulty file system: the nth append fails with ENOSPC") {
  MemoryFileSystem memory;
  FaultyFileSystem fs(memory);
  auto writer = fs.open_append("/seg");
  writer->append(bytes_of("before "));
  fs.add_fault({.call = FsCall::Append, .nth = 2, .error = ENOSPC});
  writer->append(bytes_of("one "));
  const auto error = error_from([&] { writer->append(bytes_of("two")); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Io);
  CHECK(std::string(error->what()) ==
        "append to '/seg': No space left on device (ENOSPC, injected)");
  CHECK(memory.read_all("/seg") == "before one ");
  writer->append(bytes_of("three"));  // not sticky: the next append goes through
  CHECK(memory.read_all("/seg") == "before one three");
}

TEST_CASE("faulty file system: a torn append writes exactly torn_bytes") {
  MemoryFileSystem memory;
  FaultyFileSystem fs(memory);
  auto writer = fs.open_append("/seg");
  fs.add_fault({.call = FsCall::Append, .nth = 1, .error = EIO, .torn_bytes = 3});
  const auto error = error_from([&] { writer->append(bytes_of("abcdef")); });
  REQUIRE(error);
  CHECK(std::string(error->what()).find("(EIO, injected)") != std::string::npos);
  CHECK(memory.read_all("/seg") == "abc");
  CHECK(writer->size() == 3);
}

TEST_CASE("faulty file system: sticky faults keep failing until cleared") {
  MemoryFileSystem memory;
  FaultyFileSystem fs(memory);
  auto writer = fs.open_append("/seg");
  fs.add_fault({.call = FsCall::Sync, .nth = 2, .error = EIO, .sticky = true});
  CHECK_NOTHROW(writer->sync());
  for (int i = 0; i < 3; ++i) CHECK(error_kind([&] { writer->sync(); }) == ErrorKind::Io);
  CHECK_NOTHROW(writer->append(bytes_of("appends still work")));
  fs.clear_faults();
  CHECK_NOTHROW(writer->sync());

  fs.add_fault({.call = FsCall::Rename, .nth = 1, .error = ENOSPC, .sticky = true});
  fs.write_file("/a", bytes_of("a"));
  const auto error = error_from([&] { fs.rename("/a", "/b"); });
  REQUIRE(error);
  CHECK(std::string(error->what()) ==
        "rename '/a' to '/b': No space left on device (ENOSPC, injected)");
  CHECK(memory.exists("/a"));
}

TEST_CASE("faulty file system: counts calls per kind, failed ones included") {
  MemoryFileSystem memory;
  FaultyFileSystem fs(memory);
  fs.create_directories("/log");
  auto writer = fs.open_append("/log/seg");
  writer->append(bytes_of("a"));
  writer->append(bytes_of("b"));
  writer->sync();
  writer->truncate(1);
  fs.write_file("/log/h", bytes_of("h"));
  fs.rename("/log/h", "/log/i");
  fs.remove("/log/i");
  fs.sync_dir("/log");
  fs.map_shared("/log/buffer", 64);
  fs.add_fault({.call = FsCall::SyncDir, .nth = 1, .error = EIO});
  CHECK(error_kind([&] { fs.sync_dir("/log"); }) == ErrorKind::Io);

  CHECK(fs.calls(FsCall::CreateDirectories) == 1);
  CHECK(fs.calls(FsCall::OpenAppend) == 1);
  CHECK(fs.calls(FsCall::Append) == 2);
  CHECK(fs.calls(FsCall::Sync) == 1);
  CHECK(fs.calls(FsCall::Truncate) == 1);
  CHECK(fs.calls(FsCall::WriteFile) == 1);
  CHECK(fs.calls(FsCall::Rename) == 1);
  CHECK(fs.calls(FsCall::Remove) == 1);
  CHECK(fs.calls(FsCall::SyncDir) == 2);
  CHECK(fs.calls(FsCall::MapShared) == 1);
  CHECK(memory.read_all("/log/seg") == "a");
}

TEST_CASE("posix file system: a failed call names the call, the path and the errno") {
  PosixFileSystem fs;
  if (!fs.exists("/dev/full")) return;  // writes to /dev/full fail with ENOSPC
  auto writer = fs.open_append("/dev/full");
  const auto error = error_from([&] { writer->append(bytes_of("x")); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Io);
  CHECK(std::string(error->what()) ==
        "append to '/dev/full': No space left on device (ENOSPC); free some space, or choose a "
        "path on another file system");
}

TEST_CASE("posix file system: a directory without write permission is BadInput") {
  if (::geteuid() == 0) return;  // root may write anywhere
  TemporaryDirectory temp("storage");
  PosixFileSystem fs;
  const std::string dir = join_path(temp.path(), "read-only");
  fs.create_directories(dir);
  std::filesystem::permissions(
      dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const auto error = error_from([&] { fs.check_writable(dir); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::BadInput);
  CHECK(std::string(error->what()) ==
        fmt::format("cannot write to log directory '{}': Permission denied (EACCES); choose a "
                    "writable directory with --dir",
                    dir));
  CHECK(error_kind([&] { fs.open_append(join_path(dir, "seg")); }) == ErrorKind::BadInput);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
}
