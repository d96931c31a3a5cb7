// The stance matrix: hand-computed counts, axis order, roll-up and exact merging.
#include <doctest/doctest.h>

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stance/matrix.hpp"
#include "stance/record.hpp"

namespace {

using stance::Stance;
using stance::StanceMatrix;
using stance::StanceRecord;

StanceRecord make_record(std::string actor, std::string issue, Stance stance,
                         double confidence = 1.0, std::string affiliation = {}) {
  StanceRecord record;
  record.article = "a1";
  record.actor = std::move(actor);
  record.issue = std::move(issue);
  record.stance = stance;
  record.confidence = confidence;
  record.affiliation = std::move(affiliation);
  return record;
}

std::size_t index_of(const std::vector<std::string>& labels, const std::string& label) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == label) return i;
  }
  FAIL("label not found: " << label);
  return 0;
}

double count_of(const StanceMatrix& matrix, const std::string& actor, const std::string& issue,
                Stance stance) {
  return matrix.count(index_of(matrix.actors(), actor), index_of(matrix.issues(), issue), stance);
}

double weight_of(const StanceMatrix& matrix, const std::string& actor, const std::string& issue,
                 Stance stance) {
  return matrix.weight(index_of(matrix.actors(), actor), index_of(matrix.issues(), issue), stance);
}

// Same axes in the same order and the same value in every cell. Test confidences are dyadic
// fractions, so weighted sums are exact whatever the addition order.
void check_same(const StanceMatrix& left, const StanceMatrix& right) {
  REQUIRE(left.actors() == right.actors());
  REQUIRE(left.issues() == right.issues());
  CHECK(left.total() == right.total());
  for (std::size_t a = 0; a < left.actors().size(); ++a) {
    for (std::size_t i = 0; i < left.issues().size(); ++i) {
      for (const Stance s : {Stance::demand, Stance::accept, Stance::reject}) {
        CHECK(left.count(a, i, s) == right.count(a, i, s));
        CHECK(left.weight(a, i, s) == right.weight(a, i, s));
      }
    }
  }
}

std::vector<StanceRecord> sample_records() {
  return {
      make_record("merkel", "sanctions", Stance::demand, 1.0, "cdu"),
      make_record("scholz", "sanctions", Stance::demand, 0.5, "spd"),
      make_record("scholz", "ceasefire", Stance::reject, 0.75, "spd"),
      make_record("merz", "ceasefire", Stance::accept, 0.25, "cdu"),
      make_record("greenpeace", "arms_exports", Stance::reject),
      make_record("merkel", "sanctions", Stance::demand, 0.5, "cdu"),
      make_record("merz", "arms_exports", Stance::demand, 1.0, "cdu"),
      make_record("scholz", "sanctions", Stance::accept, 0.75, "spd"),
  };
}

}  // namespace

