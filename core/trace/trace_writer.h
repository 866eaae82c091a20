// Writes a trace as JSON text that parse_trace reads back to an equal Trace: 2-space indent,
// fields in the order of the trace format's tables, short forms where they say the same
// (bare offset strings, `count` appends, bare actor names for one-step schedule elements),
// and each value on one line when it fits in 100 columns.
#pragma once

#include <string>

#include "shapelog/trace.h"

namespace shapelog {

// Throws Error(Internal) for what no trace text can express: a String entry whose value is
// not its offset string, a Json entry whose bytes are not compact JSON, a schedule element
// naming no actor, options or extensions that are not objects, an extension without "x-".
// A `count` append is written as its count: its entries are not checked against it.
std::string write_trace(const Trace& trace);

}  // namespace shapelog
