// stance run: code articles and print the stance matrix (or the records) in one of the report
// formats of docs/output.md, with filters, duplicate handling and time windows; on several
// threads with output in input order, streaming, or as a mergeable partial state (docs/scale.md).
// With --unknown, also the stances on objects no issue names (unknown_objects.hpp).
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <span>
#include <sstream>

#include "commands.hpp"
#include "input_options.hpp"
#include "matrix_state.hpp"
#include "ordered_coder.hpp"
#include "report/json_record.hpp"
#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/matrix.hpp"
#include "stance/report.hpp"
#include "unknown_objects.hpp"

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
  bool format_given = false;  // --format on the command line (not the default)
  unsigned jobs = 0;           // 0: one per core
  std::string emit = "report";
  bool unknown = false;        // also the stances on objects no issue names
  std::size_t unknown_top = 20;  // rows of the unknown-object table (0: all)
  InputOptions input;
  std::vector<std::string> paths;
};

// What a run keeps while articles stream through: only what its output needs.
enum class Sink {
  jsonl,    // nothing: each article's records are written as soon as its turn comes
  matrix,   // the matrix state (table, csv, csv-long, --emit partial): bounded by the matrix
  records,  // every record (json, md, graphml, html, events show each one)
};

// The json report with two more members: "unknown_records" (the "?" records: the jsonl fields,
// "object", then reported_by, date, source and cue_span as in "records") and "unknown_objects"
// (the table's rows, all of them). Added to the engine's document rather than written beside it,
// so that the rest of the report stays byte for byte what it is without --unknown.
void write_json_with_unknown(std::ostream& out, const Analysis& analysis, const ReportContext& context,
                             const std::vector<StanceRecord>& unknown_records, const UnknownObjects& unknown) {
  report_internal::write_json_open(out, analysis, context);
  auto records = nlohmann::ordered_json::array();
  for (const StanceRecord& record : unknown_records) {
    // Through write_jsonl, so these records have exactly the jsonl shape.
    std::ostringstream line;
    write_jsonl(line, std::span<const StanceRecord>(&record, 1));
    auto json = nlohmann::ordered_json::parse(std::move(line).str());
    if (!record.reported_by.empty()) json["reported_by"] = record.reported_by;
    json["date"] = record.date;
    json["source"] = record.source;
    json["cue_span"] = nlohmann::ordered_json::array({record.cue_span.begin, record.cue_span.end});
    records.push_back(std::move(json));
  }
  report_internal::write_json_member(out, "unknown_records", records);
  report_internal::write_json_member(out, "unknown_objects", unknown.to_json());
  out << "\n}\n";
}

