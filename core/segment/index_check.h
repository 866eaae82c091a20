// Checks the claims of offset index entries against the segments, so that nothing starts a
// scan from an index entry the records do not back (a stale index, another log's index, an
// entry damaged in a way its checksum missed). Used by the reader before every lookup it
// follows, and by the writer before it keeps an index.
//
// What is checked is what any damage short of a deliberate, consistent rewrite breaks: the
// first entry names the log's first record as entry 0; a used entry names an intact record
// that starts at its segment and byte position and carries its offset; and where a count
// depends on it, the records between the entry before it and the entry are exactly as many
// as their ordinals say. `check` compares every entry with a full scan.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "shapelog/file_system.h"

namespace shapelog {

class IndexCheck {
 public:
  // segments: the log's segments, listed after the entries to check were read (a writer
  // creates a segment before it indexes it, so every segment an honest entry names is there).
  IndexCheck(FileSystem& fs, std::string dir, std::vector<SegmentFile> segments);

  // Each returns what is wrong, for a message ("index entry 3 says ..."), or nullopt.
  // `number` is the entry's place in the index.
  std::optional<std::string> first_entry_problem(const IndexEntry& first) const;
  std::optional<std::string> record_problem(uint64_t number, const IndexEntry& entry) const;
  // previous is entry number - 1.
  std::optional<std::string> link_problem(uint64_t number, const IndexEntry& previous,
                                          const IndexEntry& entry) const;

 private:
  const SegmentFile* segment(uint64_t number) const;

  FileSystem& fs_;
  std::string dir_;
  std::vector<SegmentFile> segments_;
};

}  // namespace shapelog
