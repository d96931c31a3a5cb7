// stance matrix: the stance matrix of the stored archive, over a date range or as of a date, in
// any of `stance run`'s report formats (the same Analysis, so both agree on the same articles).
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.hpp"
#include "matrix_state.hpp"
#include "stance/matrix.hpp"
#include "stance/report.hpp"
#include "stance/store.hpp"

namespace stance::cli {
namespace {

struct MatrixOptions {
  std::string db = kDefaultStorePath;
  std::string as_of;
  std::string since;
  std::string until;
  std::string format = "table";
  std::string by = "actor";
  std::string count = "article";
  std::string window;
  std::string step;
  std::string title = "Stance report";
  bool no_color = false;
};

// "latest positions as of 2025-04-30", "2025-01-01 to 2025-03-31", "all dates", ...
std::string describe_selection(const MatrixOptions& options) {
  if (!options.as_of.empty()) {
    return "latest positions as of " + options.as_of +
           (options.since.empty() ? "" : " (since " + options.since + ")");
  }
  if (!options.since.empty() && !options.until.empty()) return options.since + " to " + options.until;
  if (!options.since.empty()) return "since " + options.since;
  if (!options.until.empty()) return "up to " + options.until;
  return "all dates";
}

// Display names and propositions for md/html/json, from the latest run's pack when it still
// loads; reports fall back to ids otherwise, so a moved pack costs labels, not the report.
void add_labels(ReportContext& context, const std::vector<RunRow>& runs) {
  if (runs.empty()) return;
  std::error_code error;
  if (!std::filesystem::is_directory(runs.back().info.rules_directory, error)) return;
  const auto loaded = RulePack::load(runs.back().info.rules_directory);
  if (!loaded.pack) return;
  for (const auto& issue : loaded.pack->issues()) context.issue_propositions[issue.id] = issue.proposition;
  for (const auto& actor : loaded.pack->actors()) context.actor_names[actor.id] = actor.name;
}

int show_matrix(const MatrixOptions& options) {
  const std::unique_ptr<Store> store = open_sqlite_store(options.db, OpenMode::existing);
  RecordQuery query;
  query.since = options.since;
  query.until = options.as_of.empty() ? options.until : options.as_of;
  std::vector<StanceRecord> records;
  std::vector<RunRow> runs;
  std::size_t articles = 0;
  {
    // One snapshot, so a concurrent ingest cannot slip articles in between the queries.
    const auto snapshot = store->read_snapshot();
    records = store->records(query);
    runs = store->runs();
    articles = store->article_count(query);
  }
  if (!options.as_of.empty()) records = latest_positions(records);

  if (options.format == "jsonl") {
    write_jsonl(std::cout, records);
    std::cout.flush();
    return kExitOk;
  }

  AnalysisOptions analysis_options;
  if (!runs.empty()) analysis_options.issue_order = runs.back().info.issue_order;
  // Already applied by the query; repeated so json and md reports state the selection.
  analysis_options.filter.since = query.since;
  analysis_options.filter.until = query.until;
  analysis_options.count = options.count == "mention" ? CountMode::mention : CountMode::article;
  analysis_options.rows = options.by == "affiliation" ? RowKind::affiliation : RowKind::actor;
  if (!options.window.empty()) analysis_options.window.length_days = *parse_days(options.window);
  if (!options.step.empty()) analysis_options.window.step_days = *parse_days(options.step);
  const Analysis analysis(std::move(records), analysis_options);

  ReportContext context;
  context.title = options.title;
  context.articles = articles;
  context.generated = "stance matrix --db " + options.db + ": " + describe_selection(options);
  if (!runs.empty()) context.rules = runs.back().info.rules_id;
  // Only these formats show names and propositions; compiling the pack is wasted on the others.
  if (options.format == "json" || options.format == "md" || options.format == "html" ||
      options.format == "graphml") {
    add_labels(context, runs);
  }

  if (options.format == "csv") {
    write_csv(std::cout, analysis);
  } else if (options.format == "csv-long") {
    write_csv_long(std::cout, analysis);
  } else if (options.format == "events") {
    write_events_csv(std::cout, analysis);
  } else if (options.format == "json") {
    write_json(std::cout, analysis, context);
  } else if (options.format == "md") {
    write_markdown(std::cout, analysis, context);
  } else if (options.format == "graphml") {
    write_graphml(std::cout, analysis, context);
  } else if (options.format == "html") {
    write_html(std::cout, analysis, context);
  } else {
    const TableOptions table = table_options_for(false, options.no_color, analysis_options.rows);
    std::cout << "stance matrix from " << options.db << ": " << describe_selection(options) << ", "
              << articles << " article(s), counted once per " << to_string(analysis_options.count)
              << "\n\n";
    write_table(std::cout, analysis, table);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

Command add_matrix(CLI::App& app) {
  auto* sub = app.add_subcommand("matrix", "the stance matrix of the stored articles, over time");
  auto options = std::make_shared<MatrixOptions>();
  const auto date = CLI::Validator(
      [](const std::string& text) {
        return is_iso_date(text) ? std::string() : "expected a date YYYY-MM-DD, got '" + text + "'";
      },
      "DATE");
  const auto days = CLI::Validator(
      [](const std::string& text) {
        return parse_days(text) ? std::string()
                                : "expected a length like 7d or 2w, got '" + text + "'";
      },
      "LENGTH");
  sub->add_option("--db", options->db, "the store (SQLite)")->capture_default_str();
  auto* as_of = sub->add_option(
      "--as-of", options->as_of,
      "positions as of DATE: for each actor and issue, only the records of the latest date on or "
      "before DATE on which the actor took a stance on it (an actor who rejected in March and "
      "accepted in May shows R as of April, A as of June)");
  as_of->check(date);
  sub->add_option("--since", options->since, "only articles dated on or after DATE")->check(date);
  sub->add_option("--until", options->until,
                  "only articles dated on or before DATE: the counts up to DATE")
      ->check(date)
      ->excludes(as_of);
  sub->add_option("--format", options->format,
                  "table | jsonl | csv | csv-long | json | md | graphml | events | html "
                  "(docs/output.md); jsonl lists the records behind the matrix")
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
  auto* window = sub->add_option("--window", options->window,
                                 "a series of matrices over windows of LENGTH (7d, 30d, 2w)");
  window->check(days);
  sub->add_option("--step", options->step, "start a window every LENGTH (default: the window length)")
      ->check(days)
      ->needs(window);
  sub->add_option("--title", options->title, "report title (html, md, json)")->capture_default_str();
  sub->add_flag("--no-color", options->no_color, "never colour the table");
  sub->footer(
      "Records of the current version of each article, as `stance run` would count them. Dates "
      "are article dates; with --since, --until or --as-of, undated articles are left out. A "
      "matrix read while an ingest runs shows the batches committed so far.");
  return [options]() { return show_matrix(*options); };
}

}  // namespace stance::cli
