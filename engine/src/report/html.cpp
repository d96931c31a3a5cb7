// HTML: one self-contained page. The SVG (heatmap, timeline, agreement matrix) is drawn here, so
// the page reads fine with scripts off and in print; the inline script only adds the evidence
// panel, hover read-outs and the #selftest hook. Nothing is fetched from the network.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "report/format.hpp"
#include "report/json_record.hpp"
#include "stance/report.hpp"

namespace stance {

namespace {

using report_internal::number;
using report_internal::xml_escape;
using Json = nlohmann::ordered_json;

// Character width of the 12px sans-serif labels, for laying out SVG without measuring text.
// Slightly generous so the longest label never touches its neighbour.
constexpr double kCharWidth = 7.2;

constexpr const char* kDemandColour = "#1a9850";
constexpr const char* kAcceptColour = "#1c8fa8";
constexpr const char* kRejectColour = "#d7301f";
constexpr const char* kContestedColour = "#f0a500";

const char* stance_colour(Stance stance) {
  switch (stance) {
    case Stance::demand: return kDemandColour;
    case Stance::accept: return kAcceptColour;
    case Stance::reject: return kRejectColour;
  }
  return "#888";
}

// Diverging scale for a value in [-1, 1]: red (against) through pale grey to green (support).
std::string diverging(double value) {
  value = std::clamp(value, -1.0, 1.0);
  struct Rgb {
    double r, g, b;
  };
  constexpr Rgb kNegative{215, 48, 31};
  constexpr Rgb kNeutral{240, 240, 236};
  constexpr Rgb kPositive{26, 152, 80};
  const Rgb& end = value < 0 ? kNegative : kPositive;
  const double t = std::abs(value);
  const auto mix = [&](double from, double to) {
    return static_cast<int>(std::lround(from + (to - from) * t));
  };
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", mix(kNeutral.r, end.r), mix(kNeutral.g, end.g),
                mix(kNeutral.b, end.b));
  return text;
}

// Dark text on pale fills, white on strong ones.
const char* ink_on(double value) { return std::abs(value) > 0.55 ? "#fff" : "#222"; }

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

double label_width(const std::vector<std::string>& labels, double minimum) {
  double width = minimum;
  for (const std::string& label : labels) {
    width = std::max(width, static_cast<double>(code_points(label)) * kCharWidth);
  }
  return width;
}

std::string px(double value) { return number(value, 1); }

std::string signed_number(double value, int decimals) {
  const std::string text = number(value, decimals);
  return value > 0 && text != "0" ? "+" + text : text;
}

// What a heatmap cell shows: its counts, compact ("D1A2R1"); contested cells are framed.
std::string cell_label(const CellStats& cell) {
  std::string label = report_internal::count_glyphs(cell);
  std::erase(label, ' ');
  return label;
}

std::string cell_summary(const CellStats& cell) {
  std::string text =
      report_internal::count_glyphs(cell) + ", net " + signed_number(cell.net().value_or(0.0), 2);
  if (cell.contested()) text += ", contested";
  return text;
}

// --- the heatmap --------------------------------------------------------------------------------

void write_heatmap(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  const StanceMatrix& matrix = analysis.overall().matrix;
  // Wide enough for the longest count label, e.g. "D1A2R1".
  double longest_label = 0;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      longest_label =
          std::max(longest_label, static_cast<double>(cell_label(matrix.cell(a, i)).size()));
    }
  }
  const double cell_width = std::max(40.0, longest_label * 7.4 + 8);
  constexpr double kCellHeight = 28;
  const double left = label_width(matrix.actors(), 60) + 14;
  const double longest_issue = label_width(matrix.issues(), 40);
  const double top = longest_issue * 0.7071 + 18;
  // Column labels lean right; only the last few can reach past the grid.
  double label_right = left + cell_width * static_cast<double>(matrix.issues().size());
  for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
    const double start = left + cell_width * (static_cast<double>(i) + 0.5) - 4;
    label_right =
        std::max(label_right, start + static_cast<double>(code_points(matrix.issues()[i])) *
                                          kCharWidth * 0.7071);
  }
  const double width = label_right + 10;
  const double height = top + kCellHeight * static_cast<double>(matrix.actors().size()) + 6;

  out << "<svg id=\"heatmap\" class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << px(width) << "\" height=\"" << px(height) << "\" viewBox=\"0 0 " << px(width) << ' '
      << px(height) << "\" role=\"img\" aria-label=\"Stance heatmap: " << matrix.actors().size()
      << " rows by " << matrix.issues().size() << " issues\">\n";
  for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
    const std::string& issue = matrix.issues()[i];
    const double x = left + cell_width * (static_cast<double>(i) + 0.5);
    out << "<text class=\"col-label\" data-issue-index=\"" << i << "\" transform=\"translate("
        << px(x - 4) << ',' << px(top - 6) << ") rotate(-45)\">" << xml_escape(issue);
    const auto proposition = context.issue_propositions.find(issue);
    if (proposition != context.issue_propositions.end()) {
      out << "<title>" << xml_escape(issue) << ": " << xml_escape(proposition->second)
          << "</title>";
    }
    out << "</text>\n";
  }
  std::size_t data_cell = 0;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    const std::string& row = matrix.actors()[a];
    const double y = top + kCellHeight * static_cast<double>(a);
    out << "<text class=\"row-label\" data-row-index=\"" << a << "\" x=\"" << px(left - 8)
        << "\" y=\"" << px(y + kCellHeight / 2 + 4) << "\" text-anchor=\"end\">" << xml_escape(row);
    const auto name = context.actor_names.find(row);
    if (name != context.actor_names.end() && name->second != row) {
      out << "<title>" << xml_escape(name->second) << "</title>";
    }
    out << "</text>\n";
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const double x = left + cell_width * static_cast<double>(i);
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) {
        out << "<rect class=\"empty\" x=\"" << px(x + 1) << "\" y=\"" << px(y + 1) << "\" width=\""
            << px(cell_width - 2) << "\" height=\"" << px(kCellHeight - 2) << "\"/>\n";
        continue;
      }
      const double net = cell.net().value_or(0.0);
      out << "<g class=\"cell" << (cell.contested() ? " contested" : "") << "\" data-cell=\""
          << data_cell++ << "\" data-row=\"" << xml_escape(row) << "\" data-issue=\""
          << xml_escape(matrix.issues()[i]) << "\" data-row-index=\"" << a
          << "\" data-issue-index=\"" << i << "\" tabindex=\"0\" role=\"button\">"
          << "<title>" << xml_escape(row) << " \u00d7 " << xml_escape(matrix.issues()[i]) << ": "
          << xml_escape(cell_summary(cell)) << "</title>"
          << "<rect x=\"" << px(x + 1) << "\" y=\"" << px(y + 1) << "\" width=\""
          << px(cell_width - 2) << "\" height=\"" << px(kCellHeight - 2) << "\" rx=\"3\" fill=\""
          << diverging(net) << "\"/>"
          << "<text x=\"" << px(x + cell_width / 2) << "\" y=\"" << px(y + kCellHeight / 2 + 4)
          << "\" text-anchor=\"middle\" fill=\"" << ink_on(net) << "\">"
          << xml_escape(cell_label(cell)) << "</text></g>\n";
    }
  }
  out << "</svg>\n";
}

