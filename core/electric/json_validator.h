// Is a record's json one valid JSON object? simdjson's DOM parser (stage 1 finds the
// structure with SIMD, stage 2 checks the grammar) at gigabytes a second, against a parse
// into nlohmann values at tens of megabytes. The input must be followed by
// LogRecordReader::kPadding readable bytes, which LogRecordReader guarantees.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace shapelog::electric {

class JsonValidator {
 public:
  JsonValidator();
  ~JsonValidator();
  // "" when json is a valid JSON object; otherwise why not.
  std::string problem(std::string_view padded_json);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace shapelog::electric
