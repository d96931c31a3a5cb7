#pragma once
// Internal to the report renderers: escaping and number formatting shared by the text formats.
#include <string>
#include <string_view>

#include "stance/matrix.hpp"
#include "stance/record.hpp"

namespace stance::report_internal {

// RFC 4180: quoted only when it must be (comma, quote, CR or LF), quotes doubled.
[[nodiscard]] std::string csv_field(std::string_view field);

// For XML and HTML text and attribute values. Characters XML 1.0 forbids (C0 controls other than
// tab, LF, CR) become U+FFFD, so one odd byte in an article cannot make the document unreadable.
[[nodiscard]] std::string xml_escape(std::string_view text);

// Shortest decimal form with at most `decimals` digits after the point: 1, 0.5, 0.333.
[[nodiscard]] std::string number(double value, int decimals = 3);

// 'D', 'A' or 'R'.
[[nodiscard]] char glyph(Stance stance);

// "D2 A1 R1" with only the non-zero counts; empty for an empty cell.
[[nodiscard]] std::string count_glyphs(const CellStats& cell);

// The dominant stance's name, or "mixed" when tied, or "" when empty.
[[nodiscard]] std::string dominant_name(const CellStats& cell);

}  // namespace stance::report_internal
