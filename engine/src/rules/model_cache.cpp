#include "rules/model_cache.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <concepts>
#include <cstring>
#include <fstream>
#include <random>
#include <type_traits>
#include <utility>

#include "core/hash.hpp"

namespace stance::rules {
namespace {

namespace fs = std::filesystem;

// Entry layout, native byte order (the tag makes another order a miss):
//   "STNCMODL" | u32 version | u32 byte-order tag | u64 checksum of everything after it |
//   u64 size + shown name | u64 size + build | u64 size + source bytes | payload (to the end).
// The payload is a table of the Locations' file names, then the RuleFileModel, field by field
// (see `fields` below), with lengths and numbers as LEB128 varints.
constexpr std::string_view kMagic = "STNCMODL";
constexpr std::uint32_t kByteOrderTag = 0x01020304;

// core::hash_bytes is not promised to stay the same across versions, which is fine here: the build
// is part of every key, and a checksum made by another hash does not match, so a changed hash only
// turns entries into misses.
constexpr std::uint64_t kNameSeed = 0x6E616D65ULL;
constexpr std::uint64_t kKeySeed = 0x6B6579ULL;
constexpr std::uint64_t kChecksumSeed = 0x636865636BULL;

// Every field a rule file fills, once, for the writer and the reader alike. Each returns what the
// archive returns, so that Counter (below) can count the fields listed here at compile time.
template <typename T, typename U>
concept Is = std::same_as<std::remove_const_t<T>, U>;

template <typename A, Is<PatternSource> T>
decltype(auto) fields(A& a, T& x) { return a(x.text, x.at); }
template <typename A, Is<RoleDef> T>
decltype(auto) fields(A& a, T& x) { return a(x.title, x.from, x.to, x.standalone, x.at); }
template <typename A, Is<ActorDef> T>
decltype(auto) fields(A& a, T& x) {
  return a(x.id, x.name, x.kind, x.gender, x.affiliation, x.aliases, x.titles, x.descriptors, x.adjectives,
           x.represents, x.roles, x.at, x.affiliation_at);
}
template <typename A, Is<HolderCues> T>
decltype(auto) fields(A& a, T& x) { return a(x.sides, x.patterns, x.at); }
template <typename A, Is<IssueDef> T>
decltype(auto) fields(A& a, T& x) {
  return a(x.id, x.proposition, x.members, x.cues, x.holder_cues, x.opposite, x.record_as_opposite, x.at,
           x.opposite_at, x.record_as_opposite_at);
}
template <typename A, Is<CueDef> T>
decltype(auto) fields(A& a, T& x) { return a(x.id, x.stance, x.form, x.patterns, x.priority, x.suppresses, x.at); }
template <typename A, Is<GrammarList> T>
decltype(auto) fields(A& a, T& x) { return a(x.role, x.patterns); }
template <typename A, Is<ExampleTriple> T>
decltype(auto) fields(A& a, T& x) { return a(x.actor, x.issue, x.stance, x.at); }
template <typename A, Is<ExampleDef> T>
decltype(auto) fields(A& a, T& x) { return a(x.text, x.expect, x.expect_none, x.todo, x.at, x.note, x.date); }
// Diagnostics are not stored: only files read without any are.
template <typename A, Is<RuleFileModel> T>
decltype(auto) fields(A& a, T& x) { return a(x.actors, x.issues, x.cues, x.grammar, x.abbreviations, x.examples); }

// A struct that gains a field the lists above do not name must not compile: the field would be
// lost by every cached load. Aggregates count their fields by how many initialisers they take.
struct AnyField {
  template <typename U>
  operator U() const;  // never defined: only used where nothing is evaluated
};
template <typename T, std::size_t... I>
constexpr bool takes(std::index_sequence<I...>) { return requires { T{(void(I), AnyField{})...}; }; }
template <typename T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (takes<T>(std::make_index_sequence<N + 1>{})) return field_count<T, N + 1>();
  else return N;
}
struct Counter {
  template <typename... F>
  std::integral_constant<std::size_t, sizeof...(F)> operator()(F&...) { return {}; }
};
template <typename T>
constexpr std::size_t listed = decltype(fields(std::declval<Counter&>(), std::declval<T&>()))::value;

static_assert(field_count<Location>() == 3, "Location changed: store it in Writer::put and Reader::get");
static_assert(listed<PatternSource> == field_count<PatternSource>(), "PatternSource: a field is not stored");
static_assert(listed<RoleDef> == field_count<RoleDef>(), "RoleDef: a field is not stored");
static_assert(listed<ActorDef> == field_count<ActorDef>(), "ActorDef: a field is not stored");
static_assert(listed<HolderCues> == field_count<HolderCues>(), "HolderCues: a field is not stored");
static_assert(listed<IssueDef> == field_count<IssueDef>(), "IssueDef: a field is not stored");
static_assert(listed<CueDef> == field_count<CueDef>(), "CueDef: a field is not stored");
static_assert(listed<GrammarList> == field_count<GrammarList>(), "GrammarList: a field is not stored");
static_assert(listed<ExampleTriple> == field_count<ExampleTriple>(), "ExampleTriple: a field is not stored");
static_assert(listed<ExampleDef> == field_count<ExampleDef>(), "ExampleDef: a field is not stored");
static_assert(listed<RuleFileModel> + 1 == field_count<RuleFileModel>(), "RuleFileModel: a field is not stored");

// How many values each stored enum has; a stored byte at or past it is a corrupt entry.
constexpr unsigned value_count(Stance) { return static_cast<unsigned>(kStanceCount); }
constexpr unsigned value_count(CueForm) { return static_cast<unsigned>(CueForm::volition) + 1; }
constexpr unsigned value_count(GrammarRole) { return static_cast<unsigned>(kGrammarRoleCount); }

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

class Writer {
 public:
  template <typename... F>
  void operator()(const F&... f) { (put(f), ...); }

