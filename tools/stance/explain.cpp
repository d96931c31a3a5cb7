// stance explain: how a text or one sentence of a file was coded, step by step.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "stance/engine.hpp"

namespace stance::cli {

Command add_explain(CLI::App& app) {
  auto* sub = app.add_subcommand("explain", "show tokens, mentions, statements and rules for a text");
  struct Options {
    std::string rules = default_rules_directory().string();
    std::string text, file;
    std::size_t sentence = 0;
  };
  auto o = std::make_shared<Options>();
  sub->add_option("--rules", o->rules, "rule pack directory")->capture_default_str();
  sub->add_option("text", o->text, "the text to explain");
  sub->add_option("--file", o->file, "explain an article file (.txt/.md/.jsonl: the first article)");
  sub->add_option("--sentence", o->sentence, "only this sentence (1-based)");
  return [o]() {
    auto pack = load_pack_or_report(o->rules);
    if (!pack) return kExitUsage;
    Engine engine(pack);
    std::vector<Article> articles;
    if (!o->file.empty()) {
      std::istringstream none;
      bool failed = false;
      read_articles({o->file}, none, [&](Article&& a) { articles.push_back(std::move(a)); },
                    [&](const InputError& e) { std::cerr << "stance: error: " << e.format() << '\n'; failed = true; });
      if (failed && articles.empty()) return kExitPartial;
    } else if (!o->text.empty()) {
      articles.push_back({"text", "", "", "", "", o->text, "argument"});
    } else {
      std::cerr << "stance: error: explain needs a TEXT or --file PATH\n";
      return kExitUsage;
    }
    for (const auto& a : articles) std::cout << engine.explain(a, o->sentence);
    return kExitOk;
  };
}

}  // namespace stance::cli
