// stance test: runs the `examples:` of every rule file with the pack's engine and reports each
// failure as expected vs got, with the rules that fired. --watch re-runs when a rule file changes.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "stance/engine.hpp"

namespace stance::cli {
namespace {

namespace fs = std::filesystem;

struct TestOptions {
  std::string rules = default_rules_directory().string();
  bool watch = false;
  bool verbose = false;
  std::size_t max_runs = 0;  // --watch only: stop after this many runs (tests); 0 = never
};

struct Tally {
  std::size_t passed = 0, failed = 0, todo = 0, todo_fixed = 0;
};

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string where(const ExampleInfo& example) {
  return example.file + ":" + std::to_string(example.line) + ":" + std::to_string(example.column);
}

// The explain trace's lines that say what fired: cues, issues, statements, and cues that gave nothing.
std::vector<std::string> fired_lines(const Engine& engine, const Article& article) {
  std::vector<std::string> lines;
  std::istringstream trace(engine.explain(article));
  std::string line;
  while (std::getline(trace, line)) {
    const auto text = std::string_view(line);
    if (text.starts_with("  cue") || text.starts_with("  issue") || text.starts_with("  statement") ||
        text.starts_with("  no stance")) {
      lines.push_back(line.substr(2));
    }
  }
  return lines;
}

void list(std::ostream& out, std::string_view label, const std::set<std::string>& triples) {
  out << "  " << label;
  if (triples.empty()) out << "(none)";
  bool first = true;
  for (const auto& t : triples) {
    out << (first ? "" : ", ") << t;
    first = false;
  }
  out << '\n';
}

// Runs every example; prints failures, todo notes and the summary. Returns whether none failed.
bool run_examples(const RulePack& pack, const Engine& engine, bool verbose, std::ostream& out) {
  Tally tally;
  for (const auto& example : pack.examples()) {
    const Article article{"example", example.date, "", "", "", example.text, where(example)};
    const auto records = engine.code(article);
    std::set<std::string> got;
    std::map<std::string, std::string> got_by;  // triple -> rules behind it
    for (const auto& r : records) {
      const std::string triple = r.actor + " " + r.issue + " " + std::string(to_string(r.stance));
      got.insert(triple);
      auto& rules = got_by[triple];
      const std::string cue = r.cue_span.end > r.cue_span.begin
                                  ? " '" + example.text.substr(r.cue_span.begin, r.cue_span.end - r.cue_span.begin) + "'"
                                  : "";
      const std::string item = r.rule + cue;
      if (rules.find(item) == std::string::npos) rules += (rules.empty() ? "" : "; ") + item;
    }
    const std::set<std::string> expected(example.expect.begin(), example.expect.end());
    const bool pass = got == expected;
    if (pass && !example.todo) {
      ++tally.passed;
      if (verbose) out << "ok   " << where(example) << ": " << quoted(example.text) << '\n';
      continue;
    }
    if (pass) {
      ++tally.passed;
      ++tally.todo_fixed;
      out << "todo fixed " << where(example) << ": " << quoted(example.text)
          << " now passes: remove its 'todo: true'\n";
      continue;
    }
    (example.todo ? tally.todo : tally.failed)++;
    out << (example.todo ? "todo " : "FAIL ") << where(example) << ": " << quoted(example.text) << '\n';
    if (!example.note.empty()) out << "  note:     " << example.note << '\n';
    list(out, "expected: ", expected);
    out << "  got:      ";
    if (got.empty()) out << "(none)";
    bool first = true;
    for (const auto& t : got) {
      out << (first ? "" : ", ") << t << " [" << got_by[t] << "]";
      first = false;
    }
    out << '\n';
    std::set<std::string> missing, extra;
    std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(), std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(), std::inserter(extra, extra.end()));
    if (!missing.empty()) list(out, "missing:  ", missing);
    if (!extra.empty()) list(out, "extra:    ", extra);
    const auto fired = fired_lines(engine, article);
    out << "  fired:" << (fired.empty() ? " nothing" : "") << '\n';
    for (const auto& line : fired) out << "    " << line << '\n';
  }
  if (tally.todo || tally.todo_fixed) {
    out << tally.todo << " todo, " << tally.todo_fixed << " todo fixed\n";
  }
  out << tally.passed << " passed, " << tally.failed << " failed\n";
  out.flush();
  return tally.failed == 0;
}

int run_once(const TestOptions& options, std::vector<std::string>& files) {
  auto result = RulePack::load(options.rules);
  for (const auto& d : result.diagnostics) std::cerr << d.format() << '\n';
  files = result.files;
  if (!result.pack) return kExitUsage;
  const Engine engine(result.pack);
  return run_examples(*result.pack, engine, options.verbose, std::cout) ? kExitOk : kExitPartial;
}

// What a change to the pack looks like from outside: every rule file's modification time, and
// the .yaml files of every directory involved (a new file is a change too).
using Snapshot = std::map<std::string, fs::file_time_type>;

Snapshot snapshot(const std::string& rules, const std::vector<std::string>& files) {
  Snapshot out;
  std::set<fs::path> directories{fs::path(rules)};
  for (const auto& f : files) directories.insert(fs::path(f).parent_path());
  std::error_code ec;
  for (const auto& dir : directories) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".yaml") out[entry.path().string()] = entry.last_write_time(ec);
    }
  }
  for (const auto& f : files) out[f] = fs::last_write_time(f, ec);
  return out;
}

int watch(const TestOptions& options) {
  std::vector<std::string> files;
  for (std::size_t runs = 1;; ++runs) {
    const Snapshot before = snapshot(options.rules, files);
    const int code = run_once(options, files);
    if (options.max_runs && runs >= options.max_runs) return code;
    Snapshot seen = snapshot(options.rules, files);
    // A file saved while the examples ran counts as a change, not as the new normal.
    const bool changed_meanwhile = std::any_of(seen.begin(), seen.end(), [&](const auto& entry) {
      auto earlier = before.find(entry.first);
      return earlier != before.end() && earlier->second != entry.second;
    });
    if (!changed_meanwhile) {
      std::cerr << "stance test: watching " << options.rules << " for changes (Ctrl-C to stop)\n";
      while (snapshot(options.rules, files) == seen) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    // Editors write files in several steps: let the change settle before reading it.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::time_t clock = std::time(nullptr);
    char stamp[16];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::localtime(&clock));
    std::cout << "\n--- rules changed, running again (" << stamp << ") ---\n";
  }
}

}  // namespace

Command add_test(CLI::App& app) {
  auto* sub = app.add_subcommand("test", "run the examples of every rule file and report the failures");
  auto o = std::make_shared<TestOptions>();
  sub->add_option("--rules", o->rules, "rule pack directory")->capture_default_str();
  sub->add_flag("--watch", o->watch, "run again whenever a rule file changes");
  sub->add_flag("--list", o->verbose, "also list the examples that pass");
  sub->add_option("--max-runs", o->max_runs, "with --watch: stop after N runs")->group("");
  return [o]() { return o->watch ? watch(*o) : [&] {
    std::vector<std::string> files;
    return run_once(*o, files);
  }(); };
}

}  // namespace stance::cli
