#pragma once
// A rule pack: actors, issues and the language of stance, loaded from YAML and compiled once into
// an immutable object that any number of threads may share.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stance/article.hpp"
#include "stance/diagnostic.hpp"

namespace stance {

namespace detail {
struct CompiledPack;  // the matcher and lexicons (engine/src/rules)
}

struct ActorInfo {
  std::string id;
  std::string name;         // display name
  std::string kind;         // person | state | bloc | organisation | group
  std::string affiliation;  // empty for top-level collectives
  std::string gender;       // male | female | empty
};

struct IssueInfo {
  std::string id;
  std::string proposition;  // the one-line definition
  std::string opposite;     // the issue whose acceptance means rejecting this one, or empty
  bool record_as_opposite = false;  // its stances are recorded, converted, on `opposite`
};

// One `examples:` item of a rule file: a sentence and the records it must (or must not) give.
struct ExampleInfo {
  std::string file;
  int line = 0;
  int column = 0;
  std::string text;
  std::vector<std::string> expect;  // "actor issue stance", in the order written
  bool expect_none = false;         // `expect: none`
  bool todo = false;                // a known failure: reported, not counted
  std::string note;
  std::string date;                 // ISO date to code it with, or empty
};

// A pattern that would match a sentence if one token of it were different or left out
// (stance explain --near).
struct NearMiss {
  std::size_t sentence = 0;  // 1-based
  std::string rule;          // the rule id, as in records ("reject.verb", "issue:armistice")
  std::string pattern;
  std::string file;
  int line = 0;
  int column = 0;
  std::string words;         // the words of the sentence the pattern nearly matches
  std::string token;         // the token that stands in the way
  bool dropped = false;      // true: matches without `token`; false: `token` would have to change
};

// Rule files under this size are parsed every time: under a millisecond each, not worth an entry
// (the default pack's four files of 10-53 KB take 11 ms to parse, 1 ms to read back).
inline constexpr std::uintmax_t kModelCacheMinFileBytes = 8 * 1024;

// The cache of parsed rule files (docs/cli.md, "Rule cache"): a big rule file whose bytes have not
// changed since an earlier run is read from a binary entry instead of being parsed as YAML again.
struct ModelCacheOptions {
  std::filesystem::path directory;  // empty: no cache
  std::uintmax_t min_file_bytes = kModelCacheMinFileBytes;
  // Names this program: entries that another build wrote are never used, so a change of the
  // loader can never be hidden by a stale entry.
  std::string build;
};

class RulePack {
 public:
  struct LoadResult {
    std::shared_ptr<const RulePack> pack;  // null when there were errors
    std::vector<Diagnostic> diagnostics;   // errors and warnings, in file order
    std::vector<std::string> files;        // every rule file read (also when there were errors)
  };

  // Loads the pack in `directory` (its pack.yaml and every other *.yaml in it) and the packs it
  // includes, validates every key and reference, and compiles the matchers. Big rule files go
  // through the cache of default_model_cache_options(), or `cache` (ModelCacheOptions{}: none).
  static LoadResult load(const std::filesystem::path& directory);
  static LoadResult load(const std::filesystem::path& directory, const ModelCacheOptions& cache);

  // Like load, but goes on past errors to report every problem it can find in one run, and adds
  // the author's warnings (shadowed patterns, wide gaps, examples naming unknown ids). Never throws.
  static LoadResult check(const std::filesystem::path& directory);
  static LoadResult check(const std::filesystem::path& directory, const ModelCacheOptions& cache);

  [[nodiscard]] const std::vector<ActorInfo>& actors() const;
  [[nodiscard]] const std::vector<IssueInfo>& issues() const;  // in definition order
  [[nodiscard]] const ActorInfo* find_actor(std::string_view id) const;
  [[nodiscard]] const IssueInfo* find_issue(std::string_view id) const;
  [[nodiscard]] std::string id() const;
  // Changes whenever any loaded rule file changes (hash of their bytes).
  [[nodiscard]] std::string fingerprint() const;
  [[nodiscard]] const std::vector<std::string>& files() const;
  [[nodiscard]] const std::vector<ExampleInfo>& examples() const;  // every rule file's, in file order

  // Patterns of the stance and issue lexicons that nearly match the article's sentences (one
  // token changed or dropped) but match nowhere as written. `sentence` (1-based) limits it to one.
  [[nodiscard]] std::vector<NearMiss> near_misses(const Article& article, std::size_t sentence = 0) const;

  [[nodiscard]] const detail::CompiledPack& compiled() const { return *compiled_; }

  explicit RulePack(std::shared_ptr<const detail::CompiledPack> compiled);

 private:
  std::shared_ptr<const detail::CompiledPack> compiled_;
};

// The default pack's directory: $STANCE_RULES if set, else <source tree>/rules/ukraine-peace.
[[nodiscard]] std::filesystem::path default_rules_directory();

// The cache that load(directory) and check(directory) use: $STANCE_CACHE_DIR if set (empty or
// `off`: none), else $XDG_CACHE_HOME/stance, else $HOME/.cache/stance; `build` names the running
// executable.
[[nodiscard]] ModelCacheOptions default_model_cache_options();

}  // namespace stance
