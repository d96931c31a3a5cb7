#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "core/hash.hpp"
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

// 64 bits of an id, seeded so that the two seeds below give two different hashes.
std::uint64_t hash_id(std::string_view id, std::uint64_t seed) { return core::hash_bytes(id, seed); }

constexpr std::uint64_t kSeedPrimary = 0x243F6A8885A308D3ULL;    // digits of pi: any two will do
constexpr std::uint64_t kSeedSecondary = 0x13198A2E03707344ULL;

// Where an article was read, enough to name it in a message and to read it again.
struct Place {
  std::uint32_t source = 0;  // index into the batch's sources
  std::uint64_t line = 0;    // JSONL line (1-based), 0 for a whole-file article
  std::uint64_t offset = 0;  // JSONL line's byte offset in its file
};

// The ids seen so far, as 64-bit hashes with where each was first seen: 24 bytes a slot, at most
// 7/8 full, where a set of the ids themselves with their origins took ~140 bytes an article. A
// hash says nothing for sure, so BatchReader confirms every hit (see `deliver`).
class SeenIds {
 public:
  struct Entry {
    std::uint64_t hash = 0;
    // The byte offset of a JSONL line, when its file can be read again; for input that cannot
    // (standard input, a pipe) a second, independent hash of the id; 0 for a whole file.
    std::uint64_t extra = 0;
    std::uint64_t where = kEmpty;  // source << kLineBits | line, or kSpilled | index into spilled_
  };

  // Calls `same(entry)` for each remembered entry with this hash until it returns true; returns
  // that entry, or null.
  template <typename Same>
  const Entry* find(std::uint64_t hash, Same&& same) const {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask; slots_[i].where != kEmpty; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && same(slots_[i])) return &slots_[i];
    }
    return nullptr;
  }

  void add(std::uint64_t hash, std::uint64_t extra, const Place& place) {
    if ((count_ + 1) * 8 > slots_.size() * 7) grow();
    std::uint64_t where = 0;
    if (place.source < kMaxSource && place.line < kMaxLine) {
      where = static_cast<std::uint64_t>(place.source) << kLineBits | place.line;
    } else {  // beyond 16 million files or a trillion lines: kept aside, at full width
      where = kSpilled | spilled_.size();
      spilled_.push_back(place);
    }
    place_slot(Entry{hash, extra, where});
    ++count_;
  }

  [[nodiscard]] Place place_of(const Entry& entry) const {
    if ((entry.where & kSpilled) == kSpilled) return spilled_[entry.where & ~kSpilled];
    return Place{static_cast<std::uint32_t>(entry.where >> kLineBits), entry.where & (kMaxLine - 1), entry.extra};
  }

 private:
  static constexpr unsigned kLineBits = 40;
  static constexpr std::uint64_t kMaxLine = std::uint64_t{1} << kLineBits;
  static constexpr std::uint32_t kMaxSource = (1U << 23U) - 1;  // below kSpilled's bit
  static constexpr std::uint64_t kSpilled = std::uint64_t{1} << 63U;
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  void place_slot(const Entry& entry) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = entry.hash & mask;
    while (slots_[i].where != kEmpty) i = (i + 1) & mask;
    slots_[i] = entry;
  }

  void grow() {
    std::vector<Entry> old(slots_.empty() ? 1024 : slots_.size() * 2);
    old.swap(slots_);
    for (const Entry& entry : old) {
      if (entry.where != kEmpty) place_slot(entry);
    }
  }

  std::vector<Entry> slots_;   // open addressing, a power of two
  std::vector<Place> spilled_;
  std::size_t count_ = 0;
};

