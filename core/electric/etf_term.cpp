#include "electric/etf_term.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::electric {

const Term* Term::field(std::string_view key) const {
  if (kind != Kind::Map) return nullptr;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const Term& k = items[i];
    if ((k.kind == Kind::Atom || k.kind == Kind::Binary) && k.text == key) return &items[i + 1];
  }
  return nullptr;
}

namespace {

[[noreturn]] void damaged(size_t pos, const std::string& what) {
  throw Error(ErrorKind::Corruption, fmt::format("byte {}: {}", pos, what));
}

// Decimal text of a little-endian magnitude (base 256), for integers past int64.
std::string decimal_of(std::vector<uint8_t> digits, bool negative) {
  std::string out;
  while (!digits.empty()) {
    unsigned remainder = 0;
    for (size_t i = digits.size(); i-- > 0;) {
      unsigned value = remainder * 256 + digits[i];
      digits[i] = static_cast<uint8_t>(value / 10);
      remainder = value % 10;
    }
    out += static_cast<char>('0' + remainder);
    while (!digits.empty() && digits.back() == 0) digits.pop_back();
  }
  if (out.empty()) out = "0";
  if (negative) out += '-';
  return {out.rbegin(), out.rend()};
}

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  DecodedTerm top() {
    if (bytes_.size() > kMaxBytes)
      damaged(0, fmt::format("more than {} bytes, past what a metadata term can be", kMaxBytes));
    if (take(1, "the version byte")[0] != '\x83')
      damaged(0, fmt::format("the first byte is 0x{:02x}, not 0x83 (the ETF version byte)",
                             static_cast<uint8_t>(bytes_[0])));
    Term term = decode(0);
    return DecodedTerm{std::move(term), bytes_.size() - pos_};
  }

 private:
  std::string_view take(size_t n, const char* what) {
    if (n > bytes_.size() - pos_)
      damaged(pos_, fmt::format("{} needs {} bytes, {} are left", what, n, bytes_.size() - pos_));
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  uint64_t be(size_t width, const char* what) {
    uint64_t value = 0;
    for (char c : take(width, what)) value = value << 8 | static_cast<uint8_t>(c);
    return value;
  }
  // A count of things that each take at least one byte: no more than the bytes left.
  size_t count(size_t width, const char* what) {
    size_t at = pos_;
    uint64_t n = be(width, what);
    if (n > bytes_.size() - pos_)
      damaged(at, fmt::format("{} of {} is more than the {} bytes left", what, n,
                              bytes_.size() - pos_));
    return static_cast<size_t>(n);
  }

  Term decode(size_t depth) {
    if (depth >= kMaxDepth) damaged(pos_, fmt::format("terms nested more than {} deep", kMaxDepth));
    const size_t at = pos_;
    const auto tag = static_cast<uint8_t>(take(1, "a term tag")[0]);
    Term term;
    switch (tag) {
      case 97:  // SMALL_INTEGER_EXT
        term.integer = static_cast<int64_t>(be(1, "a small integer"));
        return term;
      case 98:  // INTEGER_EXT
        term.integer = static_cast<int32_t>(static_cast<uint32_t>(be(4, "an integer")));
        return term;
      case 110:    // SMALL_BIG_EXT
      case 111: {  // LARGE_BIG_EXT
        size_t n = count(tag == 110 ? 1 : 4, "a big integer's digit count");
        bool negative = be(1, "a big integer's sign") != 0;
        std::string_view raw = take(n, "a big integer's digits");
        std::vector<uint8_t> digits(raw.begin(), raw.end());
        while (!digits.empty() && digits.back() == 0) digits.pop_back();
        if (digits.size() <= 8) {
          uint64_t magnitude = 0;
          for (size_t i = digits.size(); i-- > 0;) magnitude = magnitude << 8 | digits[i];
          if (magnitude <= static_cast<uint64_t>(INT64_MAX)) {
            term.integer =
                negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
            return term;
          }
        }
        term.kind = Term::Kind::BigInteger;
        term.text = decimal_of(std::move(digits), negative);
        return term;
      }
      case 70: {  // NEW_FLOAT_EXT
        term.kind = Term::Kind::Float;
        term.real = std::bit_cast<double>(be(8, "a float"));
        return term;
      }
      case 100:    // ATOM_EXT (latin-1 or ASCII in practice)
      case 118:    // ATOM_UTF8_EXT
      case 115:    // SMALL_ATOM_EXT
      case 119: {  // SMALL_ATOM_UTF8_EXT
        size_t n = count(tag == 100 || tag == 118 ? 2 : 1, "an atom's length");
        term.kind = Term::Kind::Atom;
        term.text = take(n, "an atom's name");
        return term;
      }
      case 109: {  // BINARY_EXT
        size_t n = count(4, "a binary's length");
        term.kind = Term::Kind::Binary;
        term.text = take(n, "a binary's bytes");
        return term;
      }
      case 107: {  // STRING_EXT: a list of small integers
        size_t n = count(2, "a string's length");
        term.kind = Term::Kind::List;
        for (char c : take(n, "a string's bytes")) {
          Term item;
          item.integer = static_cast<uint8_t>(c);
          term.items.push_back(item);
        }
        return term;
      }
      case 106:  // NIL_EXT
        term.kind = Term::Kind::List;
        return term;
      case 104:    // SMALL_TUPLE_EXT
      case 105: {  // LARGE_TUPLE_EXT
        size_t n = count(tag == 104 ? 1 : 4, "a tuple's arity");
        term.kind = Term::Kind::Tuple;
        for (size_t i = 0; i < n; ++i) term.items.push_back(decode(depth + 1));
        return term;
      }
      case 108: {  // LIST_EXT: elements, then the tail (NIL for a proper list)
        size_t n = count(4, "a list's length");
        term.kind = Term::Kind::List;
        for (size_t i = 0; i < n; ++i) term.items.push_back(decode(depth + 1));
        const size_t tail_at = pos_;
        Term tail = decode(depth + 1);
        if (tail.kind != Term::Kind::List || !tail.items.empty())
          damaged(tail_at, "an improper list (its tail is not []), which no metadata value is");
        return term;
      }
      case 116: {  // MAP_EXT: arity, then key, value pairs
        size_t n = count(4, "a map's arity");
        if (n > (bytes_.size() - pos_) / 2)
          damaged(at, fmt::format("a map of {} pairs is more than the bytes left hold", n));
        term.kind = Term::Kind::Map;
        for (size_t i = 0; i < 2 * n; ++i) term.items.push_back(decode(depth + 1));
        return term;
      }
      default:
        damaged(at, fmt::format("term tag {} is not one Electric's metadata uses (integers, "
                                "floats, atoms, binaries, tuples, lists, maps)",
                                tag));
    }
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

DecodedTerm decode_etf(std::string_view bytes) { return Decoder(bytes).top(); }

}  // namespace shapelog::electric