  // The file-name table, then the body.
  [[nodiscard]] std::string payload() const {
    std::string out;
    varint(out, files_.size());
    for (const auto& f : files_) text(out, f);
    return out + body_;
  }

 private:
  static void varint(std::string& out, std::uint64_t v) {
    for (; v >= 0x80; v >>= 7U) out.push_back(static_cast<char>((v & 0x7FU) | 0x80U));
    out.push_back(static_cast<char>(v));
  }
  static void text(std::string& out, std::string_view s) {
    varint(out, s.size());
    out.append(s);
  }

  void put(const std::string& s) { text(body_, s); }
  void put(int v) {  // zigzag: small negative numbers stay short
    const auto u = static_cast<std::uint32_t>(v);
    varint(body_, (u << 1U) ^ (v < 0 ? 0xFFFFFFFFU : 0U));
  }
  void put(bool v) { body_.push_back(v ? '\1' : '\0'); }
  template <typename E>
    requires std::is_enum_v<E>
  void put(E v) { body_.push_back(static_cast<char>(static_cast<unsigned char>(v))); }
  void put(const Location& at) {
    std::size_t index = 0;
    while (index < files_.size() && files_[index] != at.file) ++index;  // one or two names a file
    if (index == files_.size()) files_.push_back(at.file);
    varint(body_, index);
    put(at.line);
    put(at.column);
  }
  template <typename T>
  void put(const std::vector<T>& list) {
    varint(body_, list.size());
    for (const auto& item : list) put(item);
  }
  template <typename T>
    requires std::is_class_v<T> && (!IsVector<T>::value)
  void put(const T& x) { fields(*this, x); }

