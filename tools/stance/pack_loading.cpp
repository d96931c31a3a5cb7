#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.hpp"

namespace stance::cli {

std::shared_ptr<const RulePack> load_pack_or_report(const std::filesystem::path& directory) {
  auto result = RulePack::load(directory);
  for (const auto& d : result.diagnostics) {
    // Errors always reach stderr; warnings respect --quiet like every other message.
    if (d.severity == Severity::error || spdlog::get_level() <= spdlog::level::warn) {
      std::cerr << d.format() << '\n';
    }
  }
  if (result.pack) {
    spdlog::debug("rules {} from {}: {} file(s), fingerprint {}", result.pack->id(),
                  directory.string(), result.pack->files().size(), result.pack->fingerprint());
  }
  return result.pack;
}

std::unique_ptr<OutputTarget> OutputTarget::open(const std::string& path) {
  auto target = std::make_unique<OutputTarget>();
  if (path.empty()) return target;
  target->file_.open(path, std::ios::binary);
  if (!target->file_) {
    spdlog::error("cannot write {}", path);
    return nullptr;
  }
  target->to_file_ = true;
  return target;
}

}  // namespace stance::cli
