#pragma once
// A token automaton: every pattern of a lexicon layer compiled into one NFA over token ids, indexed
// by first token so that the work per text position depends on the patterns that can start there,
// not on how many patterns the pack holds.
//
// Pattern syntax (docs/rules.md): words separated by spaces match tokens (by stem or by exact
// folded form, per list; "=word" forces exact, "~word" forces stem); "(a | b c)" alternatives;
// "x?" or "(...)?" optional; "...N" a gap of up to N tokens; "@id" a mention of actor id, "@actor"
// any actor; "$member" a member (place, entity) of the issue being defined; "/regex/" one token
// whose folded form the RE2 expression matches whole.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/document.hpp"
#include "text/string_table.hpp"
#include "text/stemmer.hpp"

namespace re2 {
class RE2;
}

namespace stance::match {

class Vocabulary {
 public:
  std::int32_t intern(std::string_view word) { return table_.intern(word); }
  [[nodiscard]] std::int32_t find(std::string_view word) const { return table_.find(word); }  // -1 when absent
  [[nodiscard]] std::size_t size() const { return table_.size(); }

 private:
  text::StringTable table_;  // looked up twice per token of every article
};

// A mention an automaton edge can consume whole: an actor or an issue member found by layer 1.
struct EntitySpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool is_actor = true;
  std::int32_t ref = -1;  // actor index, or the issue index whose member this is
};

struct EntityIndex {
  std::vector<EntitySpan> spans;
  std::vector<std::vector<std::uint32_t>> starting_at;  // token -> indices into spans
};

struct PatternContext {
  Vocabulary* vocabulary = nullptr;
  text::Stemmer* stemmer = nullptr;
  const std::unordered_map<std::string, std::int32_t>* actor_ids = nullptr;
  std::int32_t member_issue = -1;  // the issue "$member" refers to; -1 where it is not allowed
  bool stems_by_default = false;
};

// What the compiler learnt about one pattern, for the linter (stance check).
struct PatternFacts {
  // The pattern's structure after folding and stemming, alternatives sorted: two patterns with the
  // same canonical text match exactly the same token sequences.
  std::string canonical;
  int widest_gap = 0;
  int total_gap = 0;        // every gap's width added up: how far one match may reach
  int trailing_gap = 0;     // width of a gap the pattern ends with (0: none)
  bool uses_member = false; // holds "$member"
};

struct AutomatonMatch {
  std::int32_t entry = -1;
  std::uint32_t begin = 0;  // token range [begin, end)
  std::uint32_t end = 0;
};

// A match that needs one edit of the text: token `token` replaced by something else (changed) or
// left out (dropped). At least one token of the match is matched exactly.
struct NearMatch {
  enum class Edit : std::uint8_t { changed, dropped };
  std::int32_t entry = -1;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  Edit edit = Edit::changed;
  std::uint32_t token = 0;
};

// What find_all needs besides the automaton, reused from call to call so that matching a sentence
// allocates nothing once warm: the agenda, and a lazily built DFA over the automaton's NFA (sets of
// NFA states become DFA states as text reaches them; each transition, keyed by the token's form
// and stem ids, is computed once and then looked up). One scratch per thread, never shared; it
// serves one automaton at a time and starts afresh when handed another one.
class MatchScratch {
 public:
  MatchScratch();
  ~MatchScratch();
  MatchScratch(MatchScratch&&) noexcept;
  MatchScratch& operator=(MatchScratch&&) noexcept;
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;

  // How big the DFA cache has grown (for benchmarks and tests).
  [[nodiscard]] std::size_t dfa_states() const;
  [[nodiscard]] std::size_t dfa_transitions() const;

