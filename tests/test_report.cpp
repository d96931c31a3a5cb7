// The renderers: jsonl contract, csv quoting, json structure, the terminal table.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/json_record.hpp"
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
    CHECK(lines[0].rfind(R"({"article":"art-1","sentence":3,"span":[10,42],"actor":"scholz",)",
                         0) == 0);
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
    record.evidence =
        "He said \"no\" \\ twice\nand \xE2\x80\x9C"
        "curly\xE2\x80\x9D quotes\ttoo\x01";
    const std::string text = jsonl(std::span(&record, 1));

    // One record, one line: the newline inside the evidence is escaped.
    REQUIRE(lines_of(text).size() == 1);
    CHECK(text.back() == '\n');
    CHECK(text.find(R"(He said \"no\" \\ twice\nand )") != std::string::npos);
    CHECK(text.find("\xE2\x80\x9C"
                    "curly\xE2\x80\x9D") != std::string::npos);
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
    CHECK(cells[0] ==
          nlohmann::ordered_json::parse(
              R"({"actor":"merz","issue":"ceasefire","demand":0,"accept":1,"reject":0})"));
    CHECK(cells[1] ==
          nlohmann::ordered_json::parse(
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
    const std::vector<std::string> issues{"pension_reform_retirement_age_2024",
                                          "pension_reform_contribution_rates",
                                          "military_aid_to_ukraine",
                                          "ceasefire_negotiations_with_mediators",
                                          "energy_price_cap",
                                          "wealth_tax_on_large_fortunes"};
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

  TEST_CASE("jsonl: every confidence in hundredths, and its rounding edges, as nlohmann prints it") {
    // The writer prints the usual confidences (0.01 to 1) without nlohmann's float printer.
    auto reference = [](double confidence) {
      return nlohmann::ordered_json(std::round(confidence * 100.0) / 100.0).dump();
    };
    for (int k = -150; k <= 250; ++k) {
      for (const double nudge : {0.0, 0.4999, -0.5, 0.5, 1e-9, -1e-9}) {
        const double confidence = (k + nudge) / 100.0;
        const std::string line = jsonl(std::vector<StanceRecord>{make_record("a", "i", Stance::accept, confidence)});
        const std::size_t at = line.find("\"confidence\":");
        REQUIRE(at != std::string::npos);
        const std::size_t begin = at + 13;
        CAPTURE(confidence);
        CHECK(line.substr(begin, line.find(',', begin) - begin) == reference(confidence));
      }
    }
  }

  TEST_CASE("jsonl: escapes, UTF-8 and ill-formed UTF-8 at every offset of a string") {
    // The writer looks at 16 bytes a step and checks UTF-8 from the first byte above ASCII on; a
    // bad sequence after text already written sends the whole string to nlohmann instead.
    auto reference = [](const std::string& text) {
      return nlohmann::ordered_json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x1F", "\x7F",
                                               "\xC3\xA9", "\xF0\x9F\x98\x80", "\xFF", "\xE2\x82"};
    std::vector<StanceRecord> records;
    std::vector<std::string> expected;
    for (std::size_t length = 0; length <= 40; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        for (const std::string& special : specials) {
          for (const std::string& earlier : {std::string(), std::string("\xC3\xA9\t"), std::string("\"")}) {
            std::string text = std::string(at, 'a') + special + std::string(length - at, 'b');
            text.insert(0, at > 0 ? earlier : std::string());
            StanceRecord record = make_record("a", "i", Stance::demand);
            record.evidence = text;
            expected.push_back(reference(text));
            records.push_back(std::move(record));
          }
        }
      }
    }
    // All in one call: a string given back to nlohmann must not disturb the lines before it.
    const std::vector<std::string> lines = lines_of(jsonl(records));
    REQUIRE(lines.size() == records.size());
    for (std::size_t k = 0; k < lines.size(); ++k) {
      const std::size_t begin = lines[k].find(",\"evidence\":") + 12;
      CAPTURE(k);
      CHECK(lines[k].substr(begin, lines[k].size() - 1 - begin) == expected[k]);
    }
  }

  TEST_CASE("jsonl: append_jsonl adds to what the string holds exactly what write_jsonl writes") {
    std::vector<StanceRecord> records = {make_record("a", "i", Stance::demand, 0.85),
                                         make_record("b\"q", "?", Stance::reject, 0.5)};
    records[1].object = "an \"object\"";
    std::string text = "kept\n";
    stance::report_internal::append_jsonl(text, records);
    CHECK(text == "kept\n" + jsonl(records));
    stance::report_internal::append_jsonl(text, {});
    CHECK(text == "kept\n" + jsonl(records));
  }

}

