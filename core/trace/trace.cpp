#include "shapelog/trace.h"

namespace shapelog {

std::optional<size_t> Trace::writer_index() const {
  for (size_t i = 0; i < actors.size(); ++i)
    for (const Op& op : actors[i].ops)
      if (!std::holds_alternative<ReadOp>(op)) return i;
  return std::nullopt;
}

}  // namespace shapelog
