// stance history: the timeline of one actor's stance on an issue, with the evidence.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "stance/store.hpp"

namespace stance::cli {
namespace {

struct HistoryOptions {
  std::string db = kDefaultStorePath;
  std::string actor;
  std::string issue;
  std::string since;
  std::string until;
  std::string format = "text";
};

int show_history(const HistoryOptions& options) {
  const std::unique_ptr<Store> store = open_sqlite_store(options.db, OpenMode::existing);
  RecordQuery query;
  query.actor = options.actor;
  query.issue = options.issue;
  query.since = options.since;
  query.until = options.until;
  std::vector<StanceRecord> records = store->records(query);
  // One timeline per issue: the store's date order, grouped by issue.
  std::stable_sort(records.begin(), records.end(),
                   [](const StanceRecord& a, const StanceRecord& b) { return a.issue < b.issue; });
  if (records.empty()) {
    spdlog::info("no stance of '{}'{} in {}", options.actor,
                 options.issue.empty() ? "" : " on '" + options.issue + "'", options.db);
    return kExitOk;
  }

  // Days on which the actor changed side on an issue, with what it said before.
  const auto timeline = positions(records);
  std::map<std::pair<std::string, std::string>, std::string> shift_note;  // (issue, date) -> note
  for (const auto& [cell, history] : timeline) {
    for (std::size_t i = 1; i < history.size(); ++i) {
      // Sides, as `stance shifts` counts them: demand after accept is no change of mind.
      if (polarity(history[i].stances) == polarity(history[i - 1].stances)) continue;
      shift_note[{cell.second, history[i].date}] =
          std::string(polarity(history[i - 1].stances)) + " -> " +
          std::string(polarity(history[i].stances)) + " (was " +
          stance_set_name(history[i - 1].stances) + " on " + history[i - 1].date + ")";
    }
  }

  if (options.format == "jsonl") {
    for (const StanceRecord& record : records) {
      nlohmann::ordered_json line = stored_record_json(record);
      const auto note = shift_note.find({record.issue, record.date});
      line["shift"] = note != shift_note.end();
      std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    std::cout.flush();
    return kExitOk;
  }

  std::string current_issue;
  std::string previous_day;
  for (const StanceRecord& record : records) {
    if (record.issue != current_issue) {
      if (!current_issue.empty()) std::cout << '\n';
      current_issue = record.issue;
      previous_day.clear();
      std::cout << record.actor << " on " << record.issue << ":\n";
    }
    const std::string day = record.date.empty() ? "undated   " : record.date;
    std::cout << "  " << day << "  " << to_string(record.stance);
    std::cout << std::string(7 - to_string(record.stance).size(), ' ') << "  " << record.article;
    if (!record.source.empty()) std::cout << " (" << record.source << ")";
    std::cout << ", sentence " << record.sentence;
    if (!record.reported_by.empty()) std::cout << ", reported by " << record.reported_by;
    const auto note = shift_note.find({record.issue, record.date});
    if (note != shift_note.end() && day != previous_day) std::cout << "  <- shift: " << note->second;
    std::cout << "\n      " << record.evidence << '\n';
    previous_day = day;
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

nlohmann::ordered_json stored_record_json(const StanceRecord& record) {
  nlohmann::ordered_json object;
  object["date"] = record.date;
  object["source"] = record.source;
  object["article"] = record.article;
  object["sentence"] = record.sentence;
  object["span"] = {record.span.begin, record.span.end};
  object["actor"] = record.actor;
  object["affiliation"] = record.affiliation;
  object["issue"] = record.issue;
  object["stance"] = std::string(to_string(record.stance));
  object["confidence"] = record.confidence;
  object["rule"] = record.rule;
  object["evidence"] = record.evidence;
  if (!record.reported_by.empty()) object["reported_by"] = record.reported_by;
  return object;
}

Command add_history(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "history", "the timeline of an actor's stance on an issue, with the evidence sentences");
  auto options = std::make_shared<HistoryOptions>();
  const auto date = CLI::Validator(
      [](const std::string& text) {
        return is_iso_date(text) ? std::string() : "expected a date YYYY-MM-DD, got '" + text + "'";
      },
      "DATE");
  sub->add_option("--db", options->db, "the store (SQLite)")->capture_default_str();
  sub->add_option("--actor", options->actor, "actor id, as the rule pack names it")->required();
  sub->add_option("--issue", options->issue, "issue id, as the rule pack names it (default: every issue)");
  sub->add_option("--since", options->since, "only articles dated on or after DATE")->check(date);
  sub->add_option("--until", options->until, "only articles dated on or before DATE")->check(date);
  sub->add_option("--format", options->format,
                  "text | jsonl (one record a line; \"shift\": true on a day the actor changed side)")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  sub->footer(
      "Oldest first; records of the current version of each article. A day on which the actor "
      "changed side on the issue (for: demand/accept, against: reject, mixed) is marked as a "
      "shift, as `stance shifts` reports it.");
  return [options]() { return show_history(*options); };
}

}  // namespace stance::cli
