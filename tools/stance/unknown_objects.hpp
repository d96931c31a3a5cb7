#pragma once
// `stance run --unknown`: stances whose holder is known but whose object no issue of the pack
// names (records with issue "?"), grouped by object so a rule author sees which issues the pack
// is missing, most frequent first. Kept apart from the stance matrix: "?" is not an issue, and
// one column for every unnamed object would mix unrelated propositions into one cell.
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "stance/engine.hpp"
#include "stance/matrix.hpp"
#include "stance/record.hpp"

namespace stance::cli {

// The issue id the engine gives a record whose object no issue names.
inline constexpr const char* kUnknownIssue = "?";

[[nodiscard]] inline bool is_unknown_object(const StanceRecord& record) {
  return record.issue == kUnknownIssue;
}

// One object, as the table and the json show it.
struct UnknownObject {
  std::string object;    // Engine::object_key of the object's words
  std::size_t count = 0;  // records naming it (every mention; a record per holder)
  // (holder, stance) -> records; the holder is the actor, or its affiliation under --by affiliation.
  std::map<std::pair<std::string, Stance>, std::size_t> stances;
  std::string example_article;  // the first record naming it, in input order
  std::size_t example_sentence = 0;
  std::string example_words;    // the object's words as that sentence has them
};

class UnknownObjects {
 public:
  // `engine` gives the grouping key and must outlive this.
  UnknownObjects(const Engine& engine, RowKind rows) : engine_(engine), rows_(rows) {}

  // Records in input order; those that are not unknown objects are ignored.
  void add(const StanceRecord& record);

  [[nodiscard]] std::size_t records() const { return records_; }
  // Most records first; ties by object.
  [[nodiscard]] std::vector<UnknownObject> ranked() const;

  // The table printed after the stance matrix: `top` objects at most (0: all).
  void write_table(std::ostream& out, std::size_t top) const;
  // [ { object, count, stances: [ {actor, stance, count} ], example: {article, sentence, words} } ]
  [[nodiscard]] nlohmann::ordered_json to_json() const;

 private:
  const Engine& engine_;
  RowKind rows_;
  std::size_t records_ = 0;
  std::vector<UnknownObject> objects_;              // in order of first appearance
  std::map<std::string, std::size_t> object_index_;  // key -> position in objects_
};

}  // namespace stance::cli
