#pragma once
// A token automaton: every pattern of a lexicon layer compiled into one NFA over token ids, indexed
// by first token so that the work per text position depends on the patterns that can start there,
// not on how many patterns the pack holds.
//
// Pattern syntax (docs/rules.md): words separated by spaces match tokens (by stem or by exact
// folded form, per list; "=word" forces exact, "~word" forces stem); "(a | b c)" alternatives;
// "x?" or "(...)?" optional; "...N" a gap of up to N tokens; "@id" a mention of actor id, "@actor"
// any actor; "$member" a member (place, entity) of the issue being defined.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/document.hpp"
#include "text/stemmer.hpp"

namespace stance::match {

class Vocabulary {
 public:
  std::int32_t intern(std::string_view word);
  [[nodiscard]] std::int32_t find(std::string_view word) const;  // -1 when absent
  [[nodiscard]] std::size_t size() const { return words_.size(); }

 private:
  std::unordered_map<std::string, std::int32_t> ids_;
  std::vector<std::string> words_;
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

struct AutomatonMatch {
  std::int32_t entry = -1;
  std::uint32_t begin = 0;  // token range [begin, end)
  std::uint32_t end = 0;
};

class Automaton {
 public:
  // Compiles `pattern` for lexicon entry `entry`. Returns an error message (naming the offending
  // piece of the pattern) instead of adding it when the pattern is invalid.
  std::optional<std::string> add(std::string_view pattern, std::int32_t entry, const PatternContext& context);
  void finish();  // builds the first-token index; call once, after the last add

  // All matches of all patterns starting in tokens [begin, end) and ending by `end`.
  void find_all(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                const EntityIndex* entities, std::vector<AutomatonMatch>& out) const;

  [[nodiscard]] std::size_t state_count() const { return states_.size(); }

 private:
  enum class Op : std::uint8_t { form, stem, any, actor, member, split, accept };
  struct State {
    Op op = Op::split;
    std::int32_t arg = -1;
    std::int32_t out = -1;
    std::int32_t out2 = -1;
  };
  friend class PatternCompiler;

  std::int32_t new_state(Op op, std::int32_t arg);
  void closure(std::int32_t state, std::vector<std::int32_t>& out, std::vector<std::uint8_t>& seen) const;

  std::vector<State> states_;
  std::vector<std::int32_t> starts_;  // one start state per pattern
  std::unordered_map<std::int32_t, std::vector<std::int32_t>> by_form_, by_stem_, by_actor_, by_member_;
  std::vector<std::int32_t> any_actor_;
};

}  // namespace stance::match
