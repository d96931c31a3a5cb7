#pragma once
// From a tokenized document to statements: who holds which cue, about which issues, with which
// polarity. Everything the engine knows about words comes from the compiled pack.
#include <string>
#include <vector>

#include "rules/compiled_pack.hpp"
#include "stance/article.hpp"
#include "stance/record.hpp"
#include "text/document.hpp"

namespace stance::detail {
struct CodingWorkspace;
}

namespace stance::attribution {

struct ActorMention {
  std::uint32_t begin = 0, end = 0;  // token range
  std::int32_t actor = -1;
  bool possessive = false;           // followed by 's
};

struct PhraseMention {
  std::uint32_t begin = 0, end = 0;
  std::int32_t entry = -1;  // index into CompiledPack::entries
};

// One resolved statement (before it becomes records), kept for explain and anaphora.
struct Statement {
  std::size_t sentence = 0;          // 0-based
  std::int32_t cue_entry = -1;
  std::uint32_t cue_begin = 0, cue_end = 0;
  Stance stance = Stance::demand;
  bool negated = false;
  bool passive = false;
  std::vector<std::int32_t> holders;      // actor indices
  std::vector<std::int32_t> issues;       // issue indices
  std::int32_t reported_by = -1;
  double confidence = 1.0;
  std::string how;                        // a short account of the decisions, for explain
};

struct SentenceTrace {
  std::vector<ActorMention> actors;
  std::vector<PhraseMention> phrases;
  std::vector<Statement> statements;
  std::vector<std::string> notes;  // cues that fired but yielded nothing, and why
};

struct Analysis {
  text::Document document;
  std::vector<SentenceTrace> sentences;
  std::vector<StanceRecord> records;
};

struct Options {
  // Also emit stances whose holder is known but whose object matches no issue of the pack, with
  // issue "?" and the object's words: how rule authors find the issues their pack is missing.
  bool unknown_objects = false;
  // What the previous article on this thread left to reuse (Engine::Workspace), or null.
  detail::CodingWorkspace* workspace = nullptr;
  // Write the notes and the phrase lists of the trace (why a cue yielded nothing, what matched):
  // explain and tests read them; a run only needs the records, and building them costs time.
  bool notes = true;
};

// Tokenizes, matches and attributes one article.
Analysis analyze(const detail::CompiledPack& pack, const Article& article, const Options& options = {});

}  // namespace stance::attribution
