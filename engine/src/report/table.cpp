#include <algorithm>
#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/counts.hpp"
#include "report/format.hpp"
#include "stance/report.hpp"

// The terminal grid. Layout, top to bottom:
//
//   actor    pension_reform  armistice
//   -------  --------------  ---------
//   alice    D2 A1           ·
//   bob      ·               R1
//
//   Legend: D=demand  A=accept  R=reject  ·=none  ±=contested (supported and rejected)
//   Totals: 4 records (D2 A1 R1), 2 actors, 2 issues
//
// When the columns do not fit options.width, long issue ids are abbreviated (listed under the
// legend, "pension_re…") and, if that is still too wide, the issue columns wrap into several
// blocks, each repeating the row labels.

namespace stance {

namespace {

using report_internal::printable;

constexpr std::size_t kGap = 2;               // spaces between columns
constexpr std::size_t kAbbreviatedWidth = 8;  // shortest header an abbreviation shrinks to
constexpr std::size_t kMinRowLabelCap = 8;    // row labels are never cut shorter than this
constexpr std::string_view kEllipsis = "\u2026";
constexpr std::string_view kEmptyCell = "\u00b7";
// Marks a cell where the actor both supported and rejected the issue.
constexpr std::string_view kContested = "\u00b1";
constexpr std::string_view kContestedColour = "\x1b[33m";  // yellow

constexpr Stance kStances[] = {Stance::demand, Stance::accept, Stance::reject};

constexpr char glyph(Stance stance) {
  switch (stance) {
    case Stance::demand: return 'D';
    case Stance::accept: return 'A';
    case Stance::reject: return 'R';
  }
  return '?';
}

// ANSI SGR codes; only ever emitted when TableOptions::color is set.
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";

constexpr std::string_view colour_of(Stance stance) {
  switch (stance) {
    case Stance::demand: return "\x1b[32m";  // green
    case Stance::accept: return "\x1b[36m";  // cyan: agreeing like demand, yet distinguishable
    case Stance::reject: return "\x1b[31m";  // red
  }
  return "";
}

// Terminal columns of UTF-8 text, counted as code points. Wide (CJK) characters would take two
// columns; ids are expected to be ASCII-ish slugs, so the simple count is the right trade-off.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

// The first `count` code points of `text`.
std::string_view first_code_points(std::string_view text, std::size_t count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      if (seen == count) return text.substr(0, i);
      ++seen;
    }
  }
  return text;
}

// Cuts `text` to `width` columns, marking the cut with an ellipsis.
std::string fit(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  return std::string(first_code_points(text, width - 1)) + std::string(kEllipsis);
}


std::string plural(std::string_view noun, long long count) {
  std::string word(noun);
  if (count == 1 || word.empty()) return word;
  const char last = word.back();
  const char before = word.size() > 1 ? word[word.size() - 2] : '\0';
  if (last == 'y' && std::string_view("aeiou").find(before) == std::string_view::npos) {
    word.back() = 'i';
    return word + "es";
  }
  if (last == 's' || last == 'x' || (last == 'h' && (before == 'c' || before == 's'))) {
    return word + "es";
  }
  return word + "s";
}

// Text plus its on-screen width: the styled form carries escape codes that take no columns.
struct Styled {
  std::string text;
  std::size_t width = 0;
};

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}

  [[nodiscard]] Styled plain(std::string_view text) const {
    return {std::string(text), display_width(text)};
  }

  [[nodiscard]] Styled paint(std::string_view text, std::string_view code) const {
    Styled styled = plain(text);
    if (color_) styled.text = std::string(code) + styled.text + std::string(kReset);
    return styled;
  }

  // "D2 A1 R1" with only the non-zero parts, or the empty-cell dot.
  [[nodiscard]] Styled counts(const long long (&by_stance)[kStanceCount]) const {
    Styled cell;
    for (const Stance stance : kStances) {
      const long long n = by_stance[static_cast<std::size_t>(stance)];
      if (n == 0) continue;
      if (cell.width > 0) {
        cell.text += ' ';
        ++cell.width;
      }
      const Styled part =
          paint(std::string(1, glyph(stance)) + std::to_string(n), colour_of(stance));
      cell.text += part.text;
      cell.width += part.width;
    }
    if (cell.width == 0) return paint(kEmptyCell, kDim);
    const long long support = by_stance[static_cast<std::size_t>(Stance::demand)] +
                              by_stance[static_cast<std::size_t>(Stance::accept)];
    if (support > 0 && by_stance[static_cast<std::size_t>(Stance::reject)] > 0) {
      const Styled mark = paint(kContested, kContestedColour);
      cell.text += ' ' + mark.text;
      cell.width += 1 + mark.width;
    }
    return cell;
  }

 private:
  bool color_;
};

