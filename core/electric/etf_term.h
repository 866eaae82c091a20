// Erlang's external term format (ETF), the encoding of every Electric metadata file
// (:erlang.term_to_binary). A small decoder of our own rather than erlang-dev's `ei`: the
// metadata files hold a dozen kinds of term, ei would add a link dependency for them, and its
// decode calls leave the bounds on nesting and sizes to the caller anyway. Here they are
// built in: nesting past kMaxDepth, a length past the bytes left, or a file past kMaxBytes is
// refused with a message naming the byte, never a crash or an allocation the input asks for.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shapelog::electric {

struct Term {
  enum class Kind { Integer, BigInteger, Float, Atom, Binary, Tuple, List, Map };
  Kind kind = Kind::Integer;
  int64_t integer = 0;      // Integer
  double real = 0;          // Float
  std::string text;         // Atom name, Binary bytes, BigInteger in decimal
  std::vector<Term> items;  // Tuple and List elements; Map keys and values, alternating

  // The value of key (an atom or a binary) in a Map, or nullptr.
  const Term* field(std::string_view key) const;
  bool is_atom(std::string_view name) const { return kind == Kind::Atom && text == name; }
};

inline constexpr size_t kMaxDepth = 64;
inline constexpr size_t kMaxBytes = 256 << 10;  // metadata terms are tens of bytes

struct DecodedTerm {
  Term term;
  size_t trailing = 0;  // bytes after the term, which :erlang.binary_to_term/1 ignores
};

// Decodes the term at the start of bytes: the version byte 131, then the term. Throws
// Error(ErrorKind::Corruption) saying what is wrong at which byte.
DecodedTerm decode_etf(std::string_view bytes);

}  // namespace shapelog::electric
