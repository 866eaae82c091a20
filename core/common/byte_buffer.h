// A growable run of bytes whose growth leaves the new bytes uninitialized, for buffers that
// are filled right after they grow. std::string::resize zeroes what it adds, which costs a
// flush a memset for every record it encodes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>

namespace shapelog {

class ByteBuffer {
 public:
  // n more bytes at the end, uninitialized; the pointer is valid until the next grow.
  std::byte* grow(size_t n) {
    if (capacity_ - size_ < n) reallocate(std::max(capacity_ * 2, size_ + n));
    std::byte* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  void clear() { size_ = 0; }  // keeps the memory for the next fill
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::byte> bytes() const { return {data_.get(), size_}; }

 private:
  void reallocate(size_t capacity) {
    auto data = std::make_unique_for_overwrite<std::byte[]>(capacity);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<std::byte[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace shapelog