void write_padded(std::ostream& out, const Styled& cell, std::size_t width) {
  out << cell.text;
  if (cell.width < width) out << std::string(width - cell.width, ' ');
}

// Issue headers. Long ids are cut to a common cap: the largest cap (never below
// kAbbreviatedWidth, never below a column's content) that lets all columns fit on one line, so
// ids stay as readable as the width allows; when even the shortest cap is too wide, the columns
// wrap into blocks. Cut ids are made unique with a number before the ellipsis.
std::vector<std::string> issue_headers(const std::vector<std::string>& issues,
                                       const std::vector<std::size_t>& content_widths,
                                       std::size_t row_label_width, std::size_t max_width) {
  std::vector<std::string> full;
  full.reserve(issues.size());
  std::size_t longest = kAbbreviatedWidth;
  for (const std::string& issue : issues) {
    full.push_back(printable(issue));
    longest = std::max(longest, display_width(full.back()));
  }
  const auto line_width = [&](std::size_t cap) {
    std::size_t width = row_label_width;
    for (std::size_t i = 0; i < full.size(); ++i) {
      width += kGap + std::max(content_widths[i], std::min(cap, display_width(full[i])));
    }
    return width;
  };
  std::size_t cap = longest;
  while (cap > kAbbreviatedWidth && line_width(cap) > max_width) --cap;
  if (cap == longest) return full;

  std::vector<std::size_t> targets(full.size());
  std::set<std::string> taken;
  for (std::size_t i = 0; i < full.size(); ++i) {
    targets[i] = std::max(content_widths[i], cap);
    if (display_width(full[i]) <= targets[i]) taken.insert(full[i]);
  }
  std::vector<std::string> headers = full;
  for (std::size_t i = 0; i < full.size(); ++i) {
    if (display_width(full[i]) <= targets[i]) continue;
    std::string candidate = fit(full[i], targets[i]);
    for (std::size_t n = 2; taken.count(candidate) != 0; ++n) {
      const std::string suffix = std::to_string(n);
      const std::size_t keep = targets[i] - 1 - std::min(suffix.size(), targets[i] - 1);
      candidate = std::string(first_code_points(full[i], keep)) + suffix + std::string(kEllipsis);
    }
    taken.insert(candidate);
    headers[i] = std::move(candidate);
  }
  return headers;
}

// Greedy left-to-right packing of issue columns into blocks no wider than `max_width`; a column
// too wide on its own still gets a block.
std::vector<std::vector<std::size_t>> pack_blocks(const std::vector<std::size_t>& column_widths,
                                                  std::size_t row_label_width,
                                                  std::size_t max_width) {
  std::vector<std::vector<std::size_t>> blocks;
  std::size_t used = 0;
  for (std::size_t i = 0; i < column_widths.size(); ++i) {
    const std::size_t extra = kGap + column_widths[i];
    if (blocks.empty() || (!blocks.back().empty() && used + extra > max_width)) {
      blocks.emplace_back();
      used = row_label_width;
    }
    blocks.back().push_back(i);
    used += extra;
  }
  return blocks;
}

}  // namespace

