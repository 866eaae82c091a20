#include "segment/log_checker.h"

#include <algorithm>

#include <fmt/format.h>

#include "segment/disk_log_writer.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "segment/record_format.h"
#include "segment/segment_scanner.h"

namespace shapelog {

std::string_view problem_kind_name(CheckProblem::Kind kind) {
  switch (kind) {
    case CheckProblem::Kind::TornTail: return "torn_tail";
    case CheckProblem::Kind::Damage: return "damage";
    case CheckProblem::Kind::Index: return "index";
    case CheckProblem::Kind::UnknownFile: return "unknown_file";
  }
  return "damage";
}

size_t CheckReport::damage_count() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(), [](const auto& p) {
    return p.kind != CheckProblem::Kind::UnknownFile;
  }));
}

bool CheckReport::has_unrepairable_damage() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const CheckProblem& p) { return p.kind == CheckProblem::Kind::Damage; });
}

namespace {

bool is_known_file(const std::string& name) {
  return name == format::kHeaderFileName || name == format::kIndexFileName ||
         name == format::kBufferFileName || name == format::kLockFileName ||
         name.starts_with(format::kCutFilePrefix) || parse_segment_file_name(name).has_value();
}

// Walks the index entries alongside the scan of the segments: each must name a record
// start, with that record's offset and ordinal.
class IndexVerifier {
 public:
  IndexVerifier(std::vector<IndexEntry> entries, CheckReport& report)
      : entries_(std::move(entries)), report_(report) {}

  void at_record(uint64_t segment, uint64_t position, Offset offset, uint64_t ordinal) {
    while (next_ < entries_.size() && before(entries_[next_], segment, position)) miss();
    if (next_ < entries_.size() && entries_[next_].segment == segment &&
        entries_[next_].position == position) {
      const IndexEntry& e = entries_[next_];
      if (e.offset != offset || e.ordinal != ordinal)
        problem(
            fmt::format("index entry {} says offset {} (entry #{}) but the record is {} "
                        "(entry #{})",
                        next_, e.offset, e.ordinal, offset, ordinal));
      ++next_;
    }
  }

  void at_end() {
    while (next_ < entries_.size()) miss();
  }

 private:
  static bool before(const IndexEntry& e, uint64_t segment, uint64_t position) {
    return e.segment < segment || (e.segment == segment && e.position < position);
  }
  void miss() {
    const IndexEntry& e = entries_[next_];
    problem(fmt::format("index entry {} points at segment {} byte {}, where no record starts",
                        next_, segment_file_name(e.segment), e.position));
    ++next_;
  }
  void problem(std::string reason) {
    report_.problems.push_back({CheckProblem::Kind::Index, std::string(format::kIndexFileName),
                                format::kIndexMagic.size() + next_ * format::kIndexEntrySize,
                                std::move(reason)});
  }

  std::vector<IndexEntry> entries_;
  size_t next_ = 0;
  CheckReport& report_;
};

}  // namespace

CheckReport check_log(FileSystem& fs, const std::string& dir) {
  require_log_directory(fs, dir);
  CheckReport report;
  for (const std::string& name : fs.list(dir))
    if (!is_known_file(name))
      report.problems.push_back(
          {CheckProblem::Kind::UnknownFile, name, 0, "not a shapelog file; the log ignores it"});

  std::vector<SegmentFile> segments = list_segments(fs, dir);
  bool index_damaged = false;
  std::string index_path = join_path(dir, std::string(format::kIndexFileName));
  std::vector<IndexEntry> index_entries = OffsetIndexReader(fs, dir).load_all(index_damaged);
  if (!segments.empty() && !fs.exists(index_path))
    report.problems.push_back({CheckProblem::Kind::Index, std::string(format::kIndexFileName), 0,
                               "the offset index is missing"});
  if (index_damaged)
    report.problems.push_back(
        {CheckProblem::Kind::Index, std::string(format::kIndexFileName),
         format::kIndexMagic.size() + index_entries.size() * format::kIndexEntrySize,
         index_entries.empty() && fs.exists(index_path) ? "bad index header or entry"
                                                        : "index entry fails its checksum"});
  IndexVerifier index(std::move(index_entries), report);

  Offset previous = Offset::before_all();
  for (size_t i = 0; i < segments.size(); ++i) {
    const SegmentFile& segment = segments[i];
    if (i > 0 && segment.number != segments[i - 1].number + 1)
      report.problems.push_back({CheckProblem::Kind::Damage, segment.name, 0,
                                 fmt::format("segments {} to {} are missing",
                                             segments[i - 1].number + 1, segment.number - 1)});
    auto file = fs.open_read(join_path(dir, segment.name));
    uint64_t size = file->size();
    report.bytes += size;
    ++report.segments;
    SegmentScanner scanner(*file, segment.name, 0, size, i + 1 == segments.size());
    for (bool more = true; more;) {
      switch (scanner.next()) {
        case SegmentScanner::Step::End: more = false; break;
        case SegmentScanner::Step::TornTail:
          report.problems.push_back({CheckProblem::Kind::TornTail, segment.name,
                                     scanner.damage().position,
                                     scanner.damage().reason + "; --repair cuts it"});
          more = false;
          break;
        case SegmentScanner::Step::Damaged:
          report.problems.push_back({CheckProblem::Kind::Damage, segment.name,
                                     scanner.damage().position, scanner.damage().reason});
          if (scanner.can_skip()) {
            scanner.skip();
          } else {
            report.problems.back().reason += "; the rest of the segment cannot be read";
            more = false;
          }
          break;
        case SegmentScanner::Step::Record: {
          Offset offset = scanner.entry().offset;
          if (offset <= previous)
            report.problems.push_back(
                {CheckProblem::Kind::Damage, segment.name, scanner.record_position(),
                 fmt::format("offset {} does not follow {}", offset, previous)});
          index.at_record(segment.number, scanner.record_position(), offset, report.records);
          previous = std::max(previous, offset);
          report.last = previous;
          ++report.records;
          break;
        }
      }
    }
  }
  index.at_end();
  return report;
}

std::vector<Warning> repair_log(FileSystem& fs, const std::string& dir,
                                std::chrono::milliseconds lock_timeout,
                                const std::string& holder_note) {
  require_log_directory(fs, dir);
  auto lock =
      fs.lock(join_path(dir, std::string(format::kLockFileName)), lock_timeout, holder_note);
  std::string index_path = join_path(dir, std::string(format::kIndexFileName));
  if (fs.exists(index_path)) fs.remove(index_path);
  DiskLogWriter writer(fs, dir);
  std::vector<Warning> notes = writer.warnings();
  notes.push_back(warning::IndexRebuilt{});
  return notes;
}

}  // namespace shapelog