// ---------------------------------------------------------------------------------------------
// The analysis formats: windows in csv, the tidy form, the event list, full json, markdown,
// graphml and the html page (its structure; tests/scripts/report_html.py renders it).

namespace {

using stance::Analysis;
using stance::AnalysisOptions;

StanceRecord dated(std::string actor, std::string issue, Stance stance, std::string date,
                   std::string article, std::string evidence = "They said so.") {
  StanceRecord record = make_record(std::move(actor), std::move(issue), stance);
  record.date = std::move(date);
  record.article = std::move(article);
  record.source = "Wire";
  record.evidence = std::move(evidence);
  record.span = {0, record.evidence.size()};
  return record;
}

std::vector<StanceRecord> story() {
  return {
      dated("putin", "ceasefire", Stance::accept, "2025-03-11", "a1", "Putin agreed to a pause."),
      dated("putin", "ceasefire", Stance::reject, "2025-03-18", "a2", "Putin rejected the truce."),
      dated("putin", "ceasefire", Stance::reject, "2025-03-18", "a2", "He turned it down, again."),
      dated("zelenskyy", "ceasefire", Stance::demand, "2025-03-18", "a2",
            "Zelenskyy called for a \"full\" ceasefire, <now>."),
      dated("zelenskyy", "sanctions", Stance::demand, "2025-03-20", "a3",
            "More sanctions, he said."),
  };
}

template <typename Writer>
std::string render(const Analysis& analysis, Writer writer) {
  std::ostringstream out;
  writer(out, analysis);
  return out.str();
}

stance::ReportContext context() {
  stance::ReportContext context;
  context.title = "Test & report";
  context.rules = "test-pack";
  context.articles = 3;
  context.issue_propositions["ceasefire"] = "a halt to fighting";
  return context;
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_SUITE("report") {
  TEST_CASE("csv of an analysis: rows label, and window columns when windowed") {
    const Analysis plain(story(), AnalysisOptions{});
    const auto text = render(plain, [](auto& out, const auto& a) { stance::write_csv(out, a); });
    CHECK(text.rfind("actor,ceasefire:demand,", 0) == 0);
    // Counted once per article: putin's two rejections in a2 are one.
    CHECK(text.find("putin,0,1,1,0,0,0\r\n") != std::string::npos);

    AnalysisOptions options;
    options.window.length_days = 7;
    options.rows = stance::RowKind::affiliation;
    const Analysis windowed(story(), options);
    const auto lines =
        lines_of(render(windowed, [](auto& out, const auto& a) { stance::write_csv(out, a); }));
    REQUIRE(lines.size() == 3);  // every actor is in "party": one row per window
    CHECK(lines[0].rfind("window_start,window_end,affiliation,ceasefire:demand,", 0) == 0);
    CHECK(lines[1] == "2025-03-11,2025-03-17,party,0,1,0,0,0,0\r");
    CHECK(lines[2] == "2025-03-18,2025-03-24,party,1,0,1,1,0,0\r");
  }

  TEST_CASE("csv-long: one row per window, row, issue and stance") {
    const Analysis analysis(story(), AnalysisOptions{});
    const auto lines = lines_of(
        render(analysis, [](auto& out, const auto& a) { stance::write_csv_long(out, a); }));
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "window_start,window_end,actor,issue,stance,count,weight,net,contested\r");
    CHECK(lines[1] == ",,putin,ceasefire,accept,1,1,0,true\r");
    CHECK(lines[2] == ",,putin,ceasefire,reject,1,1,0,true\r");
    CHECK(lines[3] == ",,zelenskyy,ceasefire,demand,1,1,1,false\r");
    CHECK(lines[4] == ",,zelenskyy,sanctions,demand,1,1,1,false\r");
    CHECK(lines_of(render(Analysis({}, AnalysisOptions{}), [](auto& out, const auto& a) {
            stance::write_csv_long(out, a);
          })).size() == 1);
  }

  TEST_CASE("events: the DNA-style statement list, quoted, with repeat mentions marked") {
    const Analysis analysis(story(), AnalysisOptions{});
    const auto text =
        render(analysis, [](auto& out, const auto& a) { stance::write_events_csv(out, a); });
    const auto lines = lines_of(text);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] ==
          "id,time,actor,affiliation,issue,qualifier,agreement,confidence,span_begin,span_end,"
          "sentence,rule,counted,reported_by,source,document,text\r");
    CHECK(lines[1] ==
          "1,2025-03-11,putin,party,ceasefire,accept,1,1,0,24,3,demand.call_for,true,,"
          "Wire,a1,Putin agreed to a pause.\r");
    CHECK(lines[2].find(",reject,0,") != std::string::npos);
    CHECK(lines[3].find(",false,,Wire,a2,\"He turned it down, again.\"") != std::string::npos);
    CHECK(text.find("\"Zelenskyy called for a \"\"full\"\" ceasefire, <now>.\"") !=
          std::string::npos);
  }

  TEST_CASE("json of an analysis: run, records with ids, cells with evidence, views") {
    AnalysisOptions options;
    options.window.length_days = 7;
    const Analysis analysis(story(), options);
    std::ostringstream out;
    stance::write_json(out, analysis, context());
    const auto document = nlohmann::json::parse(out.str());

    CHECK(document["run"]["title"] == "Test & report");
    CHECK(document["run"]["options"]["count"] == "article");
    CHECK(document["run"]["options"]["window"]["step_days"] == 7);
    CHECK(document["run"]["dates"]["first"] == "2025-03-11");
    const auto& records = document["records"];
    REQUIRE(records.size() == 5);
    CHECK(records[2]["id"] == 3);
    CHECK(records[2]["counted"] == false);
    CHECK(records[0]["date"] == "2025-03-11");

    const auto& cells = document["matrix"]["cells"];
    REQUIRE(cells.size() == 3);
    CHECK(cells[0]["actor"] == "putin");
    CHECK(cells[0]["contested"] == true);
    CHECK(cells[0]["net"] == 0.0);
    CHECK(cells[0]["dominant"].is_null());
    CHECK(cells[0]["evidence"] == nlohmann::json::array({1, 2, 3}));
    CHECK(cells[1]["dominant"] == "demand");
    CHECK(cells[1]["weights"]["demand"] == 1.0);

    REQUIRE(document["windows"].size() == 2);
    CHECK(document["windows"][1]["first"] == "2025-03-18");
    CHECK(document["windows"][1]["matrix"]["cells"][0]["evidence"] ==
          nlohmann::json::array({2, 3}));

    CHECK(document["agreement"]["actors"] == nlohmann::json::array({"putin", "zelenskyy"}));
    // putin took no side on balance (net 0); zelenskyy supports both issues: nothing shared.
    CHECK(document["agreement"]["agreement"][0][1] == 0.0);
    CHECK(document["agreement"]["issues_either"][0][1] == 2.0);
    CHECK(document["polarisation"][0]["issue"] == "ceasefire");
    CHECK(document["polarisation"][0]["balanced"] == 1);
    REQUIRE(document["shifts"].size() == 1);
    CHECK(document["shifts"][0]["actor"] == "putin");
    CHECK(document["shifts"][0]["from"]["evidence"] == nlohmann::json::array({1}));
    CHECK(document["shifts"][0]["to"]["evidence"] == nlohmann::json::array({2, 3}));
  }

  TEST_CASE("markdown: matrix with glyphs and net, escaped text, evidence per cell") {
    const Analysis analysis(story(), AnalysisOptions{});
    std::ostringstream out;
    stance::write_markdown(out, analysis, context());
    const std::string text = out.str();
    CHECK(text.rfind("# Test & report\n", 0) == 0);
    CHECK(text.find("| actor | ceasefire | sanctions |") != std::string::npos);
    CHECK(text.find("| putin | A1 R1 \u00b1 (0) | \u00b7 |") != std::string::npos);
    CHECK(text.find("| zelenskyy | D1 (+1) | D1 (+1) |") != std::string::npos);
    CHECK(text.find("- **ceasefire**: a halt to fighting") != std::string::npos);
    CHECK(text.find("\\<now\\>") != std::string::npos);
    CHECK(text.find("repeat mention") != std::string::npos);
    CHECK(text.find("## Position shifts") != std::string::npos);
  }

  TEST_CASE("graphml: bipartite nodes, signed edge weights, escaped attributes") {
    std::vector<StanceRecord> records = story();
    records[0].actor = "put<in>";
    const Analysis analysis(records, AnalysisOptions{});
    std::ostringstream out;
    stance::write_graphml(out, analysis, context());
    const std::string text = out.str();
    CHECK(text.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml", 0) == 0);
    CHECK(occurrences(text, "<node ") == 3 + 2);  // put<in>, putin, zelenskyy + 2 issues
    CHECK(occurrences(text, "<edge ") == 4);
    CHECK(text.find("<node id=\"actor:put&lt;in&gt;\">") != std::string::npos);
    CHECK(text.find("<data key=\"edge_weight\">-1</data>") != std::string::npos);  // putin rejects
    CHECK(text.find("<data key=\"edge_weight\">1</data>") != std::string::npos);
    CHECK(text.find("<data key=\"node_proposition\">a halt to fighting</data>") !=
          std::string::npos);
    CHECK(text.find("<data key=\"node_affiliation\">party</data>") != std::string::npos);
    CHECK(text.find("put<in>") == std::string::npos);
    CHECK(text.rfind("</graphml>\n") == text.size() - 11);
  }

  TEST_CASE("html: self-contained, one heatmap cell per non-empty cell, data for the evidence") {
    std::vector<StanceRecord> records = story();
    records[4].evidence = "He wrote </script><script>alert(1)</script> & left.";
    records[4].span = {0, records[4].evidence.size()};
    const Analysis analysis(records, AnalysisOptions{});
    std::ostringstream out;
    stance::write_html(out, analysis, context());
    const std::string page = out.str();

    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    // Nothing is fetched: no external scripts, styles, images, fonts or imports.
    for (const char* reference : {"<link", " src=", "href=", "@import", "url(", "https://"}) {
      CAPTURE(reference);
      CHECK(page.find(reference) == std::string::npos);
    }
    const auto heatmap_begin = page.find("<svg id=\"heatmap\"");
    REQUIRE(heatmap_begin != std::string::npos);
    const std::string heatmap =
        page.substr(heatmap_begin, page.find("</svg>", heatmap_begin) - heatmap_begin);
    CHECK(occurrences(heatmap, "<g class=\"cell") == 3);
    CHECK(occurrences(heatmap, "<rect class=\"empty\"") == 1);  // putin x sanctions
    CHECK(page.find("data-row=\"putin\" data-issue=\"ceasefire\"") != std::string::npos);
    CHECK(page.find("<g class=\"cell contested\" data-cell=\"0\"") != std::string::npos);
    // Evidence text cannot end the data script early.
    CHECK(occurrences(page, "</script>") == 2);
    CHECK(page.find("\\u003c/script\\u003e") != std::string::npos);
    CHECK(page.find("id=\"selftest-result\"") != std::string::npos);
    CHECK(page.find("Test &amp; report") != std::string::npos);
    CHECK(page.find("id=\"timeline-svg\"") != std::string::npos);
    CHECK(page.find("id=\"agreement-svg\"") != std::string::npos);
  }

  TEST_CASE("html, md, json and graphml of no records are still complete documents") {
    const Analysis empty({}, AnalysisOptions{});
    std::ostringstream html, md, json, graphml;
    stance::write_html(html, empty, context());
    stance::write_markdown(md, empty, context());
    stance::write_json(json, empty, context());
    stance::write_graphml(graphml, empty, context());
    CHECK(html.str().find("No stance records.") != std::string::npos);
    CHECK(html.str().find("</html>") != std::string::npos);
    CHECK(md.str().find("No stance records.") != std::string::npos);
    CHECK(nlohmann::json::parse(json.str())["matrix"]["cells"].empty());
    CHECK(graphml.str().find("<node") == std::string::npos);
    CHECK(graphml.str().find("</graphml>") != std::string::npos);
  }

  TEST_CASE("table of an analysis: contested mark, windows and shifts") {
    const Analysis analysis(story(), AnalysisOptions{});
    std::ostringstream out;
    stance::write_table(out, analysis, stance::TableOptions{});
    const auto text = out.str();
    CHECK(text.find("A1 R1 \u00b1") != std::string::npos);
    CHECK(text.find("\u00b1=contested (supported and rejected)") != std::string::npos);
    CHECK(
        text.find("Shifts:\n  putin on ceasefire: accept (2025-03-11) -> reject (2025-03-18)\n") !=
        std::string::npos);

    AnalysisOptions options;
    options.window.length_days = 5;
    std::ostringstream windowed;
    stance::write_table(windowed, Analysis(story(), options), stance::TableOptions{});
    CHECK(windowed.str().find("Window 2025-03-11 .. 2025-03-15\n") != std::string::npos);
    CHECK(windowed.str().find("Window 2025-03-16 .. 2025-03-20\n") != std::string::npos);
  }

  TEST_CASE("jsonl is written byte for byte as nlohmann dumps the record") {
    // write_jsonl escapes by hand; nlohmann (dump(-1, ' ', false, replace)) is the reference.
    // The record's nlohmann object (record_to_json, what the json report holds), dumped.
    auto reference = [](const StanceRecord& record) {
      const nlohmann::ordered_json object = stance::report_internal::record_to_json(record);
      return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    };
    std::vector<StanceRecord> records;
    for (const double confidence : {1.0, 0.0, 0.85, 0.7, 0.125, 0.999, 1e-7, -0.0}) {
      records.push_back(make_record("a", "i", Stance::accept, confidence));
    }
    StanceRecord awkward = make_record("quote\"back\\slash", "?", Stance::reject);
    awkward.evidence = std::string("ctl \x01\x1f\x7f tab\t nl\n cr\r bs\b ff\f ") +
                       "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9 \xF0\x9F\x98\x80";
    awkward.object = "the \"unknown\" thing";
    awkward.sentence = 123456789;
    awkward.span = {0, 4294967296ULL};
    records.push_back(awkward);
    StanceRecord broken = make_record("a", "i", Stance::demand);
    broken.evidence = "bad \xFF utf-8 \xE2\x82 here";  // made by hand: readers let none through
    records.push_back(broken);
    StanceRecord empty = make_record("", "", Stance::demand);
    empty.article.clear();
    empty.evidence.clear();
    records.push_back(empty);
    for (const StanceRecord& record : records) {
      CHECK(jsonl(std::span<const StanceRecord>(&record, 1)) == reference(record));
    }
  }
}