  std::vector<std::string> files_;
  std::string body_;
};

// Reads what Writer wrote; the first inconsistency clears ok() and everything after reads as empty.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {
    std::uint64_t count = 0;
    if (!varint(count) || count > rest_.size()) {
      fail();
      return;
    }
    files_.resize(count);
    for (auto& f : files_) text(f);
  }

  template <typename... F>
  void operator()(F&... f) { (get(f), ...); }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return rest_.empty(); }

  void get(std::string& s) { text(s); }
  void get(int& v) {
    std::uint64_t u = 0;
    if (!varint(u) || u > 0xFFFFFFFFULL) return fail();
    const auto w = static_cast<std::uint32_t>(u);
    v = static_cast<int>((w >> 1U) ^ (0U - (w & 1U)));
  }
  void get(bool& v) {
    const int b = byte();
    if (b > 1) return fail();
    v = b == 1;
  }
  template <typename E>
    requires std::is_enum_v<E>
  void get(E& v) {
    const int b = byte();
    if (b < 0 || static_cast<unsigned>(b) >= value_count(E{})) return fail();
    v = static_cast<E>(b);
  }
  void get(Location& at) {
    std::uint64_t index = 0;
    if (!varint(index) || index >= files_.size()) return fail();
    at.file = files_[index];
    get(at.line);
    get(at.column);
  }
  template <typename T>
  void get(std::vector<T>& list) {
    std::uint64_t count = 0;
    // Every item takes a byte at least: a count past the rest is corrupt, not a huge allocation.
    if (!varint(count) || count > rest_.size()) return fail();
    list.resize(count);
    for (auto& item : list) get(item);
  }
  template <typename T>
    requires std::is_class_v<T> && (!IsVector<T>::value)
  void get(T& x) { fields(*this, x); }

 private:
  void fail() {
    ok_ = false;
    rest_ = {};
  }
  int byte() {
    if (rest_.empty()) {
      fail();
      return -1;
    }
    const auto b = static_cast<unsigned char>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      const int b = byte();
      if (b < 0) return false;
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    fail();
    return false;
  }
  void text(std::string& s) {
    std::uint64_t size = 0;
    if (!varint(size) || size > rest_.size()) return fail();
    s.assign(rest_.substr(0, size));
    rest_.remove_prefix(size);
  }

  std::string_view rest_;
  std::vector<std::string> files_;
  bool ok_ = true;
};

template <typename T>
void put_raw(std::string& out, T v) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof v);
}

// Reads the header's fields in order; each returns false (and reads nothing more) past the end.
class HeaderReader {
 public:
  explicit HeaderReader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  bool raw(T& v) {
    if (rest_.size() < sizeof v) return false;
    std::memcpy(&v, rest_.data(), sizeof v);
    rest_.remove_prefix(sizeof v);
    return true;
  }
  bool sized(std::string_view& s) {
    std::uint64_t size = 0;
    if (!raw(size) || size > rest_.size()) return false;
    s = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }
  [[nodiscard]] std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

std::string hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 16; i-- > 0; v >>= 4U) out[i] = kDigits[v & 0xFU];
  return out;
}

std::string name_prefix(std::string_view shown) { return hex(core::hash_bytes(shown, kNameSeed)) + "-"; }

// Entries are only ever renamed into place, so the size read first is the size of the file opened.
std::optional<std::string> read_whole(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);  // an error for anything but a regular file
  if (ec) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  return bytes;
}

// Other versions of the same file, entries nobody wrote for a month, temporary files of runs that
// died: whatever cannot be removed stays.
void prune(const fs::path& directory, const std::string& kept, std::string_view prefix) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  const auto max_age = std::chrono::hours(24 * kModelCacheMaxAgeDays);
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool temporary = name.find(".tmp-") != std::string::npos;
    if (name == kept || !(temporary || name.ends_with(kModelCacheSuffix))) continue;
    std::error_code time_ec;
    const auto age = now - fs::last_write_time(it->path(), time_ec);
    const bool stale = !time_ec && age > (temporary ? std::chrono::hours(24) : max_age);
    const bool replaced = !temporary && name.starts_with(prefix);
    std::error_code remove_ec;
    if (stale || replaced) fs::remove(it->path(), remove_ec);
  }
}

}  // namespace

std::string encode_model(const RuleFileModel& model) {
  Writer writer;
  writer(model);
  return writer.payload();
}

std::optional<RuleFileModel> decode_model(std::string_view payload) {
  try {
    Reader reader(payload);
    RuleFileModel model;
    reader.get(model);
    if (!reader.ok() || !reader.at_end()) return std::nullopt;
    return model;
  } catch (const std::exception&) {  // allocation failure
    return std::nullopt;
  }
}

