// Pieces shared by the FileSystem implementations, so that PosixFileSystem,
// MemoryFileSystem and FaultyFileSystem word the same failure the same way.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::fs_detail {

// "ENOSPC"
inline std::string errno_name(int err) {
  const char* name = strerrorname_np(err);
  return name ? name : fmt::format("errno {}", err);
}

// "No space left on device"
inline std::string errno_description(int err) {
  const char* description = strerrordesc_np(err);
  return description ? description : "Unknown error";
}

// "No space left on device (ENOSPC)"
inline std::string errno_text(int err) {
  return fmt::format("{} ({})", errno_description(err), errno_name(err));
}

// What a user can do about a failed call on a path they chose, by errno; empty when there is
// nothing better to say than the reason itself.
inline std::string_view remedy_for(int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT: return "free some space, or choose a path on another file system";
    case EISDIR: return "give the path of a file, not of a directory";
    case ENOENT: return "create its directory first, or choose another path";
    case ENOTDIR: return "a part of the path that should be a directory is a file: fix the path";
    case ELOOP:
      return "the path has a symbolic link loop (or a link where none is allowed): fix it";
    case EACCES:
    case EPERM: return "you lack the permission: choose a path you may write, or change its mode";
    case EROFS: return "the file system is read-only: choose a path on a writable one";
    case ENAMETOOLONG: return "shorten the path";
    case EIO: return "the disk failed: check it (dmesg) before trusting anything on it";
    default: return "";
  }
}

// "; free some space, ..." or nothing.
inline std::string remedy_suffix(int err) {
  std::string_view remedy = remedy_for(err);
  return remedy.empty() ? "" : fmt::format("; {}", remedy);
}

// A failed call: "append to '/x/00000001.seg': No space left on device (ENOSPC); free ...".
[[noreturn]] inline void throw_io(std::string_view what, const std::string& path, int err) {
  throw Error(ErrorKind::Io,
              fmt::format("{} '{}': {}{}", what, path, errno_text(err), remedy_suffix(err)));
}

// What the caller wanted to do with a path it cannot use; decides the advice in the message.
enum class Access { Read, Write };

// The errors that mean the path itself is unusable (missing, not a directory, no
// permission), which the user fixes by pointing shapelog elsewhere.
inline bool is_unusable_path(int err) {
  return err == ENOENT || err == ENOTDIR || err == EACCES || err == EPERM || err == EROFS ||
         err == ELOOP || err == EISDIR || err == ENAMETOOLONG;
}

[[noreturn]] inline void throw_unusable_path(Access access, const std::string& path, int err) {
  // ENOENT and EACCES say enough with the advice below; the others need their own.
  const std::string why = err == ENOENT || err == EACCES ? "" : remedy_suffix(err);
  if (access == Access::Read)
    throw_bad_input(fmt::format("cannot read '{}': {}{}; check the log directory given with --dir",
                                path, errno_text(err), why));
  throw_bad_input(fmt::format("cannot write to '{}': {}{}; choose a writable directory with --dir",
                              path, errno_text(err), why));
}

// For a failed open, create or mkdir: BadInput if the path is unusable, Io otherwise.
[[noreturn]] inline void throw_open_failed(Access access, std::string_view what,
                                           const std::string& path, int err) {
  if (is_unusable_path(err)) throw_unusable_path(access, path, err);
  throw_io(what, path, err);
}

[[noreturn]] inline void throw_not_writable(const std::string& dir, int err) {
  throw_bad_input(
      fmt::format("cannot write to log directory '{}': {}; choose a writable directory with --dir",
                  dir, errno_text(err)));
}

[[noreturn]] inline void throw_locked(const std::string& holder_note,
                                      std::chrono::milliseconds waited) {
  throw Error(ErrorKind::Busy,
              fmt::format("log is locked by another writer ({}); waited {} ms; retry later or "
                          "raise --lock-timeout",
                          holder_note.empty() ? "holder unknown" : holder_note, waited.count()));
}

// "/a/b" -> "/a", "/a" -> "/", "a" -> ".".
inline std::string_view parent_view(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

inline std::string parent_dir(const std::string& path) { return std::string(parent_view(path)); }

}  // namespace shapelog::fs_detail
