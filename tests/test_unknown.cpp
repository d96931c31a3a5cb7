// Stances on objects no issue of the pack names (issue #4 point 5): Engine::Options and
// `stance run --unknown` (docs/cli.md, docs/output.md). The articles are written for these tests.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <sstream>
#include <string>
#include <vector>

#include "coding_helpers.hpp"
#include "temp_dir.hpp"

namespace {

using stance::testing::TempDir;

// Known actors take stances on a request and a corridor the default pack has no issue for: the
// same request once with "a", twice with "the" (nobody named as its author, so the request itself
// is nobody's stance); one stance on an issue the pack knows.
constexpr const char* kUnknownArticle =
    "---\n"
    "id: corridor-talks\n"
    "date: 2025-09-01\n"
    "---\n"
    "Lavrov rejected a request for inspections. Peskov rejected the request for "
    "inspections. Zelenskyy demanded a grain corridor. Lavrov later rejected the request for "
    "inspections. Lavrov rejected the grain corridor. Zelenskyy rejected any territorial concessions. "
    "Officials demanded a swift answer.\n";

// Cues that must give no unknown object: no holder, an object that is an issue, a negated
// demand, a passive, a conditional, a question.
constexpr const char* kNoUnknownArticle =
    "---\n"
    "id: no-unknown\n"
    "---\n"
    "Officials demanded a swift answer. Zelenskyy rejected any territorial concessions. Zelenskyy did "
    "not demand a grain corridor. A grain corridor was rejected by Lavrov. If Lavrov rejects a grain "
    "corridor, the talks end. Did Lavrov reject a grain corridor?\n";

struct Run {
  int status = -1;
  std::string out, err;
};

// Runs `stance ARGS` from the source tree.
Run run_stance(const TempDir& dir, const std::string& args) {
  const std::string out = dir.path("stdout"), err = dir.path("stderr");
  const std::string command = std::string("cd '") + STANCE_SOURCE_DIR + "' && '" + STANCE_BINARY + "' " + args +
                              " </dev/null >'" + out + "' 2>'" + err + "'";
  const int raw = std::system(command.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = stance::testing::slurp(out);
  r.err = stance::testing::slurp(err);
  return r;
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// The lines of `text` from the first that starts with `prefix`.
std::string from_line(const std::string& text, const std::string& prefix) {
  const std::size_t at = text.rfind("\n" + prefix);
  return at == std::string::npos ? std::string() : text.substr(at + 1);
}

}  // namespace

TEST_SUITE("unknown") {
TEST_CASE("the engine emits unknown objects only when asked") {
  const auto pack = stance::testing::default_pack();
  stance::Article article;
  article.id = "a";
  article.text = "Lavrov rejected a request for inspections. Zelenskyy rejected any territorial concessions.";

  const stance::Engine plain(pack);
  CHECK_FALSE(plain.options().unknown_objects);
  for (const auto& record : plain.code(article)) CHECK(record.issue != "?");

  stance::Engine::Options options;
  options.unknown_objects = true;
  const stance::Engine engine(pack, options);
  stance::Engine::Workspace workspace;
  for (const auto& records : {engine.code(article), engine.code(article, workspace)}) {
    REQUIRE(records.size() == 2);
    CHECK(records[0].actor == "lavrov");
    CHECK(records[0].issue == "?");
    CHECK(records[0].stance == stance::Stance::reject);
    CHECK(records[0].object == "a request for inspections");
    CHECK(records[1].issue == "territorial_cession");
    CHECK(records[1].object.empty());
  }
}

TEST_CASE("object_key folds case and drops the pack's leading determiners and prepositions") {
  const stance::Engine engine(stance::testing::default_pack());
  CHECK(engine.object_key("a U.S. request") == "u.s. request");
  CHECK(engine.object_key("the U.S.  request") == "u.s. request");
  CHECK(engine.object_key("for the Grain Corridor") == "grain corridor");
  CHECK(engine.object_key("Lavrov\u2019s plan") == "lavrov's plan");
  CHECK(engine.object_key("the plan of the day") == "plan of the day");  // only leading words go
  CHECK(engine.object_key("the") == "");
}

TEST_CASE("run --unknown: jsonl carries the unknown records with their object, in text order") {
  const TempDir dir;
  const std::string path = dir.write("corridor-talks.txt", kUnknownArticle);
  const Run r = run_stance(dir, "run --unknown --format jsonl '" + path + "'");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 6);
  struct Expected {
    int sentence;
    const char* actor;
    const char* stance;
    const char* object;
  };
  const Expected expected[] = {{1, "lavrov", "reject", "a request for inspections"},
                               {2, "peskov", "reject", "the request for inspections"},
                               {3, "zelenskyy", "demand", "a grain corridor"},
                               {4, "lavrov", "reject", "the request for inspections"},
                               {5, "lavrov", "reject", "the grain corridor"}};
  for (std::size_t k = 0; k < 5; ++k) {
    CAPTURE(k);
    CHECK(lines[k].at("sentence") == expected[k].sentence);
    CHECK(lines[k].at("actor") == expected[k].actor);
    CHECK(lines[k].at("issue") == "?");
    CHECK(lines[k].at("stance") == expected[k].stance);
    CHECK(lines[k].at("object") == expected[k].object);
    CHECK(lines[k].at("confidence") == 0.5);
  }
  CHECK(lines[5].at("issue") == "territorial_cession");
  CHECK_FALSE(lines[5].contains("object"));
}

TEST_CASE("run --unknown --format table: the matrix, then the objects most frequent first") {
  const TempDir dir;
  const std::string path = dir.write("corridor-talks.txt", kUnknownArticle);
  const Run r = run_stance(dir, "run --unknown --format table '" + path + "'");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  // The matrix has the known issue only: "?" is never a column.
  CHECK(r.out.find("zelenskyy  R1\n") != std::string::npos);
  CHECK(r.out.find("Totals: 1 record (D0 A0 R1), 1 actor, 1 issue\n") != std::string::npos);
  CHECK(from_line(r.out, "unknown objects:") ==
        "unknown objects: 5 record(s) on 2 object(s) that no issue of the pack names\n"
        "count  object                   stances                           example\n"
        "    3  request for inspections  lavrov reject (2), peskov reject  corridor-talks:1\n"
        "    2  grain corridor           lavrov reject, zelenskyy demand   corridor-talks:3\n");

  SUBCASE("--unknown-top cuts the list and says how much is left") {
    const Run top = run_stance(dir, "run --unknown --unknown-top 1 '" + path + "'");
    CHECK(from_line(top.out, "unknown objects:") ==
          "unknown objects: 5 record(s) on 2 object(s) that no issue of the pack names\n"
          "count  object                   stances                           example\n"
          "    3  request for inspections  lavrov reject (2), peskov reject  corridor-talks:1\n"
          "... 1 more object(s) (--unknown-top 0 lists them all)\n");
  }
  SUBCASE("--by affiliation names the affiliations") {
    const Run by = run_stance(dir, "run --unknown --by affiliation '" + path + "'");
    CHECK(by.out.find("    3  request for inspections  russia reject (3)") != std::string::npos);
    CHECK(by.out.find("    2  grain corridor           russia reject, ukraine demand") != std::string::npos);
  }
  SUBCASE("the same table on several threads") {
    dir.write("corpus/corridor-talks.txt", kUnknownArticle);
    dir.write("corpus/no-unknown.txt", kNoUnknownArticle);
    const Run one = run_stance(dir, "run --unknown -j 1 '" + dir.path("corpus") + "'");
    const Run three = run_stance(dir, "run --unknown -j 3 '" + dir.path("corpus") + "'");
    CHECK(one.status == 0);
    CHECK(one.out == three.out);
  }
}

TEST_CASE("without --unknown nothing about unknown objects is printed") {
  const TempDir dir;
  const std::string path = dir.write("corridor-talks.txt", kUnknownArticle);
  for (const char* format : {"table", "jsonl", "json", "csv", "md"}) {
    CAPTURE(format);
    const Run r = run_stance(dir, std::string("run --format ") + format + " '" + path + "'");
    CHECK(r.status == 0);
    CHECK(r.out.find("unknown") == std::string::npos);
    CHECK(r.out.find("\"?\"") == std::string::npos);
    CHECK(r.out.find("\"object\"") == std::string::npos);
    CHECK(r.out.find("inspections\"") == std::string::npos);  // no object phrase (evidence ends in ".")
  }
  const auto lines = json_lines(run_stance(dir, "run --format jsonl '" + path + "'").out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].at("issue") == "territorial_cession");
}

TEST_CASE("run --unknown --format json: two more members, the rest unchanged") {
  const TempDir dir;
  const std::string path = dir.write("corridor-talks.txt", kUnknownArticle);
  const Run with = run_stance(dir, "run --unknown --format json '" + path + "'");
  const Run without = run_stance(dir, "run --format json '" + path + "'");
  REQUIRE(with.status == 0);
  auto document = nlohmann::ordered_json::parse(with.out);
  const auto records = document.at("unknown_records");
  const auto objects = document.at("unknown_objects");
  REQUIRE(records.size() == 5);
  CHECK(records[0].at("object") == "a request for inspections");
  CHECK(records[0].at("issue") == "?");
  CHECK(records[0].at("date") == "2025-09-01");
  CHECK(records[0].at("cue_span") == nlohmann::json::array({7, 15}));
  REQUIRE(objects.size() == 2);
  CHECK(objects[0].at("object") == "request for inspections");
  CHECK(objects[0].at("count") == 3);
  CHECK(objects[0].at("stances") ==
        nlohmann::ordered_json::parse(R"([{"actor":"lavrov","stance":"reject","count":2},
                                  {"actor":"peskov","stance":"reject","count":1}])"));
  CHECK(objects[0].at("example") ==
        nlohmann::ordered_json::parse(R"({"article":"corridor-talks","sentence":1,"words":"a request for inspections"})"));
  CHECK(objects[1].at("object") == "grain corridor");
  CHECK(document.at("matrix").at("issues") == nlohmann::json::array({"territorial_cession"}));
  document.erase("unknown_records");
  document.erase("unknown_objects");
  CHECK(document.dump(2, ' ', false) + "\n" == without.out);
}

TEST_CASE("run --unknown stays silent where no unknown object may fire") {
  const TempDir dir;
  const std::string path = dir.write("no-unknown.txt", kNoUnknownArticle);
  const auto lines = json_lines(run_stance(dir, "run --unknown --format jsonl '" + path + "'").out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].at("actor") == "zelenskyy");
  CHECK(lines[0].at("issue") == "territorial_cession");
  const Run table = run_stance(dir, "run --unknown '" + path + "'");
  CHECK(table.status == 0);
  CHECK(from_line(table.out, "unknown objects:") ==
        "unknown objects: 0 record(s) on 0 object(s) that no issue of the pack names\n");
}

TEST_CASE("--unknown with a format that has no place for it is a usage error") {
  const TempDir dir;
  const std::string path = dir.write("corridor-talks.txt", kUnknownArticle);
  for (const char* args : {"--format csv", "--format html", "--emit partial"}) {
    CAPTURE(args);
    const Run r = run_stance(dir, std::string("run --unknown ") + args + " '" + path + "'");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--unknown works with --format table, jsonl or json") != std::string::npos);
  }
  const Run top = run_stance(dir, "run --unknown-top 3 '" + path + "'");
  CHECK(top.status == 2);
  CHECK(top.err.find("--unknown-top requires --unknown") != std::string::npos);
}
}