// One input of a batch: a file, or standard input.
struct Source {
  std::string name;  // as in origins and messages
  FileKind kind = FileKind::text;
  bool rereadable = false;  // a regular file, which a duplicate check may read again
};

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
      begin_source(path, FileKind::jsonl, false);
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
    begin_source(path, kind, regular);
    std::ifstream in;
    // 128 KiB at a time rather than the stream's 8 KiB: a corpus file is read in fewer calls.
    if (!read_buffer_) read_buffer_ = std::make_unique<char[]>(kReadBufferBytes);
    in.rdbuf()->pubsetbuf(read_buffer_.get(), kReadBufferBytes);
    in.open(path, std::ios::binary);
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
    // Ids are remembered by hash; a hit is confirmed before an article is turned away, so a
    // collision never drops one: an earlier article from a file is read again and its id
    // compared; one from standard input or a pipe, which cannot be read again, is compared by a
    // second, independent 64-bit hash (128 bits in all must agree).
    const Source& source = sources_.back();
    const std::uint64_t hash = hash_id(article.id, kSeedPrimary);
    const std::uint64_t second = hash_id(article.id, kSeedSecondary);
    const SeenIds::Entry* first = seen_.find(hash, [&](const SeenIds::Entry& entry) {
      return same_id(entry, article.id, second);
    });
    if (first) {
      where.message = "duplicate article id '" + article.id + "' (first seen at " +
                      origin_of(seen_.place_of(*first)) + ")";
      on_error_(where);
      return;
    }
    const Place place{static_cast<std::uint32_t>(sources_.size() - 1), where.line,
                      where.line > 0 ? where.byte_offset : 0};
    seen_.add(hash, source.rereadable ? place.offset : second, place);
    ++count_;
    on_article_(std::move(article));
  }

  void begin_source(const std::string& name, FileKind kind, bool rereadable) {
    sources_.push_back(Source{name, kind, rereadable});
  }

  // "path" or "path:line", as Article::origin has it.
  [[nodiscard]] std::string origin_of(const Place& place) const {
    const Source& source = sources_[place.source];
    return place.line > 0 ? source.name + ":" + std::to_string(place.line) : source.name;
  }

  // Whether the article remembered in `entry` has the id `id` (whose second hash is `second`).
  bool same_id(const SeenIds::Entry& entry, const std::string& id, std::uint64_t second) const {
    const Place place = seen_.place_of(entry);
    const Source& source = sources_[place.source];
    if (!source.rereadable) return entry.extra == second;
    if (const std::optional<std::string> first_id = id_at(source, place)) return *first_id == id;
    // Gone or changed since it was read: nothing to compare with. Counting it as a duplicate
    // could drop an article for a hash collision; coding it twice is the lesser harm, and said.
    if (options_.on_notice) {
      options_.on_notice(InputError{source.name, place.line, InputError::no_offset,
                                    "cannot read this article again to compare its id with '" +
                                        id + "' (same 64-bit hash); both are kept"});
    }
    return false;
  }

  // The id of the article read at `place`, read again; nullopt when it can no longer be read.
  [[nodiscard]] std::optional<std::string> id_at(const Source& source, const Place& place) const {
    std::ifstream in(source.name, std::ios::binary);
    if (!in) return std::nullopt;
    ReadOptions quiet = options_;
    quiet.on_notice = nullptr;
    std::optional<std::string> id;
    if (source.kind == FileKind::jsonl) {
      std::string line;
      if (!in.seekg(static_cast<std::streamoff>(place.offset)) || !std::getline(in, line)) return std::nullopt;
      if (line.size() > limit_) return std::nullopt;
      std::istringstream one(line);
      io::read_jsonl(
          one, source.name, quiet, [&](Article&& article, const io::LinePlace&) { id = std::move(article.id); },
          [](const InputError&) {});
      return id;
    }
    std::string content;
    if (!read_bounded(in, content) || content.size() > limit_) return std::nullopt;
    auto parsed = io::parse_text_article(source.name, std::move(content),
                                         fs::path(source.name).stem().string(), quiet);
    if (auto* article = std::get_if<Article>(&parsed)) id = std::move(article->id);
    return id;
  }

  void fail(const std::string& path, std::string message) const {
    on_error_(InputError{path, 0, InputError::no_offset, std::move(message)});
  }

  const ReadOptions& options_;
  std::size_t limit_;
  const ArticleSink& on_article_;
  const InputErrorSink& on_error_;
  std::vector<Source> sources_;  // every input read so far, in order
  SeenIds seen_;
  static constexpr std::size_t kReadBufferBytes = std::size_t{1} << 17U;
  std::unique_ptr<char[]> read_buffer_;  // the file being read's (one at a time)
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
