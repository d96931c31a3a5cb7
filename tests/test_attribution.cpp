// Attribution internals that the examples in rules/ cannot show: the trace behind a statement,
// unknown objects, and why a cue yields nothing.
#include <doctest/doctest.h>

#include "attribution/analysis.hpp"
#include "coding_helpers.hpp"

using namespace stance::testing;

namespace {

stance::attribution::Analysis analyze(const std::string& text, bool unknown = false) {
  stance::Article article;
  article.id = "t";
  article.text = text;
  stance::attribution::Options options;
  options.unknown_objects = unknown;
  return stance::attribution::analyze(default_pack()->compiled(), article, options);
}

}  // namespace

TEST_SUITE("attribution") {
TEST_CASE("an object no issue names is kept, with its words, only when asked") {
  const std::string text = "Zelenskyy rejected a U.S. request to interrogate detainees.";
  CHECK(analyze(text).records.empty());
  const auto with_unknown = analyze(text, true);
  REQUIRE(with_unknown.records.size() == 1);
  const auto& r = with_unknown.records.front();
  CHECK(r.actor == "zelenskyy");
  CHECK(r.issue == "?");
  CHECK(r.stance == stance::Stance::reject);
  CHECK(r.object == "a U.S. request to interrogate detainees");
  CHECK(r.confidence < 1.0);
}

TEST_CASE("unknown objects need a holder: no actor, no record") {
  CHECK(analyze("Analysts rejected a request to interrogate detainees.", true).records.empty());
}

TEST_CASE("the trace says how each statement was built") {
  const auto a = analyze("Peskov did not rule out a meeting between Putin and Zelenskyy.");
  REQUIRE(a.sentences.size() == 1);
  REQUIRE(a.sentences[0].statements.size() == 1);
  const auto& st = a.sentences[0].statements[0];
  CHECK(st.negated);
  CHECK(st.stance == stance::Stance::accept);
  CHECK(st.how.find("subject") != std::string::npos);
}

TEST_CASE("cues that yield nothing leave a reason") {
  const auto question = analyze("Will the Kremlin accept a ceasefire?");
  REQUIRE(question.sentences.size() == 1);
  REQUIRE_FALSE(question.sentences[0].notes.empty());
  CHECK(question.sentences[0].notes[0].find("question") != std::string::npos);

  const auto conditional = analyze("If Russia rejects the truce, talks will stall.");
  bool explained = false;
  for (const auto& note : conditional.sentences[0].notes) explained = explained || note.find("conditional") != std::string::npos;
  CHECK(explained);
  CHECK(conditional.records.empty());
}

TEST_CASE("records point at their sentence and cue") {
  const std::string text = "Putin spoke first. Zelenskyy then rejected any territorial concessions.";
  const auto a = analyze(text);
  REQUIRE(a.records.size() == 1);
  const auto& r = a.records[0];
  CHECK(r.sentence == 2);
  CHECK(text.substr(r.span.begin, r.span.end - r.span.begin) == "Zelenskyy then rejected any territorial concessions.");
  CHECK(text.substr(r.cue_span.begin, r.cue_span.end - r.cue_span.begin) == "rejected");
}
}
