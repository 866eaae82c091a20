#include "shapelog/read_checker.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "shapelog/error.h"

namespace shapelog {

namespace {

constexpr size_t kListed = 5;       // entries shown per list in describe()
constexpr size_t kValueShown = 30;  // bytes shown per value in describe()

std::string show_value(const Entry& entry) {
  std::string_view bytes = entry.bytes;
  bool cut = bytes.size() > kValueShown;
  if (cut) {
    size_t end = kValueShown;
    while (end > 0 && (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80) --end;  // UTF-8
    bytes = bytes.substr(0, end);
  }
  std::string shown =
      entry.kind == ValueKind::String ? fmt::format("{:?}", bytes) : std::string(bytes);
  return cut ? shown + "…" : shown;
}

template <typename Item, typename Show>
std::string show_list(const std::vector<Item>& items, Show show) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < kListed; ++i) {
    if (i > 0) text += ", ";
    text += show(items[i]);
  }
  if (items.size() > kListed) text += fmt::format(" … and {} more", items.size() - kListed);
  return text;
}

std::string show_offset(const Entry& entry) { return entry.offset.to_string(); }

std::string plural(size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

bool offset_below(const Entry& entry, Offset offset) { return entry.offset < offset; }
bool offset_above(Offset offset, const Entry& entry) { return offset < entry.offset; }

// R as a view of `log`.
std::span<const Entry> slice_in_range(std::span<const Entry> log, const ReadRange& range) {
  auto begin = std::partition_point(
      log.begin(), log.end(), [&](const Entry& entry) { return !range.above_start(entry.offset); });
  auto end = std::partition_point(begin, log.end(),
                                  [&](const Entry& entry) { return range.contains(entry.offset); });
  return {begin, end};
}

// check_read without its preconditions.
ReadVerdict judge(std::span<const Entry> in_range, size_t visible, std::span<const Entry> result) {
  ReadVerdict verdict;
  verdict.returned = result.size();
  verdict.visible = visible;
  std::vector<bool> returned(in_range.size(), false);
  std::optional<size_t> highest;  // index in R of the highest entry returned so far
  for (const Entry& got : result) {
    auto it = std::lower_bound(in_range.begin(), in_range.end(), got.offset, offset_below);
    if (it == in_range.end() || it->offset != got.offset) {
      verdict.extra.push_back(got);
      continue;
    }
    auto index = static_cast<size_t>(it - in_range.begin());
    if (returned[index]) {
      verdict.duplicated.push_back(got);
      continue;
    }
    returned[index] = true;
    if (highest && index < *highest) verdict.out_of_order.push_back(got);
    else highest = index;
    if (got != *it) verdict.wrong_value.emplace_back(*it, got);
  }

  size_t required = std::max(visible, highest ? *highest + 1 : 0);
  for (size_t i = 0; i < required; ++i) {
    if (returned[i]) continue;
    verdict.missing.push_back(in_range[i]);
    if (i < visible) ++verdict.missing_visible;
  }
  verdict.ok = verdict.missing.empty() && verdict.extra.empty() && verdict.duplicated.empty() &&
               verdict.out_of_order.empty() && verdict.wrong_value.empty();
  return verdict;
}

}  // namespace

std::vector<Entry> entries_in_range(std::span<const Entry> log, const ReadRange& range) {
  std::span<const Entry> in_range = slice_in_range(log, range);
  return std::vector<Entry>(in_range.begin(), in_range.end());
}

ReadVerdict check_read(std::span<const Entry> in_range, size_t visible,
                       std::span<const Entry> result) {
  if (visible > in_range.size())
    throw Error(ErrorKind::Internal,
                fmt::format("check_read: {} visible entries of only {} in the range", visible,
                            in_range.size()));
  for (size_t i = 1; i < in_range.size(); ++i)
    if (in_range[i].offset <= in_range[i - 1].offset)
      throw Error(ErrorKind::Internal,
                  fmt::format("check_read: the range's entries are not in increasing offset "
                              "order ({} then {})",
                              in_range[i - 1].offset, in_range[i].offset));
  return judge(in_range, visible, result);
}

ReadVerdict check_read_in_log(std::span<const Entry> log, size_t published, const ReadRange& range,
                              std::span<const Entry> result) {
  std::span<const Entry> in_range = slice_in_range(log, range);
  auto first = static_cast<size_t>(in_range.data() - log.data());
  size_t visible = published > first ? std::min(published - first, in_range.size()) : 0;
  size_t extent = verdict_extent(visible, result, [&](Offset offset) {
    return static_cast<size_t>(
        std::upper_bound(in_range.begin(), in_range.end(), offset, offset_above) -
        in_range.begin());
  });
  return judge(in_range.first(extent), visible, result);
}

std::string describe(const ReadVerdict& verdict) {
  if (verdict.ok) return fmt::format("ok: {}", plural(verdict.returned, "entry", "entries"));
  std::vector<std::string> parts;
  if (!verdict.missing.empty())
    parts.push_back(fmt::format("missing {} ({} of {})", show_list(verdict.missing, show_offset),
                                verdict.missing_visible,
                                plural(verdict.visible, "visible entry", "visible entries")));
  if (!verdict.extra.empty())
    parts.push_back(
        fmt::format("extra {} (not in the range)", show_list(verdict.extra, show_offset)));
  if (!verdict.duplicated.empty())
    parts.push_back(fmt::format("duplicated {}", show_list(verdict.duplicated, show_offset)));
  if (!verdict.out_of_order.empty())
    parts.push_back(fmt::format("out of order {}", show_list(verdict.out_of_order, show_offset)));
  if (!verdict.wrong_value.empty())
    parts.push_back(fmt::format(
        "wrong value {}", show_list(verdict.wrong_value, [](const std::pair<Entry, Entry>& pair) {
          return fmt::format("{} (expected {}, got {})", pair.first.offset, show_value(pair.first),
                             show_value(pair.second));
        })));
  return fmt::format("race: {}", fmt::join(parts, "; "));
}

}  // namespace shapelog
