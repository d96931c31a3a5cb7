#pragma once
// What every benchmark reads: a sample of articles and the rule packs to code them with.
//
//   STANCE_BENCH_CORPUS   .jsonl / .txt / directory to read (default: fixtures/articles)
//   STANCE_BENCH_MAX_MB   stop reading after this many MB of article text (default 8)
//   STANCE_BENCH_PACK     a second rule pack, e.g. one made by gen_corpus.py pack --names 20000
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "stance/article.hpp"
#include "stance/rule_pack.hpp"

namespace stance::bench {

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

inline const std::vector<Article>& sample() {
  static const std::vector<Article> articles = [] {
    const std::string path = env_or("STANCE_BENCH_CORPUS", std::string(STANCE_SOURCE_DIR) + "/fixtures/articles");
    const double max_mb = std::stod(env_or("STANCE_BENCH_MAX_MB", "8"));
    std::vector<Article> out;
    std::size_t bytes = 0;
    std::istringstream no_stdin;
    read_articles(
        {path}, no_stdin,
        [&](Article&& article) {
          if (static_cast<double>(bytes) >= max_mb * 1024 * 1024) return;
          bytes += article.text.size();
          out.push_back(std::move(article));
        },
        [](const InputError& error) { std::cerr << error.format() << '\n'; });
    if (out.empty()) {
      std::cerr << "no articles in " << path << '\n';
      std::exit(2);
    }
    return out;
  }();
  return articles;
}

inline std::size_t sample_bytes() {
  std::size_t bytes = 0;
  for (const Article& article : sample()) bytes += article.text.size();
  return bytes;
}

inline std::shared_ptr<const RulePack> load(const std::filesystem::path& directory) {
  auto result = RulePack::load(directory);
  if (!result.pack) {
    for (const auto& d : result.diagnostics) std::cerr << d.format() << '\n';
    std::exit(2);
  }
  return result.pack;
}

inline std::shared_ptr<const RulePack> default_pack() {
  static const auto pack = load(default_rules_directory());
  return pack;
}

// The pack named by STANCE_BENCH_PACK, or null.
inline std::shared_ptr<const RulePack> extra_pack() {
  static const auto pack = [] {
    const std::string path = env_or("STANCE_BENCH_PACK", "");
    return path.empty() ? std::shared_ptr<const RulePack>() : load(path);
  }();
  return pack;
}

}  // namespace stance::bench
