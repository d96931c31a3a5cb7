#pragma once
// The compiled, immutable form of a rule pack (stance::detail::CompiledPack).
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "match/automaton.hpp"
#include "rules/model.hpp"
#include "text/tokenizer.hpp"
#include "stance/rule_pack.hpp"

namespace stance::detail {

enum class EntryKind : unsigned char { actor, member, issue_cue, stance_cue, grammar };
// How a match names its actor; an `adjective` names it only as the modifier of a stance noun.
enum class ActorVia : unsigned char { alias, titled, descriptor, adjective };

// One lexicon entry: what a match of one of its patterns means.
struct LexEntry {
  EntryKind kind = EntryKind::grammar;
  std::int32_t ref = -1;  // actor / issue / cue index, or the GrammarRole
  ActorVia via = ActorVia::alias;
  std::string rule_id;    // the id shown as provenance (cue id, "issue:<id>", "grammar:<key>")
  rules::Location at;
  std::string pattern;
  // When the pattern names the actor only while a role is held (actor `roles:`): ISO dates
  // YYYY-MM-DD, inclusive; empty = open-ended. Both empty for every other entry.
  std::string valid_from;
  std::string valid_to;
  // Issue cues under `holder_cues:`: the actors (sides) a holder must belong to; empty = anyone.
  std::vector<std::int32_t> holder_sides;
  [[nodiscard]] bool valid_on(std::string_view date) const {  // an unknown date (empty) is always valid
    return date.empty() || ((valid_from.empty() || valid_from <= date) && (valid_to.empty() || date <= valid_to));
  }
};

// What attribution reads of an entry at every match, kept apart from LexEntry's strings: 8 bytes
// an entry, so the entries a text touches stay in cache (a LexEntry is some 250 bytes, and each
// match read a line of one).
struct EntryCore {
  EntryKind kind = EntryKind::grammar;
  ActorVia via = ActorVia::alias;
  std::uint8_t group = 0;  // CompiledPack::group_of
  bool dated = false;      // valid only between dates (LexEntry::valid_on)
  std::int32_t ref = -1;   // = LexEntry::ref
};

struct CueInfo {
  std::string id;
  Stance stance = Stance::demand;
  rules::CueForm form = rules::CueForm::verb;
  int priority = 0;                       // `priority:`: higher wins where cues compete for words
  std::vector<std::int32_t> suppresses;   // `suppresses:`: cue indices this cue silences
};

// Selection groups: within a group, overlapping matches are resolved leftmost-longest.
inline constexpr std::size_t kGroupIssue = 0;
inline constexpr std::size_t kGroupCue = 1;
inline constexpr std::size_t kGroupGrammar0 = 2;  // + GrammarRole
inline constexpr std::size_t kGroupCount = kGroupGrammar0 + rules::kGrammarRoleCount;

struct CompiledPack {
  std::string id;
  std::string fingerprint;
  std::vector<ActorInfo> actors;
  // actor -> whether its kind is person: asked at most steps of attribution, where comparing the
  // kind string cost 1 % of a run.
  std::vector<bool> person;
  std::vector<IssueInfo> issues;
  std::vector<CueInfo> cues;
  std::unordered_map<std::string, std::int32_t> actor_index;
  std::unordered_map<std::string, std::int32_t> issue_index;
  std::vector<std::int32_t> affiliation;  // actor -> affiliated actor index, or -1
  std::vector<std::vector<std::int32_t>> represents;  // group actor -> the actors it stands for
  // issue -> the issue it is `opposite:` to (accepting one means rejecting the other), or -1.
  // Symmetric: declaring it on one issue of the pair is enough.
  std::vector<std::int32_t> opposite;
  // issue -> its stances are recorded on its opposite: demand or accept as reject, reject as demand.
  std::vector<bool> record_as_opposite;
  // actor -> its titles (`titles:` and `roles:`), folded, with the role's window: what "the
  // president" (a `title_references` phrase) can stand for.
  struct Title {
    std::string words;  // folded, one space between words
    std::string valid_from, valid_to;
  };
  std::vector<std::vector<Title>> titles;

  match::Vocabulary vocabulary;
  // Made once the pack is compiled: a per-thread cache of the vocabulary's numbers
  // (text::WordCache) is valid while it holds the same identity; never reused by another pack.
  std::shared_ptr<const int> identity;
  match::Automaton entities;  // layer 1: actors and issue members
  match::Automaton phrases;   // layer 2: issue cues, stance cues, grammar
  std::vector<LexEntry> entries;
  std::vector<EntryCore> entry_core;  // by entry, as `entries`

  [[nodiscard]] const EntryCore& core(std::int32_t entry) const { return entry_core[static_cast<std::size_t>(entry)]; }

  std::unordered_set<std::string> abbreviations;
  std::vector<rules::ExampleDef> examples;
  std::vector<ExampleInfo> example_infos;  // the same, as the public API shows them
  std::vector<std::string> files;

  // Binds a thread's word cache to this pack: its tokens get this vocabulary's numbers, and
  // nothing cached under another pack is reused.
  void bind(text::WordCache& words) const {
    words.bind(identity, [vocabulary = &vocabulary](std::string_view word) { return vocabulary->find(word); });
  }

  [[nodiscard]] std::size_t group_of(const LexEntry& e) const {
    switch (e.kind) {
      case EntryKind::issue_cue: return kGroupIssue;
      case EntryKind::stance_cue: return kGroupCue;
      case EntryKind::grammar: return kGroupGrammar0 + static_cast<std::size_t>(e.ref);
      default: return kGroupIssue;
    }
  }
};

struct CompileResult {
  std::shared_ptr<CompiledPack> pack;
  std::vector<Diagnostic> diagnostics;
};

struct CompileOptions {
  // Also look for what is legal but probably wrong (stance check): shadowed patterns, wide gaps,
  // examples naming unknown ids. Off when a pack is loaded to code articles.
  bool lint = false;
};

CompileResult compile(rules::PackModel model, const CompileOptions& options = {});

}  // namespace stance::detail
