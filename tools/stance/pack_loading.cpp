#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.hpp"

namespace stance::cli {

std::shared_ptr<const RulePack> load_pack_or_report(const std::filesystem::path& directory) {
  auto result = RulePack::load(directory);
  for (const auto& d : result.diagnostics) std::cerr << d.format() << '\n';
  return result.pack;
}

}  // namespace stance::cli
