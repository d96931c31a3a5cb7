#pragma once
// The CLI's verbs. Each registers its options on the app and returns the exit code when run.
// Exit codes (docs/cli.md): 0 success, 1 some input skipped or some check failed, 2 usage or rule
// errors.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "stance/rule_pack.hpp"

namespace stance::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;
inline constexpr int kExitUsage = 2;

using Command = std::function<int()>;

Command add_run(CLI::App& app);
Command add_check(CLI::App& app);
Command add_explain(CLI::App& app);

// Loads a pack, printing its diagnostics (file:line:col: severity: message) to stderr.
// Returns null when the pack has errors.
std::shared_ptr<const RulePack> load_pack_or_report(const std::filesystem::path& directory);

}  // namespace stance::cli
