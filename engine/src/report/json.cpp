#include <cmath>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "report/counts.hpp"
#include "report/json_record.hpp"
#include "stance/report.hpp"

namespace stance {

void write_json(std::ostream& out, std::span<const StanceRecord> records,
                const StanceMatrix& matrix) {
  using report_internal::count_at;
  // Built bottom-up and moved in: ordered_json keeps its keys in a vector, so a reference to one
  // member would dangle once the next member is inserted.
  auto records_json = nlohmann::ordered_json::array();
  for (const StanceRecord& record : records) {
    nlohmann::ordered_json object = report_internal::record_to_json(record);
    if (!record.reported_by.empty()) object["reported_by"] = record.reported_by;
    records_json.push_back(std::move(object));
  }

  const auto& actors = matrix.actors();
  const auto& issues = matrix.issues();
  auto cells = nlohmann::ordered_json::array();
  for (std::size_t a = 0; a < actors.size(); ++a) {
    for (std::size_t i = 0; i < issues.size(); ++i) {
      // Real matrices are sparse; listing only filled cells keeps the output proportional to
      // the evidence rather than to actors x issues.
      nlohmann::ordered_json cell;
      cell["actor"] = actors[a];
      cell["issue"] = issues[i];
      long long total = 0;
      for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) {
        const long long count = count_at(matrix, a, i, stance);
        cell[std::string(to_string(stance))] = count;  // the keys are the stance names
        total += count;
      }
      if (total > 0) cells.push_back(std::move(cell));
    }
  }

  nlohmann::ordered_json matrix_json;
  matrix_json["rows"] = actors;
  matrix_json["issues"] = issues;
  matrix_json["cells"] = std::move(cells);

  nlohmann::ordered_json document;
  document["records"] = std::move(records_json);
  document["matrix"] = std::move(matrix_json);
  out << report_internal::dump(document, 2) << '\n';
}

namespace {

using Json = nlohmann::ordered_json;

double rounded(double value) { return std::round(value * 1e4) / 1e4; }

Json range_json(const DateRange& range) {
  Json json;
  json["first"] = range.first;
  json["last"] = range.last;
  return json;
}

// Record ids are 1-based positions in "records", the same as the event list's ids.
Json ids_json(std::span<const std::size_t> indices) {
  auto ids = Json::array();
  for (const std::size_t index : indices) ids.push_back(index + 1);
  return ids;
}

Json stance_json(const std::optional<Stance>& stance) {
  return stance ? Json(std::string(to_string(*stance))) : Json(nullptr);
}

Json matrix_json(const Slice& slice) {
  const StanceMatrix& matrix = slice.matrix;
  auto cells = Json::array();
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) continue;
      Json json;
      json["actor"] = matrix.actors()[a];
      json["issue"] = matrix.issues()[i];
      for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) {
        json[std::string(to_string(stance))] = std::llround(cell.count(stance));
      }
      Json weights;
      for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) {
        weights[std::string(to_string(stance))] = rounded(cell.weight(stance));
      }
      json["weights"] = std::move(weights);
      json["net"] = rounded(cell.net().value_or(0.0));
      json["dominant"] = stance_json(cell.dominant());
      json["contested"] = cell.contested();
      json["evidence"] = ids_json(slice.evidence(a, i));
      cells.push_back(std::move(json));
    }
  }
  Json json;
  json["rows"] = matrix.actors();
  json["issues"] = matrix.issues();
  json["cells"] = std::move(cells);
  return json;
}

