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
          records.push_back(make_record("actor" + std::to_string(1000 - a), "issue" + std::to_string(i),
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
