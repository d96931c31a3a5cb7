#pragma once
// A stance record: one (actor, issue, stance) found in one sentence, with its provenance.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stance {

enum class Stance : unsigned char { demand = 0, accept = 1, reject = 2 };
inline constexpr std::size_t kStanceCount = 3;

[[nodiscard]] std::string_view to_string(Stance stance);
[[nodiscard]] std::optional<Stance> parse_stance(std::string_view text);

// [begin, end) byte offsets into Article::text.
struct ByteSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

struct StanceRecord {
  std::string article;      // Article::id
  std::size_t sentence = 0; // 1-based sentence number within the article
  ByteSpan span;            // the evidence sentence within the article text
  std::string actor;        // canonical actor id
  std::string affiliation;  // the actor's affiliation id, or the actor itself for collectives
  std::string issue;        // canonical issue id, or "?" for an object no issue names (--unknown)
  Stance stance = Stance::demand;
  double confidence = 1.0;  // (0, 1]; lowered for hedged or second-hand statements
  std::string rule;         // id of the rule (cue) that fired
  std::string evidence;     // exactly Article::text[span.begin, span.end)
  // Not part of the JSONL contract; carried for json output and explain.
  std::string reported_by;  // actor id of a speaker who reports this stance second-hand
  ByteSpan cue_span;        // the cue words within the article text
  std::string object;       // with issue "?": the words of the object no issue of the pack names
  std::string date;         // the article's date (for time slicing)
  std::string source;       // the article's source
};

}  // namespace stance
