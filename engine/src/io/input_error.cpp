#include <string>

#include "stance/article.hpp"

namespace stance {

std::string InputError::format() const {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  out += ": ";
  if (byte_offset != no_offset) {
    out += "byte ";
    out += std::to_string(byte_offset);
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace stance
