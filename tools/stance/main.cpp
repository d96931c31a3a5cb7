#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  stance::cli::use_large_stdio_buffers();
  // Messages go to stderr, data to stdout, never mixed.
  auto logger = spdlog::stderr_color_mt("stance");
  logger->set_pattern("stance: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);

  CLI::App app{"stance: codes who demands, accepts or rejects what in news articles"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stance 0.1.0");
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "only errors on stderr");
  app.add_flag("-v,--verbose", verbose, "more detail on stderr");
  app.parse_complete_callback([&] {
    if (quiet) spdlog::set_level(spdlog::level::err);
    if (verbose) spdlog::set_level(spdlog::level::debug);
  });

  std::vector<std::pair<CLI::App*, stance::cli::Command>> commands;
  auto remember = [&](stance::cli::Command command) {
    commands.emplace_back(app.get_subcommands({}).back(), std::move(command));
  };
  remember(stance::cli::add_run(app));
  remember(stance::cli::add_check(app));
  remember(stance::cli::add_explain(app));
  remember(stance::cli::add_test(app));
  remember(stance::cli::add_ingest(app));
  remember(stance::cli::add_recode(app));
  remember(stance::cli::add_matrix(app));
  remember(stance::cli::add_history(app));
  remember(stance::cli::add_shifts(app));
  remember(stance::cli::add_eval(app));
  remember(stance::cli::add_merge(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : stance::cli::kExitUsage;
  }
  for (auto& [sub, command] : commands) {
    if (sub->parsed()) {
      try {
        return command();
      } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return stance::cli::kExitUsage;
      }
    }
  }
  return stance::cli::kExitUsage;
}
