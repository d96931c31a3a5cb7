// The renderers: jsonl contract, csv quoting, json structure, the terminal table.
#include <doctest/doctest.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stance/matrix.hpp"
#include "stance/record.hpp"
#include "stance/report.hpp"

namespace {

using stance::Stance;
using stance::StanceMatrix;
using stance::StanceRecord;

StanceRecord make_record(std::string actor, std::string issue, Stance stance,
                         double confidence = 1.0) {
  StanceRecord record;
  record.article = "art-1";
  record.sentence = 3;
  record.span = {10, 42};
  record.actor = std::move(actor);
  record.affiliation = "party";
  record.issue = std::move(issue);
  record.stance = stance;
  record.confidence = confidence;
  record.rule = "demand.call_for";
  record.evidence = "The minister called for sanctions.";
  return record;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  bool in_escape = false;
  for (const char c : text) {
    if (c == '\x1b') in_escape = true;
    if (in_escape) {
      if (c == 'm') in_escape = false;
      continue;
    }
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++width;
  }
  return width;
}

std::string jsonl(std::span<const StanceRecord> records) {
  std::ostringstream out;
  stance::write_jsonl(out, records);
  return out.str();
}

std::string csv(const StanceMatrix& matrix) {
  std::ostringstream out;
  stance::write_csv(out, matrix);
  return out.str();
}

std::string table(const StanceMatrix& matrix, bool color = false, std::size_t width = 100) {
  std::ostringstream out;
  stance::TableOptions options;
  options.color = color;
  options.width = width;
  stance::write_table(out, matrix, options);
  return out.str();
}

StanceMatrix sample_matrix() {
  StanceMatrix matrix({"sanctions", "ceasefire"});
  matrix.add(make_record("scholz", "sanctions", Stance::demand));
  matrix.add(make_record("scholz", "sanctions", Stance::demand));
  matrix.add(make_record("scholz", "sanctions", Stance::accept));
  matrix.add(make_record("scholz", "ceasefire", Stance::reject));
  matrix.add(make_record("merz", "ceasefire", Stance::accept, 0.5));
  return matrix;
}

}  // namespace

