// stance merge: the reduce step of a sharded run (docs/scale.md). Reads the partial states that
// `stance run --emit partial` wrote, refuses states that cannot be added up (other rules, another
// count mode, other filters), and prints the matrix of the whole corpus in any matrix format:
// exactly what one `stance run` over every shard would print.
#include <spdlog/spdlog.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "matrix_state.hpp"

namespace stance::cli {
namespace {

struct MergeOptions {
  std::string format = "table";
  std::string by = "actor";
  double min_count = 0;
  std::string window, step;
  std::string output;
  bool no_color = false;
  std::vector<std::string> paths;
};

// Every partial state in `in`, one a line (a map step writes one line per shard; blank lines are
// skipped). Returns false, having said why, when one cannot be read or merged.
bool read_partials(std::istream& in, const std::string& name,
                   const std::function<void(MatrixState&&, const std::string&)>& add) {
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(number);
    try {
      add(MatrixState::read(line), where);
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", where, e.what());
      return false;
    }
  }
  return true;
}

int merge(const MergeOptions& options) {
  WindowSpec window;
  if (!options.window.empty()) window.length_days = *parse_days(options.window);
  if (!options.step.empty()) {
    if (options.window.empty()) {
      spdlog::error("--step needs --window");
      return kExitUsage;
    }
    window.step_days = *parse_days(options.step);
  }

  std::optional<MatrixState> total;
  std::string first_name;
  bool compatible = true;
  const auto add = [&](MatrixState&& state, const std::string& where) {
    if (!total) {
      total.emplace(std::move(state));
      first_name = where;
      return;
    }
    if (const auto problem = total->incompatibility(state)) {
      throw std::runtime_error("cannot merge it with " + first_name + ": " + *problem);
    }
    total->merge(state);
  };
  for (const std::string& path : options.paths) {
    if (path == "-") {
      compatible = read_partials(std::cin, "-", add);
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        spdlog::error("{}: cannot open", path);
        return kExitUsage;
      }
      compatible = read_partials(in, path, add);
    }
    if (!compatible) return kExitUsage;
  }
  if (!total) {
    spdlog::error("no partial state in the input");
    return kExitUsage;
  }

  const auto target = OutputTarget::open(options.output);
  if (!target) return kExitUsage;
  std::ostream& out = target->stream();
  const RowKind rows = options.by == "affiliation" ? RowKind::affiliation : RowKind::actor;
  if (options.format == "partial") {
    total->write(out);
  } else {
    if (total->undated_records() > 0 && window.length_days > 0) {
      spdlog::warn("{} record(s) without a date are in the totals but in no window", total->undated_records());
    }
    write_matrix_report(out, options.format, *total, {rows, options.min_count, window},
                        table_options_for(!options.output.empty(), options.no_color, rows));
  }
  out.flush();
  if (!out) {
    spdlog::error("writing the output failed");
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Command add_merge(CLI::App& app) {
  auto* sub = app.add_subcommand("merge", "add up the partial states of sharded runs (stance run --emit partial)");
  auto options = std::make_shared<MergeOptions>();
  const auto days = CLI::Validator(
      [](const std::string& text) {
        return parse_days(text) ? std::string() : "expected a length like 7d or 2w, got '" + text + "'";
      },
      "LENGTH");
  sub->add_option("--format", options->format,
                  "table | csv | csv-long, or partial: the merged state itself (docs/scale.md)")
      ->check(CLI::IsMember({"table", "csv", "csv-long", "partial"}))
      ->capture_default_str();
  sub->add_option("--by", options->by, "matrix rows: actor | affiliation")
      ->check(CLI::IsMember({"actor", "affiliation"}))
      ->capture_default_str();
  sub->add_option("--min-count", options->min_count, "drop cells with fewer counted records")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--window", options->window, "a series of matrices over windows of LENGTH (7d, 30d, 2w)")
      ->check(days);
  sub->add_option("--step", options->step, "start a window every LENGTH (default: the window length)")
      ->check(days);
  sub->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  sub->add_flag("--no-color", options->no_color, "never colour the table");
  sub->add_option("partials", options->paths, "partial-state files (stance run --emit partial), or - for stdin")
      ->required();
  return [options]() { return merge(*options); };
}

}  // namespace stance::cli
