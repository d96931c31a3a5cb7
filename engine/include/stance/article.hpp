#pragma once
// Articles in: the value every later stage reads, and the readers that make them.
#include <cstddef>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stance {

struct Article {
  std::string id;
  std::string date;    // ISO YYYY-MM-DD, or empty when unknown
  std::string source;  // outlet name
  std::string url;
  std::string title;
  std::string text;    // the body exactly as read; every span points into it
  std::string origin;  // where it came from: "path" or "path:line" (JSONL)
};

// Why one article (or one JSONL line) could not be read. The batch goes on without it.
struct InputError {
  std::string file;         // path, or "-" for standard input
  std::size_t line = 0;     // 1-based; 0 when not line-oriented
  std::size_t byte_offset = 0;  // offset of the problem within the file
  // byte_offset when no position in the file applies (a missing file, a duplicate id, ...);
  // format() then leaves the byte part out.
  static constexpr std::size_t no_offset = static_cast<std::size_t>(-1);
  std::string message;
  // "file:line: byte N: message" (line omitted when 0)
  [[nodiscard]] std::string format() const;
};

// Offset of the first byte that is not valid UTF-8, or nullopt when all of `text` is valid.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text);

using ArticleSink = std::function<void(Article&&)>;
using InputErrorSink = std::function<void(const InputError&)>;

// The default ReadOptions::max_article_bytes: far above any news article, far below what would
// make coding one article take minutes.
inline constexpr std::size_t kDefaultMaxArticleBytes = std::size_t{16} << 20U;  // 16 MiB
// No article may be larger, whatever the options say: token and sentence spans are 32-bit.
inline constexpr std::size_t kMaxArticleBytesCeiling = std::size_t{1} << 30U;  // 1 GiB

// How read_articles treats input that is not as it should be (docs/cli.md, "Limits").
struct ReadOptions {
  // false: an article with ill-formed UTF-8 is skipped with an error naming the byte.
  // true: each ill-formed sequence (maximal subpart, as Unicode recommends) becomes U+FFFD and the
  // article is kept; a notice names how many were replaced and where the first one was. Spans
  // then point into the repaired text.
  bool repair_utf8 = false;
  // A .txt/.md file, or one JSONL line, larger than this is skipped with an error, without being
  // read whole. 0, or anything above kMaxArticleBytesCeiling, means the ceiling.
  std::size_t max_article_bytes = kDefaultMaxArticleBytes;
  // Problems that cost no article (a repair), when set. They are not errors: nothing was skipped.
  InputErrorSink on_notice;
};

// Reads PATHs in order: .txt / .md files (id = file stem; optional front matter between
// "---" lines with date, source, url, title, id), .jsonl files (one article object a line),
// directories (their .txt/.md/.jsonl files, sorted by name, not recursive), and "-" for JSONL on
// `standard_input`. Articles are handed to `on_article` as they are read; problems go to
// `on_error`. Returns the number of articles read.
std::size_t read_articles(const std::vector<std::string>& paths, std::istream& standard_input,
                          const ArticleSink& on_article, const InputErrorSink& on_error);
// The same with explicit options; the overload above uses ReadOptions{}.
std::size_t read_articles(const std::vector<std::string>& paths, std::istream& standard_input,
                          const ReadOptions& options, const ArticleSink& on_article,
                          const InputErrorSink& on_error);

}  // namespace stance
