// The file-system interface of core. Every byte shapelog reads or writes goes through it:
// PosixFileSystem is the only code that calls the operating system, MemoryFileSystem lets
// replay and explore run thousands of schedules without touching the disk, and
// FaultyFileSystem wraps either one to inject failures.
//
// Paths are plain strings joined with '/'. Failures throw shapelog::Error: ErrorKind::Io for
// failed calls (message names the call, the path and strerror), ErrorKind::BadInput when
// the path itself is unusable (missing, not a directory, permission denied).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace shapelog {

// A file opened for appending. Owned by one writer; not thread-safe.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends all of data at the end of the file (a short write is retried or reported).
  virtual void append(std::span<const std::byte> data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual void sync() = 0;
  // Cuts the file to size bytes; size must not exceed the current size.
  virtual void truncate(uint64_t size) = 0;
  virtual uint64_t size() const = 0;
};

// Read-only bytes of a file mapped into memory; valid while this object lives.
class MappedBytes {
 public:
  virtual ~MappedBytes() = default;
  virtual std::span<const std::byte> bytes() const = 0;
};

// A file opened for reading at positions. Safe to use from one thread at a time; many
// ReadableFiles may read one file while a WritableFile appends to it.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to out.size() bytes at pos; returns how many were read (short only at the end
  // of the file).
  virtual size_t read_at(uint64_t pos, std::span<std::byte> out) const = 0;
  // The current size (it grows while a writer appends).
  virtual uint64_t size() const = 0;
  // Maps bytes [pos, pos+length) read-only, or returns nullptr where the file system does
  // not map files (the caller then uses read_at). Map only bytes no one will cut: a mapped
  // page whose file shrinks, or whose disk read fails, raises SIGBUS instead of an error.
  virtual std::unique_ptr<MappedBytes> map(uint64_t /*pos*/, size_t /*length*/) const {
    return nullptr;
  }
};

// A file mapped into memory, shared by every process (and thread) that maps the same path.
// The mapping lives as long as this object.
class SharedRegion {
 public:
  virtual ~SharedRegion() = default;
  virtual std::span<std::byte> bytes() = 0;
};

// An exclusive lock on a lock file, held until this object is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual std::unique_ptr<ReadableFile> open_read(const std::string& path) = 0;
  // Opens for appending, creating the file if it does not exist.
  virtual std::unique_ptr<WritableFile> open_append(const std::string& path) = 0;
  // Writes a whole new file with contents and syncs it (used for small files: headers,
  // copies of cut bytes). Replaces an existing file.
  virtual void write_file(const std::string& path, std::span<const std::byte> contents) = 0;

  virtual bool exists(const std::string& path) = 0;
  virtual bool is_directory(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory, sorted.
  virtual std::vector<std::string> list(const std::string& dir) = 0;
  virtual void create_directories(const std::string& path) = 0;
  // Atomically replaces `to` with `from`.
  virtual void rename(const std::string& from, const std::string& to) = 0;
  virtual void remove(const std::string& path) = 0;
  // Makes the directory's entries (creations, renames, removals) durable.
  virtual void sync_dir(const std::string& dir) = 0;
  // Checks that the directory can be written to; throws BadInput naming the path if not.
  virtual void check_writable(const std::string& dir) = 0;

  // Takes the exclusive lock on path (creating the file), waiting up to timeout. The holder
  // writes holder_note (pid and command) into the file so that a waiter that gives up can
  // name it: on timeout this throws ErrorKind::Busy with a message quoting the holder's note.
  virtual std::unique_ptr<FileLock> lock(const std::string& path, std::chrono::milliseconds timeout,
                                         const std::string& holder_note) = 0;

  // Maps path shared and read-write, creating it zero-filled if missing and growing it to
  // size bytes if shorter. Every mapping of one path sees the same bytes.
  virtual std::unique_ptr<SharedRegion> map_shared(const std::string& path, size_t size) = 0;
  // Maps the first size bytes of an existing file shared and read-only, for readers that
  // may not write to the log directory. Writing through the region is not allowed.
  virtual std::unique_ptr<SharedRegion> map_shared_read_only(const std::string& path,
                                                             size_t size) = 0;

  // An identifier of the current boot of the machine: it changes after a reboot (and, for
  // MemoryFileSystem, after simulate_crash()). Used to tell that a shared buffer did not
  // survive a reboot.
  virtual std::string boot_id() = 0;
};

inline std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace shapelog
