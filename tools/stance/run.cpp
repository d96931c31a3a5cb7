// stance run: code articles and print the stance matrix (or the records) in one of the report
// formats of docs/output.md, with filters, duplicate handling and time windows.
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fstream>
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
  std::string count = "article";
  std::vector<std::string> actors, issues, sources;
  std::string since, until;
  std::string window, step;
  double min_count = 0;
  double coalition_threshold = kDefaultCoalitionThreshold;
  std::string title = "Stance report";
  std::string output;
  bool no_color = false;
  std::vector<std::string> paths;
};

// $COLUMNS when set (the user's explicit choice), else the terminal's width, else 100.
std::size_t terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    try {
      const auto width = static_cast<std::size_t>(std::stoul(columns));
      if (width > 0) return width;
    } catch (...) {
    }
  }
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 100;
}

int run(const RunOptions& options) {
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;
  const Engine engine(pack);

  AnalysisOptions analysis_options;
  for (const auto& issue : pack->issues()) analysis_options.issue_order.push_back(issue.id);
  analysis_options.filter.actors = options.actors;
  analysis_options.filter.issues = options.issues;
  analysis_options.filter.sources = options.sources;
  analysis_options.filter.since = options.since;
  analysis_options.filter.until = options.until;
  analysis_options.count = options.count == "mention" ? CountMode::mention : CountMode::article;
  analysis_options.rows = options.by == "affiliation" ? RowKind::affiliation : RowKind::actor;
  analysis_options.min_count = options.min_count;
  analysis_options.coalition_threshold = options.coalition_threshold;
  if (!options.window.empty()) analysis_options.window.length_days = *parse_days(options.window);
  if (!options.step.empty()) {
    if (options.window.empty()) {
      spdlog::error("--step needs --window");
      return kExitUsage;
    }
    analysis_options.window.step_days = *parse_days(options.step);
  }

  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary);
    if (!file) {
      spdlog::error("cannot write {}", options.output);
      return kExitUsage;
    }
  }
  std::ostream& out = options.output.empty() ? std::cout : file;

  std::vector<StanceRecord> records;
  std::size_t articles = 0, skipped = 0;
  const bool streaming = options.format == "jsonl";

  read_articles(
      options.paths, std::cin,
      [&](Article&& article) {
        ++articles;
        auto coded = engine.code(article);
        std::erase_if(coded, [&](const StanceRecord& record) {
          return !analysis_options.filter.keeps(record);
        });
        if (streaming) {
          write_jsonl(out, coded);
        } else {
          records.insert(records.end(), std::make_move_iterator(coded.begin()),
                         std::make_move_iterator(coded.end()));
        }
      },
      [&](const InputError& error) {
        ++skipped;
        spdlog::error("{}", error.format());
      });

  if (!streaming) {
    const Analysis analysis(std::move(records), analysis_options);
    if (analysis.undated_records() > 0 && analysis_options.window.length_days > 0) {
      spdlog::warn("{} record(s) without a date are in the totals but in no window",
                   analysis.undated_records());
    }
    ReportContext context;
    context.title = options.title;
    context.rules = pack->id();
    context.articles = articles;
    for (const auto& issue : pack->issues()) {
      context.issue_propositions[issue.id] = issue.proposition;
    }
    for (const auto& actor : pack->actors()) context.actor_names[actor.id] = actor.name;

    if (options.format == "csv") {
      write_csv(out, analysis);
    } else if (options.format == "csv-long") {
      write_csv_long(out, analysis);
    } else if (options.format == "events") {
      write_events_csv(out, analysis);
    } else if (options.format == "json") {
      write_json(out, analysis, context);
    } else if (options.format == "md") {
      write_markdown(out, analysis, context);
    } else if (options.format == "graphml") {
      write_graphml(out, analysis, context);
    } else if (options.format == "html") {
      write_html(out, analysis, context);
    } else {
      TableOptions table;
      // Colour only for a terminal: never into files or pipes, never against NO_COLOR.
      table.color = options.output.empty() && !options.no_color && isatty(STDOUT_FILENO) &&
                    !std::getenv("NO_COLOR");
      table.width = terminal_width();
      table.row_label = options.by == "affiliation" ? "affiliation" : "actor";
      out << "stance matrix: " << articles << " article(s), rules " << pack->id()
          << ", counted once per " << to_string(analysis_options.count) << "\n\n";
      write_table(out, analysis, table);
    }
  }
  out.flush();
  if (!out) {
    spdlog::error("writing the output failed");
    return kExitUsage;
  }
  if (skipped) spdlog::warn("{} input(s) skipped, {} article(s) coded", skipped, articles);
  return skipped ? kExitPartial : kExitOk;
}

}  // namespace

Command add_run(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "code articles and print the stance matrix");
  auto options = std::make_shared<RunOptions>();
  const auto date = CLI::Validator(
      [](const std::string& text) {
        return day_number(text) && text.size() == 10
                   ? std::string()
                   : "expected a date YYYY-MM-DD, got '" + text + "'";
      },
      "DATE");
  const auto days = CLI::Validator(
      [](const std::string& text) {
        return parse_days(text) ? std::string()
                                : "expected a length like 7d or 2w, got '" + text + "'";
      },
      "LENGTH");
  sub->add_option("--rules", options->rules, "rule pack directory")->capture_default_str();
  sub->add_option("--format", options->format,
                  "table | jsonl | csv | csv-long | json | md | graphml | events | html "
                  "(docs/output.md)")
      ->check(CLI::IsMember(
          {"table", "jsonl", "csv", "csv-long", "json", "md", "graphml", "events", "html"}))
      ->capture_default_str();
  sub->add_option("--by", options->by, "matrix rows: actor | affiliation")
      ->check(CLI::IsMember({"actor", "affiliation"}))
      ->capture_default_str();
  sub->add_option("--count", options->count,
                  "article: a triple counts once per article; mention: every record counts")
      ->check(CLI::IsMember({"article", "mention"}))
      ->capture_default_str();
  sub->add_option(
         "--actor", options->actors,
         "only these actors (an affiliation id keeps its members); repeat or comma-separate")
      ->delimiter(',');
  sub->add_option("--issue", options->issues, "only these issues; repeat or comma-separate")
      ->delimiter(',');
  sub->add_option("--source", options->sources, "only articles from these sources")->delimiter(',');
  sub->add_option("--min-count", options->min_count,
                  "drop cells with fewer counted records (and their evidence)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--coalition-threshold", options->coalition_threshold,
                  "coalitions merge while their mean congruence is above this (-1..1)")
      ->check(CLI::Range(-1.0, 1.0))
      ->capture_default_str();
  sub->add_option("--since", options->since, "only articles dated on or after DATE")->check(date);
  sub->add_option("--until", options->until, "only articles dated on or before DATE")->check(date);
  sub->add_option("--window", options->window,
                  "a series of matrices over windows of LENGTH (7d, 30d, 2w)")
      ->check(days);
  sub->add_option("--step", options->step,
                  "start a window every LENGTH (default: the window length)")
      ->check(days);
  sub->add_option("--title", options->title, "report title (html, md, json)")
      ->capture_default_str();
  sub->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  sub->add_flag("--no-color", options->no_color, "never colour the table");
  sub->add_option("paths", options->paths,
                  ".txt/.md/.jsonl files, directories, or - for JSONL on stdin")
      ->required();
  return [options]() { return run(*options); };
}

}  // namespace stance::cli
