// stance explain: the trace, the near misses (--near), and cell mode (--actor/--issue).
#include <doctest/doctest.h>

#include <string>

#include "rules_helpers.hpp"
#include "stance/engine.hpp"
#include "stance/rule_pack.hpp"

namespace {

namespace fs = std::filesystem;
using rules_test::run_stance;
using rules_test::source_dir;

std::shared_ptr<const stance::RulePack> basics() {
  auto loaded = stance::RulePack::load(source_dir() / "fixtures" / "rules-doc" / "basics");
  REQUIRE(loaded.pack);
  return loaded.pack;
}

stance::Article text_article(std::string text) { return {"text", "", "", "", "", std::move(text), "test"}; }

}  // namespace

TEST_SUITE("explain") {
  TEST_CASE("the trace names each rule with its place") {
    const stance::Engine engine(basics());
    const std::string trace = engine.explain(text_article("Zelenskyy rejected the truce."));
    CHECK(trace.find("actor    'Zelenskyy' -> zelenskyy") != std::string::npos);
    CHECK(trace.find("cue      'rejected' -> reject.verb") != std::string::npos);
    CHECK(trace.find("statement: reject by zelenskyy on ceasefire") != std::string::npos);
  }

  TEST_CASE("near misses: a pattern that matches with one token left out or changed") {
    const auto pack = basics();
    const auto dropped = pack->near_misses(text_article("Kyiv ruled completely out a truce."));
    REQUIRE_FALSE(dropped.empty());
    const auto& miss = dropped.front();
    CHECK(miss.sentence == 1);
    CHECK(miss.rule == "reject.verb");
    CHECK(miss.pattern == "rule out");
    CHECK(miss.words == "ruled completely out");
    CHECK(miss.token == "completely");
    CHECK(miss.dropped);
    CHECK(miss.file.ends_with("fixtures/rules-doc/basics/rules.yaml"));
    CHECK(miss.line == 28);

    const auto changed = pack->near_misses(text_article("Zelenskyy agreed on a truce."));
    REQUIRE(changed.size() == 1);
    CHECK(changed[0].rule == "accept.verb");
    CHECK(changed[0].words == "agreed on");
    CHECK(changed[0].token == "on");
    CHECK_FALSE(changed[0].dropped);

    // What matched as written is no near miss; sentence numbers limit the search.
    CHECK(pack->near_misses(text_article("Kyiv ruled out a truce.")).empty());
    CHECK(pack->near_misses(text_article("Kyiv ruled completely out a truce. Fine."), 2).empty());
  }

  TEST_CASE("--near prints the near misses after each sentence's trace") {
    const auto run = run_stance("explain --rules fixtures/rules-doc/basics --near 'Kyiv ruled completely out a truce.'");
    CAPTURE(run.output);
    CHECK(run.exit_code == 0);
    CHECK(run.output.find("  near     'ruled completely out' -> reject.verb if 'completely' were left out  "
                          "(fixtures/rules-doc/basics/rules.yaml:28 \"rule out\")") != std::string::npos);
  }

  TEST_CASE("cell mode: every record behind one cell, newest article first") {
    rules_test::TempDir dir;
    rules_test::write_text(dir.path() / "a.txt", "---\nid: older\ndate: 2025-03-01\ntitle: Older\n---\nZelenskyy rejected the truce.\n");
    rules_test::write_text(dir.path() / "b.txt",
                           "---\nid: newer\ndate: 2025-05-01\n---\nZelenskyy welcomed the ceasefire. Kyiv ruled out a truce.\n");
    rules_test::write_text(dir.path() / "c.txt", "Zelenskyy welcomed a truce.\n");  // no date: last
    const std::string args = "explain --rules fixtures/rules-doc/basics --actor zelenskyy --issue ceasefire '" + dir.path().string() + "'";
    const auto run = run_stance(args);
    CAPTURE(run.output);
    CHECK(run.exit_code == 0);
    CHECK(run.output.starts_with("zelenskyy on ceasefire: 3 record(s) in 3 article(s), newest first\n"));
    const auto newer = run.output.find("2025-05-01  newer");
    const auto older = run.output.find("2025-03-01  older  \"Older\"");
    const auto undated = run.output.find("(no date)  c");
    REQUIRE(newer != std::string::npos);
    REQUIRE(older != std::string::npos);
    REQUIRE(undated != std::string::npos);
    CHECK(newer < older);
    CHECK(older < undated);
    CHECK(run.output.find("  sentence 1, bytes [0, 33)  accept  rule accept.verb  confidence 1\n"
                          "  evidence: Zelenskyy welcomed the ceasefire.") != std::string::npos);
    CHECK(run.output.find("Kyiv ruled out") == std::string::npos);  // Ukraine's record is another cell

    const auto rejects = run_stance(args + " --stance reject");
    CHECK(rejects.output.starts_with("zelenskyy on ceasefire (reject): 1 record(s)"));
    const auto unknown = run_stance("explain --rules fixtures/rules-doc/basics --actor zelensky --issue ceasefire '" +
                                    dir.path().string() + "'");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.output.find("'zelensky' is not an actor") != std::string::npos);
  }
}
