// A fresh directory under $TMPDIR (or /tmp), removed with everything in it: where replay and
// stress keep a real log for one run, and where tests put real files.
#pragma once

#include <string>
#include <string_view>

namespace shapelog {

class TemporaryDirectory {
 public:
  // Creates shapelog-PURPOSE-XXXXXX (mkdtemp); throws an Io error when it cannot.
  explicit TemporaryDirectory(std::string_view purpose);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace shapelog
