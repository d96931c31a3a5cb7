// stance run: code articles and print the stance matrix or the records.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/matrix.hpp"
#include "stance/report.hpp"

namespace stance::cli {
namespace {

struct RunOptions {
  std::string rules = default_rules_directory().string();
  std::string format = "table";
  std::string by = "actor";
  bool no_color = false;
  std::vector<std::string> paths;
};

std::size_t terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    try {
      return static_cast<std::size_t>(std::stoul(columns));
    } catch (...) {
    }
  }
  return 100;
}

int run(const RunOptions& options) {
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;
  const Engine engine(pack);

  std::vector<std::string> issue_order;
  for (const auto& issue : pack->issues()) issue_order.push_back(issue.id);
  StanceMatrix matrix(issue_order);
  std::vector<StanceRecord> records;
  std::size_t articles = 0, skipped = 0;
  const bool streaming = options.format == "jsonl";

  read_articles(
      options.paths, std::cin,
      [&](Article&& article) {
        ++articles;
        auto coded = engine.code(article);
        if (streaming) {
          write_jsonl(std::cout, coded);
        } else {
          matrix.add_all(coded);
          records.insert(records.end(), std::make_move_iterator(coded.begin()), std::make_move_iterator(coded.end()));
        }
      },
      [&](const InputError& error) {
        ++skipped;
        spdlog::error("{}", error.format());
      });

  if (!streaming) {
    const StanceMatrix shown = options.by == "affiliation" ? matrix.rolled_up_by_affiliation() : matrix;
    if (options.format == "csv") {
      write_csv(std::cout, shown);
    } else if (options.format == "json") {
      write_json(std::cout, records, shown);
    } else {
      TableOptions table;
      table.color = !options.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
      table.width = terminal_width();
      table.row_label = options.by == "affiliation" ? "affiliation" : "actor";
      std::cout << "stance matrix: " << articles << " article(s), rules " << pack->id() << "\n\n";
      write_table(std::cout, shown, table);
    }
  }
  std::cout.flush();
  if (skipped) spdlog::warn("{} input(s) skipped, {} article(s) coded", skipped, articles);
  return skipped ? kExitPartial : kExitOk;
}

}  // namespace

Command add_run(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "code articles and print the stance matrix");
  auto options = std::make_shared<RunOptions>();
  sub->add_option("--rules", options->rules, "rule pack directory")->capture_default_str();
  sub->add_option("--format", options->format, "table | jsonl | csv | json")
      ->check(CLI::IsMember({"table", "jsonl", "csv", "json"}))
      ->capture_default_str();
  sub->add_option("--by", options->by, "matrix rows: actor | affiliation")
      ->check(CLI::IsMember({"actor", "affiliation"}))
      ->capture_default_str();
  sub->add_flag("--no-color", options->no_color, "never colour the table");
  sub->add_option("paths", options->paths, ".txt/.md/.jsonl files, directories, or - for JSONL on stdin")->required();
  return [options]() { return run(*options); };
}

}  // namespace stance::cli
