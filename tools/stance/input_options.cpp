#include "input_options.hpp"

#include <spdlog/spdlog.h>

namespace stance::cli {

void add_input_options(CLI::App& sub, InputOptions& options) {
  sub.add_flag("--repair", options.repair,
               "keep articles with invalid UTF-8, each bad sequence replaced by U+FFFD (a "
               "warning says where); without it such articles are skipped");
  sub.add_option("--max-article-bytes", options.max_article_bytes,
                 "skip larger articles (a .txt/.md file, a JSONL line); accepts K, M, G "
                 "suffixes (binary), at most 1G")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1}, kMaxArticleBytesCeiling))
      ->default_str("16M");
}

ReadOptions read_options(const InputOptions& options) {
  ReadOptions read;
  read.repair_utf8 = options.repair;
  read.max_article_bytes = options.max_article_bytes;
  read.on_notice = [](const InputError& notice) { spdlog::warn("{}", notice.format()); };
  return read;
}

}  // namespace stance::cli
