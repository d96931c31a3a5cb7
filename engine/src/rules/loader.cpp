// YAML -> PackModel. yaml-cpp accepts duplicate keys and ignores keys nobody reads, so every
// mapping is walked here by hand: unknown and duplicate keys are errors with their position.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "rules/model.hpp"
#include "text/fold.hpp"

namespace stance::rules {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, kGrammarRoleCount> kGrammarKeys = {
    "negators", "auxiliaries", "passive_auxiliaries", "determiners", "possessive_pronouns",
    "prepositions", "pronouns_male", "pronouns_female", "pronouns_speaker", "anaphors",
    "clause_breaks", "conditionals", "scope_ends", "hedges", "coordinators", "appositives",
    "agent_markers", "recipient_markers", "reporting_verbs", "reporting_markers",
    "relative_pronouns", "pronouns_collective"};

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

  Location where(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return {file_, mark.line + 1, mark.column + 1};
  }
  Location where(const YAML::Mark& mark) const { return {file_, mark.line + 1, mark.column + 1}; }

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

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

std::optional<Stance> stance_of(std::string_view s) { return parse_stance(s); }

std::optional<CueForm> cue_form_of(std::string_view s) {
  if (s == "verb") return CueForm::verb;
  if (s == "noun") return CueForm::noun;
  if (s == "predicate") return CueForm::predicate;
  if (s == "modal") return CueForm::modal;
  if (s == "volition") return CueForm::volition;
  return std::nullopt;
}

class PackLoader {
 public:
  explicit PackLoader(ModelLoad& out) : out_(out) {}

  void load_pack(const fs::path& directory, const std::optional<Location>& included_from) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(directory, ec);
    const std::string key = canonical.string();
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      std::string cycle;
      for (const auto& s : stack_) cycle += s + " -> ";
      report(included_from, "include cycle: " + cycle + key);
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

  std::optional<YAML::Node> parse(const fs::path& file, const std::string& shown) {
    out_.model.files.push_back(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      out_.diagnostics.push_back({shown, 0, 0, Severity::error, "cannot read rule file"});
      return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
      return YAML::Load(buffer.str());
    } catch (const YAML::Exception& e) {
      out_.diagnostics.push_back({shown, e.mark.line + 1, e.mark.column + 1, Severity::error,
                                  "YAML syntax: " + e.msg});
    }
    return std::nullopt;
  }

  void load_manifest(const fs::path& manifest, const fs::path& directory) {
    const std::string shown = display(manifest, directory);
    auto root = parse(manifest, shown);
    if (!root) return;
    FileReader r(shown, out_.diagnostics);
    auto top = r.mapping(*root, "pack.yaml", {"pack"}, {"pack"});
    if (!top.count("pack")) return;
    auto pack = r.mapping(top["pack"], "pack", {"id", "description", "include"}, {"id"});
    const bool is_root = stack_.size() == 1;
    if (pack.count("id") && is_root) out_.model.id = r.identifier(pack["id"], "pack id");
    if (pack.count("description") && is_root) out_.model.description = r.scalar(pack["description"], "description");
    if (pack.count("include")) {
      for (const auto& inc : r.strings(pack["include"], "include")) {
        load_pack(directory / inc.text, inc.at);
      }
    }
  }

  void load_file(const fs::path& file, const std::string& shown) {
    auto root = parse(file, shown);
    if (!root) return;
    if (root->IsNull()) return;  // an empty file is allowed
    FileReader r(shown, out_.diagnostics);
    auto top = r.mapping(*root, "a rule file", {"actors", "issues", "cues", "grammar", "examples"});
    if (top.count("actors")) read_actors(r, top["actors"]);
    if (top.count("issues")) read_issues(r, top["issues"]);
    if (top.count("cues")) read_cues(r, top["cues"]);
    if (top.count("grammar")) read_grammar(r, top["grammar"]);
    if (top.count("examples")) read_examples(r, top["examples"]);
  }

  template <typename F>
  void each_item(FileReader& r, const YAML::Node& list, std::string_view what, F&& f) {
    if (!list.IsSequence()) {
      r.error(list, std::string(what) + " must be a list");
      return;
    }
    for (const YAML::Node& item : list) f(item);
  }

