// YAML -> PackModel. yaml-cpp accepts duplicate keys and ignores keys nobody reads, so every
// mapping is walked here by hand: unknown and duplicate keys are errors with their position.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "rules/model.hpp"
#include "rules/model_cache.hpp"
#include "rules/yaml_depth.hpp"
#include "stance/article.hpp"
#include "text/fold.hpp"

namespace stance::rules {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, kGrammarRoleCount> kGrammarKeys = {
    "negators", "auxiliaries", "passive_auxiliaries", "determiners", "possessive_pronouns",
    "prepositions", "pronouns_male", "pronouns_female", "pronouns_speaker", "anaphors",
    "clause_breaks", "conditionals", "scope_ends", "hedges", "coordinators", "appositives",
    "agent_markers", "recipient_markers", "reporting_verbs", "reporting_markers",
    "relative_pronouns", "pronouns_collective", "not_conditionals", "pronouns_pair", "title_references", "author_markers", "time_conditionals"};

// The format's keys, one list per mapping (docs/rules.md documents each one).
const std::vector<std::string_view> kPackFileKeys = {"pack"};
const std::vector<std::string_view> kPackKeys = {"id", "description", "include"};
const std::vector<std::string_view> kRuleFileKeys = {"actors", "issues", "cues", "grammar", "examples"};
const std::vector<std::string_view> kActorKeys = {"id", "name", "kind", "gender", "affiliation", "aliases",
                                                  "titles", "roles", "descriptors", "adjectives", "represents"};
const std::vector<std::string_view> kRoleKeys = {"title", "from", "to", "standalone", "note"};
const std::vector<std::string_view> kIssueKeys = {"id", "proposition", "members", "cues", "holder_cues", "opposite", "record_as_opposite"};
const std::vector<std::string_view> kHolderCueKeys = {"sides", "patterns", "note"};
const std::vector<std::string_view> kCueKeys = {"id", "stance", "form", "patterns", "priority", "suppresses", "note"};
const std::vector<std::string_view> kExampleKeys = {"text", "expect", "date", "todo", "note"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (auto c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

class FileReader {
 public:
  FileReader(std::string file, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  // An empty document has no position (yaml-cpp's mark is -1): such problems are at 1:1.
  Location where(const YAML::Node& node) const { return where(node.Mark()); }
  Location where(const YAML::Mark& mark) const {
    return {file_, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
  }

  void error(const Location& at, std::string message, Severity severity = Severity::error) {
    diagnostics_.push_back({at.file, at.line, at.column, severity, std::move(message)});
  }
  void error(const YAML::Node& node, std::string message) { error(where(node), std::move(message)); }

  // The mapping's entries by key; unknown and duplicate keys reported. Missing `required` keys too.
  std::map<std::string, YAML::Node> mapping(const YAML::Node& node, std::string_view what,
                                            const std::vector<std::string_view>& allowed,
                                            const std::vector<std::string_view>& required = {}) {
    std::map<std::string, YAML::Node> entries;
    if (!node.IsMap()) {
      error(node, std::string(what) + " must be a mapping");
      return entries;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) {
        error(key, std::string("keys of ") + std::string(what) + " must be plain words");
        continue;
      }
      const std::string name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        error(key, "unknown key '" + name + "' in " + std::string(what) + did_you_mean(name, allowed));
        continue;
      }
      if (entries.count(name)) {
        error(key, "duplicate key '" + name + "' in " + std::string(what) + " (first at line " +
                       std::to_string(where(entries[name]).line) + ")");
        continue;
      }
      entries.emplace(name, it->second);
    }
    for (auto r : required) {
      if (!entries.count(std::string(r))) error(node, std::string(what) + " needs key '" + std::string(r) + "'");
    }
    return entries;
  }

  std::string scalar(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar()) {
      error(node, std::string(what) + " must be a single value");
      return {};
    }
    return node.Scalar();
  }

  std::string identifier(const YAML::Node& node, std::string_view what) {
    std::string id = scalar(node, what);
    if (id.empty()) {
      if (node.IsScalar()) error(node, std::string(what) + " must not be empty");
      return id;
    }
    const bool valid = std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }) && id[0] >= 'a' && id[0] <= 'z';
    if (!valid) error(node, std::string(what) + " '" + id + "' must be lowercase letters, digits, _ - . and start with a letter");
    return id;
  }

