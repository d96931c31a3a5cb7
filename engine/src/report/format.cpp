#include "report/format.hpp"

#include <cmath>
#include <cstdio>

namespace stance::report_internal {

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string xml_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20U && c != '\t' && c != '\n' && c != '\r') || byte == 0x7FU) {
          escaped += "\xEF\xBF\xBD";
        } else {
          escaped += c;
        }
      }
    }
  }
  return escaped;
}

std::string number(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  const double scale = std::pow(10.0, decimals);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, rounded);
  std::string result(text);
  if (result.find('.') != std::string::npos) {
    while (result.back() == '0') result.pop_back();
    if (result.back() == '.') result.pop_back();
  }
  return result;
}

char glyph(Stance stance) {
  switch (stance) {
    case Stance::demand: return 'D';
    case Stance::accept: return 'A';
    case Stance::reject: return 'R';
  }
  return '?';
}

std::string count_glyphs(const CellStats& cell) {
  std::string text;
  for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) {
    const auto n = std::llround(cell.count(stance));
    if (n == 0) continue;
    if (!text.empty()) text += ' ';
    text += glyph(stance);
    text += std::to_string(n);
  }
  return text;
}

std::string dominant_name(const CellStats& cell) {
  if (cell.empty()) return {};
  const auto dominant = cell.dominant();
  return dominant ? std::string(to_string(*dominant)) : std::string("mixed");
}

std::string printable(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7FU) c = '?';
  }
  return result;
}

}  // namespace stance::report_internal
