#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
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

// Reads one call's worth of paths, counting articles and remembering ids across all of them.
class BatchReader {
 public:
  BatchReader(const ArticleSink& on_article, const InputErrorSink& on_error)
      : on_article_(on_article), on_error_(on_error) {}

  void read_path(const std::string& path, std::istream& standard_input) {
    if (path == "-") {
      read_jsonl_stream(standard_input, path);
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
    read_file(path, kind);
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
    // Paths in one directory differ only in their last component, so this is name order.
    std::sort(files.begin(), files.end());
    for (const auto& [file, kind] : files) read_file(file, kind);
  }

  void read_file(const std::string& path, FileKind kind) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      fail(path, "cannot open: " + lowercase_first(std::strerror(errno)));
      return;
    }
    if (kind == FileKind::jsonl) {
      read_jsonl_stream(in, path);
      return;
    }
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
      fail(path, "read error");
      return;
    }
    auto parsed = io::parse_text_article(path, std::move(content), fs::path(path).stem().string());
    if (auto* error = std::get_if<InputError>(&parsed)) {
      on_error_(*error);
      return;
    }
    deliver(std::move(std::get<Article>(parsed)), InputError{path, 0, InputError::no_offset, {}});
  }

  void read_jsonl_stream(std::istream& in, const std::string& name) {
    io::read_jsonl(
        in, name,
        [&](Article&& article, const io::LinePlace& place) {
          deliver(std::move(article), InputError{name, place.line, place.byte_offset, {}});
        },
        on_error_);
  }

  // `where` is the error to raise, message still empty, if the id turns out to be taken.
  void deliver(Article&& article, InputError where) {
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

  const ArticleSink& on_article_;
  const InputErrorSink& on_error_;
  std::unordered_map<std::string, std::string> first_origin_;  // id -> origin of its first use
  std::size_t count_ = 0;
};

}  // namespace

std::size_t read_articles(const std::vector<std::string>& paths, std::istream& standard_input,
                          const ArticleSink& on_article, const InputErrorSink& on_error) {
  BatchReader reader(on_article, on_error);
  for (const std::string& path : paths) reader.read_path(path, standard_input);
  return reader.count();
}

}  // namespace stance