// --- the timeline -------------------------------------------------------------------------------

// Month (or, over long spans, year) ticks between two day numbers.
std::vector<long> ticks(long first, long last) {
  std::vector<long> result;
  const bool yearly = last - first > 900;
  std::string date = iso_date(first);
  int year = std::stoi(date.substr(0, 4));
  int month = yearly ? 1 : std::stoi(date.substr(5, 2));
  for (;;) {
    if (yearly) {
      ++year;
    } else if (++month > 12) {
      month = 1;
      ++year;
    }
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-01", year, month);
    const long day = *day_number(text);
    if (day > last) break;
    result.push_back(day);
  }
  return result;
}

void write_timeline(std::ostream& out, const Analysis& analysis) {
  const Slice& overall = analysis.overall();
  const StanceMatrix& matrix = overall.matrix;
  const auto records = analysis.records();

  // The plotted records are the matrix's, so the timeline never shows what min-count dropped.
  long first = 0;
  long last = 0;
  bool any_dated = false;
  bool any_undated = false;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      for (const std::size_t index : overall.evidence(a, i)) {
        const auto day = day_number(records[index].date);
        if (!day) {
          any_undated = true;
          continue;
        }
        first = any_dated ? std::min(first, *day) : *day;
        last = any_dated ? std::max(last, *day) : *day;
        any_dated = true;
      }
    }
  }
  if (!any_dated && !any_undated) {
    out << "<p class=\"hint\">No records to place on a timeline.</p>\n";
    return;
  }
  // A little room either side so the first and last marks are not cut in half.
  const long span = std::max(1L, last - first);
  const double pad = static_cast<double>(span) * 0.03 + 1.0;
  const double from = static_cast<double>(first) - pad;
  const double to = static_cast<double>(last) + pad;

  std::vector<std::string> track_labels;
  for (const std::string& issue : matrix.issues()) track_labels.push_back(issue);
  for (const std::string& row : matrix.actors()) track_labels.push_back(row);
  const double left = label_width(track_labels, 80) + 24;
  constexpr double kPlotWidth = 640;
  constexpr double kTrack = 20;
  constexpr double kHeader = 24;
  constexpr double kAxis = 26;
  const auto x_of = [&](double day) { return left + (day - from) / (to - from) * kPlotWidth; };

  // Rows: an actor header, then one track per issue the actor has evidence on.
  double height = kAxis;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    height += kHeader;
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      if (!overall.evidence(a, i).empty()) height += kTrack;
    }
  }
  height += kAxis;
  // Undated records get a column of their own right of the dates, so no track looks empty.
  constexpr double kUndatedWidth = 90;
  const double undated_x = left + kPlotWidth + 44;
  const double width = left + kPlotWidth + 16 + (any_undated ? kUndatedWidth : 0);

  out << "<svg id=\"timeline-svg\" class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << px(width) << "\" height=\"" << px(height) << "\" viewBox=\"0 0 " << px(width) << ' '
      << px(height) << "\" role=\"img\" aria-label=\"Positions over time\">\n";
  if (any_undated) {
    out << "<line class=\"grid\" x1=\"" << px(undated_x - 16) << "\" x2=\"" << px(undated_x - 16)
        << "\" y1=\"" << px(kAxis - 6) << "\" y2=\"" << px(height - kAxis + 6) << "\"/>"
        << "<text class=\"tick\" x=\"" << px(undated_x + 8) << "\" y=\"" << px(kAxis - 10)
        << "\" text-anchor=\"middle\">undated</text>\n";
  }
  for (const long tick : any_dated
                             ? ticks(first - static_cast<long>(pad), last + static_cast<long>(pad))
                             : std::vector<long>{}) {
    const double x = x_of(static_cast<double>(tick));
    const std::string label = iso_date(tick).substr(0, last - first > 900 ? 4 : 7);
    out << "<line class=\"grid\" x1=\"" << px(x) << "\" x2=\"" << px(x) << "\" y1=\""
        << px(kAxis - 6) << "\" y2=\"" << px(height - kAxis + 6) << "\"/>"
        << "<text class=\"tick\" x=\"" << px(x) << "\" y=\"" << px(kAxis - 10)
        << "\" text-anchor=\"middle\">" << label << "</text>"
        << "<text class=\"tick\" x=\"" << px(x) << "\" y=\"" << px(height - kAxis + 20)
        << "\" text-anchor=\"middle\">" << label << "</text>\n";
  }

  const auto windows = analysis.windows();
  double y = kAxis;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    const std::string& row = matrix.actors()[a];
    out << "<text class=\"actor-label\" x=\"6\" y=\"" << px(y + 16) << "\">" << xml_escape(row)
        << "</text>\n";
    y += kHeader;
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const auto evidence = overall.evidence(a, i);
      if (evidence.empty()) continue;
      const std::string& issue = matrix.issues()[i];
      const double middle = y + kTrack / 2;
      out << "<g class=\"track\" data-row=\"" << xml_escape(row) << "\" data-issue=\""
          << xml_escape(issue) << "\">"
          << "<text class=\"track-label\" x=\"" << px(left - 8) << "\" y=\"" << px(middle + 4)
          << "\" text-anchor=\"end\">" << xml_escape(issue) << "</text>"
          << "<line class=\"track-line\" x1=\"" << px(left) << "\" x2=\"" << px(left + kPlotWidth)
          << "\" y1=\"" << px(middle) << "\" y2=\"" << px(middle) << "\"/>\n";
      // With windows, each window's net position for this cell is a band behind the marks.
      for (const Slice& window : windows) {
        const auto r = window.matrix.find_actor(row);
        const auto c = window.matrix.find_issue(issue);
        if (!r || !c) continue;
        const CellStats cell = window.matrix.cell(*r, *c);
        if (cell.empty()) continue;
        const double x1 =
            std::max(left, x_of(static_cast<double>(*day_number(window.range.first))));
        const double x2 = std::min(left + kPlotWidth,
                                   x_of(static_cast<double>(*day_number(window.range.last) + 1)));
        if (x2 <= x1) continue;
        out << "<rect class=\"band\" x=\"" << px(x1) << "\" y=\"" << px(y + 2) << "\" width=\""
            << px(x2 - x1) << "\" height=\"" << px(kTrack - 4) << "\" fill=\""
            << diverging(cell.net().value_or(0.0)) << "\"><title>" << window.range.first << " .. "
            << window.range.last << ": " << xml_escape(cell_summary(cell)) << "</title></rect>\n";
      }
      // Marks on the same day sit side by side rather than on top of each other.
      // Evidence is in date order (undated last); a mark that would overlap the one before it
      // moves right, so close dates stay readable (the tooltip keeps the exact date).
      double previous_x = -1e9;
      for (const std::size_t index : evidence) {
        const StanceRecord& record = records[index];
        const auto day = day_number(record.date);
        const double x =
            std::max(day ? x_of(static_cast<double>(*day)) : undated_x, previous_x + 15.0);
        previous_x = x;
        out << "<g class=\"mark" << (analysis.counted(index) ? "" : " repeat")
            << "\" data-record=\"" << index << "\" tabindex=\"0\" role=\"button\">"
            << "<title>" << xml_escape(record.date.empty() ? "undated" : record.date) << ' '
            << to_string(record.stance) << ": " << xml_escape(record.evidence) << "</title>"
            << "<circle cx=\"" << px(x) << "\" cy=\"" << px(middle) << "\" r=\"7\" fill=\""
            << stance_colour(record.stance) << "\"/>"
            << "<text x=\"" << px(x) << "\" y=\"" << px(middle + 3.5)
            << "\" text-anchor=\"middle\">" << report_internal::glyph(record.stance)
            << "</text></g>\n";
      }
      out << "</g>\n";
      y += kTrack;
    }
  }
  out << "</svg>\n";
}

