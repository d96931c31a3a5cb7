// Engine::explain and RulePack::near_misses: the trace behind every record, and the rules that
// almost fired, for rule authors.
#include <map>
#include <set>
#include <sstream>

#include "attribution/analysis.hpp"
#include "stance/engine.hpp"

namespace stance {
namespace {

std::string_view kind_name(detail::EntryKind kind) {
  switch (kind) {
    case detail::EntryKind::actor: return "actor";
    case detail::EntryKind::member: return "member";
    case detail::EntryKind::issue_cue: return "issue";
    case detail::EntryKind::stance_cue: return "cue";
    case detail::EntryKind::grammar: return "grammar";
  }
  return "?";
}

}  // namespace

std::string Engine::explain(const Article& article, std::size_t only_sentence) const {
  const auto& pack = pack_->compiled();
  const attribution::Analysis analysis = attribution::analyze(pack, article);
  const auto& doc = analysis.document;
  auto words = [&](std::uint32_t begin, std::uint32_t end) {
    if (begin >= end) return std::string();
    return std::string(doc.text.substr(doc.tokens[begin].begin, doc.tokens[end - 1].end - doc.tokens[begin].begin));
  };
  std::ostringstream out;
  for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
    if (only_sentence && only_sentence != s + 1) continue;
    const auto& sentence = doc.sentences[s];
    const auto& trace = analysis.sentences[s];
    out << "sentence " << s + 1 << " [" << sentence.begin << ", " << sentence.end << "): "
        << doc.text.substr(sentence.begin, sentence.end - sentence.begin) << "\n";
    out << "  tokens:";
    for (std::uint32_t t = sentence.first_token; t < sentence.end_token; ++t) {
      out << ' ' << doc.tokens[t].folded();
      if (doc.tokens[t].stem() != doc.tokens[t].folded()) out << '/' << doc.tokens[t].stem();
    }
    out << "\n";
    for (const auto& a : trace.actors) {
      out << "  actor    '" << words(a.begin, a.end) << "' -> " << pack.actors[static_cast<std::size_t>(a.actor)].id
          << (a.possessive ? " (possessive)" : "") << "\n";
    }
    for (const auto& p : trace.phrases) {
      const auto& e = pack.entries[static_cast<std::size_t>(p.entry)];
      if (e.kind == detail::EntryKind::grammar) continue;
      out << "  " << kind_name(e.kind) << (e.kind == detail::EntryKind::issue_cue ? "    '" : "      '")
          << words(p.begin, p.end) << "' -> " << e.rule_id << "  (" << e.at.file << ":" << e.at.line << " \""
          << e.pattern << "\")\n";
    }
    out << "  grammar ";
    for (const auto& p : trace.phrases) {
      const auto& e = pack.entries[static_cast<std::size_t>(p.entry)];
      if (e.kind == detail::EntryKind::grammar) out << " [" << words(p.begin, p.end) << ": " << e.rule_id.substr(8) << "]";
    }
    out << "\n";
    for (const auto& st : trace.statements) {
      out << "  statement: " << to_string(st.stance) << " by";
      for (auto h : st.holders) out << ' ' << pack.actors[static_cast<std::size_t>(h)].id;
      out << " on";
      for (auto i : st.issues) out << ' ' << pack.issues[static_cast<std::size_t>(i)].id;
      out << "  via '" << words(st.cue_begin, st.cue_end) << "' (" << pack.entries[static_cast<std::size_t>(st.cue_entry)].rule_id
          << "; " << st.how << (st.negated ? ", negated" : "") << (st.passive ? ", passive" : "");
      if (st.reported_by >= 0) out << ", reported by " << pack.actors[static_cast<std::size_t>(st.reported_by)].id;
      out << ")\n";
    }
    for (const auto& note : trace.notes) out << "  no stance: " << note << "\n";
    out << "\n";
  }
  return out.str();
}

std::vector<NearMiss> RulePack::near_misses(const Article& article, std::size_t only_sentence) const {
  const auto& pack = *compiled_;
  const attribution::Analysis analysis = attribution::analyze(pack, article);
  const auto& doc = analysis.document;
  const auto n = static_cast<std::uint32_t>(doc.tokens.size());
  std::vector<NearMiss> out;
  std::vector<match::AutomatonMatch> exact;
  std::vector<match::NearMatch> near;
  for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
    if (only_sentence && only_sentence != s + 1) continue;
    const auto& sentence = doc.sentences[s];
    // Every actor and member mention, unresolved: a near miss may lean on any reading of them.
    match::EntityIndex entities;
    entities.starting_at.assign(n + 1, {});
    exact.clear();
    pack.entities.find_all(doc.tokens, sentence.first_token, sentence.end_token, nullptr, exact);
    for (const auto& m : exact) {
      const auto& e = pack.entries[static_cast<std::size_t>(m.entry)];
      entities.starting_at[m.begin].push_back(static_cast<std::uint32_t>(entities.spans.size()));
      entities.spans.push_back({m.begin, m.end, e.kind == detail::EntryKind::actor, e.ref});
    }
    exact.clear();
    pack.phrases.find_all(doc.tokens, sentence.first_token, sentence.end_token, &entities, exact);
    near.clear();
    pack.phrases.find_near(doc.tokens, sentence.first_token, sentence.end_token, &entities, near);
    auto is_lexicon = [&](std::int32_t entry) {
      const auto kind = pack.entries[static_cast<std::size_t>(entry)].kind;
      return kind == detail::EntryKind::stance_cue || kind == detail::EntryKind::issue_cue;
    };
    // A rule that matched these words as written needs no help there.
    auto matched_here = [&](const match::NearMatch& m) {
      const auto& e = pack.entries[static_cast<std::size_t>(m.entry)];
      return std::any_of(exact.begin(), exact.end(), [&](const match::AutomatonMatch& x) {
        const auto& f = pack.entries[static_cast<std::size_t>(x.entry)];
        return f.kind == e.kind && f.ref == e.ref && x.begin < m.end && m.begin < x.end;
      });
    };
    std::sort(near.begin(), near.end(), [](const match::NearMatch& a, const match::NearMatch& b) {
      if (a.entry != b.entry) return a.entry < b.entry;
      if (a.begin != b.begin) return a.begin < b.begin;
      return a.end > b.end;  // of near misses from one place, the longest has the most words as written
    });
    std::set<std::int32_t> done;
    std::vector<std::pair<std::uint32_t, NearMiss>> found;
    for (const auto& m : near) {
      if (!is_lexicon(m.entry) || matched_here(m) || !done.insert(m.entry).second) continue;
      const auto& e = pack.entries[static_cast<std::size_t>(m.entry)];
      const auto& first = doc.tokens[m.begin];
      const auto& last = doc.tokens[m.end - 1];
      const auto& token = doc.tokens[m.token];
      NearMiss miss;
      miss.sentence = s + 1;
      miss.rule = e.rule_id;
      miss.pattern = e.pattern;
      miss.file = e.at.file;
      miss.line = e.at.line;
      miss.column = e.at.column;
      miss.words = std::string(doc.text.substr(first.begin, last.end - first.begin));
      miss.token = std::string(doc.text.substr(token.begin, token.end - token.begin));
      miss.dropped = m.edit == match::NearMatch::Edit::dropped;
      found.emplace_back(m.begin, std::move(miss));
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [begin, miss] : found) out.push_back(std::move(miss));
  }
  return out;
}

}  // namespace stance