void write_table(std::ostream& out, const StanceMatrix& matrix, const TableOptions& options) {
  const auto& actors = matrix.actors();
  const auto& issues = matrix.issues();
  if (actors.empty()) {
    out << "no stance records\n";
    return;
  }

  const Painter painter(options.color);
  const std::string row_label = printable(
      options.row_label != nullptr && *options.row_label != '\0' ? options.row_label : "actor");

  std::vector<std::vector<Styled>> cells(actors.size(), std::vector<Styled>(issues.size()));
  std::vector<std::size_t> content_widths(issues.size(), 1);
  long long totals[kStanceCount] = {0, 0, 0};
  for (std::size_t a = 0; a < actors.size(); ++a) {
    for (std::size_t i = 0; i < issues.size(); ++i) {
      long long by_stance[kStanceCount] = {0, 0, 0};
      for (const Stance stance : kStances) {
        const auto s = static_cast<std::size_t>(stance);
        by_stance[s] = report_internal::count_at(matrix, a, i, stance);
        totals[s] += by_stance[s];
      }
      cells[a][i] = painter.counts(by_stance);
      content_widths[i] = std::max(content_widths[i], cells[a][i].width);
    }
  }

  // Row labels: as wide as the longest, but never more than a third of the screen so the issue
  // columns keep most of it.
  const std::size_t row_label_cap = std::max(kMinRowLabelCap, options.width / 3);
  std::vector<std::string> row_names;
  row_names.reserve(actors.size());
  std::size_t row_label_width = display_width(row_label);
  for (const std::string& actor : actors) {
    row_names.push_back(fit(printable(actor), std::max(row_label_cap, display_width(row_label))));
    row_label_width = std::max(row_label_width, display_width(row_names.back()));
  }

  const std::vector<std::string> headers =
      issue_headers(issues, content_widths, row_label_width, options.width);
  std::vector<std::size_t> column_widths(issues.size());
  for (std::size_t i = 0; i < issues.size(); ++i) {
    column_widths[i] = std::max(content_widths[i], display_width(headers[i]));
  }

  const std::string gap(kGap, ' ');
  bool first_block = true;
  for (const auto& block : pack_blocks(column_widths, row_label_width, options.width)) {
    if (!first_block) out << '\n';
    first_block = false;

    // The last column is not padded, so no line carries trailing spaces.
    write_padded(out, painter.paint(row_label, kBold), row_label_width);
    for (std::size_t k = 0; k < block.size(); ++k) {
      const std::size_t i = block[k];
      out << gap;
      const std::size_t pad_to = k + 1 < block.size() ? column_widths[i] : 0;
      write_padded(out, painter.paint(headers[i], kBold), pad_to);
    }
    out << '\n' << std::string(row_label_width, '-');
    for (const std::size_t i : block) out << gap << std::string(column_widths[i], '-');
    out << '\n';

    for (std::size_t a = 0; a < actors.size(); ++a) {
      write_padded(out, painter.plain(row_names[a]), row_label_width);
      for (std::size_t k = 0; k < block.size(); ++k) {
        const std::size_t i = block[k];
        out << gap;
        write_padded(out, cells[a][i], k + 1 < block.size() ? column_widths[i] : 0);
      }
      out << '\n';
    }
  }

  out << "\nLegend: ";
  for (const Stance stance : kStances) {
    out << painter.paint(std::string(1, glyph(stance)), colour_of(stance)).text << '='
        << to_string(stance) << "  ";
  }
  out << painter.paint(kEmptyCell, kDim).text << "=none  "
      << painter.paint(kContested, kContestedColour).text
      << "=contested (supported and rejected)\n";
  bool any_abbreviated = false;
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (headers[i] == printable(issues[i])) continue;
    if (!any_abbreviated) out << "Issues:\n";
    any_abbreviated = true;
    out << "  " << headers[i] << " = " << printable(issues[i]) << '\n';
  }

  const long long records = totals[0] + totals[1] + totals[2];
  out << "Totals: " << records << ' ' << plural("record", records) << " (";
  bool first_part = true;
  for (const Stance stance : kStances) {
    if (!first_part) out << ' ';
    first_part = false;
    out << glyph(stance) << totals[static_cast<std::size_t>(stance)];
  }
  const auto actor_count = static_cast<long long>(actors.size());
  const auto issue_count = static_cast<long long>(issues.size());
  out << "), " << actor_count << ' ' << plural(row_label, actor_count) << ", " << issue_count << ' '
      << plural("issue", issue_count) << '\n';
}

namespace {

std::string range_text(const DateRange& range) {
  return range.first == range.last ? range.first : range.first + " .. " + range.last;
}

}  // namespace

void write_table(std::ostream& out, const Analysis& analysis, const TableOptions& options) {
  if (analysis.options().window.length_days == 0) {
    write_table(out, analysis.overall().matrix, options);
  } else if (analysis.windows().empty()) {
    out << "no dated stance records\n";
  } else {
    bool first = true;
    for (const Slice& window : analysis.windows()) {
      if (!first) out << '\n';
      first = false;
      out << "Window " << range_text(window.range) << "\n\n";
      write_table(out, window.matrix, options);
    }
  }

  const auto shifts = analysis.shifts();
  if (shifts.empty()) return;
  const Painter painter(options.color);
  const auto stance_text = [&](const std::optional<Stance>& stance) {
    if (!stance) return painter.paint("mixed", kContestedColour).text;
    return painter.paint(to_string(*stance), colour_of(*stance)).text;
  };
  out << "Shifts:\n";
  for (const PositionShift& shift : shifts) {
    out << "  " << printable(shift.row) << " on " << printable(shift.issue) << ": "
        << stance_text(shift.from_stance) << " (" << range_text(shift.from) << ") -> "
        << stance_text(shift.to_stance) << " (" << range_text(shift.to) << ")\n";
  }
}

}  // namespace stance
