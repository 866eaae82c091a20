// Catching the shapelog::Error a call throws, for tests that check what failed and how.
#pragma once

#include <optional>
#include <utility>

#include "shapelog/error.h"

namespace shapelog::testing {

// The Error that call() threw, or nullopt if it returned.
template <class F>
std::optional<Error> error_from(F&& call) {
  try {
    std::forward<F>(call)();
  } catch (const Error& error) {
    return error;
  }
  return std::nullopt;
}

// The kind of the Error that call() threw, or nullopt if it returned.
template <class F>
std::optional<ErrorKind> error_kind(F&& call) {
  const auto error = error_from(std::forward<F>(call));
  return error ? std::optional(error->kind()) : std::nullopt;
}

}  // namespace shapelog::testing
