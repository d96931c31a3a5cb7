#pragma once
// Evaluation against hand-coded gold (docs/eval.md): read gold passages in the coding-scheme
// format, code their texts with a pack, and score the (actor, issue, stance) triples found against
// the gold ones, strictly and rolled up to affiliations.
#include <array>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/record.hpp"
#include "stance/rule_pack.hpp"

namespace stance {

// One (actor, issue, stance) of a gold file, with the coder's evidence.
struct GoldTriple {
  std::string actor;
  std::string issue;
  Stance stance = Stance::demand;
  std::string evidence;     // the sentence the coder took it from; may be empty (optional triples)
  std::string note;
  std::string reported_by;
};

// One passage of a gold file: the text to code and the triples a correct run gives.
struct GoldPassage {
  std::string id;
  std::string date;
  std::string source;
  std::string url;
  std::string title;
  std::string text;
  std::vector<GoldTriple> gold;      // must be found
  std::vector<GoldTriple> optional;  // may be found or not; neither counts
  std::string origin;                // "file:line"
};

// Reads gold in the coding-scheme format: JSON Lines files (one passage a line), *.gold.json files
// (one passage, on one line or pretty-printed), and directories (their *.gold.json and *.gold.jsonl
// files, sorted by name, not recursive). A bad passage or file goes to `errors` and the rest is
// still read; passages come back in path order.
struct GoldReadResult {
  std::vector<GoldPassage> passages;
  std::vector<InputError> errors;
};
[[nodiscard]] GoldReadResult read_gold(const std::vector<std::string>& paths);

// The article a gold passage stands for, as the engine codes it.
[[nodiscard]] Article to_article(const GoldPassage& passage);

// True positives, false positives, false negatives, and the scores made of them. Nothing to find
// and nothing found scores 1: no claim was wrong and nothing was missed.
struct Counts {
  std::size_t tp = 0;
  std::size_t fp = 0;
  std::size_t fn = 0;
  [[nodiscard]] double precision() const;
  [[nodiscard]] double recall() const;
  [[nodiscard]] double f1() const;
  Counts& operator+=(const Counts& other);
  friend bool operator==(const Counts&, const Counts&) = default;
};

// Scores at one level of comparison (exact actor ids, or actors rolled up to affiliations).
struct LevelScores {
  Counts overall;
  std::map<std::string, Counts> by_issue;  // only issues that occur in gold or in what was found
  std::array<Counts, kStanceCount> by_stance{};
};

// Rows: the gold stance (demand, accept, reject, none); columns: the found stance, same order.
// Counted per (passage, actor, issue) with exact actor ids: a matched triple is on the diagonal; a
// missed gold stance paired with a wrong stance found for the same actor and issue is off it; what
// has no partner goes to "none" (a plain FN in the last column, a plain FP in the last row).
inline constexpr std::size_t kNoStance = kStanceCount;
using Confusion = std::array<std::array<std::size_t, kStanceCount + 1>, kStanceCount + 1>;

// A false positive or false negative (strict), for `stance eval --show`.
struct EvalError {
  enum class Kind : unsigned char { false_positive, false_negative };
  Kind kind = Kind::false_positive;
  std::string passage;
  std::string actor;
  std::string issue;
  Stance stance = Stance::demand;
  std::string sentence;  // FP: the record's evidence; FN: the gold evidence
  std::size_t sentence_number = 0;  // FP only: 1-based; 0 when unknown
  std::string rule;      // FP: the cue that fired; FN: the cue of a record with the same actor and
                         // issue but another stance, if any
  std::string found_stance;  // FN only: that other stance ("" when the pair was not found at all)
  std::string note;      // FN: the gold note
};

struct EvalResult {
  std::size_t passages = 0;
  std::size_t gold_triples = 0;      // distinct per passage
  std::size_t optional_triples = 0;  // distinct per passage, not also gold
  std::size_t found_triples = 0;     // distinct per passage
  std::size_t optional_found = 0;    // found triples excused as optional
  LevelScores strict;
  LevelScores affiliation;
  Confusion confusion{};
  std::vector<EvalError> errors;        // strict FPs and FNs, in passage order
  // Gold ids the pack does not define: their triples can never be found (a typo in the gold or
  // an actor or issue the pack lacks).
  std::vector<std::string> unknown_actors;
  std::vector<std::string> unknown_issues;
};

// Scores records already coded: `found[i]` are the records of `passages[i]`. Affiliations come
// from `pack` (a person -> their affiliation; a collective, or an id the pack does not know,
// -> itself).
[[nodiscard]] EvalResult score(const RulePack& pack, std::span<const GoldPassage> passages,
                               std::span<const std::vector<StanceRecord>> found);

// Codes every passage with `engine` and scores it.
[[nodiscard]] EvalResult evaluate(const Engine& engine, std::span<const GoldPassage> passages);

}  // namespace stance
