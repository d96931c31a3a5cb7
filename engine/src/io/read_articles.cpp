#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "io/jsonl.hpp"
#include "io/text_article.hpp"
#include "stance/article.hpp"

namespace stance {
namespace {

namespace fs = std::filesystem;

enum class FileKind { text, jsonl, unsupported };

FileKind kind_of(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".txt" || extension == ".md") return FileKind::text;
  if (extension == ".jsonl") return FileKind::jsonl;
  return FileKind::unsupported;
}

// System messages start with a capital ("No such file"); ours start lowercase.
std::string lowercase_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// An id is printed in tables, CSV and messages: a control character in it would garble them.
std::optional<std::size_t> control_character_in(std::string_view id) {
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (c < 0x20U || c == 0x7FU) return i;
  }
  return std::nullopt;
}

// Reads one call's worth of paths, counting articles and remembering ids across all of them.
class BatchReader {
 public:
  BatchReader(const ReadOptions& options, const ArticleSink& on_article,
              const InputErrorSink& on_error)
      : options_(options),
        limit_(io::effective_max_article_bytes(options)),
        on_article_(on_article),
        on_error_(on_error) {}

  void read_path(const std::string& path, std::istream& standard_input) {
    if (path == "-") {
      read_jsonl_stream(standard_input, path);
      return;
    }
    if (path.empty()) {
      on_error_(InputError{"\"\"", 0, InputError::no_offset, "empty path"});
      return;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) {
      fail(path, "no such file or directory");
      return;
    }
    if (error) {
      fail(path, "cannot access: " + lowercase_first(error.message()));
      return;
    }
    if (fs::is_directory(status)) {
      read_directory(path);
      return;
    }
    const FileKind kind = kind_of(path);
    if (kind == FileKind::unsupported) {
      fail(path, "unsupported file type (expected .txt, .md or .jsonl, or a directory)");
      return;
    }
    // A device would never end (/dev/zero) or never answer; a pipe is fine.
    if (!fs::is_regular_file(status) && !fs::is_fifo(status)) {
      fail(path, "not a regular file");
      return;
    }
    read_file(path, kind, fs::is_regular_file(status));
  }

  [[nodiscard]] std::size_t count() const { return count_; }

 private:
  void read_directory(const std::string& directory) {
    std::error_code error;
    std::vector<std::pair<std::string, FileKind>> files;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      const std::string name = it->path().filename().string();
      // Dot files are editor and VCS droppings, never articles.
      if (name.starts_with('.')) continue;
      const FileKind kind = kind_of(it->path());
      std::error_code type_error;
      if (kind == FileKind::unsupported || !it->is_regular_file(type_error)) continue;
      files.emplace_back(it->path().string(), kind);
    }
    if (error) {
      fail(directory, "cannot list directory: " + lowercase_first(error.message()));
      return;
    }
    if (files.empty()) {
      // Probably the wrong folder (or articles one level down): silence would look like success.
      fail(directory, "no .txt, .md or .jsonl files in directory (subdirectories are not read)");
      return;
    }
    // Paths in one directory differ only in their last component, so this is name order.
    std::sort(files.begin(), files.end());
    for (const auto& [file, kind] : files) read_file(file, kind, true);
  }

  void read_file(const std::string& path, FileKind kind, bool regular) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      fail(path, "cannot open: " + lowercase_first(std::strerror(errno)));
      return;
    }
    if (kind == FileKind::jsonl) {
      if (read_jsonl_stream(in, path).lines == 0 && !in.bad()) {
        fail(path, "empty file (no JSON lines)");
      }
      return;
    }
    // Refuse an oversized file before reading it: the size is known for a regular file.
    std::error_code size_error;
    const std::uintmax_t size = regular ? fs::file_size(path, size_error) : 0;
    if (regular && !size_error && size > limit_) {
      fail(path, over_limit(std::to_string(size) + " bytes"));
      return;
    }
    std::string content;
    if (!read_bounded(in, content)) {
      fail(path, "read error");
      return;
    }
    if (content.size() > limit_) {  // a pipe, or a file that grew while being read
      fail(path, over_limit("more than " + std::to_string(limit_) + " bytes"));
      return;
    }
    auto parsed = io::parse_text_article(path, std::move(content),
                                         fs::path(path).stem().string(), options_);
    if (auto* error = std::get_if<InputError>(&parsed)) {
      on_error_(*error);
      return;
    }
    deliver(std::move(std::get<Article>(parsed)), InputError{path, 0, InputError::no_offset, {}});
  }

  // Reads at most limit_ + 1 bytes (enough to tell that a file is too big). istream::read turns a
  // failing read(2) into badbit, where istreambuf_iterator would let the exception out.
  bool read_bounded(std::istream& in, std::string& content) const {
    constexpr std::size_t chunk = 1U << 16U;
    while (content.size() <= limit_) {
      const std::size_t old_size = content.size();
      const std::size_t want = std::min(chunk, limit_ + 1 - old_size);
      content.resize(old_size + want);
      in.read(content.data() + old_size, static_cast<std::streamsize>(want));
      content.resize(old_size + static_cast<std::size_t>(in.gcount()));
      if (in.bad()) return false;
      if (!in) break;  // end of file
    }
    return true;
  }

  [[nodiscard]] std::string over_limit(const std::string& size) const {
    return "article of " + size + " is over the limit of " + std::to_string(limit_) +
           " bytes (--max-article-bytes)";
  }

  io::JsonlSummary read_jsonl_stream(std::istream& in, const std::string& name) {
    return io::read_jsonl(
        in, name, options_,
        [&](Article&& article, const io::LinePlace& place) {
          deliver(std::move(article), InputError{name, place.line, place.byte_offset, {}});
        },
        on_error_);
  }

  // `where` is the error to raise, message still empty, if the id turns out to be taken.
  void deliver(Article&& article, InputError where) {
    if (const auto bad = control_character_in(article.id)) {
      where.message = "article id has a control character (byte " +
                      std::to_string(static_cast<unsigned char>(article.id[*bad])) +
                      " at position " + std::to_string(*bad) + " of the id)";
      on_error_(where);
      return;
    }
    const auto [first, inserted] = first_origin_.try_emplace(article.id, article.origin);
    if (!inserted) {
      where.message =
          "duplicate article id '" + article.id + "' (first seen at " + first->second + ")";
      on_error_(where);
      return;
    }
    ++count_;
    on_article_(std::move(article));
  }

  void fail(const std::string& path, std::string message) const {
    on_error_(InputError{path, 0, InputError::no_offset, std::move(message)});
  }

  const ReadOptions& options_;
  std::size_t limit_;
  const ArticleSink& on_article_;
  const InputErrorSink& on_error_;
  std::unordered_map<std::string, std::string> first_origin_;  // id -> origin of its first use
  std::size_t count_ = 0;
};

}  // namespace

std::size_t read_articles(const std::vector<std::string>& paths, std::istream& standard_input,
                          const ReadOptions& options, const ArticleSink& on_article,
                          const InputErrorSink& on_error) {
  BatchReader reader(options, on_article, on_error);
  for (const std::string& path : paths) reader.read_path(path, standard_input);
  return reader.count();
}

std::size_t read_articles(const std::vector<std::string>& paths, std::istream& standard_input,
                          const ArticleSink& on_article, const InputErrorSink& on_error) {
  return read_articles(paths, standard_input, ReadOptions{}, on_article, on_error);
}

}  // namespace stance
