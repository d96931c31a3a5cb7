#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "rules/compiled_pack.hpp"
#include "text/fold.hpp"

namespace stance::detail {
namespace {

using rules::Location;

std::string at_text(const Location& at) { return at.file + ":" + std::to_string(at.line); }

class Compiler {
 public:
  explicit Compiler(CompileResult& out) : out_(out), pack_(*out.pack) {}

  void error(const Location& at, std::string message, Severity severity = Severity::error) {
    out_.diagnostics.push_back({at.file, at.line, at.column, severity, std::move(message)});
  }

  void run(rules::PackModel& model) {
    pack_.id = model.id;
    pack_.abbreviations = model.abbreviations;
    for (const auto& f : model.files) pack_.files.push_back(f.string());
    pack_.fingerprint = fingerprint(model.files);
    index_ids(model);
    compile_entities(model);
    compile_phrases(model);
    pack_.entities.finish();
    pack_.phrases.finish();
    pack_.examples = std::move(model.examples);
  }

 private:
  static std::string fingerprint(const std::vector<std::filesystem::path>& files) {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over every file's name and bytes
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      for (unsigned char c : file.filename().string() + '\0' + buffer.str()) {
        hash ^= c;
        hash *= 1099511628211ULL;
      }
    }
    std::ostringstream hex;
    hex << std::hex << hash;
    return hex.str();
  }

  void index_ids(const rules::PackModel& model) {
    std::map<std::string, Location> seen;  // ids are unique across actors, issues and cues
    auto claim = [&](const std::string& id, const Location& at, const char* what) {
      auto [it, fresh] = seen.emplace(id, at);
      if (!fresh) error(at, std::string("duplicate ") + what + " id '" + id + "' (first defined at " + at_text(it->second) + ")");
      return fresh;
    };
    for (const auto& a : model.actors) {
      if (!claim(a.id, a.at, "actor")) continue;
      pack_.actor_index.emplace(a.id, static_cast<std::int32_t>(pack_.actors.size()));
      pack_.actors.push_back({a.id, a.name, a.kind, a.affiliation, a.gender});
      actor_defs_.push_back(&a);
    }
    for (const auto& i : model.issues) {
      if (!claim(i.id, i.at, "issue")) continue;
      pack_.issue_index.emplace(i.id, static_cast<std::int32_t>(pack_.issues.size()));
      pack_.issues.push_back({i.id, i.proposition});
      issue_defs_.push_back(&i);
    }
    for (const auto& c : model.cues) {
      if (!claim(c.id, c.at, "cue")) continue;
      pack_.cues.push_back({c.id, c.stance, c.form});
      cue_defs_.push_back(&c);
    }
    pack_.affiliation.assign(pack_.actors.size(), -1);
    for (std::size_t i = 0; i < actor_defs_.size(); ++i) {
      const auto& a = *actor_defs_[i];
      if (a.affiliation.empty()) {
        if (a.kind == "person") error(a.at, "person '" + a.id + "' has no affiliation", Severity::warning);
        continue;
      }
      auto found = pack_.actor_index.find(a.affiliation);
      if (found == pack_.actor_index.end()) {
        error(a.affiliation_at, "affiliation '" + a.affiliation + "' of actor '" + a.id + "' is not an actor of this pack" + suggest(a.affiliation));
        continue;
      }
      pack_.affiliation[i] = found->second;
    }
  }

  std::string suggest(const std::string& id) const {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& [candidate, index] : pack_.actor_index) {
      (void)index;
      std::size_t d = distance(id, candidate);
      if (d < best_distance) { best_distance = d; best = candidate; }
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
  }

  static std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  }

  std::int32_t add_entry(LexEntry entry) {
    pack_.entries.push_back(std::move(entry));
    return static_cast<std::int32_t>(pack_.entries.size() - 1);
  }

