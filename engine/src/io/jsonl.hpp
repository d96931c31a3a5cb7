#pragma once
// One article per line of JSON, streamed so a file of any size is read in constant memory.
#include <cstddef>
#include <functional>
#include <istream>
#include <string>

#include "stance/article.hpp"

namespace stance::io {

// Where a JSONL article came from, so a later check (duplicate ids) can point at it.
struct LinePlace {
  std::size_t line = 0;         // 1-based
  std::size_t byte_offset = 0;  // of the line's first byte within the file
};

using PlacedArticleSink = std::function<void(Article&&, const LinePlace&)>;

// What a JSONL input held, beyond the articles and errors already handed out.
struct JsonlSummary {
  std::size_t lines = 0;  // lines that were not blank
};

// Reads `in` to its end. `file` names the input in origins ("file:line") and errors. A bad line
// is reported and skipped; the lines after it are still read. A line longer than the options'
// limit is skipped without being held in memory.
JsonlSummary read_jsonl(std::istream& in, const std::string& file, const ReadOptions& options,
                        const PlacedArticleSink& on_article, const InputErrorSink& on_error);

// options.max_article_bytes with 0 and values above the ceiling mapped to the ceiling.
[[nodiscard]] std::size_t effective_max_article_bytes(const ReadOptions& options);

}  // namespace stance::io
