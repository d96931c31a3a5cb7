// Markdown: a report to paste into an issue, a wiki or a paper's supplement. GitHub-flavoured
// tables; every cell's evidence is listed so the numbers can be checked against the text.
#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

#include "report/format.hpp"
#include "stance/report.hpp"

namespace stance {

namespace {

using report_internal::count_glyphs;
using report_internal::number;

// Pipes would end a table cell and line breaks a table row; backslashes and markup characters
// would change the text's meaning.
std::string md(std::string_view text) {
  const auto word_char = [&](std::size_t i) {
    if (i >= text.size()) return false;
    const auto c = static_cast<unsigned char>(text[i]);
    return std::isalnum(c) != 0 || c >= 0x80U;
  };
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '|':
      case '\\':
      case '*':
      case '`':
      case '[':
      case ']':
      case '<':
      case '>':
        escaped += '\\';
        escaped += c;
        break;
      case '_':
        // Inside a word (snake_case ids) an underscore is literal in GitHub Markdown; escaping
        // it there would only clutter the source.
        if (!(i > 0 && word_char(i - 1) && word_char(i + 1))) escaped += '\\';
        escaped += c;
        break;
      case '\n':
      case '\r': escaped += ' '; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string range_text(const DateRange& range) {
  return range.first == range.last ? range.first : range.first + " to " + range.last;
}

std::string cell_text(const CellStats& cell) {
  if (cell.empty()) return "\u00b7";
  std::string text = count_glyphs(cell);
  if (cell.contested()) text += " \u00b1";
  const double net = cell.net().value_or(0.0);
  text += " (" + std::string(net > 0 ? "+" : "") + number(net, 2) + ")";
  return text;
}

void write_matrix(std::ostream& out, const StanceMatrix& matrix, std::string_view row_label) {
  if (matrix.empty()) {
    out << "No stance records.\n\n";
    return;
  }
  out << "| " << row_label << " |";
  for (const std::string& issue : matrix.issues()) out << ' ' << md(issue) << " |";
  out << "\n|---|";
  for (std::size_t i = 0; i < matrix.issues().size(); ++i) out << "---|";
  out << '\n';
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    out << "| " << md(matrix.actors()[a]) << " |";
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      out << ' ' << cell_text(matrix.cell(a, i)) << " |";
    }
    out << '\n';
  }
  out << '\n';
}

void write_evidence_line(std::ostream& out, const Analysis& analysis, std::size_t index) {
  const StanceRecord& record = analysis.records()[index];
  out << "  - " << report_internal::glyph(record.stance) << " #" << (index + 1) << ' '
      << md(record.date.empty() ? "undated" : record.date) << ", " << md(record.source)
      << (record.source.empty() ? "" : ", ") << '`' << record.article << "` sentence "
      << record.sentence << ", rule `" << record.rule << "`, confidence "
      << number(record.confidence, 2) << (analysis.counted(index) ? "" : ", repeat mention")
      << ": \u201c" << md(record.evidence) << "\u201d\n";
}

}  // namespace

