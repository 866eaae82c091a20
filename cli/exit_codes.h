// Exit codes, the same for every subcommand (README, "Exit codes").
#pragma once

namespace shapelog::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFound = 1;       // a race, a failed verify, or damage in the log
inline constexpr int kExitBadInput = 2;    // bad usage or input; nothing was changed
inline constexpr int kExitIncomplete = 3;  // explore stopped early: nothing ruled out
inline constexpr int kExitFailure = 4;     // the system failed us: I/O error, lock busy

// The end of `shapelog --help`, and so the manual page's.
inline constexpr const char* kExitStatusHelp =
    "Exit status:\n"
    "  0  success; no race (replay); ruled out (explore)\n"
    "  1  a race, a --verify outcome that differs from expect, or a damaged log\n"
    "  2  bad input or usage; nothing was changed\n"
    "  3  explore stopped early: nothing is ruled out\n"
    "  4  the system failed: an I/O error, or the writer lock held past the timeout\n\n"
    "Run shapelog COMMAND --help (or man shapelog-COMMAND) for a command's options.";

}  // namespace shapelog::cli
