// PackModel -> CompiledPack: ids indexed, references resolved, every pattern compiled into the two
// automaton layers. With CompileOptions::lint it also looks for what is legal but probably wrong.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "rules/compiled_pack.hpp"
#include "text/fold.hpp"

namespace stance::detail {
namespace {

using rules::Location;

std::string at_text(const Location& at) { return at.file + ":" + std::to_string(at.line); }

std::size_t edit_distance(std::string_view a, std::string_view b) {
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

// " (did you mean 'x'?)" for the closest id within two edits, or "". Ties go to the first in
// alphabetical order, so messages never depend on hash order.
template <typename Map>
std::string suggest(const std::string& id, const Map& ids) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& [candidate, index] : ids) {
    (void)index;
    const std::size_t d = edit_distance(id, candidate);
    if (d < best_distance || (d == best_distance && !best.empty() && candidate < best)) {
      best_distance = d;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// What the linter remembers of one compiled pattern.
struct Compiled {
  std::int32_t entry = -1;
  match::PatternFacts facts;
};

class Compiler {
 public:
  Compiler(CompileResult& out, const CompileOptions& options) : out_(out), pack_(*out.pack), options_(options) {}

  void error(const Location& at, std::string message, Severity severity = Severity::error) {
    out_.diagnostics.push_back({at.file, at.line, at.column, severity, std::move(message)});
  }
  void warning(const Location& at, std::string message) { error(at, std::move(message), Severity::warning); }

  void run(rules::PackModel& model) {
    pack_.id = model.id;
    pack_.abbreviations = model.abbreviations;
    for (const auto& f : model.files) pack_.files.push_back(f.string());
    pack_.fingerprint = fingerprint(model.content_hash);
    index_ids(model);
    resolve_issue_links();
    resolve_cue_links();
    compile_entities(model);
    compile_phrases(model);
    pack_.entities.finish();
    pack_.phrases.finish();
    pack_.identity = std::make_shared<const int>(0);  // the vocabulary is complete
    for (const LexEntry& entry : pack_.entries) {
      pack_.entry_core.push_back({entry.kind, entry.via, static_cast<std::uint8_t>(pack_.group_of(entry)),
                                  !entry.valid_from.empty() || !entry.valid_to.empty(), entry.ref});
    }
    if (options_.lint) {
      lint_entities();
      lint_phrases();
      lint_examples(model);
    }
    for (const auto& ex : model.examples) {
      ExampleInfo info{ex.at.file, ex.at.line, ex.at.column, ex.text, {}, ex.expect_none, ex.todo, ex.note, ex.date};
      for (const auto& t : ex.expect) info.expect.push_back(t.actor + " " + t.issue + " " + std::string(to_string(t.stance)));
      pack_.example_infos.push_back(std::move(info));
    }
    pack_.examples = std::move(model.examples);
  }

 private:
  static std::string fingerprint(std::uint64_t content_hash) {
    std::ostringstream hex;
    hex << std::hex << content_hash;
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
      pack_.person.push_back(a.kind == "person");
      actor_defs_.push_back(&a);
    }
    for (const auto& i : model.issues) {
      if (!claim(i.id, i.at, "issue")) continue;
      pack_.issue_index.emplace(i.id, static_cast<std::int32_t>(pack_.issues.size()));
      pack_.issues.push_back({i.id, i.proposition, {}});
      issue_defs_.push_back(&i);
    }
    for (const auto& c : model.cues) {
      if (!claim(c.id, c.at, "cue")) continue;
      cue_index_.emplace(c.id, static_cast<std::int32_t>(pack_.cues.size()));
      pack_.cues.push_back({c.id, c.stance, c.form, c.priority, {}});
      cue_defs_.push_back(&c);
    }
    pack_.affiliation.assign(pack_.actors.size(), -1);
    for (std::size_t i = 0; i < actor_defs_.size(); ++i) {
      const auto& a = *actor_defs_[i];
      if (a.affiliation.empty()) {
        if (a.kind == "person") warning(a.at, "person '" + a.id + "' has no affiliation");
        continue;
      }
      auto found = pack_.actor_index.find(a.affiliation);
      if (found == pack_.actor_index.end()) {
        error(a.affiliation_at, "affiliation '" + a.affiliation + "' of actor '" + a.id + "' is not an actor of this pack" +
                                    suggest(a.affiliation, pack_.actor_index));
        continue;
      }
      if (found->second == static_cast<std::int32_t>(i)) {
        error(a.affiliation_at, "actor '" + a.id + "' cannot be affiliated with itself");
        continue;
      }
      pack_.affiliation[i] = found->second;
    }
    pack_.represents.assign(pack_.actors.size(), {});
    for (std::size_t i = 0; i < actor_defs_.size(); ++i) {
      for (const auto& member : actor_defs_[i]->represents) {
        auto found = pack_.actor_index.find(member.text);
        if (found == pack_.actor_index.end()) {
          error(member.at, "'" + member.text + "' in represents of '" + actor_defs_[i]->id + "' is not an actor of this pack" +
                               suggest(member.text, pack_.actor_index));
          continue;
        }
        pack_.represents[i].push_back(found->second);
      }
    }
  }

  void resolve_issue_links() {
    pack_.opposite.assign(pack_.issues.size(), -1);
    // Declared links first, then their mirror images where the other side declares nothing.
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      const auto& issue = *issue_defs_[i];
      if (issue.opposite.empty()) continue;
      auto found = pack_.issue_index.find(issue.opposite);
      if (found == pack_.issue_index.end()) {
        error(issue.opposite_at, "opposite '" + issue.opposite + "' of issue '" + issue.id + "' is not an issue of this pack" +
                                     suggest(issue.opposite, pack_.issue_index));
        continue;
      }
      if (found->second == static_cast<std::int32_t>(i)) {
        error(issue.opposite_at, "issue '" + issue.id + "' cannot be opposite to itself");
        continue;
      }
      pack_.opposite[i] = found->second;
    }
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      const std::int32_t other = pack_.opposite[i];
      if (other < 0) continue;
      const auto o = static_cast<std::size_t>(other);
      if (pack_.opposite[o] < 0) {
        pack_.opposite[o] = static_cast<std::int32_t>(i);
      } else if (pack_.opposite[o] != static_cast<std::int32_t>(i) && !issue_defs_[o]->opposite.empty()) {
        error(issue_defs_[i]->opposite_at, "issue '" + issue_defs_[i]->id + "' is opposite to '" + issue_defs_[o]->id +
                                               "', but '" + issue_defs_[o]->id + "' is opposite to '" +
                                               pack_.issues[static_cast<std::size_t>(pack_.opposite[o])].id + "' (" +
                                               at_text(issue_defs_[o]->opposite_at) + ")");
      }
    }
    for (std::size_t i = 0; i < pack_.issues.size(); ++i) {
      if (pack_.opposite[i] >= 0) pack_.issues[i].opposite = pack_.issues[static_cast<std::size_t>(pack_.opposite[i])].id;
    }
    pack_.record_as_opposite.assign(pack_.issues.size(), false);
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      const auto& issue = *issue_defs_[i];
      if (!issue.record_as_opposite) continue;
      if (pack_.opposite[i] < 0) {
        error(issue.record_as_opposite_at, "issue '" + issue.id + "' is recorded as its opposite but has no 'opposite'");
        continue;
      }
      const auto o = static_cast<std::size_t>(pack_.opposite[i]);
      if (issue_defs_[o]->record_as_opposite) {
        if (o < i) continue;  // reported at the first of the two
        error(issue.record_as_opposite_at, "issues '" + issue.id + "' and '" + issue_defs_[o]->id +
                                               "' are each recorded as the other: one of them must be recorded as itself");
        continue;
      }
      pack_.record_as_opposite[i] = true;
      pack_.issues[i].record_as_opposite = true;
    }
  }

