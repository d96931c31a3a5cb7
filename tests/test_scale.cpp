// Scale (docs/scale.md): the matrix state a streaming run keeps, and that shards write with
// --emit partial, shows exactly what the record-based Analysis shows (table, csv, csv-long, with
// every view option); states merge exactly, in any order, and refuse what cannot be added up; the
// ordered coder keeps input order whatever the number of jobs.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "coding_helpers.hpp"
#include "matrix_state.hpp"
#include "ordered_coder.hpp"
#include "stance/article.hpp"
#include "stance/report.hpp"

namespace {

using stance::Article;
using stance::StanceRecord;
using stance::cli::MatrixState;

// The fixture corpus, coded once: one list of records per article, in reading order.
const std::vector<std::vector<StanceRecord>>& corpus() {
  static const auto coded = [] {
    const stance::Engine engine(stance::testing::default_pack());
    std::vector<std::vector<StanceRecord>> out;
    std::istringstream no_stdin;
    stance::read_articles(
        {(stance::testing::source_dir() / "fixtures" / "articles").string()}, no_stdin,
        [&](Article&& article) { out.push_back(engine.code(article)); }, [](const stance::InputError&) {});
    return out;
  }();
  return coded;
}

stance::cli::StateIdentity identity_for(stance::CountMode count, const stance::RecordFilter& filter) {
  const auto& pack = *stance::testing::default_pack();
  stance::cli::StateIdentity identity{pack.id(), pack.fingerprint(), count, filter, {}};
  for (const auto& issue : pack.issues()) identity.issue_order.push_back(issue.id);
  return identity;
}

std::string written(const MatrixState& state) {
  std::ostringstream out;
  state.write(out);
  return out.str();
}

// The state of articles [first, last) of the corpus.
MatrixState state_of(std::size_t first, std::size_t last, stance::CountMode count,
                     const stance::RecordFilter& filter = {}) {
  MatrixState state(identity_for(count, filter));
  for (std::size_t a = first; a < last; ++a) {
    std::vector<StanceRecord> kept;
    for (const auto& record : corpus()[a]) {
      if (filter.keeps(record)) kept.push_back(record);
    }
    state.add_article(kept);
  }
  return state;
}

}  // namespace

