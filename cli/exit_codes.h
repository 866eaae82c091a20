// Exit codes, the same for every subcommand (README, "Exit codes").
#pragma once

namespace shapelog::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFound = 1;     // a race, a failed verify, or damage in the log
inline constexpr int kExitBadInput = 2;  // bad usage or input; nothing was changed
inline constexpr int kExitIncomplete = 3;  // explore stopped early: nothing ruled out
inline constexpr int kExitFailure = 4;   // the system failed us: I/O error, lock busy

}  // namespace shapelog::cli