// --- the agreement matrix -----------------------------------------------------------------------

void write_agreement(std::ostream& out, const Analysis& analysis) {
  const AgreementMatrix& agreement = analysis.agreement();
  if (agreement.size() < 2) {
    out << "<p class=\"hint\">Agreement needs at least two actors.</p>\n";
    return;
  }
  // Coalition members next to each other, so blocks of agreement show as squares.
  std::vector<std::size_t> order;
  std::vector<std::pair<std::size_t, std::size_t>> blocks;  // [begin, end) in `order`
  for (const auto& coalition : analysis.coalitions()) {
    const std::size_t begin = order.size();
    for (const std::string& actor : coalition) {
      const auto found = std::find(agreement.actors().begin(), agreement.actors().end(), actor);
      order.push_back(static_cast<std::size_t>(found - agreement.actors().begin()));
    }
    if (coalition.size() > 1) blocks.emplace_back(begin, order.size());
  }
  std::vector<std::string> labels;
  for (const std::size_t a : order) labels.push_back(agreement.actors()[a]);

  constexpr double kCell = 30;
  const double left = label_width(labels, 60) + 14;
  const double longest = label_width(labels, 40);
  const double top = longest * 0.7071 + 16;
  const double n = static_cast<double>(order.size());
  const double width = left + kCell * n + longest * 0.7071 + 10;
  const double height = top + kCell * n + 6;

  out << "<svg id=\"agreement-svg\" class=\"agreement\" xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\""
      << px(width) << "\" height=\"" << px(height) << "\" viewBox=\"0 0 " << px(width) << ' '
      << px(height) << "\" role=\"img\" aria-label=\"Agreement between actors\">\n";
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double offset = kCell * static_cast<double>(k);
    out << "<text class=\"row-label\" x=\"" << px(left - 8) << "\" y=\""
        << px(top + offset + kCell / 2 + 4) << "\" text-anchor=\"end\">" << xml_escape(labels[k])
        << "</text><text class=\"col-label\" transform=\"translate("
        << px(left + offset + kCell / 2 - 3) << ',' << px(top - 6) << ") rotate(-45)\">"
        << xml_escape(labels[k]) << "</text>\n";
  }
  for (std::size_t r = 0; r < order.size(); ++r) {
    for (std::size_t c = 0; c < order.size(); ++c) {
      const std::size_t a = order[r];
      const std::size_t b = order[c];
      const double x = left + kCell * static_cast<double>(c);
      const double y = top + kCell * static_cast<double>(r);
      const double either = agreement.issues_either(a, b);
      // Pairs without an issue both took a side on have nothing to compare: drawn blank, not 0.
      if (a == b || agreement.agreement(a, b) + agreement.conflict(a, b) == 0.0) {
        out << "<rect class=\"" << (a == b ? "diagonal" : "empty") << "\" x=\"" << px(x + 1)
            << "\" y=\"" << px(y + 1) << "\" width=\"" << px(kCell - 2) << "\" height=\""
            << px(kCell - 2) << "\"/>\n";
        continue;
      }
      const double congruence = agreement.congruence(a, b);
      out << "<g class=\"pair\" data-a=\"" << xml_escape(labels[r]) << "\" data-b=\""
          << xml_escape(labels[c]) << "\"><title>" << xml_escape(labels[r]) << " & "
          << xml_escape(labels[c]) << ": agreement " << number(agreement.agreement(a, b), 2)
          << ", conflict " << number(agreement.conflict(a, b), 2) << " over " << number(either, 0)
          << " issue" << (either == 1.0 ? "" : "s") << "</title>"
          << "<rect x=\"" << px(x + 1) << "\" y=\"" << px(y + 1) << "\" width=\"" << px(kCell - 2)
          << "\" height=\"" << px(kCell - 2) << "\" fill=\"" << diverging(congruence) << "\"/>"
          << "<text x=\"" << px(x + kCell / 2) << "\" y=\"" << px(y + kCell / 2 + 4)
          << "\" text-anchor=\"middle\" fill=\"" << ink_on(congruence) << "\">"
          << signed_number(congruence, 1) << "</text></g>\n";
    }
  }
  for (const auto& [begin, end] : blocks) {
    const double offset = kCell * static_cast<double>(begin);
    const double size = kCell * static_cast<double>(end - begin);
    out << "<rect class=\"coalition\" x=\"" << px(left + offset) << "\" y=\"" << px(top + offset)
        << "\" width=\"" << px(size) << "\" height=\"" << px(size) << "\"/>\n";
  }
  out << "</svg>\n";
}