TEST_SUITE("matrix") {
  TEST_CASE("stance names round-trip") {
    CHECK(stance::to_string(Stance::demand) == "demand");
    CHECK(stance::to_string(Stance::accept) == "accept");
    CHECK(stance::to_string(Stance::reject) == "reject");
    for (const Stance s : {Stance::demand, Stance::accept, Stance::reject}) {
      CHECK(stance::parse_stance(stance::to_string(s)) == s);
    }
    CHECK(stance::parse_stance("Reject") == Stance::reject);
    CHECK_FALSE(stance::parse_stance("support").has_value());
    CHECK_FALSE(stance::parse_stance("").has_value());
  }

  TEST_CASE("an empty matrix has no axes and no total") {
    const StanceMatrix matrix;
    CHECK(matrix.empty());
    CHECK(matrix.actors().empty());
    CHECK(matrix.issues().empty());
    CHECK(matrix.total() == 0.0);
    CHECK_THROWS_AS((void)matrix.count(0, 0, Stance::demand), std::out_of_range);
    CHECK(matrix.rolled_up_by_affiliation().empty());
  }

  TEST_CASE("add counts once and sums confidence as the weight") {
    StanceMatrix matrix;
    matrix.add(make_record("alice", "pensions", Stance::demand, 0.5));
    matrix.add(make_record("alice", "pensions", Stance::demand, 1.0));
    matrix.add(make_record("alice", "pensions", Stance::reject, 0.25));

    CHECK_FALSE(matrix.empty());
    REQUIRE(matrix.actors() == std::vector<std::string>{"alice"});
    REQUIRE(matrix.issues() == std::vector<std::string>{"pensions"});
    CHECK(matrix.count(0, 0, Stance::demand) == 2.0);
    CHECK(matrix.weight(0, 0, Stance::demand) == 1.5);
    CHECK(matrix.count(0, 0, Stance::accept) == 0.0);
    CHECK(matrix.weight(0, 0, Stance::accept) == 0.0);
    CHECK(matrix.count(0, 0, Stance::reject) == 1.0);
    CHECK(matrix.weight(0, 0, Stance::reject) == 0.25);
    CHECK(matrix.total() == 3.0);
    CHECK_THROWS_AS((void)matrix.count(1, 0, Stance::demand), std::out_of_range);
    CHECK_THROWS_AS((void)matrix.weight(0, 1, Stance::demand), std::out_of_range);
  }

  TEST_CASE("single actor across several issues") {
    StanceMatrix matrix;
    matrix.add(make_record("solo", "b", Stance::accept));
    matrix.add(make_record("solo", "a", Stance::reject, 0.5));
    REQUIRE(matrix.actors() == std::vector<std::string>{"solo"});
    REQUIRE(matrix.issues() == std::vector<std::string>{"a", "b"});
    CHECK(matrix.count(0, 0, Stance::reject) == 1.0);
    CHECK(matrix.weight(0, 0, Stance::reject) == 0.5);
    CHECK(matrix.count(0, 1, Stance::accept) == 1.0);
    CHECK(matrix.count(0, 1, Stance::reject) == 0.0);
    CHECK(matrix.total() == 2.0);
  }

  TEST_CASE("actors are sorted; issues follow issue_order, then the rest sorted") {
    StanceMatrix matrix({"zeta", "alpha", "zeta"});  // the duplicate is ignored
    matrix.add(make_record("carol", "mu", Stance::demand));
    matrix.add(make_record("alice", "alpha", Stance::accept));
    matrix.add(make_record("bob", "beta", Stance::reject));
    matrix.add(make_record("carol", "zeta", Stance::reject, 0.5));
    matrix.add(make_record("alice", "mu", Stance::demand));

    CHECK(matrix.actors() == std::vector<std::string>{"alice", "bob", "carol"});
    CHECK(matrix.issues() == std::vector<std::string>{"zeta", "alpha", "beta", "mu"});
    // The cells moved with their labels.
    CHECK(matrix.count(0, 1, Stance::accept) == 1.0);  // alice, alpha
    CHECK(matrix.count(0, 3, Stance::demand) == 1.0);  // alice, mu
    CHECK(matrix.count(1, 2, Stance::reject) == 1.0);  // bob, beta
    CHECK(matrix.count(2, 0, Stance::reject) == 1.0);  // carol, zeta
    CHECK(matrix.weight(2, 0, Stance::reject) == 0.5);
    CHECK(matrix.count(2, 3, Stance::demand) == 1.0);  // carol, mu
    CHECK(matrix.count(2, 1, Stance::demand) == 0.0);
    CHECK(matrix.total() == 5.0);
  }

  TEST_CASE("order of additions does not change the result") {
    auto records = sample_records();
    StanceMatrix forward;
    forward.add_all(records);
    std::reverse(records.begin(), records.end());
    StanceMatrix backward;
    backward.add_all(records);
    check_same(forward, backward);
  }

  TEST_CASE("roll-up sums actors into their affiliations") {
    StanceMatrix matrix;
    matrix.add_all(sample_records());
    const StanceMatrix parties = matrix.rolled_up_by_affiliation();

    // greenpeace has no affiliation and stays its own row.
    REQUIRE(parties.actors() == std::vector<std::string>{"cdu", "greenpeace", "spd"});
    REQUIRE(parties.issues() == matrix.issues());
    CHECK(count_of(parties, "cdu", "sanctions", Stance::demand) == 2.0);  // merkel x2
    CHECK(weight_of(parties, "cdu", "sanctions", Stance::demand) == 1.5);
    CHECK(count_of(parties, "cdu", "ceasefire", Stance::accept) == 1.0);  // merz
    CHECK(count_of(parties, "cdu", "arms_exports", Stance::demand) == 1.0);
    CHECK(count_of(parties, "spd", "sanctions", Stance::demand) == 1.0);
    CHECK(count_of(parties, "spd", "sanctions", Stance::accept) == 1.0);
    CHECK(weight_of(parties, "spd", "ceasefire", Stance::reject) == 0.75);
    CHECK(count_of(parties, "greenpeace", "arms_exports", Stance::reject) == 1.0);
    CHECK(parties.total() == matrix.total());

    // Rolling up again changes nothing.
    check_same(parties.rolled_up_by_affiliation(), parties);
  }

  TEST_CASE("roll-up follows each record's affiliation") {
    // An actor who changes party mid-corpus: each record counts for the party it was coded with.
    StanceMatrix matrix;
    matrix.add(make_record("turncoat", "tax", Stance::demand, 1.0, "old_party"));
    matrix.add(make_record("turncoat", "tax", Stance::reject, 0.5, "new_party"));
    const StanceMatrix parties = matrix.rolled_up_by_affiliation();
    REQUIRE(parties.actors() == std::vector<std::string>{"new_party", "old_party"});
    CHECK(count_of(parties, "old_party", "tax", Stance::demand) == 1.0);
    CHECK(count_of(parties, "old_party", "tax", Stance::reject) == 0.0);
    CHECK(count_of(parties, "new_party", "tax", Stance::reject) == 1.0);
    CHECK(weight_of(parties, "new_party", "tax", Stance::reject) == 0.5);
    REQUIRE(matrix.actors() == std::vector<std::string>{"turncoat"});
  }

  TEST_CASE("merge of a split equals the matrix of all records") {
    const auto records = sample_records();
    const std::vector<std::string> order{"ceasefire", "sanctions"};
    StanceMatrix whole(order);
    whole.add_all(records);

    for (std::size_t split = 0; split <= records.size(); ++split) {
      CAPTURE(split);
      StanceMatrix first(order);
      StanceMatrix second(order);
      first.add_all(std::span(records).first(split));
      second.add_all(std::span(records).subspan(split));
      StanceMatrix merged = first;
      merged.merge(second);
      check_same(merged, whole);
      check_same(merged.rolled_up_by_affiliation(), whole.rolled_up_by_affiliation());
    }
  }

  TEST_CASE("merge unites disjoint axes") {
    StanceMatrix left;
    left.add(make_record("bob", "x", Stance::demand));
    StanceMatrix right;
    right.add(make_record("alice", "y", Stance::reject, 0.5));
    left.merge(right);
    REQUIRE(left.actors() == std::vector<std::string>{"alice", "bob"});
    REQUIRE(left.issues() == std::vector<std::string>{"x", "y"});
    CHECK(left.count(0, 1, Stance::reject) == 1.0);
    CHECK(left.weight(0, 1, Stance::reject) == 0.5);
    CHECK(left.count(1, 0, Stance::demand) == 1.0);
    CHECK(left.count(0, 0, Stance::demand) == 0.0);
    CHECK(left.count(1, 1, Stance::reject) == 0.0);
    CHECK(left.total() == 2.0);
  }

  TEST_CASE("merge edge cases: empty sides, self, issue order adoption") {
    StanceMatrix part({"zeta"});
    part.add(make_record("a", "alpha", Stance::demand));
    part.add(make_record("a", "zeta", Stance::accept));

    SUBCASE("an empty accumulator takes the part's issue order") {
      StanceMatrix total;
      total.merge(part);
      check_same(total, part);
      CHECK(total.issues() == std::vector<std::string>{"zeta", "alpha"});
    }
    SUBCASE("merging an empty matrix changes nothing") {
      StanceMatrix merged = part;
      merged.merge(StanceMatrix{});
      check_same(merged, part);
    }
    SUBCASE("merging with itself doubles every cell") {
      StanceMatrix doubled = part;
      doubled.merge(doubled);
      CHECK(doubled.total() == 4.0);
      CHECK(doubled.count(0, 0, Stance::accept) == 2.0);
      CHECK(doubled.count(0, 1, Stance::demand) == 2.0);
    }
  }

  TEST_CASE("copies are independent; moved-from matrices are reusable") {
    StanceMatrix original;
    original.add(make_record("a", "x", Stance::demand));
    StanceMatrix copy = original;
    copy.add(make_record("b", "x", Stance::demand));
    CHECK(original.actors().size() == 1);
    CHECK(copy.actors().size() == 2);

    StanceMatrix moved = std::move(copy);
    CHECK(moved.total() == 2.0);
    // NOLINTNEXTLINE(bugprone-use-after-move): the moved-from state is part of the contract here
    copy.add(make_record("c", "y", Stance::reject));
    CHECK(copy.total() == 1.0);
  }

  TEST_CASE("many actors and issues grow the storage correctly") {
    StanceMatrix matrix;
    std::vector<StanceRecord> records;
    for (int a = 0; a < 40; ++a) {
      for (int i = 0; i < 15; ++i) {
        if ((a + i) % 3 == 0) {
          records.push_back(make_record("actor" + std::to_string(1000 - a),
                                        "issue" + std::to_string(i),
                                        static_cast<Stance>((a * i) % 3), 0.5));
        }
      }
    }
    matrix.add_all(records);
    CHECK(matrix.total() == static_cast<double>(records.size()));
    for (const StanceRecord& record : records) {
      CHECK(count_of(matrix, record.actor, record.issue, record.stance) == 1.0);
      CHECK(weight_of(matrix, record.actor, record.issue, record.stance) == 0.5);
    }
    CHECK(std::is_sorted(matrix.actors().begin(), matrix.actors().end()));
  }
}

