// stance recode: re-run the stored articles through a (changed) rule pack and report what the
// change does to the whole archive: cells gained, lost, flipped (docs/store.md, "Re-coding").
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "stance/engine.hpp"
#include "stance/store.hpp"

namespace stance::cli {
namespace {

struct RecodeOptions {
  std::string db = kDefaultStorePath;
  std::string rules = default_rules_directory().string();
  bool dry_run = false;
  bool all = false;
  std::size_t batch = 100;
  unsigned jobs = 0;
  std::string format = "text";
  bool no_progress = false;
};

// "D2 A1", or "·" for an empty cell, as in the matrix table.
std::string cell_text(const StanceCounts& counts) {
  static constexpr char kGlyphs[kStanceCount] = {'D', 'A', 'R'};
  std::string text;
  for (std::size_t i = 0; i < kStanceCount; ++i) {
    if (counts[i] == 0) continue;
    if (!text.empty()) text += ' ';
    text += kGlyphs[i] + std::to_string(counts[i]);
  }
  return text.empty() ? "\u00b7" : text;
}

nlohmann::ordered_json counts_json(const StanceCounts& counts) {
  nlohmann::ordered_json object;
  for (std::size_t i = 0; i < kStanceCount; ++i) {
    object[std::string(to_string(static_cast<Stance>(i)))] = counts[i];
  }
  return object;
}

struct Context {
  const RecodeOptions& options;
  const RulePack& pack;
  const StoreSummary& before;  // the store before the recode
};

void print_text(const CodingDiff& diff, const Context& context) {
  std::cout << "recode: " << diff.articles << " article(s) in " << context.options.db
            << " re-coded with rules " << context.pack.id() << " (" << context.pack.fingerprint()
            << ")\n";
  std::cout << "  coded before with:";
  for (const auto& [fingerprint, articles] : context.before.codings) {
    std::cout << ' ' << fingerprint << " (" << articles << " article(s))";
  }
  std::cout << "\nrecords: " << diff.records_before << " -> " << diff.records_after << " ("
            << diff.records_added << " added, " << diff.records_removed << " removed, "
            << diff.records_altered << " altered) in " << diff.articles_changed
            << " changed article(s)\n";
  std::cout << "cells: " << diff.count(CellChangeKind::gained) << " gained, "
            << diff.count(CellChangeKind::lost) << " lost, " << diff.count(CellChangeKind::flipped)
            << " flipped, " << diff.count(CellChangeKind::recounted) << " recounted\n";
  for (const CellChange& cell : diff.cells) {
    const std::string_view kind = to_string(cell.kind);
    std::cout << '\n'
              << kind << std::string(10 - kind.size(), ' ') << cell.actor << " on " << cell.issue
              << ": " << cell_text(cell.before) << " -> " << cell_text(cell.after) << '\n';
    auto print = [](char sign, const StanceRecord& record) {
      std::cout << "  " << sign << ' ' << to_string(record.stance)
                << std::string(7 - to_string(record.stance).size(), ' ') << "  " << record.article
                << (record.date.empty() ? "" : " (" + record.date + ")") << ", sentence "
                << record.sentence << ", rule " << record.rule << "\n      " << record.evidence
                << '\n';
    };
    for (const StanceRecord& record : cell.removed) print('-', record);
    for (const StanceRecord& record : cell.added) print('+', record);
  }
  std::cout << '\n';
  if (context.options.dry_run) {
    std::cout << "dry run: nothing written; run without --dry-run to apply\n";
  } else {
    std::cout << "applied: " << diff.articles << " article(s) now coded with "
              << context.pack.fingerprint() << '\n';
  }
}

void print_json(const CodingDiff& diff, const Context& context) {
  nlohmann::ordered_json document;
  document["store"] = context.options.db;
  document["rules"] = {{"id", context.pack.id()}, {"fingerprint", context.pack.fingerprint()}};
  auto before = nlohmann::ordered_json::array();
  for (const auto& [fingerprint, articles] : context.before.codings) {
    before.push_back({{"fingerprint", fingerprint}, {"articles", articles}});
  }
  document["coded_before_with"] = std::move(before);
  document["applied"] = !context.options.dry_run;
  document["articles"] = diff.articles;
  document["articles_changed"] = diff.articles_changed;
  document["records"] = {{"before", diff.records_before}, {"after", diff.records_after},
                         {"added", diff.records_added},   {"removed", diff.records_removed},
                         {"altered", diff.records_altered}};
  nlohmann::ordered_json summary;
  for (const CellChangeKind kind : {CellChangeKind::gained, CellChangeKind::lost,
                                    CellChangeKind::flipped, CellChangeKind::recounted}) {
    summary[std::string(to_string(kind))] = diff.count(kind);
  }
  document["cells"] = std::move(summary);
  auto changes = nlohmann::ordered_json::array();
  for (const CellChange& cell : diff.cells) {
    nlohmann::ordered_json change;
    change["actor"] = cell.actor;
    change["issue"] = cell.issue;
    change["change"] = std::string(to_string(cell.kind));
    change["before"] = counts_json(cell.before);
    change["after"] = counts_json(cell.after);
    auto removed = nlohmann::ordered_json::array();
    for (const StanceRecord& record : cell.removed) removed.push_back(stored_record_json(record));
    auto added = nlohmann::ordered_json::array();
    for (const StanceRecord& record : cell.added) added.push_back(stored_record_json(record));
    change["removed"] = std::move(removed);
    change["added"] = std::move(added);
    changes.push_back(std::move(change));
  }
  document["changes"] = std::move(changes);
  std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int recode(const RecodeOptions& options) {
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;
  const Engine engine(pack);
  const std::unique_ptr<Store> store = open_sqlite_store(options.db, OpenMode::existing);

  // A dry run reads one snapshot throughout, so its report describes one state of the archive.
  std::unique_ptr<ReadSnapshot> snapshot;
  if (options.dry_run) snapshot = store->read_snapshot();
  const StoreSummary before = store->summary();
  const std::vector<std::int64_t> keys =
      store->articles_to_recode(options.all ? std::string_view() : pack->fingerprint());
  if (keys.empty()) {
    const Context context{options, *pack, before};
    if (options.format == "json") {
      print_json(CodingDiff{}, context);
    } else {
      std::cout << "nothing to recode: all " << before.articles << " article(s) in " << options.db
                << " are coded with rules " << pack->id() << " (" << pack->fingerprint()
                << "); --all re-codes them anyway\n";
    }
    return kExitOk;
  }

  CodingDiffBuilder diff(store->cell_counts());
  std::int64_t run = 0;
  if (!options.dry_run) {
    RunInfo info;
    info.kind = RunKind::recode;
    info.rules_id = pack->id();
    info.rules_fingerprint = pack->fingerprint();
    // Absolute, so the run names the pack whatever folder later commands run in.
  info.rules_directory = std::filesystem::absolute(options.rules).lexically_normal().string();
    for (const IssueInfo& issue : pack->issues()) info.issue_order.push_back(issue.id);
    info.arguments = "recode --db " + options.db + " --rules " + options.rules +
                     (options.all ? " --all" : "");
    run = store->begin_run(info);
  }

  const bool show_progress = !options.no_progress && isatty(STDERR_FILENO) &&
                             spdlog::get_level() <= spdlog::level::info;
  ProgressLine progress(options.dry_run ? "recode (dry run)" : "recode", show_progress, keys.size());
  for (std::size_t start = 0; start < keys.size(); start += options.batch) {
    const auto chunk = std::span(keys).subspan(start, std::min(options.batch, keys.size() - start));
    std::vector<StoredArticle> stored = store->load_articles(chunk);
    std::vector<const Article*> articles;
    for (const StoredArticle& article : stored) articles.push_back(&article.article);
    auto codings = code_in_parallel(engine, articles, options.jobs);

    std::vector<Recoding> recodings;
    for (std::size_t i = 0; i < stored.size(); ++i) {
      diff.add(stored[i].records, codings[i]);
      recodings.push_back({stored[i].version.key, std::move(codings[i])});
    }
    if (!options.dry_run) store->replace_codings(run, pack->fingerprint(), recodings);
    progress.advance(chunk.size());
  }
  progress.clear();
  if (!options.dry_run) store->finish_run(run, {});

  const Context context{options, *pack, before};
  const CodingDiff result = diff.finish();
  if (options.format == "json") {
    print_json(result, context);
  } else {
    print_text(result, context);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

Command add_recode(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "recode", "re-code the stored articles with changed rules and report what changes");
  auto options = std::make_shared<RecodeOptions>();
  sub->add_option("--db", options->db, "the store (SQLite)")->capture_default_str();
  sub->add_option("--rules", options->rules, "rule pack directory")->capture_default_str();
  sub->add_flag("--dry-run", options->dry_run,
                "report what would change and write nothing (review a rule edit before accepting "
                "it)");
  sub->add_flag("--all", options->all,
                "re-code every article, not only those coded with other rules (e.g. after an "
                "engine upgrade)");
  sub->add_option("--format", options->format, "text | json (the report)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("--batch", options->batch, "articles per transaction")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  sub->add_option("--jobs", options->jobs, "coding threads (0: one per core)")
      ->capture_default_str();
  sub->add_flag("--no-progress", options->no_progress, "never show progress");
  sub->footer(
      "The report lists cells gained, lost and flipped with the evidence; the new coding is "
      "applied unless --dry-run. Only articles coded with rules other than --rules are re-coded "
      "(all with --all); each "
      "batch is one transaction, so an interrupted recode resumes where it stopped. A cell is an "
      "(actor, issue) pair over the whole archive: gained = was empty, lost = now empty, flipped "
      "= its set of stances changed, recounted = same stances, other counts.");
  return [options]() { return recode(*options); };
}

}  // namespace stance::cli