// --- server-rendered lists ----------------------------------------------------------------------

void write_quote(std::ostream& out, const Analysis& analysis, std::size_t index) {
  const StanceRecord& record = analysis.records()[index];
  out << "<li class=\"quote\"><span class=\"badge " << to_string(record.stance) << "\">"
      << to_string(record.stance) << "</span> <span class=\"meta\">"
      << xml_escape(record.date.empty() ? "undated" : record.date) << " \u00b7 "
      << xml_escape(record.source) << " \u00b7 " << xml_escape(record.article) << ", sentence "
      << record.sentence << " \u00b7 rule " << xml_escape(record.rule) << "</span>";
  if (!record.reported_by.empty()) {
    out << " <span class=\"tag\">reported by " << xml_escape(record.reported_by) << "</span>";
  }
  if (!analysis.counted(index)) out << " <span class=\"tag\">repeat mention, not counted</span>";
  out << "<blockquote>" << xml_escape(record.evidence) << "</blockquote></li>\n";
}

std::string range_text(const DateRange& range) {
  return range.first == range.last ? range.first : range.first + " \u2013 " + range.last;
}

void write_shifts(std::ostream& out, const Analysis& analysis) {
  if (analysis.shifts().empty()) {
    out << "<p class=\"hint\">No actor changed sides on an issue"
        << (analysis.windows().empty() ? " between dates" : " between windows") << ".</p>\n";
    return;
  }
  const auto name = [](const std::optional<Stance>& stance) {
    return stance ? std::string(to_string(*stance)) : std::string("mixed");
  };
  out << "<ol class=\"shifts\">\n";
  for (const PositionShift& shift : analysis.shifts()) {
    out << "<li><p><strong>" << xml_escape(shift.row) << "</strong> on <strong>"
        << xml_escape(shift.issue) << "</strong>: <span class=\"badge " << name(shift.from_stance)
        << "\">" << name(shift.from_stance) << "</span> (" << range_text(shift.from) << ", net "
        << signed_number(shift.from_net, 2) << ") \u2192 <span class=\"badge "
        << name(shift.to_stance) << "\">" << name(shift.to_stance) << "</span> ("
        << range_text(shift.to) << ", net " << signed_number(shift.to_net, 2) << ")</p>\n"
        << "<div class=\"sides\"><div><h4>Before</h4><ul class=\"quotes\">\n";
    for (const std::size_t index : shift.from_evidence) write_quote(out, analysis, index);
    out << "</ul></div><div><h4>After</h4><ul class=\"quotes\">\n";
    for (const std::size_t index : shift.to_evidence) write_quote(out, analysis, index);
    out << "</ul></div></div></li>\n";
  }
  out << "</ol>\n";
}