  void resolve_cue_links() {
    for (std::size_t i = 0; i < cue_defs_.size(); ++i) {
      for (const auto& target : cue_defs_[i]->suppresses) {
        auto found = cue_index_.find(target.text);
        if (found == cue_index_.end()) {
          error(target.at, "cue '" + cue_defs_[i]->id + "' suppresses '" + target.text + "', which is not a cue of this pack" +
                               suggest(target.text, cue_index_));
          continue;
        }
        if (found->second == static_cast<std::int32_t>(i)) {
          error(target.at, "cue '" + cue_defs_[i]->id + "' cannot suppress itself");
          continue;
        }
        pack_.cues[i].suppresses.push_back(found->second);
      }
    }
  }

  std::int32_t add_entry(LexEntry entry) {
    pack_.entries.push_back(std::move(entry));
    return static_cast<std::int32_t>(pack_.entries.size() - 1);
  }

  // Returns whether the pattern compiled. `shown` is what messages call the pattern when it is
  // not the source text itself (a title combined with an alias).
  bool add_pattern(match::Automaton& automaton, const rules::PatternSource& source, LexEntry entry,
                   const match::PatternContext& context, std::vector<Compiled>* lint_list = nullptr) {
    entry.at = source.at;
    entry.pattern = source.text;
    const std::int32_t id = add_entry(std::move(entry));
    match::PatternFacts facts;
    if (auto problem = automaton.add(source.text, id, context, &facts)) {
      error(source.at, *problem);
      return false;
    }
    if (lint_list) lint_list->push_back({id, std::move(facts)});
    return true;
  }

