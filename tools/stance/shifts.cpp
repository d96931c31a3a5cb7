// stance shifts: who changed position on what since a date, with the evidence on both sides.
#include <spdlog/spdlog.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "stance/store.hpp"

namespace stance::cli {
namespace {

struct ShiftsOptions {
  std::string db = kDefaultStorePath;
  std::string since;
  std::string until;
  std::string actor;
  std::string issue;
  bool all = false;
  std::string format = "text";
};

nlohmann::ordered_json position_json(const Position& position) {
  nlohmann::ordered_json object;
  object["date"] = position.date;
  object["stance"] = stance_set_name(position.stances);
  object["polarity"] = std::string(polarity(position.stances));
  auto evidence = nlohmann::ordered_json::array();
  for (const StanceRecord& record : position.evidence) evidence.push_back(stored_record_json(record));
  object["evidence"] = std::move(evidence);
  return object;
}

void print_side(const char* label, const Position& position) {
  for (const StanceRecord& record : position.evidence) {
    std::cout << "  " << label << "  " << record.date << "  " << to_string(record.stance)
              << std::string(7 - to_string(record.stance).size(), ' ') << "  " << record.article;
    if (!record.source.empty()) std::cout << " (" << record.source << ")";
    std::cout << ", sentence " << record.sentence;
    if (!record.reported_by.empty()) std::cout << ", reported by " << record.reported_by;
    std::cout << "\n      " << record.evidence << '\n';
  }
}

int show_shifts(const ShiftsOptions& options) {
  const std::unique_ptr<Store> store = open_sqlite_store(options.db, OpenMode::existing);
  // Everything up to --until: the position before --since comes from older records. Undated
  // records have no place in time; position_changes skips them.
  RecordQuery query;
  query.until = options.until;
  query.actor = options.actor;
  query.issue = options.issue;
  const auto changes = position_changes(store->records(query), options.since, options.all);

  if (options.format == "jsonl") {
    for (const PositionChange& change : changes) {
      nlohmann::ordered_json line;
      line["actor"] = change.actor;
      line["issue"] = change.issue;
      line["before"] = position_json(change.before);
      line["after"] = position_json(change.after);
      std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    std::cout.flush();
    return kExitOk;
  }

  std::cout << changes.size() << " shift(s) since " << options.since
            << (options.until.empty() ? "" : " up to " + options.until) << " in " << options.db
            << (options.all ? "" : " (changes of side: for, against, mixed)") << '\n';
  for (const PositionChange& change : changes) {
    std::cout << '\n'
              << change.actor << " on " << change.issue << ": "
              << stance_set_name(change.before.stances) << " (" << change.before.date << ") -> "
              << stance_set_name(change.after.stances) << " (" << change.after.date << ")\n";
    print_side("before", change.before);
    print_side("after ", change.after);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

Command add_shifts(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "shifts", "who changed position on what since a date, with the evidence before and after");
  auto options = std::make_shared<ShiftsOptions>();
  const auto date = CLI::Validator(
      [](const std::string& text) {
        return is_iso_date(text) ? std::string() : "expected a date YYYY-MM-DD, got '" + text + "'";
      },
      "DATE");
  sub->add_option("--db", options->db, "the store (SQLite)")->capture_default_str();
  sub->add_option("--since", options->since,
                  "report changes whose new position is dated on or after DATE (the position "
                  "before may be older)")
      ->check(date)
      ->required();
  sub->add_option("--until", options->until, "ignore articles dated after DATE")->check(date);
  sub->add_option("--actor", options->actor, "only this actor");
  sub->add_option("--issue", options->issue, "only this issue");
  sub->add_flag("--all", options->all,
                "any change of the stances stated (demand -> accept too), not only a change of "
                "side (for: demand/accept, against: reject, mixed)");
  sub->add_option("--format", options->format, "text | jsonl (one shift a line)")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  sub->footer(
      "A position is what an actor said on an issue on one day (several stances when reports "
      "differ). Each change between consecutive positions is a shift; undated articles are left "
      "out.");
  return [options]() { return show_shifts(*options); };
}

}  // namespace stance::cli
