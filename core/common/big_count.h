// A count too large for 64 bits (the interleavings a split search stands for multiply across
// readers): non-negative, with addition, multiplication and decimal text.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace shapelog {

class BigCount {
 public:
  BigCount(uint64_t value = 0) {  // NOLINT: counts convert implicitly, like integers
    for (; value > 0; value /= kBase) limbs_.push_back(static_cast<uint32_t>(value % kBase));
  }

  BigCount& operator+=(const BigCount& other) {
    limbs_.resize(std::max(limbs_.size(), other.limbs_.size()), 0);
    uint64_t carry = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      carry += limbs_[i] + (i < other.limbs_.size() ? other.limbs_[i] : 0);
      limbs_[i] = static_cast<uint32_t>(carry % kBase);
      carry /= kBase;
    }
    if (carry) limbs_.push_back(static_cast<uint32_t>(carry));
    return *this;
  }

  friend BigCount operator*(const BigCount& a, const BigCount& b) {
    BigCount product;
    if (a.limbs_.empty() || b.limbs_.empty()) return product;
    std::vector<uint64_t> sums(a.limbs_.size() + b.limbs_.size() + 1, 0);
    for (size_t i = 0; i < a.limbs_.size(); ++i) {
      uint64_t carry = 0;
      for (size_t j = 0; j < b.limbs_.size() || carry; ++j) {
        uint64_t term =
            sums[i + j] + carry + (j < b.limbs_.size() ? uint64_t{a.limbs_[i]} * b.limbs_[j] : 0);
        sums[i + j] = term % kBase;
        carry = term / kBase;
      }
    }
    while (!sums.empty() && sums.back() == 0) sums.pop_back();
    for (uint64_t limb : sums) product.limbs_.push_back(static_cast<uint32_t>(limb));
    return product;
  }

  std::string to_string() const {
    if (limbs_.empty()) return "0";
    std::string text = fmt::format("{}", limbs_.back());
    for (size_t i = limbs_.size() - 1; i-- > 0;) text += fmt::format("{:09}", limbs_[i]);
    return text;
  }

  bool operator==(const BigCount&) const = default;

 private:
  static constexpr uint64_t kBase = 1'000'000'000;
  std::vector<uint32_t> limbs_;  // base 10^9, least significant first, no leading zeros
};

}  // namespace shapelog
