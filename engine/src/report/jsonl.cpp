#include <cmath>
#include <ostream>

#include "report/json_record.hpp"
#include "stance/report.hpp"

namespace stance {

namespace report_internal {

nlohmann::ordered_json record_to_json(const StanceRecord& record) {
  nlohmann::ordered_json object;
  object["article"] = record.article;
  object["sentence"] = record.sentence;
  object["span"] = nlohmann::ordered_json::array({record.span.begin, record.span.end});
  object["actor"] = record.actor;
  object["affiliation"] = record.affiliation;
  object["issue"] = record.issue;
  object["stance"] = std::string(to_string(record.stance));
  // Two decimals is the precision the rules can justify; more digits would only add noise to
  // diffs between runs.
  object["confidence"] = std::round(record.confidence * 100.0) / 100.0;
  object["rule"] = record.rule;
  object["evidence"] = record.evidence;
  // Only records of unknown objects (issue "?", `--unknown`) carry the object's words.
  if (!record.object.empty()) object["object"] = record.object;
  return object;
}

std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace report_internal

void write_jsonl(std::ostream& out, std::span<const StanceRecord> records) {
  for (const StanceRecord& record : records) {
    out << report_internal::dump(report_internal::record_to_json(record)) << '\n';
  }
}

}  // namespace stance
