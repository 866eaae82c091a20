#include "electric/etf_json.h"

#include <fmt/format.h>

#include "common/utf8.h"
#include "electric/log_offset.h"

namespace shapelog::electric {

namespace {

nlohmann::json text_json(const std::string& bytes) {
  if (!find_invalid_utf8(bytes)) return bytes;
  std::string hex;
  for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
  return nlohmann::json{{"bytes_hex", hex}};
}

}  // namespace

nlohmann::json term_to_json(const Term& term) {
  switch (term.kind) {
    case Term::Kind::Integer: return term.integer;
    case Term::Kind::BigInteger: return term.text;  // past 64 bits: JSON readers lose digits
    case Term::Kind::Float: return term.real;
    case Term::Kind::Atom:
      if (term.text == "true") return true;
      if (term.text == "false") return false;
      if (term.text == "nil") return nullptr;
      return text_json(term.text);
    case Term::Kind::Binary: return text_json(term.text);
    case Term::Kind::Tuple:
    case Term::Kind::List: {
      nlohmann::json items = nlohmann::json::array();
      for (const Term& item : term.items) items.push_back(term_to_json(item));
      return items;
    }
    case Term::Kind::Map: {
      if (auto offset = log_offset_from_term(term)) return offset->to_string();
      nlohmann::json object = nlohmann::json::object();
      for (size_t i = 0; i + 1 < term.items.size(); i += 2) {
        const Term& key = term.items[i];
        const bool plain = key.kind == Term::Kind::Atom || key.kind == Term::Kind::Binary;
        std::string name = plain ? key.text : term_to_json(key).dump();
        object[std::string(printable_excerpt(name, name.size()))] = term_to_json(term.items[i + 1]);
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace shapelog::electric