void write_polarisation(std::ostream& out, const Analysis& analysis) {
  out << "<table class=\"polarisation\"><thead><tr><th>issue</th><th>supporters</th>"
         "<th>opponents</th><th>balanced</th><th>contested</th><th>mean net</th>"
         "<th>polarisation</th></tr></thead><tbody>\n";
  for (const IssuePolarisation& issue : analysis.polarisation()) {
    const double bar = 120.0 * issue.polarisation;
    out << "<tr><td>" << xml_escape(issue.issue) << "</td><td>" << issue.supporters << "</td><td>"
        << issue.opponents << "</td><td>" << issue.balanced << "</td><td>" << issue.contested
        << "</td><td>" << signed_number(issue.mean_net, 2) << "</td><td><svg width=\"160\" "
        << "height=\"12\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"120\" height=\"12\" "
        << "fill=\"#eee\"/><rect width=\"" << px(bar) << "\" height=\"12\" fill=\""
        << kContestedColour << "\"/><text x=\"126\" y=\"10\">" << number(issue.polarisation, 2)
        << "</text></svg></td></tr>\n";
  }
  out << "</tbody></table>\n";
}

// --- the data the script reads ------------------------------------------------------------------

Json page_data(const Analysis& analysis, const ReportContext& context) {
  const Slice& overall = analysis.overall();
  const StanceMatrix& matrix = overall.matrix;
  const auto records = analysis.records();

  auto cells = Json::array();
  std::vector<bool> shown(records.size(), false);
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) continue;
      Json json;
      json["row"] = matrix.actors()[a];
      json["issue"] = matrix.issues()[i];
      json["summary"] = cell_summary(cell);
      json["net"] = std::round(cell.net().value_or(0.0) * 1e4) / 1e4;
      json["contested"] = cell.contested();
      auto evidence = Json::array();
      for (const std::size_t index : overall.evidence(a, i)) {
        evidence.push_back(index);
        shown[index] = true;
      }
      json["evidence"] = std::move(evidence);
      cells.push_back(std::move(json));
    }
  }
  // Only the records some cell shows, keyed by their index (the event list's id minus one).
  Json by_index = Json::object();
  for (std::size_t k = 0; k < records.size(); ++k) {
    if (!shown[k]) continue;
    const StanceRecord& record = records[k];
    Json json;
    json["id"] = k + 1;
    json["article"] = record.article;
    json["sentence"] = record.sentence;
    json["date"] = record.date;
    json["source"] = record.source;
    json["actor"] = record.actor;
    json["issue"] = record.issue;
    json["stance"] = std::string(to_string(record.stance));
    json["confidence"] = std::round(record.confidence * 100.0) / 100.0;
    json["rule"] = record.rule;
    json["reported_by"] = record.reported_by;
    json["counted"] = analysis.counted(k);
    // The cue split out of the evidence here, where the byte offsets mean something; the script
    // only joins strings.
    std::string before = record.evidence;
    std::string cue;
    std::string after;
    if (record.cue_span.begin >= record.span.begin && record.cue_span.end <= record.span.end &&
        record.cue_span.begin < record.cue_span.end &&
        record.span.end - record.span.begin == record.evidence.size()) {
      const std::size_t begin = record.cue_span.begin - record.span.begin;
      const std::size_t end = record.cue_span.end - record.span.begin;
      before = record.evidence.substr(0, begin);
      cue = record.evidence.substr(begin, end - begin);
      after = record.evidence.substr(end);
    }
    json["text"] = Json::array({before, cue, after});
    by_index[std::to_string(k)] = std::move(json);
  }
  Json data;
  data["title"] = context.title;
  data["cells"] = std::move(cells);
  data["records"] = std::move(by_index);
  return data;
}

