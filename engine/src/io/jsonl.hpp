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

// Reads `in` to its end. `file` names the input in origins ("file:line") and errors. A bad line
// is reported and skipped; the lines after it are still read.
void read_jsonl(std::istream& in, const std::string& file, const PlacedArticleSink& on_article,
                const InputErrorSink& on_error);

}  // namespace stance::io
