#include "electric/json_validator.h"

#include <simdjson.h>

#include "electric/log_record_reader.h"

namespace shapelog::electric {

static_assert(LogRecordReader::kPadding >= simdjson::SIMDJSON_PADDING);

struct JsonValidator::Parser {
  simdjson::dom::parser parser;
};

JsonValidator::JsonValidator() : parser_(std::make_unique<Parser>()) {}
JsonValidator::~JsonValidator() = default;

std::string JsonValidator::problem(std::string_view padded_json) {
  simdjson::dom::element root;
  auto error = parser_->parser.parse(padded_json.data(), padded_json.size(), false).get(root);
  if (error) return std::string("not valid JSON: ") + simdjson::error_message(error);
  if (root.type() != simdjson::dom::element_type::OBJECT) return "valid JSON, but not an object";
  return "";
}

}  // namespace shapelog::electric
