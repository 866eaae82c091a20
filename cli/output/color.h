// Colour where it helps: on a terminal, a wrong read, a race outcome and a failed verify
// stand out. Decided once per process, in main, from --color auto|always|never, NO_COLOR
// (https://no-color.org) and whether stdout is a terminal; pipes and files get plain text.
#pragma once

#include <string>
#include <string_view>

namespace shapelog::cli {

// The --color values, as the flag spells them.
inline constexpr const char* kColorModes[] = {"auto", "always", "never"};

// mode: one of kColorModes. auto: colour when stdout is a terminal (not TERM=dumb) and
// NO_COLOR is unset or empty.
void decide_color(const std::string& mode);
bool color_enabled();

// text in red (bold: a reader must not miss it) or green, when colour is on; else text.
std::string as_bad(std::string_view text);
std::string as_good(std::string_view text);

}  // namespace shapelog::cli
