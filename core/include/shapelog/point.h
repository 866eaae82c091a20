// The named yield points of the log code (trace format, "Steps and points"). Each step of an
// actor ends at one of them; the names are stable because schedules refer to them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace shapelog {

enum class Point : uint8_t {
  AppendBuffer,   // entries are in the buffer
  AppendPublish,  // last_seen advanced: the entries are visible
  FlushWrite,     // buffered entries written to disk and synced
  FlushPublish,   // last_persisted advanced
  FlushTrim,      // buffer trimmed; generation bumped
  ReadSnapshot,   // metadata read
  ReadRecheck,    // last_persisted re-read (recheck strategy)
  ReadBuffer,     // entries copied from the buffer
  ReadDisk,       // entries read from disk
  ReadValidate,   // generation compared with the snapshot's (generation strategy)
};

inline constexpr std::array<Point, 10> kAllPoints = {
    Point::AppendBuffer, Point::AppendPublish, Point::FlushWrite,  Point::FlushPublish,
    Point::FlushTrim,    Point::ReadSnapshot,  Point::ReadRecheck, Point::ReadBuffer,
    Point::ReadDisk,     Point::ReadValidate};

constexpr std::string_view point_name(Point point) {
  constexpr std::array<std::string_view, 10> names = {
      "append.buffer", "append.publish", "flush.write", "flush.publish", "flush.trim",
      "read.snapshot", "read.recheck",   "read.buffer", "read.disk",     "read.validate"};
  return names[static_cast<size_t>(point)];
}

constexpr std::optional<Point> parse_point(std::string_view name) {
  for (Point point : kAllPoints)
    if (point_name(point) == name) return point;
  return std::nullopt;
}

}  // namespace shapelog

template <>
struct fmt::formatter<shapelog::Point> : fmt::formatter<std::string_view> {
  auto format(shapelog::Point point, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(shapelog::point_name(point), ctx);
  }
};
