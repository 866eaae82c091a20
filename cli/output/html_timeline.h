// The HTML timeline (issue 18): one self-contained page (CSS and script inline, nothing
// fetched) showing the runs of a trace, built from the same RunResults as the text timeline
// and --json. Every label and verdict is DOM text; steps and reads carry data-step,
// data-actor, data-point and data-verdict so the page can be tested and searched. A long
// run's rows are JSON in the page, made DOM text by its script when they come into view.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shapelog/run_result.h"
#include "shapelog/trace.h"

namespace shapelog::cli {

// The whole page. command is the shapelog command line that reproduces the runs.
std::string html_timeline(const Trace& trace, const std::vector<RunResult>& runs,
                          std::string_view command);
// explore's page: each run is of its own (minimized) trace; searched heads the page.
std::string html_timeline(const Trace& searched,
                          const std::vector<std::pair<Trace, RunResult>>& runs,
                          std::string_view command);

// text with & < > " ' escaped and invalid UTF-8 replaced by U+FFFD, safe in element text
// and in quoted attribute values.
std::string html_escape(std::string_view text);

// word as one shell word: unchanged when it holds only safe characters, else single-quoted.
std::string shell_quote(std::string_view word);

}  // namespace shapelog::cli