TEST_SUITE("scale") {
  TEST_CASE("the matrix state shows what Analysis shows, for every view option") {
    REQUIRE(corpus().size() > 10);
    stance::RecordFilter since;
    since.since = "2025-03-01";
    int compared = 0;
    for (const auto count : {stance::CountMode::article, stance::CountMode::mention}) {
      for (const auto& filter : {stance::RecordFilter{}, since}) {
        const MatrixState state = state_of(0, corpus().size(), count, filter);
        for (const auto rows : {stance::RowKind::actor, stance::RowKind::affiliation}) {
          for (const double min_count : {0.0, 2.0}) {
            for (const auto window : {stance::WindowSpec{}, stance::WindowSpec{30, 0}, stance::WindowSpec{14, 7}}) {
              stance::AnalysisOptions options;
              options.issue_order = state.identity().issue_order;
              options.filter = filter;
              options.count = count;
              options.rows = rows;
              options.min_count = min_count;
              options.window = window;
              std::vector<StanceRecord> all;
              for (const auto& article : corpus()) all.insert(all.end(), article.begin(), article.end());
              const stance::Analysis analysis(std::move(all), options);
              const stance::cli::ViewOptions view{rows, min_count, window};
              const auto views = stance::cli::make_views(state, view);
              stance::TableOptions table;
              table.row_label = rows == stance::RowKind::affiliation ? "affiliation" : "actor";
              for (const bool color : {false, true}) {
                table.color = color;
                std::ostringstream expected, got;
                stance::write_table(expected, analysis, table);
                stance::cli::write_views_table(got, state, view, views, table);
                CHECK(got.str() == expected.str());
              }
              std::ostringstream expected_csv, got_csv, expected_long, got_long;
              stance::write_csv(expected_csv, analysis);
              stance::cli::write_views_csv(got_csv, views);
              CHECK(got_csv.str() == expected_csv.str());
              stance::write_csv_long(expected_long, analysis);
              stance::cli::write_views_csv_long(got_long, views);
              CHECK(got_long.str() == expected_long.str());
              CHECK(state.undated_records() == analysis.undated_records());
              ++compared;
            }
          }
        }
      }
    }
    CHECK(compared == 48);
  }

  TEST_CASE("shards merge into exactly the state of the whole corpus, in any order") {
    const std::size_t n = corpus().size();
    for (const auto count : {stance::CountMode::article, stance::CountMode::mention}) {
      const std::string whole = written(state_of(0, n, count));
      const MatrixState a = state_of(0, n / 3, count);
      const MatrixState b = state_of(n / 3, 2 * n / 3, count);
      const MatrixState c = state_of(2 * n / 3, n, count);
      MatrixState forward = a;
      forward.merge(b);
      forward.merge(c);
      CHECK(written(forward) == whole);
      MatrixState backward = c;
      backward.merge(b);
      backward.merge(a);
      CHECK(written(backward) == whole);
      CHECK(forward.articles() == n);
    }
  }

  TEST_CASE("a partial state is one line of JSON and survives being read back") {
    const MatrixState state = state_of(0, corpus().size(), stance::CountMode::article);
    const std::string text = written(state);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    const auto json = nlohmann::json::parse(text);
    CHECK(json["format"] == "stance-partial");
    CHECK(json["entries"].size() > 10);
    const MatrixState back = MatrixState::read(text);
    CHECK(written(back) == text);
    CHECK(back.articles() == state.articles());
  }

  TEST_CASE("states that cannot be added up say why") {
    const MatrixState article = state_of(0, 5, stance::CountMode::article);
    const MatrixState mention = state_of(0, 5, stance::CountMode::mention);
    CHECK(article.incompatibility(mention).value_or("").find("--count") != std::string::npos);
    auto other_rules = nlohmann::json::parse(written(article));
    other_rules["pack"]["fingerprint"] = "0000";
    const MatrixState foreign = MatrixState::read(other_rules.dump());
    CHECK(article.incompatibility(foreign).value_or("").find("same rule pack") != std::string::npos);
    stance::RecordFilter only_putin;
    only_putin.actors = {"putin"};
    const MatrixState filtered = state_of(0, 5, stance::CountMode::article, only_putin);
    CHECK(article.incompatibility(filtered).value_or("").find("filters") != std::string::npos);
    CHECK_FALSE(article.incompatibility(state_of(5, 9, stance::CountMode::article)));
  }

  TEST_CASE("a malformed partial state is an error naming the problem") {
    auto json = nlohmann::json::parse(written(state_of(0, 5, stance::CountMode::article)));
    CHECK_THROWS_WITH_AS(MatrixState::read("{\"a\": 1}"), doctest::Contains("not a stance partial state"),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(MatrixState::read("{\"a\": "), doctest::Contains("not JSON"), std::runtime_error);
    json["version"] = 99;
    CHECK_THROWS_WITH_AS(MatrixState::read(json.dump()), doctest::Contains("version 99"), std::runtime_error);
    json["version"] = MatrixState::kVersion;
    REQUIRE(!json["entries"].empty());
    json["entries"][0][4] = "maybe";
    CHECK_THROWS_WITH_AS(MatrixState::read(json.dump()), doctest::Contains("entry 1: stance 'maybe'"),
                         std::runtime_error);
  }

  TEST_CASE("the ordered coder emits in input order whatever the number of jobs") {
    for (const unsigned jobs : {1U, 2U, 5U}) {
      std::vector<std::string> seen;
      std::atomic<int> coded{0};
      {
        stance::cli::OrderedCoder coder(
            jobs,
            [&](const Article& article, stance::Engine::Workspace&) {
              // Later articles finish first: order must come from the coder, not from timing.
              std::this_thread::sleep_for(std::chrono::microseconds(200 * (article.id.size() % 3)));
              ++coded;
              return stance::cli::CodedResult{{}, article.id};
            },
            [&](Article&&, stance::cli::CodedResult&& result) { seen.push_back(result.text); });
        for (int i = 0; i < 50; ++i) {
          Article article;
          article.id = std::string(static_cast<std::size_t>(i % 7 + 1), 'x') + std::to_string(i);
          coder.submit(std::move(article));
        }
        coder.finish();
      }
      REQUIRE(seen.size() == 50);
      for (int i = 0; i < 50; ++i) CHECK(seen[static_cast<std::size_t>(i)].ends_with(std::to_string(i)));
      CHECK(coded == 50);
    }
  }

  TEST_CASE("a worker's exception reaches the caller in the failing article's turn") {
    stance::cli::OrderedCoder coder(
        2,
        [](const Article& article, stance::Engine::Workspace&) -> stance::cli::CodedResult {
          if (article.id == "bad") throw std::runtime_error("cannot code bad");
          return {{}, article.id};
        },
        [](Article&&, stance::cli::CodedResult&&) {});
    const auto submit_all = [&] {
      for (const char* id : {"a", "b", "bad", "c", "d", "e", "f", "g", "h", "i", "j"}) {
        Article article;
        article.id = id;
        coder.submit(std::move(article));
      }
      coder.finish();
    };
    CHECK_THROWS_WITH_AS(submit_all(), "cannot code bad", std::runtime_error);
  }
}
