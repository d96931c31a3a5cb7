#include <ostream>
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
      const long long demand = count_at(matrix, a, i, Stance::demand);
      const long long accept = count_at(matrix, a, i, Stance::accept);
      const long long reject = count_at(matrix, a, i, Stance::reject);
      // Real matrices are sparse; listing only filled cells keeps the output proportional to
      // the evidence rather than to actors x issues.
      if (demand == 0 && accept == 0 && reject == 0) continue;
      nlohmann::ordered_json cell;
      cell["actor"] = actors[a];
      cell["issue"] = issues[i];
      cell["demand"] = demand;
      cell["accept"] = accept;
      cell["reject"] = reject;
      cells.push_back(std::move(cell));
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

}  // namespace stance
