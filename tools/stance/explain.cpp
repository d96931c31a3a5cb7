// stance explain: how a text or one sentence of a file was coded, step by step; with --near, the
// rules that almost fired; with --actor and --issue, every record behind one cell of the matrix.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.hpp"
#include "stance/engine.hpp"

namespace stance::cli {
namespace {

struct ExplainOptions {
  std::string rules = default_rules_directory().string();
  std::vector<std::string> args;  // TEXT words, or PATHS in cell mode
  std::string file;
  std::size_t sentence = 0;
  bool near = false;
  std::string actor, issue, stance;
};

void print_near(std::ostream& out, const std::vector<NearMiss>& misses, std::size_t sentence) {
  for (const auto& m : misses) {
    if (m.sentence != sentence) continue;
    out << "  near     '" << m.words << "' -> " << m.rule << " if '" << m.token << "' "
        << (m.dropped ? "were left out" : "were another word") << "  (" << m.file << ":" << m.line << " \""
        << m.pattern << "\")\n";
  }
}

int explain_text(const ExplainOptions& o, const Engine& engine) {
  std::vector<Article> articles;
  if (!o.file.empty()) {
    std::istringstream none;
    bool failed = false;
    read_articles({o.file}, none, [&](Article&& a) { articles.push_back(std::move(a)); },
                  [&](const InputError& e) { std::cerr << "stance: error: " << e.format() << '\n'; failed = true; });
    if (failed && articles.empty()) return kExitPartial;
  } else if (!o.args.empty()) {
    std::string text;
    for (const auto& word : o.args) text += (text.empty() ? "" : " ") + word;
    articles.push_back({"text", "", "", "", "", text, "argument"});
  } else {
    std::cerr << "stance: error: explain needs a TEXT, --file PATH, or --actor A --issue I PATHS...\n";
    return kExitUsage;
  }
  for (const auto& a : articles) {
    if (!o.near) {
      std::cout << engine.explain(a, o.sentence);
      continue;
    }
    const auto misses = engine.pack().near_misses(a, o.sentence);
    // Sentence by sentence, so that each sentence's near misses follow its trace.
    for (std::size_t s = o.sentence ? o.sentence : 1;; ++s) {
      std::string trace = engine.explain(a, s);
      if (trace.empty()) break;
      if (trace.ends_with("\n\n")) trace.pop_back();
      std::cout << trace;
      print_near(std::cout, misses, s);
      std::cout << '\n';
      if (o.sentence) break;
    }
  }
  return kExitOk;
}

struct CellRecord {
  StanceRecord record;
  std::string title;
};

// The records behind one cell of the matrix, newest article first.
int explain_cell(const ExplainOptions& o, const Engine& engine) {
  const RulePack& pack = engine.pack();
  if (o.actor.empty() || o.issue.empty()) {
    std::cerr << "stance: error: cell mode needs both --actor and --issue\n";
    return kExitUsage;
  }
  if (!pack.find_actor(o.actor)) {
    std::cerr << "stance: error: '" << o.actor << "' is not an actor of rule pack " << pack.id() << '\n';
    return kExitUsage;
  }
  if (!pack.find_issue(o.issue)) {
    std::cerr << "stance: error: '" << o.issue << "' is not an issue of rule pack " << pack.id() << '\n';
    return kExitUsage;
  }
  if (o.args.empty()) {
    std::cerr << "stance: error: cell mode needs the PATHS of the articles to code\n";
    return kExitUsage;
  }
  std::vector<CellRecord> found;
  std::size_t articles = 0, skipped = 0;
  read_articles(
      o.args, std::cin,
      [&](Article&& article) {
        ++articles;
        for (auto& r : engine.code(article)) {
          if (r.actor != o.actor || r.issue != o.issue) continue;
          if (!o.stance.empty() && to_string(r.stance) != o.stance) continue;
          found.push_back({std::move(r), article.title});
        }
      },
      [&](const InputError& e) {
        ++skipped;
        std::cerr << "stance: error: " << e.format() << '\n';
      });
  // Newest first; undated articles last; within an article, text order.
  std::stable_sort(found.begin(), found.end(), [](const CellRecord& a, const CellRecord& b) {
    if (a.record.date != b.record.date) {
      if (a.record.date.empty() || b.record.date.empty()) return b.record.date.empty();
      return a.record.date > b.record.date;
    }
    if (a.record.article != b.record.article) return a.record.article < b.record.article;
    return a.record.sentence < b.record.sentence;
  });
  std::cout << o.actor << " on " << o.issue << (o.stance.empty() ? "" : " (" + o.stance + ")") << ": "
            << found.size() << " record(s) in " << articles << " article(s), newest first\n";
  for (const auto& [r, title] : found) {
    std::cout << "\n" << (r.date.empty() ? "(no date)" : r.date) << "  " << r.article;
    if (!title.empty()) std::cout << "  \"" << title << "\"";
    std::cout << "\n  sentence " << r.sentence << ", bytes [" << r.span.begin << ", " << r.span.end << ")  "
              << to_string(r.stance) << "  rule " << r.rule << "  confidence " << r.confidence;
    if (!r.reported_by.empty()) std::cout << "  reported by " << r.reported_by;
    std::cout << "\n  evidence: " << r.evidence << '\n';
  }
  return skipped ? kExitPartial : kExitOk;
}

}  // namespace

Command add_explain(CLI::App& app) {
  auto* sub = app.add_subcommand("explain", "show tokens, mentions, statements and rules for a text");
  auto o = std::make_shared<ExplainOptions>();
  sub->add_option("--rules", o->rules, "rule pack directory")->capture_default_str();
  sub->add_option("text", o->args, "the text to explain; with --actor/--issue: article PATHS");
  sub->add_option("--file", o->file, "explain an article file (.txt/.md/.jsonl: the first article)");
  sub->add_option("--sentence", o->sentence, "only this sentence (1-based)");
  sub->add_flag("--near", o->near, "also list rules that almost matched (one token changed or left out)");
  sub->add_option("--actor", o->actor, "cell mode: the records of this actor ...");
  sub->add_option("--issue", o->issue, "... on this issue, in the articles at PATHS, newest first");
  sub->add_option("--stance", o->stance, "cell mode: only this stance")->check(CLI::IsMember({"demand", "accept", "reject"}));
  return [o]() {
    auto pack = load_pack_or_report(o->rules);
    if (!pack) return kExitUsage;
    const Engine engine(pack);
    if (!o->actor.empty() || !o->issue.empty()) return explain_cell(*o, engine);
    return explain_text(*o, engine);
  };
}

}  // namespace stance::cli