Json square_json(const AgreementMatrix& agreement,
                 double (AgreementMatrix::*value)(std::size_t, std::size_t) const) {
  auto rows = Json::array();
  for (std::size_t a = 0; a < agreement.size(); ++a) {
    auto row = Json::array();
    for (std::size_t b = 0; b < agreement.size(); ++b) {
      row.push_back(rounded((agreement.*value)(a, b)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The document is written member by member, as dump(document, 2) would print it, so that only one
// record's JSON exists at a time: the whole tree of a large run's records took about eight times
// the text it printed. `depth`: how many levels of two-space indentation the value sits at.
void write_nested(std::ostream& out, const Json& value, int depth) {
  const std::string text = report_internal::dump(value, 2);
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  // A dump's line breaks are all its own (strings escape theirs): each following line is
  // indented by the value's depth.
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    out.write(text.data() + start, static_cast<std::streamsize>(end - start + 1));
    out << indent;
    start = end + 1;
  }
  out.write(text.data() + start, static_cast<std::streamsize>(text.size() - start));
}

// One member of the top-level object: `"key": value`, preceded by the comma that ends the member
// before it.
void write_member(std::ostream& out, std::string_view key, const Json& value, bool first) {
  out << (first ? "{\n" : ",\n") << "  \"" << key << "\": ";
  write_nested(out, value, 1);
}

}  // namespace

void write_json(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  report_internal::write_json_open(out, analysis, context);
  out << "\n}\n";
}

void report_internal::write_json_member(std::ostream& out, std::string_view key, const nlohmann::ordered_json& value) {
  write_member(out, key, value, false);
}

void report_internal::write_json_open(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  const AnalysisOptions& options = analysis.options();

  Json filter;
  filter["actors"] = options.filter.actors;
  filter["issues"] = options.filter.issues;
  filter["sources"] = options.filter.sources;
  filter["since"] = options.filter.since;
  filter["until"] = options.filter.until;
  Json window;
  window["length_days"] = options.window.length_days;
  window["step_days"] = options.window.length_days == 0 ? 0
                        : options.window.step_days == 0 ? options.window.length_days
                                                        : options.window.step_days;
  Json options_json;
  options_json["rows"] = std::string(to_string(options.rows));
  options_json["count"] = std::string(to_string(options.count));
  options_json["min_count"] = options.min_count;
  options_json["filter"] = std::move(filter);
  options_json["window"] = std::move(window);

  Json run;
  run["title"] = context.title;
  run["rules"] = context.rules;
  run["articles"] = context.articles;
  run["records"] = analysis.records().size();
  run["undated_records"] = analysis.undated_records();
  run["dates"] = range_json(analysis.dates());
  run["options"] = std::move(options_json);

  write_member(out, "run", run, true);
  // The records, one at a time (see write_nested).
  const auto all = analysis.records();
  out << ",\n  \"records\": " << (all.empty() ? "[]" : "[");
  for (std::size_t k = 0; k < all.size(); ++k) {
    const StanceRecord& record = all[k];
    Json json = report_internal::record_to_json(record);
    if (!record.reported_by.empty()) json["reported_by"] = record.reported_by;
    json["id"] = k + 1;
    json["date"] = record.date;
    json["source"] = record.source;
    json["cue_span"] = Json::array({record.cue_span.begin, record.cue_span.end});
    json["counted"] = analysis.counted(k);
    out << (k == 0 ? "\n    " : ",\n    ");
    write_nested(out, json, 2);
  }
  if (!all.empty()) out << "\n  ]";

  auto windows = Json::array();
  for (const Slice& slice : analysis.windows()) {
    Json json = range_json(slice.range);
    json["records"] = slice.record_count();
    json["matrix"] = matrix_json(slice);
    windows.push_back(std::move(json));
  }

  const AgreementMatrix& agreement = analysis.agreement();
  Json agreement_json;
  agreement_json["actors"] = agreement.actors();
  agreement_json["agreement"] = square_json(agreement, &AgreementMatrix::agreement);
  agreement_json["conflict"] = square_json(agreement, &AgreementMatrix::conflict);
  agreement_json["issues_either"] = square_json(agreement, &AgreementMatrix::issues_either);

  auto polarisation = Json::array();
  for (const IssuePolarisation& issue : analysis.polarisation()) {
    Json json;
    json["issue"] = issue.issue;
    json["supporters"] = issue.supporters;
    json["opponents"] = issue.opponents;
    json["balanced"] = issue.balanced;
    json["contested"] = issue.contested;
    json["mean_net"] = rounded(issue.mean_net);
    json["polarisation"] = rounded(issue.polarisation);
    polarisation.push_back(std::move(json));
  }

  auto shifts = Json::array();
  for (const PositionShift& shift : analysis.shifts()) {
    Json from = range_json(shift.from);
    from["stance"] = stance_json(shift.from_stance);
    from["net"] = rounded(shift.from_net);
    from["evidence"] = ids_json(shift.from_evidence);
    Json to = range_json(shift.to);
    to["stance"] = stance_json(shift.to_stance);
    to["net"] = rounded(shift.to_net);
    to["evidence"] = ids_json(shift.to_evidence);
    Json json;
    json["actor"] = shift.row;
    json["issue"] = shift.issue;
    json["from"] = std::move(from);
    json["to"] = std::move(to);
    shifts.push_back(std::move(json));
  }

  write_member(out, "matrix", matrix_json(analysis.overall()), false);
  write_member(out, "windows", windows, false);
  write_member(out, "agreement", agreement_json, false);
  write_member(out, "polarisation", polarisation, false);
  const auto coalitions = analysis.coalitions();
  write_member(out, "coalitions", Json(std::vector<std::vector<std::string>>(coalitions.begin(), coalitions.end())),
               false);
  write_member(out, "shifts", shifts, false);
}

}  // namespace stance