  void read_actors(FileReader& r, const YAML::Node& list) {
    each_item(r, list, "actors", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "an actor",
                         {"id", "name", "kind", "gender", "affiliation", "aliases", "titles", "descriptors"},
                         {"id", "aliases"});
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
      if (a.name.empty() && !a.aliases.empty()) a.name = a.aliases.front().text;
      if (a.kind.empty()) a.kind = "person";
      if (!a.id.empty()) out_.model.actors.push_back(std::move(a));
    });
  }

  void read_issues(FileReader& r, const YAML::Node& list) {
    each_item(r, list, "issues", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "an issue", {"id", "proposition", "members", "cues"}, {"id", "proposition", "cues"});
      IssueDef issue;
      issue.at = r.where(item);
      if (m.count("id")) issue.id = r.identifier(m["id"], "issue id");
      if (m.count("proposition")) issue.proposition = r.scalar(m["proposition"], "proposition");
      if (m.count("members")) issue.members = r.strings(m["members"], "members");
      if (m.count("cues")) issue.cues = r.strings(m["cues"], "cues");
      if (!issue.id.empty()) out_.model.issues.push_back(std::move(issue));
    });
  }

  void read_cues(FileReader& r, const YAML::Node& list) {
    each_item(r, list, "cues", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "a cue", {"id", "stance", "form", "patterns", "note"}, {"id", "stance", "patterns"});
      CueDef cue;
      cue.at = r.where(item);
      if (m.count("id")) cue.id = r.identifier(m["id"], "cue id");
      if (m.count("stance")) {
        const std::string s = r.scalar(m["stance"], "stance");
        if (auto parsed = stance_of(s)) cue.stance = *parsed;
        else if (!s.empty()) r.error(m["stance"], "stance must be demand, accept or reject, not '" + s + "'" + did_you_mean(s, {"demand", "accept", "reject"}));
      }
      if (m.count("form")) {
        const std::string f = r.scalar(m["form"], "form");
        if (auto parsed = cue_form_of(f)) cue.form = *parsed;
        else if (!f.empty()) r.error(m["form"], "form must be verb, noun, predicate, modal or volition, not '" + f + "'" + did_you_mean(f, {"verb", "noun", "predicate", "modal", "volition"}));
      }
      if (m.count("note")) r.scalar(m["note"], "note");
      if (m.count("patterns")) cue.patterns = r.strings(m["patterns"], "patterns");
      if (!cue.id.empty()) out_.model.cues.push_back(std::move(cue));
    });
  }

  void read_grammar(FileReader& r, const YAML::Node& node) {
    std::vector<std::string_view> allowed(kGrammarKeys.begin(), kGrammarKeys.end());
    allowed.push_back("abbreviations");
    auto m = r.mapping(node, "grammar", allowed);
    for (std::size_t i = 0; i < kGrammarRoleCount; ++i) {
      const std::string key(kGrammarKeys[i]);
      if (m.count(key)) out_.model.grammar.push_back({static_cast<GrammarRole>(i), r.strings(m[key], key)});
    }
    if (m.count("abbreviations")) {
      for (const auto& a : r.strings(m["abbreviations"], "abbreviations")) {
        if (a.text.back() != '.') {
          r.error(a.at, "abbreviation '" + a.text + "' must end with its dot");
          continue;
        }
        out_.model.abbreviations.insert(text::fold(a.text));
      }
    }
  }

  void read_examples(FileReader& r, const YAML::Node& list) {
    each_item(r, list, "examples", [&](const YAML::Node& item) {
      auto m = r.mapping(item, "an example", {"text", "expect", "todo", "note"}, {"text", "expect"});
      ExampleDef ex;
      ex.at = r.where(item);
      if (m.count("text")) ex.text = r.scalar(m["text"], "text");
      if (m.count("todo")) ex.todo = r.scalar(m["todo"], "todo") == "true";
      if (m.count("note")) r.scalar(m["note"], "note");
      if (m.count("expect")) {
        const YAML::Node expect = m["expect"];
        if (expect.IsScalar() && expect.Scalar() == "none") {
          ex.expect_none = true;
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
            ex.expect.push_back({actor, issue, *parsed});
          }
        }
      }
      out_.model.examples.push_back(std::move(ex));
    });
  }

  ModelLoad& out_;
  std::vector<std::string> stack_;
  std::set<std::string> loaded_;
};

}  // namespace

std::string_view grammar_key(GrammarRole role) { return kGrammarKeys[static_cast<std::size_t>(role)]; }

bool grammar_uses_stems(GrammarRole role) {
  return role == GrammarRole::reporting_verb || role == GrammarRole::anaphor;
}

ModelLoad load_model(const std::filesystem::path& directory) {
  ModelLoad out;
  try {
    PackLoader loader(out);
    loader.load_pack(directory, std::nullopt);
  } catch (const std::exception& e) {  // filesystem or allocation failures: report, never crash
    out.diagnostics.push_back({directory.string(), 0, 0, Severity::error, std::string("cannot load rule pack: ") + e.what()});
  }
  return out;
}

}  // namespace stance::rules
