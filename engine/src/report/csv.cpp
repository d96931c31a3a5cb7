// CSV: the wide matrix, the tidy long form and the DNA-style event list.
#include <ostream>
#include <string>
#include <string_view>

#include "report/counts.hpp"
#include "report/format.hpp"
#include "stance/report.hpp"

namespace stance {

namespace {

using report_internal::csv_field;
using report_internal::number;

// RFC 4180 ends every record with CRLF, including the last; spreadsheet tools and Python's csv
// module expect it.
constexpr std::string_view kLineEnd = "\r\n";

constexpr Stance kStances[] = {Stance::demand, Stance::accept, Stance::reject};



}  // namespace

namespace report_internal {

void write_wide_header(std::ostream& out, std::string_view row_label,
                       const std::vector<std::string>& issues, bool windowed) {
  if (windowed) out << "window_start,window_end,";
  out << csv_field(row_label);
  for (const std::string& issue : issues) {
    for (const Stance stance : kStances) {
      out << ',' << csv_field(issue + ':' + std::string(to_string(stance)));
    }
  }
  out << kLineEnd;
}

void write_wide_rows(std::ostream& out, const StanceMatrix& matrix,
                     const std::vector<std::string>& issues, const DateRange* window) {
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    if (window) out << window->first << ',' << window->last << ',';
    out << csv_field(matrix.actors()[a]);
    for (const std::string& issue : issues) {
      const auto column = matrix.find_issue(issue);
      for (const Stance stance : kStances) {
        out << ',' << (column ? report_internal::count_at(matrix, a, *column, stance) : 0);
      }
    }
    out << kLineEnd;
  }
}

void write_long_header(std::ostream& out, RowKind rows) {
  out << "window_start,window_end," << to_string(rows) << ",issue,stance,count,weight,net,contested" << kLineEnd;
}

void write_long_rows(std::ostream& out, const StanceMatrix& matrix, const DateRange& range) {
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) continue;
      for (const Stance stance : kStances) {
        if (cell.count(stance) == 0.0) continue;
        out << range.first << ',' << range.last << ',' << csv_field(matrix.actors()[a]) << ','
            << csv_field(matrix.issues()[i]) << ',' << to_string(stance) << ',' << number(cell.count(stance)) << ','
            << number(cell.weight(stance), 4) << ',' << number(cell.net().value_or(0.0), 4) << ','
            << (cell.contested() ? "true" : "false") << kLineEnd;
      }
    }
  }
}

}  // namespace report_internal

using report_internal::write_long_header;
using report_internal::write_long_rows;
using report_internal::write_wide_header;
using report_internal::write_wide_rows;

void write_csv(std::ostream& out, const StanceMatrix& matrix) {
  write_wide_header(out, "actor", matrix.issues(), false);
  write_wide_rows(out, matrix, matrix.issues(), nullptr);
}

void write_csv(std::ostream& out, const Analysis& analysis) {
  const std::string_view row_label = to_string(analysis.options().rows);
  // Windows hold subsets of the whole selection's cells, so its issues are every window's.
  const auto& issues = analysis.overall().matrix.issues();
  if (analysis.options().window.length_days == 0) {
    write_wide_header(out, row_label, issues, false);
    write_wide_rows(out, analysis.overall().matrix, issues, nullptr);
    return;
  }
  write_wide_header(out, row_label, issues, true);
  for (const Slice& window : analysis.windows()) {
    write_wide_rows(out, window.matrix, issues, &window.range);
  }
}

void write_csv_long(std::ostream& out, const Analysis& analysis) {
  write_long_header(out, analysis.options().rows);
  if (analysis.options().window.length_days == 0) {
    write_long_rows(out, analysis.overall().matrix, analysis.overall().range);
  } else {
    for (const Slice& window : analysis.windows()) write_long_rows(out, window.matrix, window.range);
  }
}

void write_events_csv(std::ostream& out, const Analysis& analysis) {
  out << "id,time,actor,affiliation,issue,qualifier,agreement,confidence,span_begin,span_end,"
         "sentence,rule,counted,reported_by,source,document,text"
      << kLineEnd;
  const auto records = analysis.records();
  for (std::size_t k = 0; k < records.size(); ++k) {
    const StanceRecord& record = records[k];
    // DNA's binary qualifier: 1 = agrees with the statement's concept, 0 = disagrees.
    const char* agreement = record.stance == Stance::reject ? "0" : "1";
    out << (k + 1) << ',' << csv_field(record.date) << ',' << csv_field(record.actor) << ','
        << csv_field(record.affiliation) << ',' << csv_field(record.issue) << ','
        << to_string(record.stance) << ',' << agreement << ',' << number(record.confidence, 2)
        << ',' << record.span.begin << ',' << record.span.end << ',' << record.sentence << ','
        << csv_field(record.rule) << ',' << (analysis.counted(k) ? "true" : "false") << ','
        << csv_field(record.reported_by) << ',' << csv_field(record.source) << ','
        << csv_field(record.article) << ',' << csv_field(record.evidence) << kLineEnd;
  }
}

}  // namespace stance
