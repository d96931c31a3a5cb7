#pragma once
// The options every verb that reads articles shares (run, ingest): how bad input is treated.
#include <CLI/CLI.hpp>

#include <cstddef>

#include "stance/article.hpp"

namespace stance::cli {

struct InputOptions {
  bool repair = false;
  std::size_t max_article_bytes = kDefaultMaxArticleBytes;
};

// Adds --repair and --max-article-bytes to `sub`, writing into `options` (which must outlive it).
void add_input_options(CLI::App& sub, InputOptions& options);

// The reader's options; repairs are announced as warnings on stderr.
[[nodiscard]] ReadOptions read_options(const InputOptions& options);

}  // namespace stance::cli