fs::path ModelCache::entry_path(std::string_view shown, std::string_view bytes) const {
  std::uint64_t key = core::hash_bytes(std::string_view(reinterpret_cast<const char*>(&kModelCacheFormatVersion),
                                                        sizeof kModelCacheFormatVersion), kKeySeed);
  key = core::hash_bytes(options_.build, key);
  key = core::hash_bytes(shown, key);
  key = core::hash_bytes(bytes, key);
  return options_.directory / (name_prefix(shown) + hex(key) + std::string(kModelCacheSuffix));
}

std::optional<RuleFileModel> ModelCache::find(std::string_view shown, std::string_view bytes) const {
  try {
    const fs::path path = entry_path(shown, bytes);
    const auto entry = read_whole(path);
    if (!entry) return std::nullopt;  // the usual miss: not written yet
    auto corrupt = [&](const char* why) {
      spdlog::debug("rule cache: ignoring {} ({})", path.string(), why);
      return std::nullopt;
    };
    HeaderReader header(*entry);
    char magic[kMagic.size()];
    std::uint32_t version = 0, tag = 0;
    std::uint64_t checksum = 0;
    if (!header.raw(magic) || std::string_view(magic, sizeof magic) != kMagic) return corrupt("not an entry");
    if (!header.raw(version) || version != kModelCacheFormatVersion) return corrupt("another format version");
    if (!header.raw(tag) || tag != kByteOrderTag) return corrupt("another byte order");
    if (!header.raw(checksum) || checksum != core::hash_bytes(header.rest(), kChecksumSeed)) return corrupt("bad checksum");
    std::string_view stored_shown, stored_build, stored_bytes;
    if (!header.sized(stored_shown) || !header.sized(stored_build) || !header.sized(stored_bytes)) return corrupt("short");
    // The whole source is compared, so two files with the same key can never share an entry.
    if (stored_shown != shown || stored_build != options_.build || stored_bytes != bytes) return corrupt("another file");
    auto model = decode_model(header.rest());
    if (!model) return corrupt("bad payload");
    spdlog::debug("rule cache: {} from {}", shown, path.string());
    return model;
  } catch (const std::exception& e) {  // allocation or filesystem failures: parse instead
    spdlog::debug("rule cache: cannot read the entry of {}: {}", shown, e.what());
    return std::nullopt;
  }
}

void ModelCache::store(std::string_view shown, std::string_view bytes, const RuleFileModel& model) const {
  if (!model.diagnostics.empty()) return;
  try {
    std::error_code ec;
    fs::create_directories(options_.directory, ec);
    if (ec) {
      spdlog::debug("rule cache: cannot create {}: {}", options_.directory.string(), ec.message());
      return;
    }
    const std::string payload = encode_model(model);
    std::string rest;
    rest.reserve(3 * sizeof(std::uint64_t) + shown.size() + options_.build.size() + bytes.size() + payload.size());
    for (std::string_view part : {shown, std::string_view(options_.build), bytes}) {
      put_raw(rest, static_cast<std::uint64_t>(part.size()));
      rest.append(part);
    }
    rest.append(payload);
    std::string head(kMagic);
    put_raw(head, kModelCacheFormatVersion);
    put_raw(head, kByteOrderTag);
    put_raw(head, core::hash_bytes(rest, kChecksumSeed));

    // Written aside and renamed into place: a concurrent run (-j, array jobs sharing $HOME) sees
    // the whole entry or none.
    const fs::path path = entry_path(shown, bytes);
    std::random_device random;
    const fs::path temporary = path.string() + ".tmp-" + hex((std::uint64_t{random()} << 32U) ^ random());
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out.write(head.data(), static_cast<std::streamsize>(head.size()));
      out.write(rest.data(), static_cast<std::streamsize>(rest.size()));
      out.close();
      if (!out) {
        spdlog::debug("rule cache: cannot write {}", temporary.string());
        fs::remove(temporary, ec);
        return;
      }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
      spdlog::debug("rule cache: cannot rename {}: {}", temporary.string(), ec.message());
      fs::remove(temporary, ec);
      return;
    }
    spdlog::debug("rule cache: stored {} as {}", shown, path.string());
    prune(options_.directory, path.filename().string(), name_prefix(shown));
  } catch (const std::exception& e) {
    spdlog::debug("rule cache: cannot store {}: {}", shown, e.what());
  }
}

}  // namespace stance::rules
