// The client's 48 mechanism cases (fixtures/cases/stance-cases.jsonl, copied from shared/): each
// must yield every gold triple and nothing outside gold + optional.
#include <doctest/doctest.h>

#include "coding_helpers.hpp"

using namespace stance::testing;

TEST_SUITE("cases") {
TEST_CASE("every mechanism case is coded exactly") {
  const stance::Engine engine(default_pack());
  std::istringstream lines(slurp(source_dir() / "fixtures" / "cases" / "stance-cases.jsonl"));
  std::string line;
  int cases = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const auto c = nlohmann::json::parse(line);
    stance::Article article;
    article.id = c.at("id");
    article.text = c.at("text");
    const auto found = triples(engine.code(article));
    const auto gold = triples(c.at("gold"));
    const auto optional = triples(c.value("optional", nlohmann::json::array()));
    std::set<Triple> missing, extra;
    for (const auto& t : gold) if (!found.count(t)) missing.insert(t);
    for (const auto& t : found) if (!gold.count(t) && !optional.count(t)) extra.insert(t);
    INFO(article.id << " [" << c.value("mechanism", "") << "] " << article.text);
    CHECK_MESSAGE(missing.empty(), "missing " << describe(missing));
    CHECK_MESSAGE(extra.empty(), "unexpected " << describe(extra));
    ++cases;
  }
  CHECK(cases == 48);
}
}