// ---------------------------------------------------------------------------------------------
// Cell summaries, serialisation, dates, the analysis (filters, duplicates, windows, evidence)
// and the derived views, each on cases small enough to compute by hand.

namespace {

using stance::Analysis;
using stance::AnalysisOptions;
using stance::CellStats;
using stance::CountMode;
using stance::DateRange;
using stance::RowKind;

CellStats stats(std::array<double, 3> counts, std::array<double, 3> weights) {
  CellStats cell;
  cell.counts = counts;
  cell.weights = weights;
  return cell;
}

StanceRecord dated(std::string actor, std::string issue, Stance stance, std::string date,
                   std::string article, double confidence = 1.0, std::string affiliation = {},
                   std::string source = "wire") {
  StanceRecord record =
      make_record(std::move(actor), std::move(issue), stance, confidence, std::move(affiliation));
  record.date = std::move(date);
  record.article = std::move(article);
  record.source = std::move(source);
  return record;
}

std::vector<std::string> evidence_articles(const Analysis& analysis, const stance::Slice& slice,
                                           const std::string& row, const std::string& issue) {
  std::vector<std::string> articles;
  const auto r = slice.matrix.find_actor(row);
  const auto i = slice.matrix.find_issue(issue);
  if (!r || !i) return articles;
  for (const std::size_t index : slice.evidence(*r, *i)) {
    articles.push_back(analysis.records()[index].article);
  }
  return articles;
}

// The four-actor case used for agreement, coalitions and polarisation (one record each):
//   a: x +, y +, z -      b: x +, y -      c: z +      d: x +, y +
std::vector<StanceRecord> agreement_records() {
  return {
      make_record("a", "x", Stance::demand), make_record("a", "y", Stance::accept),
      make_record("a", "z", Stance::reject), make_record("b", "x", Stance::accept),
      make_record("b", "y", Stance::reject), make_record("c", "z", Stance::demand),
      make_record("d", "x", Stance::demand), make_record("d", "y", Stance::demand),
  };
}

}  // namespace

