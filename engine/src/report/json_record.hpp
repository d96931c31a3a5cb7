#pragma once
// Internal to the report renderers: the JSON shape of one stance record, shared by jsonl and json
// so both formats stay byte-identical for the common fields.
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "stance/matrix.hpp"
#include "stance/record.hpp"
#include "stance/report.hpp"

namespace stance::report_internal {

// The JSONL contract object: article, sentence, span, actor, affiliation, issue, stance,
// confidence, rule, evidence, in that order.
[[nodiscard]] nlohmann::ordered_json record_to_json(const StanceRecord& record);

// Appends the one-line dump of record_to_json(record) to `out`, byte for byte, without building
// the JSON object: JSONL output writes one of these per record, and the object (a vector of keys,
// a heap string per value) cost several times the text it printed.
void append_record_json(std::string& out, const StanceRecord& record);

// What write_jsonl writes, appended to `out`: one append_record_json line per record. For callers
// that gather the text themselves (the workers of `stance run`), without a stream in between.
void append_jsonl(std::string& out, std::span<const StanceRecord> records);

// Serialises with UTF-8 kept as is (not \u-escaped); malformed UTF-8 in the input becomes U+FFFD
// rather than throwing, so one bad article cannot abort a whole run's output.
// `indent` < 0 means a single line.
[[nodiscard]] std::string dump(const nlohmann::ordered_json& value, int indent = -1);

// The json report as write_json writes it, but open: without the newline and brace that close
// it, so that a caller can add members of its own (write_json_member) and then close it with
// "\n}\n" (stance run --unknown adds the unknown objects).
void write_json_open(std::ostream& out, const Analysis& analysis, const ReportContext& context);
// One more member of an open report: `,\n  "key": value`, indented as dump(document, 2) would.
void write_json_member(std::ostream& out, std::string_view key, const nlohmann::ordered_json& value);

}  // namespace stance::report_internal
