#pragma once
// What coding one article may reuse from the article before on the same thread: the stemmer with
// its cache, and one matcher scratch per automaton (each keeps a lazily built DFA for its own
// automaton). Engine::Workspace owns one; attribution borrows it for the length of one analysis.
#include "match/automaton.hpp"
#include "text/stemmer.hpp"

namespace stance::detail {

struct CodingWorkspace {
  text::Stemmer stemmer;
  match::MatchScratch entities;  // for CompiledPack::entities
  match::MatchScratch phrases;   // for CompiledPack::phrases
};

}  // namespace stance::detail
