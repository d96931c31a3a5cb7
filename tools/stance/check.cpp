// stance check: load and compile a rule pack, report every problem as file:line:col.
#include <iostream>

#include "commands.hpp"

namespace stance::cli {

Command add_check(CLI::App& app) {
  auto* sub = app.add_subcommand("check", "validate a rule pack and report every problem with its location");
  auto rules = std::make_shared<std::string>(default_rules_directory().string());
  auto strict = std::make_shared<bool>(false);
  sub->add_option("--rules", *rules, "rule pack directory")->capture_default_str();
  sub->add_flag("--strict", *strict, "exit 1 when there are warnings");
  return [rules, strict]() {
    // check goes on past the first error, so one run shows everything there is to fix.
    auto result = RulePack::check(*rules);
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : result.diagnostics) {
      std::cerr << d.format() << '\n';
      (d.severity == Severity::error ? errors : warnings)++;
    }
    if (errors || !result.pack) {
      std::cerr << "stance check: " << errors << " error(s), " << warnings << " warning(s)\n";
      return kExitUsage;
    }
    std::cout << "ok: " << *rules << ": " << result.pack->actors().size() << " actors, "
              << result.pack->issues().size() << " issues, " << result.pack->examples().size() << " examples";
    if (warnings) std::cout << ", " << warnings << " warning(s)";
    std::cout << '\n';
    return (*strict && warnings) ? kExitPartial : kExitOk;
  };
}

}  // namespace stance::cli
