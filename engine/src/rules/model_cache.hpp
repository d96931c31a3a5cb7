#pragma once
// Rule files' models kept between runs: yaml-cpp takes most of a second for a rule file of 20,000
// actors, reading its cached model back about 10 ms.
//
// One entry per (format version, build, shown name, bytes) in the cache directory, named
// <hash of shown name>-<hash of the rest>.stance-model. An entry holds the file's whole bytes and
// is used only when they equal the file's, so a hash collision costs a parse, never a wrong pack.
// Anything wrong with an entry (missing, short, another version, a bad checksum, unreadable) is a
// miss: the file is parsed and the entry written again. Entries are written to a temporary file
// and renamed into place, so concurrent runs see a whole entry or none.
//
// Growth: writing an entry removes the other entries of the same shown name (a file's older
// versions) and every entry not written for kModelCacheMaxAgeDays; `rm -rf` of the directory is
// always safe.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rules/model.hpp"
#include "stance/rule_pack.hpp"

namespace stance::rules {

// Bump whenever the entry layout or the meaning of a stored field changes. Entries name the build
// that wrote them, so a rebuilt stance never reads old ones; the version also covers callers with
// no build name (ModelCacheOptions::build empty: tests, systems without /proc).
inline constexpr std::uint32_t kModelCacheFormatVersion = 1;
inline constexpr int kModelCacheMaxAgeDays = 30;
inline constexpr std::string_view kModelCacheSuffix = ".stance-model";

// An entry's payload alone: the model, without header or checksum. decode_model never throws and
// returns nullopt for anything encode_model did not write (the tests feed it damaged payloads).
[[nodiscard]] std::string encode_model(const RuleFileModel& model);
[[nodiscard]] std::optional<RuleFileModel> decode_model(std::string_view payload);

class ModelCache {
 public:
  explicit ModelCache(ModelCacheOptions options) : options_(std::move(options)) {}

  // Whether a rule file of these bytes goes through the cache at all.
  [[nodiscard]] bool wants(std::string_view bytes) const {
    return !options_.directory.empty() && bytes.size() >= options_.min_file_bytes;
  }

  // The model stored for exactly these bytes under this shown name; nullopt on any problem.
  // Never throws.
  [[nodiscard]] std::optional<RuleFileModel> find(std::string_view shown, std::string_view bytes) const;

  // Stores a model read without diagnostics (others are not stored). Failures are ignored: the
  // next run parses again. Never throws.
  void store(std::string_view shown, std::string_view bytes, const RuleFileModel& model) const;

  // Where the entry for these bytes lives (whether or not it exists).
  [[nodiscard]] std::filesystem::path entry_path(std::string_view shown, std::string_view bytes) const;

 private:
  ModelCacheOptions options_;
};

}  // namespace stance::rules