  void add_pattern(match::Automaton& automaton, const rules::PatternSource& source, LexEntry entry,
                   const match::PatternContext& context) {
    entry.at = source.at;
    entry.pattern = source.text;
    const std::int32_t id = add_entry(std::move(entry));
    if (auto problem = automaton.add(source.text, id, context)) error(source.at, *problem);
  }

  void compile_entities(const rules::PackModel& model) {
    (void)model;
    match::PatternContext ctx{&pack_.vocabulary, &stemmer_, nullptr, -1, false};
    std::map<std::string, std::pair<std::string, Location>> alias_owner;  // folded alias -> actor
    for (std::size_t i = 0; i < actor_defs_.size(); ++i) {
      const auto& a = *actor_defs_[i];
      const auto ref = static_cast<std::int32_t>(i);
      for (const auto& alias : a.aliases) {
        const std::string key = text::fold(alias.text);
        auto [it, fresh] = alias_owner.emplace(key, std::make_pair(a.id, alias.at));
        if (!fresh && it->second.first != a.id) {
          error(alias.at, "alias '" + alias.text + "' of '" + a.id + "' is also an alias of '" + it->second.first +
                              "' (" + at_text(it->second.second) + "); the first definition wins", Severity::warning);
        }
        add_pattern(pack_.entities, alias, {EntryKind::actor, ref, ActorVia::alias, "actor:" + a.id, {}, {}}, ctx);
        for (const auto& title : a.titles) {
          rules::PatternSource combined{"(" + title.text + ") (" + alias.text + ")", title.at};
          add_pattern(pack_.entities, combined, {EntryKind::actor, ref, ActorVia::titled, "actor:" + a.id, {}, {}}, ctx);
        }
      }
      for (const auto& d : a.descriptors) {
        add_pattern(pack_.entities, d, {EntryKind::actor, ref, ActorVia::descriptor, "actor:" + a.id, {}, {}}, ctx);
      }
    }
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      for (const auto& member : issue_defs_[i]->members) {
        add_pattern(pack_.entities, member,
                    {EntryKind::member, static_cast<std::int32_t>(i), ActorVia::alias, "member:" + issue_defs_[i]->id, {}, {}}, ctx);
      }
    }
  }

  void compile_phrases(const rules::PackModel& model) {
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      const auto& issue = *issue_defs_[i];
      match::PatternContext ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, static_cast<std::int32_t>(i), true};
      if (issue.cues.empty()) error(issue.at, "issue '" + issue.id + "' has no cue");
      for (const auto& cue : issue.cues) {
        add_pattern(pack_.phrases, cue, {EntryKind::issue_cue, static_cast<std::int32_t>(i), ActorVia::alias, "issue:" + issue.id, {}, {}}, ctx);
      }
    }
    match::PatternContext cue_ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, -1, true};
    for (std::size_t i = 0; i < cue_defs_.size(); ++i) {
      for (const auto& p : cue_defs_[i]->patterns) {
        add_pattern(pack_.phrases, p, {EntryKind::stance_cue, static_cast<std::int32_t>(i), ActorVia::alias, cue_defs_[i]->id, {}, {}}, cue_ctx);
      }
    }
    for (const auto& list : model.grammar) {
      match::PatternContext ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, -1, rules::grammar_uses_stems(list.role)};
      for (const auto& p : list.patterns) {
        add_pattern(pack_.phrases, p,
                    {EntryKind::grammar, static_cast<std::int32_t>(list.role), ActorVia::alias,
                     "grammar:" + std::string(rules::grammar_key(list.role)), {}, {}}, ctx);
      }
    }
  }

  CompileResult& out_;
  CompiledPack& pack_;
  text::Stemmer stemmer_;
  std::vector<const rules::ActorDef*> actor_defs_;
  std::vector<const rules::IssueDef*> issue_defs_;
  std::vector<const rules::CueDef*> cue_defs_;
};

}  // namespace

CompileResult compile(rules::PackModel model) {
  CompileResult out;
  out.pack = std::make_shared<CompiledPack>();
  Compiler compiler(out);
  compiler.run(model);
  return out;
}

}  // namespace stance::detail
