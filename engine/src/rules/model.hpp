#pragma once
// The rule pack as written in YAML, before compilation: every item keeps its source location.
// Every struct compares field by field (==), so that tests can hold a cached load to a parse.
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "stance/diagnostic.hpp"
#include "stance/record.hpp"
#include "stance/rule_pack.hpp"

namespace stance::rules {

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  bool operator==(const Location&) const = default;
};

struct PatternSource {
  std::string text;
  Location at;
  bool operator==(const PatternSource&) const = default;
};

// A title the actor holds only between two dates (ISO YYYY-MM-DD; empty: open-ended).
struct RoleDef {
  PatternSource title;
  std::string from, to;
  bool standalone = false;  // the title alone names the actor while the role is held
  Location at;
  bool operator==(const RoleDef&) const = default;
};

struct ActorDef {
  std::string id, name, kind, gender, affiliation;
  std::vector<PatternSource> aliases, titles, descriptors;
  // Words that name the actor only as the modifier of a stance noun ("the Northern proposal").
  std::vector<PatternSource> adjectives;
  std::vector<PatternSource> represents;  // a group holder standing for these actors ("both sides")
  std::vector<RoleDef> roles;
  Location at, affiliation_at;
  bool operator==(const ActorDef&) const = default;
};

// Cues of an issue that hold only when the stance's holder belongs to one of `sides` ("a meeting
// with Ames" is the leaders' summit when Southland asks for it, not when Westland does).
struct HolderCues {
  std::vector<PatternSource> sides;     // actor ids; a holder counts by its affiliation
  std::vector<PatternSource> patterns;
  Location at;
  bool operator==(const HolderCues&) const = default;
};

struct IssueDef {
  std::string id, proposition;
  std::vector<PatternSource> members, cues;
  std::vector<HolderCues> holder_cues;
  std::string opposite;  // an issue whose acceptance means rejecting this one; empty: none
  // Stances on this issue are recorded as the converse stance on `opposite` (for a proposition
  // the coding scheme frames only the other way round: "joins the alliance" against "renounces the alliance").
  bool record_as_opposite = false;
  Location at, opposite_at, record_as_opposite_at;
  bool operator==(const IssueDef&) const = default;
};

// How a cue relates to its holder and its object (docs/rules.md, "Cues").
enum class CueForm : unsigned char {
  verb,       // holder = subject ("Boyd rejected X"); object after; passive turns it round
  noun,       // holder = possessive or "by X" ("Northland's demand for X"); object after
  predicate,  // object before ("X is unacceptable"); holder = "to X" or the speaker
  modal,      // deontic "must", "must not": object inside, after or before; holder = subject, or
              // the speaker when quoted or reported ("Kent said borders must not change")
  volition,   // "will never", "would not": like modal, but a reported subject keeps the stance
              // unless it is the speaker's own side ("Boyd said Southland would never ...")
};

struct CueDef {
  std::string id;
  Stance stance = Stance::demand;
  CueForm form = CueForm::verb;
  std::vector<PatternSource> patterns;
  int priority = 0;                       // higher wins when cues compete for the same words
  std::vector<PatternSource> suppresses;  // ids of cues this one silences where both fire
  Location at;
  bool operator==(const CueDef&) const = default;
};

// Closed-class language knowledge the attribution mechanisms consult.
enum class GrammarRole : unsigned char {
  negator, auxiliary, passive_auxiliary, determiner, possessive_pronoun, preposition,
  pronoun_male, pronoun_female, pronoun_speaker, anaphor, clause_break, conditional, scope_end,
  hedge, coordinator, appositive, agent_marker, recipient_marker, reporting_verb, reporting_marker,
  relative_pronoun, pronoun_collective, not_conditional, pronoun_pair, title_reference, author_marker, time_conditional, count_
};
inline constexpr std::size_t kGrammarRoleCount = static_cast<std::size_t>(GrammarRole::count_);

struct GrammarList {
  GrammarRole role;
  std::vector<PatternSource> patterns;
  bool operator==(const GrammarList&) const = default;
};

struct ExampleTriple {
  std::string actor, issue;
  Stance stance = Stance::demand;
  Location at;
  bool operator==(const ExampleTriple&) const = default;
};

struct ExampleDef {
  std::string text;
  std::vector<ExampleTriple> expect;
  bool expect_none = false;
  bool todo = false;
  Location at;
  std::string note;
  std::string date;  // the article date the example is coded with (roles depend on it); may be empty
  bool operator==(const ExampleDef&) const = default;
};

struct PackModel {
  std::string id;
  std::string description;
  std::vector<ActorDef> actors;
  std::vector<IssueDef> issues;
  std::vector<CueDef> cues;
  std::vector<GrammarList> grammar;
  std::unordered_set<std::string> abbreviations;  // folded, with the dot
  std::vector<ExampleDef> examples;
  std::vector<std::filesystem::path> files;       // every file read, in order
  std::vector<std::string> shown_files;           // the same, as diagnostics name them
  // FNV-1a over every file read, in order: its file name, a NUL, its bytes (none if unreadable).
  // Folded in as each file is read, so the pack's fingerprint needs no second read of the files.
  std::uint64_t content_hash = 1469598103934665603ULL;
  bool operator==(const PackModel&) const = default;
};

// What one rule file (not pack.yaml) adds to a pack, and the problems found in it: the unit that
// rules/model_cache.cpp keeps between runs, so it holds only what the file's bytes determine.
struct RuleFileModel {
  std::vector<ActorDef> actors;
  std::vector<IssueDef> issues;
  std::vector<CueDef> cues;
  std::vector<GrammarList> grammar;
  // As written, with the dot and in file order: folding is the text module's business and may
  // change without the cache knowing, so it happens when the file is added to a pack.
  std::vector<std::string> abbreviations;
  std::vector<ExampleDef> examples;
  std::vector<Diagnostic> diagnostics;
};

struct ModelLoad {
  PackModel model;
  std::vector<Diagnostic> diagnostics;
};

// Reads the pack in `directory` and everything it includes. Never throws. With `cache.directory`
// set, rule files at least `cache.min_file_bytes` long are read from and written to the cache.
ModelLoad load_model(const std::filesystem::path& directory, const ModelCacheOptions& cache = {});

[[nodiscard]] std::string_view grammar_key(GrammarRole role);

// Every key the format knows, by the mapping it belongs to ("pack", "rule file", "actor", "role",
// "issue", "cue", "grammar", "example"), for documentation checks.
struct FormatSection {
  std::string_view mapping;
  std::vector<std::string_view> keys;
};
[[nodiscard]] std::vector<FormatSection> format_keys();
// Lists whose words match by stem (inflections) rather than by exact folded form.
[[nodiscard]] bool grammar_uses_stems(GrammarRole role);

}  // namespace stance::rules