 private:
  friend class Automaton;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Automaton {
 public:
  Automaton();
  ~Automaton();
  Automaton(Automaton&&) noexcept;
  Automaton& operator=(Automaton&&) noexcept;

  // The widest gap "...N" a pattern may hold.
  static constexpr int kMaxGap = 12;

  // Compiles `pattern` for lexicon entry `entry`. Returns an error message (naming the offending
  // piece of the pattern) instead of adding it when the pattern is invalid. `facts`, when given,
  // receives what the linter needs to know about the pattern.
  std::optional<std::string> add(std::string_view pattern, std::int32_t entry, const PatternContext& context,
                                 PatternFacts* facts = nullptr);
  void finish();  // builds the first-token index; call once, after the last add

  // All matches of all patterns starting in tokens [begin, end) and ending by `end`, appended to
  // `out` in order of start. The work per token depends on the patterns that can start or continue
  // there, never on the size of the pack. `scratch`: the caller's (one per thread, reused from call
  // to call); null borrows one from a small pool the automaton keeps (thread-safe, a lock per call).
  void find_all(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                const EntityIndex* entities, std::vector<AutomatonMatch>& out,
                MatchScratch* scratch = nullptr) const;

  // Matches within [begin, end) that need exactly one edit (see NearMatch). Slow (every pattern is
  // tried at every position): for explaining one sentence, never for coding.
  void find_near(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                 const EntityIndex* entities, std::vector<NearMatch>& out) const;

  [[nodiscard]] std::size_t state_count() const { return states_.size(); }
  [[nodiscard]] std::size_t regex_count() const { return regexes_.size(); }

 private:
  enum class Op : std::uint8_t { form, stem, any, actor, member, regex, split, accept };
  struct State {
    Op op = Op::split;
    std::int32_t arg = -1;
    std::int32_t out = -1;
    std::int32_t out2 = -1;
  };
  friend class PatternCompiler;

  // A slice of a flat state list: [offset, offset + count).
  struct Range {
    std::uint32_t offset = 0;
    std::uint32_t count = 0;
  };
  // Start states by key (a form id, a stem id, an actor or an issue index), flattened: the lookup
  // per token is one array access, whatever the number of patterns.
  struct FirstIndex {
    std::vector<Range> by_key;
    std::vector<std::int32_t> states;
    void build(std::unordered_map<std::int32_t, std::vector<std::int32_t>>& lists);
    [[nodiscard]] std::span<const std::int32_t> at(std::int32_t key) const {
      if (key < 0 || static_cast<std::size_t>(key) >= by_key.size()) return {};
      const Range r = by_key[static_cast<std::size_t>(key)];
      return {states.data() + r.offset, r.count};
    }
  };
  struct ScratchPool;
  class Simulation;

  std::int32_t new_state(Op op, std::int32_t arg);
  // Appends the non-split states reachable from `state` without reading a token. `visited` is
  // indexed by state - base; an entry equal to `mark` means already visited.
  void closure(std::int32_t state, std::vector<std::int32_t>& out, std::vector<std::uint32_t>& visited,
               std::uint32_t mark, std::int32_t base = 0) const;
  [[nodiscard]] bool regex_matches(std::int32_t regex, const text::Token& token) const;

  std::vector<State> states_;
  std::vector<std::int32_t> starts_;  // one start state per pattern
  FirstIndex by_form_, by_stem_, by_actor_, by_member_;
  std::vector<std::int32_t> any_actor_;
  // Epsilon closures, computed once by finish(): the consuming and accepting states each state
  // leads to without reading a token, in the order a depth-first walk (out before out2) finds them.
  std::vector<Range> closure_of_;
  std::vector<std::int32_t> closure_states_;
  // Who a scratch's DFA cache belongs to: renewed by finish(), so a cache built before more
  // patterns were added is never used after. A scratch holds on to it, so its address is not reused.
  std::shared_ptr<const int> identity_;
  std::unique_ptr<ScratchPool> pool_;
  // Regular expressions, each compiled once however many patterns use it. Patterns that start with
  // one are kept apart so that plain word patterns never pay for them.
  std::vector<std::shared_ptr<const re2::RE2>> regexes_;
  // For each regex, bounds every string it matches lies within (RE2::PossibleMatchRange): a token
  // outside them is refused without running RE2. A regex that may start a pattern is otherwise
  // tried on every token of the text, and most tokens are words it cannot match.
  struct RegexBounds {
    std::string min, max;
    unsigned char first_min = 0, first_max = 0xFF;  // the bytes a match may start with (0-0xFF: any)
    bool known = false;  // false: no bounds, always run the regex
  };
  std::vector<RegexBounds> regex_bounds_;
  std::unordered_map<std::string, std::int32_t> regex_ids_;
  std::vector<std::int32_t> regex_first_;
  // The first bytes a token may have for some regex of regex_first_ to match it (a bit each, by
  // RegexBounds): one test refuses most tokens for all of them at once.
  std::array<std::uint64_t, 4> regex_first_bytes_{};
};

}  // namespace stance::match
