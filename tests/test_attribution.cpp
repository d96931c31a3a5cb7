// Attribution internals that the examples in rules/ cannot show: the trace behind a statement,
// unknown objects, and why a cue yields nothing.
#include <doctest/doctest.h>

#include "attribution/analysis.hpp"
#include "coding_workspace.hpp"
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
  REQUIRE(with_unknown.records.size() == 2);
  const auto& r = with_unknown.records.front();
  CHECK(r.actor == "zelenskyy");
  CHECK(r.issue == "?");
  CHECK(r.stance == stance::Stance::reject);
  CHECK(r.object == "a U.S. request to interrogate detainees");
  CHECK(r.confidence < 1.0);
  // The request is the United States' own demand ("a U.S. request": a modifier holds the noun).
  const auto& request = with_unknown.records.back();
  CHECK(request.actor == "united_states");
  CHECK(request.issue == "?");
  CHECK(request.stance == stance::Stance::demand);
  CHECK(request.object == "to interrogate detainees");
}

TEST_CASE("unknown objects need a holder: no actor, no record") {
  CHECK(analyze("Analysts rejected a request to interrogate detainees.", true).records.empty());
}

TEST_CASE("unknown objects: words up to the verb group, groups expanded, inner verbs, no bare anaphors") {
  auto objects = [](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& r : analyze(text, true).records) {
      out.push_back(r.actor + " " + std::string(to_string(r.stance)) + " " + r.issue + " [" + r.object + "]");
    }
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(objects("Zelenskyy's demand for a grain corridor was clear.") == V{"zelenskyy demand ? [for a grain corridor]"});
  CHECK(objects("Both sides rejected a grain corridor.") == V{"russia reject ? [a grain corridor]", "ukraine reject ? [a grain corridor]"});
  CHECK(objects("Zelenskyy urged Lavrov to accept a grain corridor.") == V{"zelenskyy demand ? [a grain corridor]"});
  CHECK(objects("Lavrov rejected it.").empty());
  CHECK(objects("Zelenskyy rejected this.").empty());
  CHECK(objects("Lavrov rejected the plan.").empty());  // an anaphor with nothing to point to
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

TEST_CASE("a thread's reused buffers code each article as a fresh analysis does") {
  // Long, short, long again: what one article leaves in the workspace must not leak into the next.
  const std::vector<std::string> texts = {
      "Putin spoke first. Zelenskyy then rejected any territorial concessions. \"We will not accept a truce,\" "
      "Peskov said. If Russia rejects the truce, talks will stall. Both sides rejected a grain corridor.",
      "Zelenskyy rejected a U.S. request to interrogate detainees.",
      "Peskov did not rule out a meeting between Putin and Zelenskyy. Will the Kremlin accept a ceasefire? "
      "Zelenskyy's demand for a grain corridor was clear. Lavrov rejected it.",
      "Putin spoke first. Zelenskyy then rejected any territorial concessions.",
  };
  auto rows = [](const std::vector<stance::StanceRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
      out.push_back(std::to_string(r.sentence) + " " + r.actor + " " + r.affiliation + " " + r.issue + " " +
                    std::string(to_string(r.stance)) + " " + std::to_string(r.confidence) + " " + r.rule + " " +
                    r.reported_by + " [" + r.object + "] " + std::to_string(r.cue_span.begin) + " " + r.evidence);
    }
    return out;
  };
  for (const bool notes : {false, true}) {
    stance::detail::CodingWorkspace workspace;
    for (int round = 0; round < 2; ++round) {
      for (const auto& text : texts) {
        stance::Article article;
        article.id = "t";
        article.text = text;
        stance::attribution::Options fresh;
        fresh.unknown_objects = true;
        fresh.notes = notes;
        stance::attribution::Options reused = fresh;
        reused.workspace = &workspace;
        const auto expected = stance::attribution::analyze(default_pack()->compiled(), article, fresh);
        auto got = stance::attribution::analyze(default_pack()->compiled(), article, reused);
        CHECK(rows(got.records) == rows(expected.records));
        REQUIRE(got.sentences.size() == expected.sentences.size());
        for (std::size_t s = 0; s < got.sentences.size(); ++s) {
          CHECK(got.sentences[s].actors.size() == expected.sentences[s].actors.size());
          CHECK(got.sentences[s].phrases.size() == expected.sentences[s].phrases.size());
          CHECK(got.sentences[s].statements.size() == expected.sentences[s].statements.size());
          CHECK(got.sentences[s].notes == expected.sentences[s].notes);
        }
        got.records.clear();
        workspace.spare = std::move(got);
      }
    }
  }
}
}
