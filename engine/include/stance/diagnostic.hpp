#pragma once
// Problems found in a rule pack, each pointing at its place in a file.
#include <string>
#include <vector>

namespace stance {

enum class Severity : unsigned char { error, warning };

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  Severity severity = Severity::error;
  std::string message;
  // "file:line:col: error: message"
  [[nodiscard]] std::string format() const;
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace stance
