#pragma once
// A rule pack: actors, issues and the language of stance, loaded from YAML and compiled once into
// an immutable object that any number of threads may share.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

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
};

class RulePack {
 public:
  struct LoadResult {
    std::shared_ptr<const RulePack> pack;  // null when there were errors
    std::vector<Diagnostic> diagnostics;   // errors and warnings, in file order
  };

  // Loads the pack in `directory` (its pack.yaml and every other *.yaml in it) and the packs it
  // includes, validates every key and reference, and compiles the matchers.
  static LoadResult load(const std::filesystem::path& directory);

  [[nodiscard]] const std::vector<ActorInfo>& actors() const;
  [[nodiscard]] const std::vector<IssueInfo>& issues() const;  // in definition order
  [[nodiscard]] const ActorInfo* find_actor(std::string_view id) const;
  [[nodiscard]] std::string id() const;
  // Changes whenever any loaded rule file changes (hash of their bytes).
  [[nodiscard]] std::string fingerprint() const;

  [[nodiscard]] const detail::CompiledPack& compiled() const { return *compiled_; }

  explicit RulePack(std::shared_ptr<const detail::CompiledPack> compiled);

 private:
  std::shared_ptr<const detail::CompiledPack> compiled_;
};

// The default pack's directory: $STANCE_RULES if set, else <source tree>/rules/ukraine-peace.
[[nodiscard]] std::filesystem::path default_rules_directory();

}  // namespace stance
