#pragma once
// What coding one article may reuse from the article before on the same thread: the word cache
// (with its stemmer), and one matcher scratch per automaton (each keeps a lazily built DFA for its own
// automaton). Engine::Workspace owns one; attribution borrows it for the length of one analysis.
#include <memory>

#include "attribution/analysis.hpp"
#include "match/automaton.hpp"
#include "text/tokenizer.hpp"

namespace stance::detail {

struct CodingWorkspace {
  text::WordCache words;  // bound to the pack being coded with (its vocabulary numbers)
  match::MatchScratch entities;  // for CompiledPack::entities
  match::MatchScratch phrases;   // for CompiledPack::phrases
  // Attribution's per-article buffers (a private type of attribution/analysis.cpp), and the last
  // analysis once its records are taken: kept for their capacity, refilled by the next article.
  std::shared_ptr<void> analyzer_state;
  attribution::Analysis spare;
};

}  // namespace stance::detail