TEST_SUITE("matrix") {
  TEST_CASE("cell summary: net position, side, dominant stance, contested") {
    SUBCASE("support and rejection, weighted") {
      // D2 with weight 1.5, R1 with weight 0.5: net = (1.5 - 0.5) / (1.5 + 0.5) = 0.5
      const CellStats cell = stats({2, 0, 1}, {1.5, 0, 0.5});
      CHECK(cell.net() == doctest::Approx(0.5));
      CHECK(cell.side() == 1);
      CHECK(cell.dominant() == Stance::demand);
      CHECK(cell.contested());
      CHECK(cell.total_count() == 3.0);
    }
    SUBCASE("only rejection is -1, only support +1") {
      CHECK(stats({0, 0, 2}, {0, 0, 1.25}).net() == -1.0);
      CHECK(stats({0, 0, 2}, {0, 0, 1.25}).side() == -1);
      CHECK_FALSE(stats({0, 0, 2}, {0, 0, 1.25}).contested());
      CHECK(stats({1, 3, 0}, {0.5, 2, 0}).net() == 1.0);
      CHECK_FALSE(stats({1, 3, 0}, {0.5, 2, 0}).contested());
    }
    SUBCASE("a balanced cell has net 0, no side and no dominant stance") {
      const CellStats cell = stats({0, 1, 1}, {0, 0.5, 0.5});
      CHECK(cell.net() == 0.0);
      CHECK(cell.side() == 0);
      CHECK_FALSE(cell.dominant().has_value());
      CHECK(cell.contested());
    }
    SUBCASE("equal weights: the larger count wins") {
      CHECK(stats({1, 2, 0}, {1, 1, 0}).dominant() == Stance::accept);
    }
    SUBCASE("empty") {
      const CellStats cell;
      CHECK(cell.empty());
      CHECK_FALSE(cell.net().has_value());
      CHECK(cell.side() == 0);
      CHECK_FALSE(cell.dominant().has_value());
      CHECK_FALSE(cell.contested());
    }
    SUBCASE("read from a matrix") {
      StanceMatrix matrix;
      matrix.add(make_record("a", "x", Stance::accept, 0.75));
      matrix.add(make_record("a", "x", Stance::reject, 0.25));
      const CellStats cell = matrix.cell(0, 0);
      CHECK(cell.count(Stance::accept) == 1.0);
      CHECK(cell.weight(Stance::reject) == 0.25);
      CHECK(cell.net() == doctest::Approx(0.5));  // (0.75 - 0.25) / 1
    }
  }

  TEST_CASE("entries rebuild the matrix exactly, both layers") {
    StanceMatrix original({"sanctions"});
    original.add_all(sample_records());
    StanceMatrix rebuilt(original.issue_order());
    for (const stance::MatrixEntry& entry : original.entries()) rebuilt.add_entry(entry);
    check_same(rebuilt, original);
    check_same(rebuilt.rolled_up_by_affiliation(), original.rolled_up_by_affiliation());
    CHECK(StanceMatrix{}.entries().empty());
    // Entries are sums too: adding them twice doubles every cell.
    StanceMatrix twice;
    for (int n = 0; n < 2; ++n) {
      for (const auto& entry : original.entries()) twice.add_entry(entry);
    }
    CHECK(twice.total() == 2 * original.total());
  }

  TEST_CASE("find_actor and find_issue") {
    StanceMatrix matrix({"z"});
    matrix.add(make_record("bob", "a", Stance::demand));
    matrix.add(make_record("alice", "z", Stance::demand));
    CHECK(matrix.find_actor("alice") == 0u);
    CHECK(matrix.find_actor("bob") == 1u);
    CHECK_FALSE(matrix.find_actor("carol").has_value());
    CHECK(matrix.find_issue("z") == 0u);
    CHECK(matrix.find_issue("a") == 1u);
    CHECK_FALSE(matrix.find_issue("q").has_value());
    CHECK_FALSE(StanceMatrix{}.find_actor("alice").has_value());
  }

  TEST_CASE("dates, lengths and windows") {
    CHECK(stance::day_number("1970-01-01") == 0L);
    CHECK(stance::day_number("1970-01-31") == 30L);
    CHECK(stance::day_number("2024-03-01").value() - stance::day_number("2024-02-28").value() == 2);
    CHECK(stance::day_number("2025-03-01T10:00:00Z") == stance::day_number("2025-03-01"));
    for (const char* bad :
         {"", "2025-02-30", "2025-3-01", "2025/03/01", "yyyy-mm-dd", "2025-03-01x"}) {
      CAPTURE(bad);
      CHECK_FALSE(stance::day_number(bad).has_value());
    }
    CHECK(stance::iso_date(*stance::day_number("2025-12-31")) == "2025-12-31");
    CHECK(stance::iso_date(0) == "1970-01-01");

    CHECK(stance::parse_days("7d") == 7);
    CHECK(stance::parse_days("2w") == 14);
    CHECK(stance::parse_days("30") == 30);
    for (const char* bad : {"", "d", "0d", "-1d", "1m", "7 d", "999999d"}) {
      CAPTURE(bad);
      CHECK_FALSE(stance::parse_days(bad).has_value());
    }

    using W = std::vector<DateRange>;
    const auto day = [](long n) { return stance::iso_date(n); };
    CHECK(stance::make_windows(0, 9, 5, 0) == W{{day(0), day(4)}, {day(5), day(9)}});
    CHECK(stance::make_windows(0, 10, 5, 5) ==
          W{{day(0), day(4)}, {day(5), day(9)}, {day(10), day(14)}});
    // Overlapping: stops at the first window that reaches the last day.
    CHECK(stance::make_windows(0, 9, 5, 2) ==
          W{{day(0), day(4)}, {day(2), day(6)}, {day(4), day(8)}, {day(6), day(10)}});
    CHECK(stance::make_windows(3, 3, 7, 0) == W{{day(3), day(9)}});
    CHECK(stance::make_windows(5, 4, 7, 7).empty());
    CHECK(stance::make_windows(0, 9, 0, 7).empty());
  }

  TEST_CASE("analysis of no records") {
    const Analysis analysis({}, AnalysisOptions{});
    CHECK(analysis.records().empty());
    CHECK(analysis.overall().matrix.empty());
    CHECK(analysis.overall().record_count() == 0);
    CHECK(analysis.windows().empty());
    CHECK(analysis.agreement().size() == 0);
    CHECK(analysis.polarisation().empty());
    CHECK(analysis.coalitions().empty());
    CHECK(analysis.shifts().empty());
    CHECK(analysis.dates() == DateRange{});

    AnalysisOptions windowed;
    windowed.window.length_days = 7;
    CHECK(Analysis({}, windowed).windows().empty());
  }

  TEST_CASE("analysis of a single actor") {
    std::vector<StanceRecord> records{
        dated("solo", "x", Stance::demand, "2025-01-01", "a1"),
        dated("solo", "y", Stance::reject, "2025-01-02", "a2", 0.5),
    };
    const Analysis analysis(records, AnalysisOptions{});
    REQUIRE(analysis.overall().matrix.actors() == std::vector<std::string>{"solo"});
    const auto& agreement = analysis.agreement();
    REQUIRE(agreement.size() == 1);
    CHECK(agreement.agreement(0, 0) == 1.0);  // the same side on both of its issues
    CHECK(agreement.conflict(0, 0) == 0.0);
    CHECK(agreement.issues_either(0, 0) == 2.0);
    REQUIRE(analysis.coalitions().size() == 1);
    CHECK(analysis.coalitions()[0] == std::vector<std::string>{"solo"});
    REQUIRE(analysis.polarisation().size() == 2);
    CHECK(analysis.polarisation()[0].supporters == 1);
    CHECK(analysis.polarisation()[0].polarisation == 0.0);
    CHECK(analysis.polarisation()[1].opponents == 1);
    CHECK(analysis.polarisation()[1].mean_net == -1.0);
    CHECK(analysis.shifts().empty());
  }

  TEST_CASE("duplicates: once per article by default, or every mention") {
    // Three mentions of the same triple in article a1 (confidences 0.5, 1, 0.75), one in a2.
    const std::vector<StanceRecord> records{
        dated("putin", "ceasefire", Stance::reject, "2025-01-01", "a1", 0.5),
        dated("putin", "ceasefire", Stance::reject, "2025-01-01", "a1", 1.0),
        dated("putin", "ceasefire", Stance::reject, "2025-01-01", "a1", 0.75),
        dated("putin", "ceasefire", Stance::reject, "2025-01-02", "a2", 0.25),
        dated("putin", "ceasefire", Stance::accept, "2025-01-02", "a2", 0.5),
    };
    SUBCASE("article") {
      const Analysis analysis(records, AnalysisOptions{});
      const StanceMatrix& matrix = analysis.overall().matrix;
      CHECK(matrix.count(0, 0, Stance::reject) == 2.0);
      // The firmest mention of a1 (1.0) plus a2's 0.25.
      CHECK(matrix.weight(0, 0, Stance::reject) == 1.25);
      CHECK(matrix.count(0, 0, Stance::accept) == 1.0);
      CHECK(analysis.counted(0));
      CHECK_FALSE(analysis.counted(1));
      CHECK_FALSE(analysis.counted(2));
      CHECK(analysis.counted(3));
      CHECK(analysis.counted(4));
      // Repeats stay traceable: every mention is evidence for the cell.
      CHECK(analysis.overall().evidence(0, 0).size() == 5);
      // net = (0.5 - 1.25) / 1.75
      CHECK(matrix.cell(0, 0).net() == doctest::Approx(-0.75 / 1.75));
    }
    SUBCASE("mention") {
      AnalysisOptions options;
      options.count = CountMode::mention;
      const Analysis analysis(records, options);
      const StanceMatrix& matrix = analysis.overall().matrix;
      CHECK(matrix.count(0, 0, Stance::reject) == 4.0);
      CHECK(matrix.weight(0, 0, Stance::reject) == 2.5);
      for (std::size_t k = 0; k < records.size(); ++k) CHECK(analysis.counted(k));
    }
  }

  TEST_CASE("filters: actor (or affiliation), issue, source, date range") {
    const std::vector<StanceRecord> records{
        dated("putin", "ceasefire", Stance::reject, "2025-01-01", "a1", 1.0, "russia", "tass"),
        dated("lavrov", "sanctions", Stance::reject, "2025-01-10", "a2", 1.0, "russia", "bbc"),
        dated("trump", "ceasefire", Stance::demand, "2025-01-20", "a3", 1.0, "united_states",
              "bbc"),
        dated("zelenskyy", "ceasefire", Stance::accept, "", "a4", 1.0, "ukraine", "bbc"),
    };
    const auto actors_of = [&](const AnalysisOptions& options) {
      return Analysis(records, options).overall().matrix.actors();
    };
    AnalysisOptions options;
    options.filter.actors = {"russia"};
    CHECK(actors_of(options) == std::vector<std::string>{"lavrov", "putin"});
    options.filter.actors = {"trump", "putin"};
    CHECK(actors_of(options) == std::vector<std::string>{"putin", "trump"});
    options.filter = {};
    options.filter.issues = {"sanctions"};
    CHECK(actors_of(options) == std::vector<std::string>{"lavrov"});
    options.filter = {};
    options.filter.sources = {"bbc"};
    CHECK(actors_of(options) == std::vector<std::string>{"lavrov", "trump", "zelenskyy"});
    options.filter = {};
    options.filter.since = "2025-01-10";
    CHECK(actors_of(options) == std::vector<std::string>{"lavrov", "trump"});  // undated dropped
    options.filter.until = "2025-01-19";
    CHECK(actors_of(options) == std::vector<std::string>{"lavrov"});
    options.filter = {};
    options.filter.since = "2025-13-01";
    CHECK_THROWS_AS(Analysis(records, options), std::invalid_argument);
  }

  TEST_CASE("records are in date order, undated last; dates and undated counts") {
    const std::vector<StanceRecord> records{
        dated("a", "x", Stance::demand, "", "undated"),
        dated("a", "x", Stance::demand, "2025-02-01", "late"),
        dated("a", "x", Stance::demand, "2025-01-01", "early"),
    };
    const Analysis analysis(records, AnalysisOptions{});
    REQUIRE(analysis.records().size() == 3);
    CHECK(analysis.records()[0].article == "early");
    CHECK(analysis.records()[1].article == "late");
    CHECK(analysis.records()[2].article == "undated");
    CHECK(analysis.undated_records() == 1);
    CHECK(analysis.dates() == DateRange{"2025-01-01", "2025-02-01"});
    CHECK(evidence_articles(analysis, analysis.overall(), "a", "x") ==
          std::vector<std::string>{"early", "late", "undated"});
  }

  TEST_CASE("min-count drops thin cells with their evidence, and empty rows") {
    const std::vector<StanceRecord> records{
        dated("a", "x", Stance::demand, "2025-01-01", "a1"),
        dated("a", "x", Stance::reject, "2025-01-02", "a2"),
        dated("a", "y", Stance::demand, "2025-01-02", "a2"),
        dated("b", "y", Stance::accept, "2025-01-03", "a3"),
    };
    AnalysisOptions options;
    options.min_count = 2;
    const Analysis analysis(records, options);
    const StanceMatrix& matrix = analysis.overall().matrix;
    REQUIRE(matrix.actors() == std::vector<std::string>{"a"});
    REQUIRE(matrix.issues() == std::vector<std::string>{"x"});
    CHECK(matrix.total() == 2.0);
    CHECK(analysis.overall().evidence(0, 0).size() == 2);
    CHECK(analysis.overall().record_count() == 2);
    // Views see only what is left.
    CHECK(analysis.agreement().size() == 1);
    CHECK(analysis.polarisation().size() == 1);
  }

  TEST_CASE("roll-up by affiliation in the analysis: rows, counts and evidence") {
    const std::vector<StanceRecord> records{
        dated("putin", "ceasefire", Stance::reject, "2025-01-01", "a1", 1.0, "russia"),
        dated("lavrov", "ceasefire", Stance::reject, "2025-01-01", "a1", 0.5, "russia"),
        dated("trump", "ceasefire", Stance::demand, "2025-01-02", "a2", 1.0, "united_states"),
        dated("nato", "ceasefire", Stance::accept, "2025-01-03", "a3"),
    };
    AnalysisOptions options;
    options.rows = RowKind::affiliation;
    const Analysis analysis(records, options);
    const StanceMatrix& matrix = analysis.overall().matrix;
    REQUIRE(matrix.actors() == std::vector<std::string>{"nato", "russia", "united_states"});
    // Two people of one affiliation in one article are two statements: once per article is
    // per actor, so the roll-up stays the sum of its members' rows.
    CHECK(matrix.count(1, 0, Stance::reject) == 2.0);
    CHECK(matrix.weight(1, 0, Stance::reject) == 1.5);
    CHECK(evidence_articles(analysis, analysis.overall(), "russia", "ceasefire") ==
          std::vector<std::string>{"a1", "a1"});
    CHECK(analysis.row_of(records[0]) == "russia");
    CHECK(analysis.row_of(records[3]) == "nato");
  }

  TEST_CASE("windows: a series of matrices over the dates, each with its evidence") {
    const std::vector<StanceRecord> records{
        dated("a", "x", Stance::demand, "2025-01-01", "a1"),
        dated("a", "x", Stance::demand, "2025-01-07", "a2", 0.5),
        dated("a", "x", Stance::reject, "2025-01-08", "a3"),
        dated("b", "x", Stance::accept, "2025-01-20", "a4"),
        dated("b", "x", Stance::accept, "", "a5"),
    };
    AnalysisOptions options;
    options.window.length_days = 7;
    const Analysis analysis(records, options);
    const auto windows = analysis.windows();
    REQUIRE(windows.size() == 3);
    CHECK(windows[0].range == DateRange{"2025-01-01", "2025-01-07"});
    CHECK(windows[1].range == DateRange{"2025-01-08", "2025-01-14"});
    CHECK(windows[2].range == DateRange{"2025-01-15", "2025-01-21"});
    CHECK(windows[0].matrix.count(0, 0, Stance::demand) == 2.0);
    CHECK(windows[0].matrix.weight(0, 0, Stance::demand) == 1.5);
    CHECK(windows[1].matrix.actors() == std::vector<std::string>{"a"});
    CHECK(windows[1].matrix.count(0, 0, Stance::reject) == 1.0);
    CHECK(windows[2].matrix.actors() == std::vector<std::string>{"b"});
    CHECK(evidence_articles(analysis, windows[2], "b", "x") == std::vector<std::string>{"a4"});
    // The undated record is in the totals but in no window.
    CHECK(analysis.overall().matrix.total() == 5.0);
    double in_windows = 0;
    for (const auto& window : windows) in_windows += window.matrix.total();
    CHECK(in_windows == 4.0);

    SUBCASE("overlapping windows with a step; the requested range bounds the series") {
      AnalysisOptions sliding = options;
      sliding.window.step_days = 3;
      sliding.filter.since = "2024-12-30";
      sliding.filter.until = "2025-01-10";
      const Analysis slid(records, sliding);
      REQUIRE(slid.windows().size() == 3);
      CHECK(slid.windows()[0].range == DateRange{"2024-12-30", "2025-01-05"});
      CHECK(slid.windows()[1].range == DateRange{"2025-01-02", "2025-01-08"});
      CHECK(slid.windows()[2].range == DateRange{"2025-01-05", "2025-01-11"});
      CHECK(slid.windows()[0].matrix.total() == 1.0);  // a1
      CHECK(slid.windows()[1].matrix.total() == 2.0);  // a2, a3
      CHECK(slid.windows()[2].matrix.total() == 2.0);  // a2, a3
    }
  }

  TEST_CASE("agreement and conflict: hand-computed") {
    StanceMatrix matrix;
    matrix.add_all(agreement_records());
    const auto agreement = stance::agreement_matrix(matrix);
    REQUIRE(agreement.actors() == std::vector<std::string>{"a", "b", "c", "d"});
    // a-b: either = {x, y, z}; same on x, opposite on y.
    CHECK(agreement.issues_either(0, 1) == 3.0);
    CHECK(agreement.agreement(0, 1) == doctest::Approx(1.0 / 3));
    CHECK(agreement.conflict(0, 1) == doctest::Approx(1.0 / 3));
    CHECK(agreement.congruence(0, 1) == doctest::Approx(0.0));
    // a-c: opposite on z.
    CHECK(agreement.agreement(0, 2) == 0.0);
    CHECK(agreement.conflict(0, 2) == doctest::Approx(1.0 / 3));
    // a-d: same on x and y, of {x, y, z}.
    CHECK(agreement.agreement(0, 3) == doctest::Approx(2.0 / 3));
    CHECK(agreement.conflict(0, 3) == 0.0);
    // b-d: either = {x, y}: same on x, opposite on y.
    CHECK(agreement.issues_either(1, 3) == 2.0);
    CHECK(agreement.agreement(1, 3) == 0.5);
    CHECK(agreement.conflict(1, 3) == 0.5);
    // b-c: nothing in common.
    CHECK(agreement.agreement(1, 2) == 0.0);
    CHECK(agreement.conflict(1, 2) == 0.0);
    for (std::size_t a = 0; a < 4; ++a) {
      CHECK(agreement.agreement(a, a) == 1.0);
      CHECK(agreement.conflict(a, a) == 0.0);
      for (std::size_t b = 0; b < 4; ++b) {
        CHECK(agreement.agreement(a, b) == agreement.agreement(b, a));
        CHECK(agreement.conflict(a, b) == agreement.conflict(b, a));
        CHECK(agreement.agreement(a, b) + agreement.conflict(a, b) <= 1.0);
      }
    }
    CHECK_THROWS_AS((void)agreement.agreement(0, 4), std::out_of_range);
  }

  TEST_CASE("agreement: a balanced (contested, net 0) cell takes no side") {
    StanceMatrix matrix;
    matrix.add(make_record("a", "x", Stance::demand));
    matrix.add(make_record("a", "x", Stance::reject));
    matrix.add(make_record("b", "x", Stance::demand));
    const auto agreement = stance::agreement_matrix(matrix);
    CHECK(agreement.issues_either(0, 1) == 1.0);
    CHECK(agreement.agreement(0, 1) == 0.0);
    CHECK(agreement.conflict(0, 1) == 0.0);
    CHECK(agreement.agreement(0, 0) == 0.0);  // a took no side at all
  }

  TEST_CASE("coalitions: average linkage on congruence") {
    StanceMatrix matrix;
    matrix.add_all(agreement_records());
    const auto agreement = stance::agreement_matrix(matrix);
    using Clusters = std::vector<std::vector<std::string>>;
    // a-d (2/3) merge; every other link is at most 0, so the rest stay alone.
    CHECK(stance::coalitions(agreement) == Clusters{{"a", "d"}, {"b"}, {"c"}});
    // A lower bar: {a,d}+b links at mean(0, 0) = 0, then c at mean(-1/3, 0, 0) = -1/9.
    CHECK(stance::coalitions(agreement, -0.5) == Clusters{{"a", "b", "c", "d"}});
    CHECK(stance::coalitions(agreement, -0.05) == Clusters{{"a", "b", "d"}, {"c"}});
    CHECK(stance::coalitions(stance::AgreementMatrix{}).empty());
  }

  TEST_CASE("issue polarisation: hand-computed") {
    StanceMatrix matrix;
    matrix.add_all(agreement_records());
    matrix.add(make_record("e", "x", Stance::demand));
    matrix.add(make_record("e", "x", Stance::reject));  // balanced and contested
    const auto polarisation = stance::issue_polarisation(matrix);
    REQUIRE(polarisation.size() == 3);
    // x: a, b, d support; e balanced.
    CHECK(polarisation[0].issue == "x");
    CHECK(polarisation[0].supporters == 3);
    CHECK(polarisation[0].opponents == 0);
    CHECK(polarisation[0].balanced == 1);
    CHECK(polarisation[0].contested == 1);
    CHECK(polarisation[0].polarisation == 0.0);
    CHECK(polarisation[0].mean_net == doctest::Approx(3.0 / 4));
    // y: a, d support, b rejects: 2 * 1 / 3.
    CHECK(polarisation[1].polarisation == doctest::Approx(2.0 / 3));
    CHECK(polarisation[1].mean_net == doctest::Approx(1.0 / 3));
    // z: a rejects, c supports: an even split.
    CHECK(polarisation[2].polarisation == 1.0);
    CHECK(polarisation[2].mean_net == 0.0);
    CHECK(stance::issue_polarisation(StanceMatrix{}).empty());
  }

  TEST_CASE("position shifts between dates and between windows, with evidence") {
    const std::vector<StanceRecord> records{
        dated("a", "x", Stance::accept, "2025-01-01", "a1"),
        dated("a", "x", Stance::reject, "2025-01-05", "a2"),
        dated("a", "x", Stance::reject, "2025-01-06", "a3"),
        dated("b", "x", Stance::reject, "2025-01-06", "a3"),
        dated("a", "x", Stance::demand, "2025-01-10", "a4"),
    };
    SUBCASE("without windows: between the dates an actor took a side") {
      const Analysis analysis(records, AnalysisOptions{});
      const auto shifts = analysis.shifts();
      REQUIRE(shifts.size() == 2);
      CHECK(shifts[0].row == "a");
      CHECK(shifts[0].issue == "x");
      CHECK(shifts[0].from == DateRange{"2025-01-01", "2025-01-01"});
      CHECK(shifts[0].to == DateRange{"2025-01-05", "2025-01-05"});
      CHECK(shifts[0].from_stance == Stance::accept);
      CHECK(shifts[0].to_stance == Stance::reject);
      CHECK(shifts[0].from_net == 1.0);
      CHECK(shifts[0].to_net == -1.0);
      REQUIRE(shifts[0].from_evidence.size() == 1);
      CHECK(analysis.records()[shifts[0].from_evidence[0]].article == "a1");
      REQUIRE(shifts[0].to_evidence.size() == 1);
      CHECK(analysis.records()[shifts[0].to_evidence[0]].article == "a2");
      // The second shift starts from the latest rejection (a3), not the first.
      CHECK(shifts[1].from == DateRange{"2025-01-06", "2025-01-06"});
      CHECK(shifts[1].to_stance == Stance::demand);
      CHECK(analysis.records()[shifts[1].from_evidence[0]].article == "a3");
      CHECK(analysis.records()[shifts[1].to_evidence[0]].article == "a4");
    }
    SUBCASE("with windows: between windows") {
      AnalysisOptions options;
      options.window.length_days = 7;
      const Analysis analysis(records, options);
      const auto shifts = analysis.shifts();
      // Week 1: A1 R2 -> net (1 - 2) / 3 < 0; week 2: D1.
      REQUIRE(shifts.size() == 1);
      CHECK(shifts[0].from == DateRange{"2025-01-01", "2025-01-07"});
      CHECK(shifts[0].to == DateRange{"2025-01-08", "2025-01-14"});
      CHECK(shifts[0].from_stance == Stance::reject);
      CHECK(shifts[0].from_net == doctest::Approx(-1.0 / 3));
      CHECK(shifts[0].from_evidence.size() == 3);
      CHECK(shifts[0].to_evidence.size() == 1);
    }
  }

  TEST_CASE("shards split by article merge to the whole analysis' matrix") {
    std::vector<StanceRecord> records;
    for (int k = 0; k < 12; ++k) {
      records.push_back(dated(k % 3 ? "a" : "b", k % 2 ? "x" : "y", static_cast<Stance>(k % 3),
                              "2025-01-0" + std::to_string(1 + k % 4),
                              "art" + std::to_string(k / 3), 0.25 * (1 + k % 4)));
    }
    const Analysis whole(records, AnalysisOptions{});
    const std::vector<StanceRecord> first(records.begin(), records.begin() + 6);
    const std::vector<StanceRecord> second(records.begin() + 6, records.end());
    StanceMatrix merged = Analysis(first, AnalysisOptions{}).overall().matrix;
    merged.merge(Analysis(second, AnalysisOptions{}).overall().matrix);
    check_same(merged, whole.overall().matrix);
  }
}
