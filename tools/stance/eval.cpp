// stance eval: code gold passages with a pack and print precision, recall and F1 against the
// hand-coded triples (docs/eval.md).
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "stance/eval.hpp"

namespace stance::cli {
namespace {

struct EvalOptions {
  std::vector<std::string> gold;
  std::string rules = default_rules_directory().string();
  std::string format = "table";
  bool show = false;
  std::optional<double> min_f1;
};

std::string fixed(double value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

std::string stance_name(std::size_t index) {
  return index == kNoStance ? "none" : std::string(to_string(static_cast<Stance>(index)));
}

// Issues in the pack's order, then those only the gold names (they can never be found).
std::vector<std::string> issue_order(const RulePack& pack, const EvalResult& result) {
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (const auto& issue : pack.issues()) {
    if (result.strict.by_issue.contains(issue.id) || result.affiliation.by_issue.contains(issue.id)) {
      order.push_back(issue.id);
      seen.insert(issue.id);
    }
  }
  for (const auto& [issue, counts] : result.strict.by_issue) {
    if (!seen.contains(issue)) order.push_back(issue);
  }
  return order;
}

Counts counts_or_zero(const std::map<std::string, Counts>& by_issue, const std::string& issue) {
  const auto found = by_issue.find(issue);
  return found == by_issue.end() ? Counts{} : found->second;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

std::string score_cells(const Counts& c) {
  return pad_left(std::to_string(c.tp), 5) + pad_left(std::to_string(c.fp), 5) +
         pad_left(std::to_string(c.fn), 5) + pad_left(fixed(c.precision()), 7) +
         pad_left(fixed(c.recall()), 7) + pad_left(fixed(c.f1()), 7);
}

void write_errors(std::ostream& out, const EvalResult& result) {
  out << "false positives and false negatives (strict), in passage order:\n";
  if (result.errors.empty()) out << "  none\n";
  for (const auto& e : result.errors) {
    const bool fp = e.kind == EvalError::Kind::false_positive;
    out << (fp ? "FP  " : "FN  ") << e.passage << "  " << e.actor << ' ' << e.issue << ' '
        << to_string(e.stance);
    if (fp) {
      out << "  rule " << e.rule << ", sentence " << e.sentence_number;
    } else if (!e.found_stance.empty()) {
      out << "  found " << e.found_stance << " instead (rule " << e.rule << ")";
    }
    out << "\n      " << (e.sentence.empty() ? "(no evidence in the gold)" : e.sentence) << '\n';
    if (!e.note.empty()) out << "      note: " << e.note << '\n';
  }
  out << '\n';
}

void write_table(std::ostream& out, const RulePack& pack, const EvalResult& r) {
  out << "stance eval: " << r.passages << " passage(s), rules " << pack.id() << "\n";
  out << "gold " << r.gold_triples << " triple(s) (+" << r.optional_triples << " optional); found "
      << r.found_triples << " triple(s), " << r.optional_found << " of them optional\n\n";

  constexpr std::size_t label_width = 28;
  const std::string header = "   tp   fp   fn   prec    rec     f1";
  out << pad("", label_width) << pad("strict (actor ids)", header.size()) << "   affiliation (rolled up)\n";
  out << pad("", label_width) << header << "  " << header << '\n';
  auto row = [&](const std::string& label, const Counts& strict, const Counts& rolled) {
    out << pad(label, label_width) << score_cells(strict) << "  " << score_cells(rolled) << '\n';
  };
  row("overall", r.strict.overall, r.affiliation.overall);
  out << "by issue\n";
  for (const auto& issue : issue_order(pack, r)) {
    row("  " + issue, counts_or_zero(r.strict.by_issue, issue), counts_or_zero(r.affiliation.by_issue, issue));
  }
  out << "by stance\n";
  for (std::size_t s = 0; s < kStanceCount; ++s) {
    row("  " + stance_name(s), r.strict.by_stance[s], r.affiliation.by_stance[s]);
  }

  out << "\nstance confusion (strict; rows gold, columns found; same passage, actor and issue)\n";
  out << pad("gold \\ found", 14);
  for (std::size_t column = 0; column <= kNoStance; ++column) out << pad_left(stance_name(column), 8);
  out << '\n';
  for (std::size_t row_index = 0; row_index <= kNoStance; ++row_index) {
    out << pad(stance_name(row_index), 14);
    for (std::size_t column = 0; column <= kNoStance; ++column) {
      // none/none is not a thing that can be counted.
      const bool impossible = row_index == kNoStance && column == kNoStance;
      out << pad_left(impossible ? "-" : std::to_string(r.confusion[row_index][column]), 8);
    }
    out << '\n';
  }
}

nlohmann::ordered_json counts_json(const Counts& c) {
  return {{"tp", c.tp},
          {"fp", c.fp},
          {"fn", c.fn},
          {"precision", c.precision()},
          {"recall", c.recall()},
          {"f1", c.f1()}};
}

nlohmann::ordered_json level_json(const RulePack& pack, const EvalResult& r, const LevelScores& level) {
  nlohmann::ordered_json out;
  out["overall"] = counts_json(level.overall);
  nlohmann::ordered_json issues = nlohmann::ordered_json::object();
  for (const auto& issue : issue_order(pack, r)) issues[issue] = counts_json(counts_or_zero(level.by_issue, issue));
  out["by_issue"] = issues;
  nlohmann::ordered_json stances = nlohmann::ordered_json::object();
  for (std::size_t s = 0; s < kStanceCount; ++s) stances[stance_name(s)] = counts_json(level.by_stance[s]);
  out["by_stance"] = stances;
  return out;
}

void write_json(std::ostream& out, const RulePack& pack, const EvalResult& r) {
  nlohmann::ordered_json doc;
  doc["rules"] = pack.id();
  doc["passages"] = r.passages;
  doc["gold_triples"] = r.gold_triples;
  doc["optional_triples"] = r.optional_triples;
  doc["found_triples"] = r.found_triples;
  doc["optional_found"] = r.optional_found;
  doc["strict"] = level_json(pack, r, r.strict);
  doc["affiliation"] = level_json(pack, r, r.affiliation);
  nlohmann::ordered_json confusion = nlohmann::ordered_json::object();
  for (std::size_t row = 0; row <= kNoStance; ++row) {
    nlohmann::ordered_json columns = nlohmann::ordered_json::object();
    for (std::size_t column = 0; column <= kNoStance; ++column) {
      if (row == kNoStance && column == kNoStance) continue;
      columns[stance_name(column)] = r.confusion[row][column];
    }
    confusion[stance_name(row)] = columns;
  }
  doc["confusion"] = confusion;
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const auto& e : r.errors) {
    nlohmann::ordered_json item;
    item["kind"] = e.kind == EvalError::Kind::false_positive ? "fp" : "fn";
    item["passage"] = e.passage;
    item["actor"] = e.actor;
    item["issue"] = e.issue;
    item["stance"] = to_string(e.stance);
    item["sentence"] = e.sentence;
    if (e.sentence_number > 0) item["sentence_number"] = e.sentence_number;
    item["rule"] = e.rule;
    if (!e.found_stance.empty()) item["found_stance"] = e.found_stance;
    if (!e.note.empty()) item["note"] = e.note;
    errors.push_back(std::move(item));
  }
  doc["errors"] = errors;
  doc["unknown_actors"] = r.unknown_actors;
  doc["unknown_issues"] = r.unknown_issues;
  out << doc.dump(2) << '\n';
}

int eval(const EvalOptions& options) {
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;

  const GoldReadResult gold = read_gold(options.gold);
  for (const auto& error : gold.errors) spdlog::error("{}", error.format());
  if (gold.passages.empty()) {
    spdlog::error("no gold passages to evaluate");
    return kExitUsage;
  }

  const Engine engine(pack);
  const EvalResult result = evaluate(engine, gold.passages);
  for (const auto& actor : result.unknown_actors) {
    spdlog::warn("gold actor '{}' is not an actor of pack {}: its triples can never be found", actor, pack->id());
  }
  for (const auto& issue : result.unknown_issues) {
    spdlog::warn("gold issue '{}' is not an issue of pack {}: its triples can never be found", issue, pack->id());
  }

  if (options.format == "json") {
    write_json(std::cout, *pack, result);
  } else {
    if (options.show) write_errors(std::cout, result);
    write_table(std::cout, *pack, result);
  }
  std::cout.flush();

  int exit_code = kExitOk;
  if (!gold.errors.empty()) {
    spdlog::warn("{} gold input(s) skipped, {} passage(s) evaluated", gold.errors.size(), result.passages);
    exit_code = kExitPartial;
  }
  if (options.min_f1 && result.strict.overall.f1() < *options.min_f1) {
    spdlog::error("strict F1 {} is below the floor --min-f1 {}", fixed(result.strict.overall.f1()),
                  fixed(*options.min_f1));
    exit_code = kExitPartial;
  }
  return exit_code;
}

}  // namespace

Command add_eval(CLI::App& app) {
  auto* sub = app.add_subcommand("eval", "score a rule pack against hand-coded gold passages");
  auto options = std::make_shared<EvalOptions>();
  sub->add_option("--gold", options->gold,
                  "gold files (JSON Lines, *.gold.json) or directories of *.gold.json files")
      ->required()
      ->expected(1, -1);
  sub->add_option("--rules", options->rules, "rule pack directory")->capture_default_str();
  sub->add_option("--format", options->format, "table | json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  sub->add_flag("--show", options->show, "list every false positive and false negative (table format)");
  sub->add_option("--min-f1", options->min_f1, "exit 1 when the strict F1 is below this floor")
      ->check(CLI::Range(0.0, 1.0));
  return [options]() { return eval(*options); };
}

}  // namespace stance::cli