  // Titles are combined with every alias; a bad title is reported once, on its own, not once per alias.
  bool title_compiles(const rules::PatternSource& title, const match::PatternContext& context) {
    match::Automaton scratch;
    match::Vocabulary vocabulary;
    match::PatternContext alone = context;
    alone.vocabulary = &vocabulary;
    if (auto problem = scratch.add(title.text, 0, alone)) {
      error(title.at, *problem);
      return false;
    }
    return true;
  }

  void compile_entities(const rules::PackModel& model) {
    (void)model;
    match::PatternContext ctx{&pack_.vocabulary, &stemmer_, nullptr, -1, false};
    for (std::size_t i = 0; i < actor_defs_.size(); ++i) {
      const auto& a = *actor_defs_[i];
      const auto ref = static_cast<std::int32_t>(i);
      const std::string rule = "actor:" + a.id;
      std::vector<const rules::PatternSource*> titles;
      for (const auto& title : a.titles) {
        if (title_compiles(title, ctx)) titles.push_back(&title);
      }
      std::vector<const rules::RoleDef*> roles;
      for (const auto& role : a.roles) {
        if (title_compiles(role.title, ctx)) roles.push_back(&role);
      }
      for (const auto& alias : a.aliases) {
        if (!add_pattern(pack_.entities, alias, {EntryKind::actor, ref, ActorVia::alias, rule, {}, {}, {}, {}, {}}, ctx, &entity_patterns_)) {
          continue;
        }
        for (const auto* title : titles) {
          rules::PatternSource combined{"(" + title->text + ") (" + alias.text + ")", title->at};
          add_pattern(pack_.entities, combined, {EntryKind::actor, ref, ActorVia::titled, rule, {}, {}, {}, {}, {}}, ctx, &entity_patterns_);
        }
        for (const auto* role : roles) {
          rules::PatternSource combined{"(" + role->title.text + ") (" + alias.text + ")", role->title.at};
          add_pattern(pack_.entities, combined,
                      {EntryKind::actor, ref, ActorVia::titled, rule, {}, {}, role->from, role->to, {}}, ctx, &entity_patterns_);
        }
      }
      for (const auto* role : roles) {
        if (!role->standalone) continue;
        add_pattern(pack_.entities, role->title,
                    {EntryKind::actor, ref, ActorVia::descriptor, rule, {}, {}, role->from, role->to, {}}, ctx, &entity_patterns_);
      }
      for (const auto& d : a.descriptors) {
        add_pattern(pack_.entities, d, {EntryKind::actor, ref, ActorVia::descriptor, rule, {}, {}, {}, {}, {}}, ctx, &entity_patterns_);
      }
      for (const auto& adjective : a.adjectives) {
        add_pattern(pack_.entities, adjective, {EntryKind::actor, ref, ActorVia::adjective, rule, {}, {}, {}, {}, {}}, ctx, &entity_patterns_);
      }
      pack_.titles.resize(actor_defs_.size());
      for (const auto* title : titles) pack_.titles[i].push_back({text::fold(title->text), {}, {}});
      for (const auto* role : roles) pack_.titles[i].push_back({text::fold(role->title.text), role->from, role->to});
    }
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      for (const auto& member : issue_defs_[i]->members) {
        add_pattern(pack_.entities, member,
                    {EntryKind::member, static_cast<std::int32_t>(i), ActorVia::alias, "member:" + issue_defs_[i]->id, {}, {}, {}, {}, {}},
                    ctx, &entity_patterns_);
      }
    }
  }

  void compile_phrases(const rules::PackModel& model) {
    for (std::size_t i = 0; i < issue_defs_.size(); ++i) {
      const auto& issue = *issue_defs_[i];
      match::PatternContext ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, static_cast<std::int32_t>(i), true};
      if (issue.cues.empty()) error(issue.at, "issue '" + issue.id + "' has no cue");
      for (const auto& cue : issue.cues) {
        const std::size_t before = phrase_patterns_.size();
        add_pattern(pack_.phrases, cue, {EntryKind::issue_cue, static_cast<std::int32_t>(i), ActorVia::alias, "issue:" + issue.id, {}, {}, {}, {}, {}},
                    ctx, &phrase_patterns_);
        if (phrase_patterns_.size() > before && phrase_patterns_.back().facts.uses_member && issue.members.empty()) {
          error(cue.at, "pattern '" + cue.text + "' needs $member, but issue '" + issue.id + "' has no members, so it never matches");
        }
      }
      for (const auto& group : issue.holder_cues) {
        std::vector<std::int32_t> sides;
        for (const auto& side : group.sides) {
          auto found = pack_.actor_index.find(side.text);
          if (found == pack_.actor_index.end()) {
            error(side.at, "side '" + side.text + "' in holder_cues of issue '" + issue.id + "' is not an actor of this pack" +
                               suggest(side.text, pack_.actor_index));
            continue;
          }
          sides.push_back(found->second);
        }
        for (const auto& cue : group.patterns) {
          LexEntry entry{EntryKind::issue_cue, static_cast<std::int32_t>(i), ActorVia::alias, "issue:" + issue.id, {}, {}, {}, {}, {}};
          entry.holder_sides = sides;
          add_pattern(pack_.phrases, cue, std::move(entry), ctx, &phrase_patterns_);
        }
      }
    }
    match::PatternContext cue_ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, -1, true};
    for (std::size_t i = 0; i < cue_defs_.size(); ++i) {
      for (const auto& p : cue_defs_[i]->patterns) {
        add_pattern(pack_.phrases, p, {EntryKind::stance_cue, static_cast<std::int32_t>(i), ActorVia::alias, cue_defs_[i]->id, {}, {}, {}, {}, {}},
                    cue_ctx, &phrase_patterns_);
      }
    }
    for (const auto& list : model.grammar) {
      match::PatternContext ctx{&pack_.vocabulary, &stemmer_, &pack_.actor_index, -1, rules::grammar_uses_stems(list.role)};
      for (const auto& p : list.patterns) {
        add_pattern(pack_.phrases, p,
                    {EntryKind::grammar, static_cast<std::int32_t>(list.role), ActorVia::alias,
                     "grammar:" + std::string(rules::grammar_key(list.role)), {}, {}, {}, {}, {}},
                    ctx, &phrase_patterns_);
      }
    }
  }

  // ---- lint (stance check) ------------------------------------------------------------------

  std::string owner(const LexEntry& e) const {
    switch (e.kind) {
      case EntryKind::actor: return "actor '" + pack_.actors[static_cast<std::size_t>(e.ref)].id + "'";
      case EntryKind::member: return "members of issue '" + pack_.issues[static_cast<std::size_t>(e.ref)].id + "'";
      case EntryKind::issue_cue: return "issue '" + pack_.issues[static_cast<std::size_t>(e.ref)].id + "'";
      case EntryKind::stance_cue: return "cue '" + pack_.cues[static_cast<std::size_t>(e.ref)].id + "'";
      case EntryKind::grammar: return "grammar list '" + std::string(rules::grammar_key(static_cast<rules::GrammarRole>(e.ref))) + "'";
    }
    return "?";
  }

  static bool windows_overlap(const LexEntry& a, const LexEntry& b) {
    const bool a_before_b = !a.valid_to.empty() && !b.valid_from.empty() && a.valid_to < b.valid_from;
    const bool b_before_a = !b.valid_to.empty() && !a.valid_from.empty() && b.valid_to < a.valid_from;
    return !a_before_b && !b_before_a;
  }

  static std::string what(const LexEntry& e) {
    if (e.kind == EntryKind::member) return "member";
    switch (e.via) {
      case ActorVia::alias: return "alias";
      case ActorVia::titled: return "title";
      case ActorVia::descriptor: return "descriptor";
      case ActorVia::adjective: return "adjective";
    }
    return "pattern";
  }

  // Two actors named by the same words is an error (one of them can never be found by them); the
  // same words twice for one actor or issue, or for an actor and a member, is redundant.
  void lint_entities() {
    std::map<std::string, std::vector<std::int32_t>> by_canonical;
    std::set<std::tuple<std::string, int, int, std::int32_t>> reported;
    for (const auto& c : entity_patterns_) {
      const LexEntry& e = pack_.entries[static_cast<std::size_t>(c.entry)];
      auto& earlier = by_canonical[c.facts.canonical];
      for (std::int32_t other_id : earlier) {
        const LexEntry& o = pack_.entries[static_cast<std::size_t>(other_id)];
        const bool both_actors = e.kind == EntryKind::actor && o.kind == EntryKind::actor;
        if (both_actors && e.ref != o.ref) {
          if (!windows_overlap(e, o)) continue;
          if (!reported.insert({e.at.file, e.at.line, e.at.column, o.ref}).second) continue;
          const std::string shown = e.via == ActorVia::titled ? e.pattern : "'" + e.pattern + "'";
          error(e.at, what(e) + " " + shown + " of actor '" + pack_.actors[static_cast<std::size_t>(e.ref)].id +
                          "' matches the same words as " + what(o) + " '" + o.pattern + "' of actor '" +
                          pack_.actors[static_cast<std::size_t>(o.ref)].id + "' (" + at_text(o.at) + ")");
          break;
        }
        // Title combinations repeat whatever their alias repeats: reported there, once.
        if (e.via == ActorVia::titled || o.via == ActorVia::titled) continue;
        if (e.kind == o.kind && e.ref == o.ref) {
          warning(e.at, what(e) + " '" + e.pattern + "' repeats '" + o.pattern + "' of " + owner(e) + " (" + at_text(o.at) +
                            ") after folding; it adds nothing");
        } else {
          warning(e.at, what(e) + " '" + e.pattern + "' of " + owner(e) + " matches the same words as " + what(o) + " '" + o.pattern +
                            "' of " + owner(o) + " (" + at_text(o.at) + "); the first one wins");
        }
        break;
      }
      earlier.push_back(c.entry);
      lint_gaps(c, e);
    }
  }

  void lint_phrases() {
    std::map<std::pair<std::size_t, std::string>, std::int32_t> first;
    for (const auto& c : phrase_patterns_) {
      const LexEntry& e = pack_.entries[static_cast<std::size_t>(c.entry)];
      // Holder-bound issue cues (holder_cues) fire only for their sides: key them by those too.
      std::string key = c.facts.canonical;
      for (std::int32_t side : e.holder_sides) key += "|side:" + std::to_string(side);
      auto [it, fresh] = first.emplace(std::make_pair(pack_.group_of(e), key), c.entry);
      if (!fresh) {
        const LexEntry& o = pack_.entries[static_cast<std::size_t>(it->second)];
        if (e.ref == o.ref) {
          warning(e.at, "pattern '" + e.pattern + "' repeats '" + o.pattern + "' of " + owner(e) + " (" + at_text(o.at) +
                            ") after folding and stemming; it adds nothing");
        } else {
          // Two owners on the same words always fire together (a cue that is both demand and
          // reject, a phrase that is two issues at once): a contradiction, not a style issue.
          error(e.at, "pattern '" + e.pattern + "' of " + owner(e) + " is shadowed by '" + o.pattern + "' of " + owner(o) +
                          " (" + at_text(o.at) + "): the same after folding and stemming, so they always fire together");
        }
      }
      lint_gaps(c, e);
    }
  }

  void lint_gaps(const Compiled& c, const LexEntry& e) {
    if (c.facts.trailing_gap > 0) {
      warning(e.at, "pattern '" + e.pattern + "' ends with a gap: the longest match swallows up to " +
                        std::to_string(c.facts.trailing_gap) + " more token(s); end it with a word");
    }
    if (c.facts.total_gap > match::Automaton::kMaxGap) {
      warning(e.at, "gaps in pattern '" + e.pattern + "' add up to " + std::to_string(c.facts.total_gap) +
                        " tokens (more than " + std::to_string(match::Automaton::kMaxGap) +
                        "): a match may reach across clauses");
    }
  }

  void lint_examples(const rules::PackModel& model) {
    for (const auto& ex : model.examples) {
      for (const auto& t : ex.expect) {
        if (!pack_.actor_index.count(t.actor)) {
          error(t.at, "example expects actor '" + t.actor + "', which is not an actor of this pack" + suggest(t.actor, pack_.actor_index));
        }
        if (!pack_.issue_index.count(t.issue)) {
          error(t.at, "example expects issue '" + t.issue + "', which is not an issue of this pack" + suggest(t.issue, pack_.issue_index));
        }
      }
    }
  }

  CompileResult& out_;
  CompiledPack& pack_;
  const CompileOptions& options_;
  text::Stemmer stemmer_;
  std::vector<const rules::ActorDef*> actor_defs_;
  std::vector<const rules::IssueDef*> issue_defs_;
  std::vector<const rules::CueDef*> cue_defs_;
  std::unordered_map<std::string, std::int32_t> cue_index_;
  std::vector<Compiled> entity_patterns_, phrase_patterns_;
};

}  // namespace

CompileResult compile(rules::PackModel model, const CompileOptions& options) {
  CompileResult out;
  out.pack = std::make_shared<CompiledPack>();
  Compiler compiler(out, options);
  compiler.run(model);
  return out;
}

}  // namespace stance::detail
