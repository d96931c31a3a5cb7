// Engine::explain: the trace behind every record, for rule authors.
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
      out << ' ' << doc.tokens[t].folded;
      if (doc.tokens[t].stem != doc.tokens[t].folded) out << '/' << doc.tokens[t].stem;
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

}  // namespace stance
