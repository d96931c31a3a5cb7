#pragma once
// Internal to the report renderers: escaping and number formatting shared by the text formats.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

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

// Ids can come from article text: control characters (ESC above all) become '?', so they never
// reach a terminal or break a grid.
[[nodiscard]] std::string printable(std::string_view text);

// The wide CSV matrix (one column per issue and stance, CRLF line ends as RFC 4180 asks), shared
// by `write_csv` and the streaming writers of `stance run`: the header, then one row per actor
// under the columns `issues` (a superset of the matrix's), each led by `window` when given.
void write_wide_header(std::ostream& out, std::string_view row_label, const std::vector<std::string>& issues,
                       bool windowed);
void write_wide_rows(std::ostream& out, const StanceMatrix& matrix, const std::vector<std::string>& issues,
                     const DateRange* window);
// The long CSV form: one row per window, row, issue and stance with a count.
void write_long_header(std::ostream& out, RowKind rows);
void write_long_rows(std::ostream& out, const StanceMatrix& matrix, const DateRange& range);

}  // namespace stance::report_internal