int run(const RunOptions& options) {
  const bool partial = options.emit == "partial";
  if (partial && (!options.window.empty() || !options.step.empty() || options.by != "actor" ||
                  options.min_count > 0 || options.format_given)) {
    spdlog::error("--emit partial writes the whole matrix state: give --format, --by, --min-count, "
                  "--window and --step to stance merge");
    return kExitUsage;
  }
  if (options.unknown && (partial || (options.format != "table" && options.format != "jsonl" &&
                                       options.format != "json"))) {
    spdlog::error("--unknown works with --format table, jsonl or json (a partial state, csv, md, graphml, "
                  "events and html have no place for objects that are not issues)");
    return kExitUsage;
  }
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;
  Engine::Options engine_options;
  engine_options.unknown_objects = options.unknown;
  const Engine engine(pack, engine_options);

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

  const auto target = OutputTarget::open(options.output);
  if (!target) return kExitUsage;
  std::ostream& out = target->stream();

  const Sink sink = options.format == "jsonl" && !partial                 ? Sink::jsonl
                    : partial || is_matrix_format(options.format)         ? Sink::matrix
                                                                          : Sink::records;
  MatrixState state({pack->id(), pack->fingerprint(), analysis_options.count, analysis_options.filter,
                     analysis_options.issue_order});
  std::vector<StanceRecord> records;
  // With --unknown: the "?" records, kept out of the matrix (for json, the records themselves too).
  UnknownObjects unknown(engine, analysis_options.rows);
  std::vector<StanceRecord> unknown_records;
  std::size_t articles = 0, skipped = 0;

  const RecordFilter& filter = analysis_options.filter;
  OrderedCoder coder(
      options.jobs,
      [&](const Article& article, Engine::Workspace& workspace) {
        CodedResult result;
        result.records = engine.code(article, workspace);
        std::erase_if(result.records, [&](const StanceRecord& record) { return !filter.keeps(record); });
        if (sink == Sink::jsonl) {
          // Straight into the result's string (what write_jsonl writes): a stream per article
          // cost more than the formatting.
          report_internal::append_jsonl(result.text, result.records);
          result.records.clear();
        }
        return result;
      },
      [&](Article&&, CodedResult&& result) {
        if (options.unknown && sink != Sink::jsonl) {
          // Records are in text order; the unknown ones go to their own table, never into a cell.
          const auto first_unknown = std::stable_partition(result.records.begin(), result.records.end(),
                                                           [](const StanceRecord& r) { return !is_unknown_object(r); });
          for (auto it = first_unknown; it != result.records.end(); ++it) {
            unknown.add(*it);
            if (sink == Sink::records) unknown_records.push_back(std::move(*it));
          }
          result.records.erase(first_unknown, result.records.end());
        }
        switch (sink) {
          case Sink::jsonl: out << result.text; break;
          case Sink::matrix: state.add_article(result.records); break;
          case Sink::records:
            records.insert(records.end(), std::make_move_iterator(result.records.begin()),
                           std::make_move_iterator(result.records.end()));
            break;
        }
      });
  read_articles(
      options.paths, std::cin, read_options(options.input),
      [&](Article&& article) {
        ++articles;
        coder.submit(std::move(article));
      },
      [&](const InputError& error) {
        ++skipped;
        spdlog::error("{}", error.format());
      });
  coder.finish();

  if (partial) {
    state.write(out);
  } else if (sink == Sink::matrix) {
    if (state.undated_records() > 0 && analysis_options.window.length_days > 0) {
      spdlog::warn("{} record(s) without a date are in the totals but in no window", state.undated_records());
    }
    const ViewOptions view{analysis_options.rows, analysis_options.min_count, analysis_options.window};
    write_matrix_report(out, options.format, state, view,
                        table_options_for(!options.output.empty(), options.no_color, analysis_options.rows));
    if (options.unknown) {
      out << '\n';
      unknown.write_table(out, options.unknown_top);
    }
  } else if (sink == Sink::records) {
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

    if (options.format == "events") {
      write_events_csv(out, analysis);
    } else if (options.format == "json" && options.unknown) {
      write_json_with_unknown(out, analysis, context, unknown_records, unknown);
    } else if (options.format == "json") {
      write_json(out, analysis, context);
    } else if (options.format == "md") {
      write_markdown(out, analysis, context);
    } else if (options.format == "graphml") {
      write_graphml(out, analysis, context);
    } else {
      write_html(out, analysis, context);
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
  auto* format = sub->add_option("--format", options->format,
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
  sub->add_option("-j,--jobs", options->jobs,
                  "code on N threads (0: one per core); the output is the same for any N")
      ->default_str("0");
  sub->add_option("--emit", options->emit,
                  "report: the chosen --format; partial: the matrix state, for stance merge "
                  "(docs/scale.md)")
      ->check(CLI::IsMember({"report", "partial"}))
      ->capture_default_str();
  auto* unknown = sub->add_flag("--unknown", options->unknown,
                "also the stances on objects no issue of the pack names (issue \"?\"): records in "
                "jsonl and json, a table of the most frequent objects after the matrix");
  sub->add_option("--unknown-top", options->unknown_top,
                  "rows of that table, most frequent objects first (0: all)")
      ->needs(unknown)
      ->capture_default_str();
  add_input_options(*sub, options->input);
  sub->add_option("paths", options->paths,
                  ".txt/.md/.jsonl files, directories, or - for JSONL on stdin")
      ->required();
  return [options, format]() {
    options->format_given = format->count() > 0;
    return run(*options);
  };
}

}  // namespace stance::cli