  // A list of strings; a single string is accepted as a list of one.
  std::vector<PatternSource> strings(const YAML::Node& node, std::string_view what) {
    std::vector<PatternSource> out;
    if (node.IsScalar()) {
      if (!node.Scalar().empty()) out.push_back({node.Scalar(), where(node)});
      return out;
    }
    if (!node.IsSequence()) {
      error(node, std::string(what) + " must be a list of strings");
      return out;
    }
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        error(item, "each of " + std::string(what) + " must be a string");
        continue;
      }
      if (item.Scalar().empty()) {
        error(item, "empty string in " + std::string(what));
        continue;
      }
      out.push_back({item.Scalar(), where(item)});
    }
    return out;
  }

  // true/false; anything else is reported and read as `fallback`.
  bool boolean(const YAML::Node& node, std::string_view what, bool fallback) {
    const std::string value = scalar(node, what);
    if (value == "true") return true;
    if (value == "false") return false;
    if (node.IsScalar()) error(node, std::string(what) + " must be true or false, not '" + value + "'");
    return fallback;
  }

  std::optional<int> integer(const YAML::Node& node, std::string_view what) {
    const std::string value = scalar(node, what);
    int n = 0;
    const char* first = value.data();
    const char* last = value.data() + value.size();
    if (!value.empty() && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, n);
    if (value.empty() || ec != std::errc() || ptr != last) {
      if (node.IsScalar()) error(node, std::string(what) + " must be a whole number, not '" + value + "'");
      return std::nullopt;
    }
    return n;
  }

  // An ISO date YYYY-MM-DD (yaml-cpp leaves dates as plain scalars); empty when invalid.
  std::string date(const YAML::Node& node, std::string_view what) {
    const std::string value = scalar(node, what);
    if (!node.IsScalar()) return {};
    auto digits = [&](std::size_t from, std::size_t count) {
      int n = 0;
      for (std::size_t i = from; i < from + count; ++i) {
        if (value[i] < '0' || value[i] > '9') return -1;
        n = n * 10 + (value[i] - '0');
      }
      return n;
    };
    const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-';
    const int month = shaped ? digits(5, 2) : -1;
    const int day = shaped ? digits(8, 2) : -1;
    if (!shaped || digits(0, 4) < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
      error(node, std::string(what) + " must be a date written YYYY-MM-DD, not '" + value + "'");
      return {};
    }
    return value;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

std::optional<Stance> stance_of(std::string_view s) { return parse_stance(s); }

// The format's words for the values of `stance:` and `form:`, in enum order: the one list that
// parsing, the error message and its suggestion all read.
std::vector<std::string_view> stance_names() {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < kStanceCount; ++i) names.push_back(to_string(static_cast<Stance>(i)));
  return names;
}
const std::vector<std::string_view> kCueFormNames = {"verb", "noun", "predicate", "modal", "volition"};

std::optional<CueForm> cue_form_of(std::string_view s) {
  for (std::size_t i = 0; i < kCueFormNames.size(); ++i) {
    if (s == kCueFormNames[i]) return static_cast<CueForm>(i);
  }
  return std::nullopt;
}