// JSON inside <script> must not contain "</script>" or "<!--"; escaping every '<', '>' and '&'
// (they can only occur inside strings) rules that out and keeps the JSON valid.
std::string script_safe(std::string_view json) {
  std::string safe;
  safe.reserve(json.size());
  for (const char c : json) {
    switch (c) {
      case '<': safe += "\\u003c"; break;
      case '>': safe += "\\u003e"; break;
      case '&': safe += "\\u0026"; break;
      default: safe += c;
    }
  }
  return safe;
}

constexpr std::string_view kStyle = R"CSS(
:root { --ink: #222; --muted: #666; --line: #ddd; --panel: #fafaf7;
  --demand: #1a9850; --accept: #1c8fa8; --reject: #d7301f; --contested: #f0a500; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif;
  color: var(--ink); background: #fff; }
header { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 22px; }
.meta { color: var(--muted); font-size: 13px; }
main { padding: 8px 28px 40px; }
section { margin: 22px 0 30px; }
h2 { font-size: 17px; margin: 0 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { margin: 4px 0; font-size: 13px; color: var(--muted); }
.hint { color: var(--muted); font-style: italic; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 13px; margin: 0 0 8px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px; margin-right: 4px; }
.scale { display: inline-block; width: 120px; height: 12px; vertical-align: -1px; border-radius: 2px;
  background: linear-gradient(90deg, #d7301f, #f0f0ec, #1a9850); margin: 0 4px; }
.layout { display: grid; grid-template-columns: minmax(0, max-content) minmax(300px, 380px); gap: 22px;
  align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } }
.scroll { overflow-x: auto; max-width: 100%; }
svg text { font: 12px system-ui, "DejaVu Sans", Helvetica, Arial, sans-serif; fill: var(--ink); }
svg .cell { cursor: pointer; }
svg .cell rect { stroke: #fff; stroke-width: 1; }
svg .cell.contested rect { stroke: var(--contested); stroke-width: 3; }
svg .cell:hover rect, svg .cell:focus rect { stroke: #000; stroke-width: 2; }
svg .cell.selected rect { stroke: #000; stroke-width: 3; }
svg .cell text { font-size: 11px; font-weight: 600; pointer-events: none; }
svg .empty { fill: #f7f7f5; stroke: #fff; }
svg .diagonal { fill: #e4e4e0; }
svg .row-label.hot, svg .col-label.hot { font-weight: 700; fill: #000; }
svg .grid { stroke: #eee; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .actor-label { font-weight: 700; }
svg .track-label { fill: #444; }
svg .track-line { stroke: #ccc; stroke-dasharray: 2 3; }
svg .band { opacity: 0.5; }
svg .mark { cursor: pointer; }
svg .mark text { fill: #fff; font-size: 9px; font-weight: 700; pointer-events: none; }
svg .mark.repeat circle { opacity: 0.45; }
svg .mark:hover circle, svg .mark.selected circle { stroke: #000; stroke-width: 2; }
svg .pair text { font-size: 10px; }
svg .coalition { fill: none; stroke: #333; stroke-width: 2; }
.panel { position: sticky; top: 10px; max-height: calc(100vh - 20px); overflow-y: auto; background: var(--panel);
  border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
.panel h3 { margin: 0 0 4px; font-size: 15px; }
.panel .summary { color: var(--muted); margin: 0 0 8px; }
.evidence-list, .quotes { list-style: none; margin: 0; padding: 0; }
.evidence-item, .quote { border-top: 1px solid var(--line); padding: 8px 0; }
blockquote { margin: 4px 0 0; padding-left: 10px; border-left: 3px solid var(--line); }
mark { background: #fff1b8; padding: 0 1px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; color: #fff; font-size: 12px;
  background: #888; }
.badge.demand { background: var(--demand); } .badge.accept { background: var(--accept); }
.badge.reject { background: var(--reject); } .badge.mixed { background: var(--contested); }
.tag { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 6px; padding: 0 4px; }
#hover-info { min-height: 20px; color: var(--muted); font-size: 13px; }
table.polarisation { border-collapse: collapse; }
table.polarisation th, table.polarisation td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
table.polarisation svg text { font-size: 11px; }
.coalitions li { margin: 2px 0; }
.shifts > li { margin-bottom: 14px; }
.sides { display: flex; gap: 18px; flex-wrap: wrap; }
.sides > div { flex: 1 1 300px; }
dl.issues { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
dl.issues dt { font-weight: 600; } dl.issues dd { margin: 0; color: #444; }
#selftest-result { display: none; }
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stance-data").textContent);
  var panel = document.getElementById("evidence");
  var detail = document.getElementById("timeline-detail");
  var hover = document.getElementById("hover-info");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function recordItem(record) {
    var item = el("li", "evidence-item");
    var head = el("div");
    head.appendChild(el("span", "badge " + record.stance, record.stance));
    var meta = [record.date || "undated", record.source, record.article + ", sentence " + record.sentence,
                "rule " + record.rule, "confidence " + record.confidence].filter(Boolean).join(" \u00b7 ");
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "meta", meta));
    if (record.reported_by) { head.appendChild(document.createTextNode(" ")); head.appendChild(el("span", "tag", "reported by " + record.reported_by)); }
    if (!record.counted) { head.appendChild(document.createTextNode(" ")); head.appendChild(el("span", "tag", "repeat mention, not counted")); }
    item.appendChild(head);
    var quote = el("blockquote", "evidence-text");
    quote.appendChild(document.createTextNode(record.text[0]));
    if (record.text[1]) quote.appendChild(el("mark", null, record.text[1]));
    quote.appendChild(document.createTextNode(record.text[2]));
    item.appendChild(quote);
    return item;
  }

  function select(selector, node) {
    document.querySelectorAll(selector + ".selected").forEach(function (n) { n.classList.remove("selected"); });
    if (node) node.classList.add("selected");
  }

  function showCell(index) {
    var cell = data.cells[index];
    if (!cell) return false;
    panel.replaceChildren();
    panel.appendChild(el("h3", null, cell.row + " \u00d7 " + cell.issue));
    panel.appendChild(el("p", "summary", cell.summary + " \u00b7 " + cell.evidence.length + " record" + (cell.evidence.length === 1 ? "" : "s")));
    var list = el("ul", "evidence-list");
    cell.evidence.forEach(function (id) { list.appendChild(recordItem(data.records[id])); });
    panel.appendChild(list);
    select("#heatmap .cell", document.querySelector('#heatmap .cell[data-cell="' + index + '"]'));
    return true;
  }

  function highlight(node, on) {
    var row = node.getAttribute("data-row-index"), issue = node.getAttribute("data-issue-index");
    document.querySelectorAll('#heatmap .row-label[data-row-index="' + row + '"], #heatmap .col-label[data-issue-index="' + issue + '"]')
      .forEach(function (label) { label.classList.toggle("hot", on); });
    var cell = data.cells[+node.getAttribute("data-cell")];
    hover.textContent = on ? cell.row + " \u00d7 " + cell.issue + ": " + cell.summary : "";
  }

  document.querySelectorAll("#heatmap .cell").forEach(function (node) {
    var index = +node.getAttribute("data-cell");
    node.addEventListener("click", function () { showCell(index); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); showCell(index); }
    });
    node.addEventListener("mouseenter", function () { highlight(node, true); });
    node.addEventListener("mouseleave", function () { highlight(node, false); });
  });

  document.querySelectorAll("#timeline-svg .mark").forEach(function (node) {
    function open() {
      var record = data.records[node.getAttribute("data-record")];
      detail.replaceChildren();
      var list = el("ul", "evidence-list");
      list.appendChild(recordItem(record));
      detail.appendChild(el("h3", null, record.actor + " \u00d7 " + record.issue));
      detail.appendChild(list);
      select("#timeline-svg .mark", node);
    }
    node.addEventListener("click", open);
    node.addEventListener("keydown", function (event) { if (event.key === "Enter") open(); });
  });

  function selftest() {
    var cells = document.querySelectorAll("#heatmap .cell");
    var keys = {};
    cells.forEach(function (node) { keys[node.getAttribute("data-row") + "\u0001" + node.getAttribute("data-issue")] = true; });
    var result = { cells: cells.length, expected_cells: data.cells.length, unique_cells: Object.keys(keys).length,
                   empty_cells: document.querySelectorAll("#heatmap rect.empty").length };
    if (cells.length > 0) {
      cells[0].dispatchEvent(new MouseEvent("click", { bubbles: true }));
      var cell = data.cells[+cells[0].getAttribute("data-cell")];
      var items = panel.querySelectorAll(".evidence-item");
      result.clicked = { row: cell.row, issue: cell.issue, expected_evidence: cell.evidence.length,
                         shown_evidence: items.length,
                         texts: Array.prototype.map.call(panel.querySelectorAll(".evidence-text"), function (q) { return q.textContent; }),
                         heading: (panel.querySelector("h3") || {}).textContent };
    }
    result.ok = result.cells === result.expected_cells && result.unique_cells === result.cells &&
                (result.cells === 0 || (result.clicked.shown_evidence === result.clicked.expected_evidence && result.clicked.shown_evidence > 0));
    var out = document.getElementById("selftest-result");
    out.textContent = JSON.stringify(result);
    document.body.setAttribute("data-selftest", result.ok ? "pass" : "fail");
  }

  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash === "selftest") {
    selftest();
  } else if (hash.indexOf("cell=") === 0) {
    showCell(+hash.slice(5));
  }
})();
)JS";

}  // namespace

void write_html(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  const AnalysisOptions& options = analysis.options();
  const StanceMatrix& matrix = analysis.overall().matrix;
  const std::string row_label(to_string(options.rows));

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // No request may leave the page: a report is often opened from an archive, offline.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
         "<title>"
      << xml_escape(context.title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n";

  out << "<header><h1>" << xml_escape(context.title) << "</h1><p class=\"meta\">"
      << context.articles << " article" << (context.articles == 1 ? "" : "s") << " \u00b7 "
      << analysis.records().size() << " record" << (analysis.records().size() == 1 ? "" : "s");
  if (!analysis.dates().first.empty()) out << " \u00b7 " << range_text(analysis.dates());
  if (!context.rules.empty()) out << " \u00b7 rules " << xml_escape(context.rules);
  out << " \u00b7 rows: " << row_label << " \u00b7 counted once per "
      << (options.count == CountMode::article ? "article" : "mention");
  if (options.min_count > 0) {
    out << " \u00b7 cells with \u2265 " << number(options.min_count) << " records";
  }
  if (!options.filter.since.empty() || !options.filter.until.empty()) {
    out << " \u00b7 period "
        << xml_escape(options.filter.since.empty() ? "\u2026" : options.filter.since) << " \u2013 "
        << xml_escape(options.filter.until.empty() ? "\u2026" : options.filter.until);
  }
  out << "</p>";
  if (!context.generated.empty()) {
    out << "<p class=\"meta\">" << xml_escape(context.generated) << "</p>";
  }
  out << "</header>\n<main>\n";

  out << "<section id=\"matrix\"><h2>Stance matrix</h2>\n"
         "<div class=\"legend\"><span><span class=\"scale\"></span> net position: "
         "\u22121 only rejected \u2026 +1 only supported</span>"
         "<span>D demand \u00b7 A accept \u00b7 R reject (counts)</span>"
         "<span><span class=\"swatch\" style=\"border:3px solid "
      << kContestedColour << "\"></span>\u00b1 contested: supported and rejected</span></div>\n"
      << "<div id=\"hover-info\" aria-live=\"polite\"></div>\n<div class=\"layout\"><div "
         "class=\"scroll\">\n";
  if (matrix.empty()) {
    out << "<p class=\"hint\">No stance records.</p>\n";
  } else {
    write_heatmap(out, analysis, context);
  }
  out << "</div>\n<aside id=\"evidence\" class=\"panel\" aria-live=\"polite\"><p class=\"hint\">"
         "Click a cell to read its evidence.</p></aside></div>\n";
  bool any_proposition = false;
  for (const std::string& issue : matrix.issues()) {
    const auto found = context.issue_propositions.find(issue);
    if (found == context.issue_propositions.end()) continue;
    if (!any_proposition) out << "<details><summary>Issues</summary><dl class=\"issues\">\n";
    any_proposition = true;
    out << "<dt>" << xml_escape(issue) << "</dt><dd>" << xml_escape(found->second) << "</dd>\n";
  }
  if (any_proposition) out << "</dl></details>\n";
  out << "</section>\n";

  out << "<section id=\"timeline\"><h2>Positions over time</h2>\n<div class=\"legend\">"
         "<span><span class=\"swatch\" style=\"background:"
      << kDemandColour
      << "\"></span>demand</span><span><span class=\"swatch\" style=\"background:" << kAcceptColour
      << "\"></span>accept</span><span><span class=\"swatch\" style=\"background:" << kRejectColour
      << "\"></span>reject</span><span>faded: repeat mention</span>";
  if (!analysis.windows().empty()) out << "<span>bands: net position per window</span>";
  out << "</div>\n<div class=\"layout\"><div class=\"scroll\">\n";
  write_timeline(out, analysis);
  out << "</div>\n<aside id=\"timeline-detail\" class=\"panel\" aria-live=\"polite\"><p "
         "class=\"hint\">"
         "Click a mark to read the statement.</p></aside></div>\n</section>\n";

  out << "<section id=\"agreement\"><h2>Agreement between " << row_label
      << "s</h2>\n"
         "<p class=\"meta\">Congruence = agreement \u2212 conflict, where agreement (conflict) is "
         "the "
         "share of the issues either side took a position on where both took the same (the "
         "opposite) side. Framed blocks are coalitions.</p>\n<div class=\"scroll\">\n";
  write_agreement(out, analysis);
  out << "</div>\n<h4>Coalitions</h4><ol class=\"coalitions\">\n";
  for (const auto& coalition : analysis.coalitions()) {
    out << "<li>";
    for (std::size_t k = 0; k < coalition.size(); ++k) {
      out << (k ? ", " : "") << xml_escape(coalition[k]);
    }
    out << "</li>\n";
  }
  out << "</ol>\n</section>\n";

  out << "<section id=\"polarisation-section\"><h2>Issue polarisation</h2>\n"
         "<p class=\"meta\">Polarisation = 2 \u00b7 min(supporters, opponents) / (supporters + "
         "opponents): 0 all on one side, 1 evenly split.</p>\n";
  write_polarisation(out, analysis);
  out << "</section>\n";

  out << "<section id=\"shifts-section\"><h2>Position shifts</h2>\n";
  write_shifts(out, analysis);
  out << "</section>\n";

  out << "<pre id=\"selftest-result\"></pre>\n</main>\n<script type=\"application/json\" "
         "id=\"stance-data\">"
      << script_safe(report_internal::dump(page_data(analysis, context))) << "</script>\n<script>"
      << kScript << "</script>\n</body>\n</html>\n";
}

}  // namespace stance