void write_markdown(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  const AnalysisOptions& options = analysis.options();
  const std::string_view row_label = to_string(options.rows);
  const StanceMatrix& matrix = analysis.overall().matrix;

  out << "# " << md(context.title) << "\n\n";
  out << "- Articles: " << context.articles << "; records: " << analysis.records().size();
  if (analysis.undated_records() > 0) out << " (" << analysis.undated_records() << " undated)";
  out << '\n';
  if (!context.rules.empty()) out << "- Rules: `" << context.rules << "`\n";
  if (!analysis.dates().first.empty()) out << "- Dates: " << range_text(analysis.dates()) << '\n';
  out << "- Rows: " << row_label << "; counting: one per "
      << (options.count == CountMode::article ? "article and triple" : "mention");
  if (options.min_count > 0) {
    out << "; cells with fewer than " << number(options.min_count) << " records dropped";
  }
  out << "\n\n";

  out << "## Stance matrix\n\n";
  out << "Cells: counts of D = demand, A = accept, R = reject; \u00b1 = contested (supported "
         "and rejected); in brackets the net position in [-1, 1] (+1 only support, -1 only "
         "rejection).\n\n";
  write_matrix(out, matrix, row_label);

  if (!context.issue_propositions.empty()) {
    bool any = false;
    for (const std::string& issue : matrix.issues()) {
      const auto found = context.issue_propositions.find(issue);
      if (found == context.issue_propositions.end()) continue;
      if (!any) out << "Issues:\n\n";
      any = true;
      out << "- **" << md(issue) << "**: " << md(found->second) << '\n';
    }
    if (any) out << '\n';
  }

  for (const Slice& window : analysis.windows()) {
    out << "### Window " << range_text(window.range) << " (" << window.record_count()
        << " records)\n\n";
    write_matrix(out, window.matrix, row_label);
  }

  const AgreementMatrix& agreement = analysis.agreement();
  if (agreement.size() > 1) {
    out << "## Agreement\n\n"
           "Agreement / conflict: the share of the issues either actor took a side on where both "
           "took the same / the opposite side.\n\n";
    out << "| " << row_label << " |";
    for (const std::string& actor : agreement.actors()) out << ' ' << md(actor) << " |";
    out << "\n|---|";
    for (std::size_t b = 0; b < agreement.size(); ++b) out << "---|";
    out << '\n';
    for (std::size_t a = 0; a < agreement.size(); ++a) {
      out << "| " << md(agreement.actors()[a]) << " |";
      for (std::size_t b = 0; b < agreement.size(); ++b) {
        if (agreement.issues_either(a, b) == 0.0) {
          out << " \u00b7 |";
        } else {
          out << ' ' << number(agreement.agreement(a, b), 2) << " / "
              << number(agreement.conflict(a, b), 2) << " |";
        }
      }
      out << '\n';
    }
    out << '\n';
  }

  const auto coalitions = analysis.coalitions();
  if (!coalitions.empty()) {
    out << "## Coalitions\n\n";
    for (std::size_t c = 0; c < coalitions.size(); ++c) {
      out << (c + 1) << ". ";
      for (std::size_t k = 0; k < coalitions[c].size(); ++k) {
        out << (k ? ", " : "") << md(coalitions[c][k]);
      }
      out << '\n';
    }
    out << '\n';
  }

  if (!analysis.polarisation().empty()) {
    out << "## Issue polarisation\n\n"
           "| issue | supporters | opponents | balanced | contested | mean net | polarisation |\n"
           "|---|---|---|---|---|---|---|\n";
    for (const IssuePolarisation& issue : analysis.polarisation()) {
      out << "| " << md(issue.issue) << " | " << issue.supporters << " | " << issue.opponents
          << " | " << issue.balanced << " | " << issue.contested << " | "
          << number(issue.mean_net, 2) << " | " << number(issue.polarisation, 2) << " |\n";
    }
    out << '\n';
  }

  if (!analysis.shifts().empty()) {
    out << "## Position shifts\n\n";
    const auto name = [](const std::optional<Stance>& stance) {
      return stance ? std::string(to_string(*stance)) : std::string("mixed");
    };
    for (const PositionShift& shift : analysis.shifts()) {
      out << "- **" << md(shift.row) << "** on **" << md(shift.issue)
          << "**: " << name(shift.from_stance) << " (" << range_text(shift.from) << ") \u2192 "
          << name(shift.to_stance) << " (" << range_text(shift.to) << ")\n";
      for (const std::size_t index : shift.from_evidence) write_evidence_line(out, analysis, index);
      for (const std::size_t index : shift.to_evidence) write_evidence_line(out, analysis, index);
    }
    out << '\n';
  }

  if (!matrix.empty()) {
    out << "## Evidence\n\n";
    for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
      for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
        const auto evidence = analysis.overall().evidence(a, i);
        if (evidence.empty()) continue;
        out << "- **" << md(matrix.actors()[a]) << "** \u00d7 **" << md(matrix.issues()[i])
            << "**: " << cell_text(matrix.cell(a, i)) << '\n';
        for (const std::size_t index : evidence) write_evidence_line(out, analysis, index);
      }
    }
  }
}

}  // namespace stance