// "a, b or c".
std::string one_of(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

class PackLoader {
 public:
  PackLoader(ModelLoad& out, const ModelCacheOptions& cache) : out_(out), cache_(cache) {}

  void load_pack(const fs::path& directory, const std::optional<Location>& included_from) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(directory, ec);
    const std::string key = canonical.string();
    if (auto open = std::find(stack_.begin(), stack_.end(), key); open != stack_.end()) {
      // Directory names only: the message must read the same wherever the packs are checked out.
      std::string cycle;
      for (auto it = open; it != stack_.end(); ++it) cycle += fs::path(*it).filename().string() + " -> ";
      report(included_from, "include cycle: " + cycle + canonical.filename().string());
      return;
    }
    if (loaded_.count(key)) return;  // diamond includes are fine
    if (!fs::is_directory(canonical, ec)) {
      report(included_from, "rule pack directory '" + directory.string() + "' does not exist");
      return;
    }
    loaded_.insert(key);
    stack_.push_back(key);
    const fs::path manifest = canonical / "pack.yaml";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(canonical, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml" && entry.path().filename() != "pack.yaml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    if (fs::exists(manifest)) {
      load_manifest(manifest, directory);
    } else {
      report(included_from ? included_from : std::optional<Location>(Location{directory.string(), 1, 1}),
             "rule pack '" + directory.string() + "' has no pack.yaml");
    }
    for (const auto& file : files) load_file(file, display(file, directory));
    stack_.pop_back();
  }

 private:
  // Paths in messages are as the user gave the pack directory, not canonicalised.
  static std::string display(const fs::path& file, const fs::path& directory) {
    return (directory / file.filename()).lexically_normal().string();
  }

  void report(const std::optional<Location>& at, std::string message) {
    const Location where = at.value_or(Location{});
    out_.diagnostics.push_back({where.file, where.line, where.column, Severity::error, std::move(message)});
  }

  // The file's bytes, after noting it among the files read; nullopt (reported) when unreadable.
  std::optional<std::string> read(const fs::path& file, const std::string& shown, std::vector<Diagnostic>& diagnostics) {
    out_.model.files.push_back(file);
    out_.model.shown_files.push_back(shown);
    fold_into_hash(file.filename().string());
    fold_into_hash(std::string_view("\0", 1));
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      diagnostics.push_back({shown, 0, 0, Severity::error, "cannot read rule file"});
      return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string bytes = std::move(buffer).str();
    fold_into_hash(bytes);
    return bytes;
  }

  void fold_into_hash(std::string_view bytes) {
    std::uint64_t hash = out_.model.content_hash;
    for (const unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    out_.model.content_hash = hash;
  }

  static std::optional<YAML::Node> parse(const std::string& bytes, const std::string& shown,
                                         std::vector<Diagnostic>& diagnostics) {
    if (auto bad = first_invalid_utf8(bytes)) {
      // Position of the bad byte as line:column, columns counted in bytes.
      const auto line_start = bytes.rfind('\n', *bad == 0 ? 0 : *bad - 1);
      const std::size_t column = line_start == std::string::npos ? *bad : *bad - line_start - 1;
      const auto line = std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(*bad), '\n');
      diagnostics.push_back({shown, static_cast<int>(line) + 1, static_cast<int>(column) + 1, Severity::error,
                             "not valid UTF-8 (byte " + std::to_string(*bad) + ")"});
      return std::nullopt;
    }
    // yaml-cpp's parser recurses per level: refuse what could overflow the stack (hardening).
    if (bytes.size() > kMaxRuleFileBytes) {
      diagnostics.push_back({shown, 1, 1, Severity::error,
                             "rule file of " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                                 std::to_string(kMaxRuleFileBytes) + " bytes"});
      return std::nullopt;
    }
    if (const auto deep = find_deep_nesting(bytes)) {
      diagnostics.push_back({shown, deep->line, deep->column, Severity::error,
                             "YAML nested deeper than " + std::to_string(kMaxYamlNesting) +
                                 " levels; refused before parsing"});
      return std::nullopt;
    }
    try {
      return YAML::Load(bytes);
    } catch (const YAML::Exception& e) {
      diagnostics.push_back({shown, std::max(e.mark.line, 0) + 1, std::max(e.mark.column, 0) + 1, Severity::error,
                             "YAML syntax: " + e.msg});
    }
    return std::nullopt;
  }

  // yaml-cpp throws on some malformed documents only when a node is used; such a file is reported
  // where it went wrong and the rest of the pack is still read.
  template <typename F>
  static void guarded(const std::string& shown, std::vector<Diagnostic>& diagnostics, F&& read) {
    try {
      read();
    } catch (const YAML::Exception& e) {
      const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
      const int column = e.mark.column >= 0 ? e.mark.column + 1 : 1;
      diagnostics.push_back({shown, line, column, Severity::error, "YAML: " + e.msg});
    }
  }

  void load_manifest(const fs::path& manifest, const fs::path& directory) {
    const std::string shown = display(manifest, directory);
    const auto bytes = read(manifest, shown, out_.diagnostics);
    if (!bytes) return;
    auto root = parse(*bytes, shown, out_.diagnostics);
    if (!root) return;
    guarded(shown, out_.diagnostics, [&] { read_manifest(*root, shown, directory); });
  }

  void read_manifest(const YAML::Node& root, const std::string& shown, const fs::path& directory) {
    FileReader r(shown, out_.diagnostics);
    auto top = r.mapping(root, "pack.yaml", kPackFileKeys, {"pack"});
    if (!top.count("pack")) return;
    auto pack = r.mapping(top["pack"], "pack", kPackKeys, {"id"});
    const bool is_root = stack_.size() == 1;
    if (pack.count("id") && is_root) out_.model.id = r.identifier(pack["id"], "pack id");
    if (pack.count("description") && is_root) out_.model.description = r.scalar(pack["description"], "description");
    if (pack.count("include")) {
      for (const auto& inc : r.strings(pack["include"], "include")) {
        load_pack(directory / inc.text, inc.at);
      }
    }
  }

  // A rule file is read into a model of its own, which the cache can keep, and then added to the
  // pack's: what a file adds never depends on the files read before it.
  void load_file(const fs::path& file, const std::string& shown) {
    RuleFileModel part;
    try {
      if (const auto bytes = read(file, shown, part.diagnostics)) {
        const ModelCache cache(cache_);
        if (auto cached = cache.wants(*bytes) ? cache.find(shown, *bytes) : std::nullopt) {
          part = std::move(*cached);
        } else {
          read_rule_file(*bytes, shown, part);
          if (part.diagnostics.empty() && cache.wants(*bytes)) cache.store(shown, *bytes, part);
        }
      }
    } catch (...) {
      add(std::move(part));  // what was read before the failure, as when files were read in place
      throw;
    }
    add(std::move(part));
  }

  static void read_rule_file(const std::string& bytes, const std::string& shown, RuleFileModel& part) {
    auto root = parse(bytes, shown, part.diagnostics);
    if (!root || root->IsNull()) return;  // an empty file is allowed
    guarded(shown, part.diagnostics, [&] {
      FileReader r(shown, part.diagnostics);
      auto top = r.mapping(*root, "a rule file", kRuleFileKeys);
      if (top.count("actors")) read_actors(r, top["actors"], part);
      if (top.count("issues")) read_issues(r, top["issues"], part);
      if (top.count("cues")) read_cues(r, top["cues"], part);
      if (top.count("grammar")) read_grammar(r, top["grammar"], part);
      if (top.count("examples")) read_examples(r, top["examples"], part);
    });
  }

  void add(RuleFileModel&& part) {
    PackModel& model = out_.model;
    // Moves the shorter list: a file of 20,000 actors after a pack of 100 is the common big case.
    auto append = [](auto& to, auto& from) {
      if (to.size() < from.size()) {
        from.insert(from.begin(), std::make_move_iterator(to.begin()), std::make_move_iterator(to.end()));
        to = std::move(from);
      } else {
        to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
      }
    };
    append(model.actors, part.actors);
    append(model.issues, part.issues);
    append(model.cues, part.cues);
    append(model.grammar, part.grammar);
    for (const auto& a : part.abbreviations) model.abbreviations.insert(text::fold(a));
    append(model.examples, part.examples);
    append(out_.diagnostics, part.diagnostics);
  }

  template <typename F>
  static void each_item(FileReader& r, const YAML::Node& list, std::string_view what, F&& f) {
    if (!list.IsSequence()) {
      r.error(list, std::string(what) + " must be a list");
      return;
    }
    for (const YAML::Node& item : list) f(item);
  }

  static void read_actors(FileReader& r, const YAML::Node& list, RuleFileModel& part) {
    each_item(r, list, "actors", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "an actor", kActorKeys, {"id", "aliases"});
      ActorDef a;
      a.at = r.where(item);
      if (m.count("id")) a.id = r.identifier(m["id"], "actor id");
      if (m.count("name")) a.name = r.scalar(m["name"], "name");
      if (m.count("kind")) {
        a.kind = r.scalar(m["kind"], "kind");
        static const std::vector<std::string_view> kinds = {"person", "state", "bloc", "organisation", "group"};
        if (!a.kind.empty() && std::find(kinds.begin(), kinds.end(), a.kind) == kinds.end()) {
          r.error(m["kind"], "unknown actor kind '" + a.kind + "' (person, state, bloc, organisation, group)" + did_you_mean(a.kind, kinds));
        }
      }
      if (m.count("gender")) {
        a.gender = r.scalar(m["gender"], "gender");
        if (!a.gender.empty() && a.gender != "male" && a.gender != "female") {
          r.error(m["gender"], "gender must be male or female");
        }
      }
      if (m.count("affiliation")) {
        a.affiliation = r.identifier(m["affiliation"], "affiliation");
        a.affiliation_at = r.where(m["affiliation"]);
      }
      if (m.count("aliases")) a.aliases = r.strings(m["aliases"], "aliases");
      if (m.count("titles")) a.titles = r.strings(m["titles"], "titles");
      if (m.count("descriptors")) a.descriptors = r.strings(m["descriptors"], "descriptors");
      if (m.count("adjectives")) a.adjectives = r.strings(m["adjectives"], "adjectives");
      if (m.count("represents")) a.represents = r.strings(m["represents"], "represents");
      if (m.count("roles")) a.roles = read_roles(r, m["roles"]);
      if (a.name.empty() && !a.aliases.empty()) a.name = a.aliases.front().text;
      if (a.kind.empty()) a.kind = "person";
      if (!a.id.empty()) part.actors.push_back(std::move(a));
    });
  }

  static std::vector<RoleDef> read_roles(FileReader& r, const YAML::Node& list) {
    std::vector<RoleDef> roles;
    each_item(r, list, "roles", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "a role", kRoleKeys, {"title"});
      RoleDef role;
      role.at = r.where(item);
      if (m.count("title")) {
        role.title = {r.scalar(m["title"], "title"), r.where(m["title"])};
        if (role.title.text.empty() && m["title"].IsScalar()) r.error(m["title"], "title must not be empty");
      }
      if (m.count("from")) role.from = r.date(m["from"], "from");
      if (m.count("to")) role.to = r.date(m["to"], "to");
      if (!role.from.empty() && !role.to.empty() && role.to < role.from) {
        r.error(m["to"], "role '" + role.title.text + "' ends (" + role.to + ") before it starts (" + role.from + ")");
      }
      if (m.count("standalone")) role.standalone = r.boolean(m["standalone"], "standalone", false);
      if (m.count("note")) r.scalar(m["note"], "note");
      if (!role.title.text.empty()) roles.push_back(std::move(role));
    });
    return roles;
  }

  static void read_issues(FileReader& r, const YAML::Node& list, RuleFileModel& part) {
    each_item(r, list, "issues", [&](const YAML::Node& item) {
      // A missing `cues` is reported by the compiler, with every other issue that has no cue.
      auto m = r.mapping(item, "an issue", kIssueKeys, {"id", "proposition"});
      IssueDef issue;
      issue.at = r.where(item);
      if (m.count("id")) issue.id = r.identifier(m["id"], "issue id");
      if (m.count("proposition")) issue.proposition = r.scalar(m["proposition"], "proposition");
      if (m.count("members")) issue.members = r.strings(m["members"], "members");
      if (m.count("cues")) issue.cues = r.strings(m["cues"], "cues");
      if (m.count("holder_cues")) {
        each_item(r, m["holder_cues"], "holder_cues", [&](const YAML::Node& entry) {
          auto h = r.mapping(entry, "a holder_cues entry", kHolderCueKeys, {"sides", "patterns"});
          HolderCues cues;
          cues.at = r.where(entry);
          if (h.count("sides")) cues.sides = r.strings(h["sides"], "sides");
          if (h.count("patterns")) cues.patterns = r.strings(h["patterns"], "patterns");
          if (h.count("note")) r.scalar(h["note"], "note");
          issue.holder_cues.push_back(std::move(cues));
        });
      }
      if (m.count("opposite")) {
        issue.opposite = r.identifier(m["opposite"], "opposite");
        issue.opposite_at = r.where(m["opposite"]);
      }
      if (m.count("record_as_opposite")) {
        issue.record_as_opposite = r.boolean(m["record_as_opposite"], "record_as_opposite", false);
        issue.record_as_opposite_at = r.where(m["record_as_opposite"]);
      }
      if (!issue.id.empty()) part.issues.push_back(std::move(issue));
    });
  }

  static void read_cues(FileReader& r, const YAML::Node& list, RuleFileModel& part) {
    each_item(r, list, "cues", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "a cue", kCueKeys, {"id", "stance", "patterns"});
      CueDef cue;
      cue.at = r.where(item);
      if (m.count("id")) cue.id = r.identifier(m["id"], "cue id");
      if (m.count("stance")) {
        const std::string s = r.scalar(m["stance"], "stance");
        if (auto parsed = stance_of(s)) cue.stance = *parsed;
        else if (!s.empty()) r.error(m["stance"], "stance must be " + one_of(stance_names()) + ", not '" + s + "'" + did_you_mean(s, stance_names()));
      }
      if (m.count("form")) {
        const std::string f = r.scalar(m["form"], "form");
        if (auto parsed = cue_form_of(f)) cue.form = *parsed;
        else if (!f.empty()) r.error(m["form"], "form must be " + one_of(kCueFormNames) + ", not '" + f + "'" + did_you_mean(f, kCueFormNames));
      }
      if (m.count("note")) r.scalar(m["note"], "note");
      if (m.count("patterns")) cue.patterns = r.strings(m["patterns"], "patterns");
      if (m.count("priority")) cue.priority = r.integer(m["priority"], "priority").value_or(0);
      if (m.count("suppresses")) cue.suppresses = r.strings(m["suppresses"], "suppresses");
      if (!cue.id.empty()) part.cues.push_back(std::move(cue));
    });
  }

  static void read_grammar(FileReader& r, const YAML::Node& node, RuleFileModel& part) {
    std::vector<std::string_view> allowed(kGrammarKeys.begin(), kGrammarKeys.end());
    allowed.push_back("abbreviations");
    auto m = r.mapping(node, "grammar", allowed);
    for (std::size_t i = 0; i < kGrammarRoleCount; ++i) {
      const std::string key(kGrammarKeys[i]);
      if (m.count(key)) part.grammar.push_back({static_cast<GrammarRole>(i), r.strings(m[key], key)});
    }
    if (m.count("abbreviations")) {
      for (const auto& a : r.strings(m["abbreviations"], "abbreviations")) {
        if (a.text.back() != '.') {
          r.error(a.at, "abbreviation '" + a.text + "' must end with its dot");
          continue;
        }
        part.abbreviations.push_back(a.text);
      }
    }
  }

  static void read_examples(FileReader& r, const YAML::Node& list, RuleFileModel& part) {
    each_item(r, list, "examples", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "an example", kExampleKeys, {"text", "expect"});
      ExampleDef ex;
      ex.at = r.where(item);
      if (m.count("text")) {
        ex.text = r.scalar(m["text"], "text");
        if (ex.text.empty() && m["text"].IsScalar()) r.error(m["text"], "example text must not be empty");
      }
      if (m.count("todo")) ex.todo = r.boolean(m["todo"], "todo", false);
      if (m.count("note")) ex.note = r.scalar(m["note"], "note");
      if (m.count("date")) ex.date = r.date(m["date"], "date");
      if (m.count("expect")) {
        const YAML::Node expect = m["expect"];
        if (expect.IsScalar() && expect.Scalar() == "none") {
          ex.expect_none = true;
        } else if (expect.IsSequence() && expect.size() == 0) {
          ex.expect_none = true;  // `expect: []` says the same as `expect: none`
        } else {
          for (const auto& t : r.strings(expect, "expect")) {
            std::istringstream words(t.text);
            std::string actor, issue, stance, extra;
            words >> actor >> issue >> stance >> extra;
            auto parsed = stance_of(stance);
            if (actor.empty() || issue.empty() || !parsed || !extra.empty()) {
              r.error(t.at, "expected triple must read 'actor issue demand|accept|reject', not '" + t.text + "'");
              continue;
            }
            ex.expect.push_back({actor, issue, *parsed, t.at});
          }
        }
      }
      part.examples.push_back(std::move(ex));
    });
  }

  ModelLoad& out_;
  const ModelCacheOptions& cache_;
  std::vector<std::string> stack_;
  std::set<std::string> loaded_;
};

}  // namespace

std::string_view grammar_key(GrammarRole role) { return kGrammarKeys[static_cast<std::size_t>(role)]; }

std::vector<FormatSection> format_keys() {
  std::vector<std::string_view> grammar(kGrammarKeys.begin(), kGrammarKeys.end());
  grammar.push_back("abbreviations");
  return {{"pack.yaml", kPackFileKeys}, {"pack", kPackKeys},   {"rule file", kRuleFileKeys},
          {"actor", kActorKeys},        {"role", kRoleKeys},   {"issue", kIssueKeys},
          {"cue", kCueKeys},            {"grammar", grammar},  {"example", kExampleKeys}};
}

bool grammar_uses_stems(GrammarRole role) {
  return role == GrammarRole::reporting_verb || role == GrammarRole::anaphor;
}

ModelLoad load_model(const std::filesystem::path& directory, const ModelCacheOptions& cache) {
  ModelLoad out;
  try {
    PackLoader loader(out, cache);
    loader.load_pack(directory, std::nullopt);
  } catch (const std::exception& e) {  // filesystem or allocation failures: report, never crash
    out.diagnostics.push_back({directory.string(), 0, 0, Severity::error, std::string("cannot load rule pack: ") + e.what()});
  }
  return out;
}

}  // namespace stance::rules