TEST_SUITE("report") {
  TEST_CASE("jsonl: one line per record with the contract keys in order") {
    const std::vector<StanceRecord> records{make_record("scholz", "sanctions", Stance::demand),
                                            make_record("merz", "ceasefire", Stance::reject, 0.5)};
    const auto lines = lines_of(jsonl(records));
    REQUIRE(lines.size() == 2);

    const auto first = nlohmann::ordered_json::parse(lines[0]);
    std::vector<std::string> keys;
    for (const auto& item : first.items()) keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"article", "sentence", "span", "actor", "affiliation",
                                           "issue", "stance", "confidence", "rule", "evidence"});
    CHECK(lines[0].rfind(R"({"article":"art-1","sentence":3,"span":[10,42],"actor":"scholz",)", 0) ==
          0);
    CHECK(first["span"] == nlohmann::json::array({10, 42}));
    CHECK(first["stance"] == "demand");
    CHECK(first["confidence"] == 1.0);
    CHECK(first["rule"] == "demand.call_for");
    CHECK(nlohmann::json::parse(lines[1])["stance"] == "reject");
    CHECK(nlohmann::json::parse(lines[1])["confidence"] == 0.5);
  }

  TEST_CASE("jsonl: reported_by and other extras stay out of the contract") {
    StanceRecord record = make_record("a", "x", Stance::accept);
    record.reported_by = "spokesperson";
    record.date = "2024-01-01";
    const auto parsed = nlohmann::json::parse(jsonl(std::span(&record, 1)));
    CHECK(parsed.size() == 10);
    CHECK_FALSE(parsed.contains("reported_by"));
    CHECK_FALSE(parsed.contains("date"));
  }

  TEST_CASE("jsonl: confidence is rounded to two decimals") {
    std::vector<StanceRecord> records{make_record("a", "x", Stance::demand, 0.666),
                                      make_record("a", "x", Stance::demand, 0.7)};
    const auto lines = lines_of(jsonl(records));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].find(R"("confidence":0.67,)") != std::string::npos);
    CHECK(lines[1].find(R"("confidence":0.7,)") != std::string::npos);
  }

  TEST_CASE("jsonl: strings are escaped but UTF-8 is kept as is") {
    StanceRecord record = make_record("a", "x", Stance::reject);
    record.evidence = "He said \"no\" \\ twice\nand \xE2\x80\x9C" "curly\xE2\x80\x9D quotes\ttoo\x01";
    const std::string text = jsonl(std::span(&record, 1));

    // One record, one line: the newline inside the evidence is escaped.
    REQUIRE(lines_of(text).size() == 1);
    CHECK(text.back() == '\n');
    CHECK(text.find(R"(He said \"no\" \\ twice\nand )") != std::string::npos);
    CHECK(text.find("\xE2\x80\x9C" "curly\xE2\x80\x9D") != std::string::npos);
    CHECK(text.find("\\u201") == std::string::npos);
    CHECK(text.find(R"(\t)") != std::string::npos);
    CHECK(text.find(R"(\u0001)") != std::string::npos);
    CHECK(nlohmann::json::parse(text)["evidence"] == record.evidence);
  }

  TEST_CASE("jsonl: no records, no output") { CHECK(jsonl({}).empty()); }

  TEST_CASE("csv: header, rows and counts") {
    const auto text = csv(sample_matrix());
    CHECK(text ==
          "actor,sanctions:demand,sanctions:accept,sanctions:reject,"
          "ceasefire:demand,ceasefire:accept,ceasefire:reject\r\n"
          "merz,0,0,0,0,1,0\r\n"
          "scholz,2,1,0,0,0,1\r\n");
  }

  TEST_CASE("csv: fields with commas, quotes or line breaks are quoted") {
    StanceMatrix matrix;
    matrix.add(make_record("Smith, J.", "tax \"reform\"", Stance::demand));
    matrix.add(make_record("multi\nline", "tax \"reform\"", Stance::reject));
    const auto text = csv(matrix);
    CHECK(text ==
          "actor,\"tax \"\"reform\"\":demand\",\"tax \"\"reform\"\":accept\","
          "\"tax \"\"reform\"\":reject\"\r\n"
          "\"Smith, J.\",1,0,0\r\n"
          "\"multi\nline\",0,0,1\r\n");
  }

  TEST_CASE("csv: an empty matrix is just the header") {
    CHECK(csv(StanceMatrix{}) == "actor\r\n");
  }

  TEST_CASE("json: records, matrix axes and only non-empty cells") {
    std::vector<StanceRecord> records{make_record("scholz", "sanctions", Stance::demand),
                                      make_record("merz", "ceasefire", Stance::accept)};
    records[1].reported_by = "spokesperson";
    StanceMatrix matrix({"sanctions", "ceasefire"});
    matrix.add_all(records);

    std::ostringstream out;
    stance::write_json(out, records, matrix);
    const std::string text = out.str();
    const auto document = nlohmann::ordered_json::parse(text);

    std::vector<std::string> top;
    for (const auto& item : document.items()) top.push_back(item.key());
    CHECK(top == std::vector<std::string>{"records", "matrix"});
    // Pretty-printed with a two-space indent.
    CHECK(text.rfind("{\n  \"records\": [\n    {\n      \"article\"", 0) == 0);

    const auto& json_records = document["records"];
    REQUIRE(json_records.size() == 2);
    CHECK(json_records[0].size() == 10);
    CHECK_FALSE(json_records[0].contains("reported_by"));
    CHECK(json_records[1]["reported_by"] == "spokesperson");
    CHECK(json_records[1].begin().key() == "article");

    const auto& json_matrix = document["matrix"];
    CHECK(json_matrix["rows"] == nlohmann::json::array({"merz", "scholz"}));
    CHECK(json_matrix["issues"] == nlohmann::json::array({"sanctions", "ceasefire"}));
    const auto& cells = json_matrix["cells"];
    REQUIRE(cells.size() == 2);  // merz x sanctions and scholz x ceasefire are empty
    CHECK(cells[0] == nlohmann::ordered_json::parse(
                          R"({"actor":"merz","issue":"ceasefire","demand":0,"accept":1,"reject":0})"));
    CHECK(cells[1] == nlohmann::ordered_json::parse(
                          R"({"actor":"scholz","issue":"sanctions","demand":1,"accept":0,"reject":0})"));
  }

  TEST_CASE("json: empty input still has the full structure") {
    std::ostringstream out;
    stance::write_json(out, {}, StanceMatrix{});
    const auto document = nlohmann::json::parse(out.str());
    CHECK(document["records"].empty());
    CHECK(document["matrix"]["rows"].empty());
    CHECK(document["matrix"]["issues"].empty());
    CHECK(document["matrix"]["cells"].empty());
  }

  TEST_CASE("table: an empty matrix says so") {
    const auto text = table(StanceMatrix{});
    CHECK(text.find("no stance records") != std::string::npos);
    CHECK(lines_of(text).size() == 1);
  }

  TEST_CASE("table: grid, legend and totals") {
    const auto text = table(sample_matrix());
    const auto lines = lines_of(text);
    REQUIRE(lines.size() >= 7);
    CHECK(lines[0] == "actor   sanctions  ceasefire");
    CHECK(lines[1] == "------  ---------  ---------");
    CHECK(lines[2] == "merz    \u00b7          A1");
    CHECK(lines[3] == "scholz  D2 A1      R1");
    CHECK(text.find("Legend: D=demand  A=accept  R=reject  \u00b7=none") != std::string::npos);
    CHECK(text.find("Issues:") == std::string::npos);  // nothing abbreviated
    CHECK(lines.back() == "Totals: 5 records (D2 A2 R1), 2 actors, 2 issues");
  }

  TEST_CASE("table: the row label and its plural come from the options") {
    std::ostringstream out;
    stance::TableOptions options;
    options.row_label = "party";
    stance::write_table(out, sample_matrix().rolled_up_by_affiliation(), options);
    const auto lines = lines_of(out.str());
    CHECK(lines.front().rfind("party  ", 0) == 0);
    CHECK(lines.back() == "Totals: 5 records (D2 A2 R1), 1 party, 2 issues");
  }

  TEST_CASE("table: ANSI colour only when asked for") {
    const auto plain = table(sample_matrix(), false);
    CHECK(plain.find('\x1b') == std::string::npos);

    const auto coloured = table(sample_matrix(), true);
    CHECK(coloured.find("\x1b[32mD2\x1b[0m") != std::string::npos);  // demand: green
    CHECK(coloured.find("\x1b[31mR1\x1b[0m") != std::string::npos);  // reject: red
    // Escape codes take no columns: the visible grid is the same.
    const auto plain_lines = lines_of(plain);
    const auto coloured_lines = lines_of(coloured);
    REQUIRE(plain_lines.size() == coloured_lines.size());
    for (std::size_t i = 0; i < plain_lines.size(); ++i) {
      CHECK(display_width(coloured_lines[i]) == display_width(plain_lines[i]));
    }
  }

  TEST_CASE("table: long issue ids are abbreviated with a legend, and wrap to the width") {
    StanceMatrix matrix;
    const std::vector<std::string> issues{
        "pension_reform_retirement_age_2024", "pension_reform_contribution_rates",
        "military_aid_to_ukraine", "ceasefire_negotiations_with_mediators",
        "energy_price_cap", "wealth_tax_on_large_fortunes"};
    for (const auto& issue : issues) {
      matrix.add(make_record("christian_democratic_union", issue, Stance::demand));
      matrix.add(make_record("greens", issue, Stance::reject));
    }
    constexpr std::size_t kWidth = 60;
    const auto text = table(matrix, false, kWidth);
    const auto lines = lines_of(text);

    const auto legend = text.find("Issues:");
    REQUIRE(legend != std::string::npos);
    for (const auto& issue : issues) {
      CHECK(text.find(" = " + issue + "\n", legend) != std::string::npos);
    }
    // The two pension ids share a prefix; their abbreviations must still differ.
    CHECK(text.find("pension\u2026 = pension_reform_contribution_rates") != std::string::npos);
    CHECK(text.find("pensio2\u2026 = pension_reform_retirement_age_2024") != std::string::npos);
    // The grid itself (everything above the legend) fits the width.
    for (const auto& line : lines) {
      if (line.rfind("Legend:", 0) == 0) break;
      CHECK(display_width(line) <= kWidth);
    }
    // Wrapping repeats the header row: more than one block.
    std::size_t header_rows = 0;
    for (const auto& line : lines) header_rows += line.rfind("actor ", 0) == 0 ? 1 : 0;
    CHECK(header_rows >= 2);
  }

  TEST_CASE("table: ids are cut only as much as the width requires") {
    StanceMatrix matrix;
    matrix.add(make_record("a", "short", Stance::demand));
    matrix.add(make_record("a", "a_rather_long_issue_identifier_here", Stance::accept));
    matrix.add(make_record("a", "another_long_issue_identifier", Stance::reject));
    const auto text = table(matrix, false, 60);
    const auto lines = lines_of(text);
    // 5 + 2+5 + 2+x + 2+x <= 60 gives a cap of 22 columns for the long ids.
    CHECK(lines[0] == "actor  a_rather_long_issue_i\u2026  another_long_issue_id\u2026  short");
    CHECK(display_width(lines[0]) == 60);
    CHECK(text.find(" = short") == std::string::npos);
    CHECK(text.find("a_rather_long_issue_i\u2026 = a_rather_long_issue_identifier_here") !=
          std::string::npos);
  }

  TEST_CASE("table: control characters in ids cannot reach the terminal") {
    StanceMatrix matrix;
    matrix.add(make_record("evil\x1b[2J", "x", Stance::demand));
    const auto text = table(matrix, false);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("evil?[2J") != std::string::npos);
  }
}
