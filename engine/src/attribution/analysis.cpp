#include "attribution/analysis.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>

#include "coding_workspace.hpp"
#include "text/stemmer.hpp"
#include "text/tokenizer.hpp"

namespace stance::attribution {
namespace {

using detail::CompiledPack;
using detail::EntryKind;
using detail::LexEntry;
using rules::CueForm;
using rules::GrammarRole;

constexpr std::int32_t kNoIndex = -1;
constexpr std::uint32_t kNoToken = UINT32_MAX;

// `values` made n entries of kNoIndex (or kNoToken): both are all one bits, so this is a memset,
// where assign() fills an element at a time (these per-token arrays are reset for every article).
template <typename T>
void fill_none(std::vector<T>& values, std::size_t n) {
  static_assert(std::is_integral_v<T> && static_cast<T>(kNoIndex) == static_cast<T>(~T{0}));
  values.resize(n);
  if (n != 0) std::memset(values.data(), 0xFF, n * sizeof(T));
}

// `values` made n zeros, by value-initialisation (a memset; assign(n, 0) fills an element at a time).
template <typename T>
void fill_zero(std::vector<T>& values, std::size_t n) {
  values.clear();
  values.resize(n);
}

// The sign algebra of nested cues ("refused to accept", "urged ... to accept", "backed X's call
// for"): demand and accept are support (+), reject is opposition (-).
Stance compose(Stance outer, Stance inner) {
  const int sign = (outer == Stance::reject ? -1 : 1) * (inner == Stance::reject ? -1 : 1);
  if (sign < 0) return Stance::reject;
  return outer == Stance::reject ? Stance::accept : outer;
}

struct Holder {
  std::int32_t actor = kNoIndex;
  std::int32_t reported_by = kNoIndex;
  bool via_pronoun = false;
};

struct QuoteRegion {
  std::uint32_t begin = 0, end = 0;  // tokens inside the quote
  // The runs of tokens this quote owns (those not inside an earlier-closed quote), as a range of
  // DocumentAnalyzer::quote_runs_: nested quotes then cost their length once, not once per level.
  std::uint32_t runs_begin = 0, runs_end = 0;
  std::vector<std::int32_t> speakers;
  bool speech = false;
};

struct Recent {
  std::size_t sentence = 0;
  std::vector<std::int32_t> issues;
  std::vector<std::int32_t> sides;  // the holders' affiliations
  std::string cue_stem;             // the stem of the cue's first word ("propos" for "proposal")
};

// What one analysis builds per token, sentence and quote. The thread's workspace keeps it from one
// article to the next (CodingWorkspace::analyzer_state) so that the vectors' capacity is reused:
// allocating and freeing them per article cost a tenth of a run's time.
struct AnalyzerState {
  match::EntityIndex entity_index_;
  std::vector<ActorMention> actors_;
  std::vector<std::int32_t> actor_end_, actor_begin_;
  std::vector<std::pair<std::uint32_t, std::int32_t>> adjective_end_;  // last token -> (first token, actor)
  // The 27 arrays only grow, and only the entries an article set (role_marks_: role, token) are
  // zeroed again: zeroing all of them per article was a good part of its cost.
  std::array<std::vector<std::uint32_t>, rules::kGrammarRoleCount> role_end_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> role_marks_;
  std::vector<std::uint32_t> role_cover_;
  std::vector<std::uint32_t> sentence_roles_;  // sentence -> the roles starting in it (a superset)
  // token -> the first token of the actor mention covering it, or kNoToken (mentions never overlap).
  std::vector<std::uint32_t> actor_cover_;
  std::vector<PhraseMention> issues_, cues_;
  std::vector<std::int32_t> issue_at_;
  std::vector<std::int32_t> quote_of_;
  std::vector<QuoteRegion> quotes_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> quote_runs_;  // [begin, end) owned by one quote
  std::vector<std::uint32_t> quotes_in_sentence_;        // quote indices grouped by opening sentence
  std::vector<std::uint32_t> quotes_in_sentence_begin_;  // sentence s: [begin[s], begin[s + 1])
  std::vector<std::uint32_t> paragraph_end_after_, next_unowned_, quote_fill_;  // find_quotes' working lists
  std::vector<const text::QuoteMark*> open_quotes_;
  std::vector<std::int32_t> sentence_subject_;
  std::vector<std::int32_t> sentence_of_token_;
  std::vector<std::int32_t> context_;
  std::vector<std::vector<Holder>> contexts_;
  std::vector<std::uint32_t> context_begin_;
  std::vector<std::uint32_t> context_verb_;  // the reporting verb behind each context
  std::vector<std::int32_t> statement_sides_;  // the holders of the cue being resolved, and their sides
  std::vector<bool> consumed_;
  std::vector<Recent> recent_;
  std::vector<std::pair<std::uint32_t, std::int32_t>> current_subjects_;  // (token, actor) this sentence
  std::vector<std::int32_t> document_authors_;  // the authors named last ("drafted by X and Y")
  std::size_t document_sentence_ = 0;           // ... and the sentence they were named in
  // Working lists of the lexical layers, refilled per sentence.
  std::vector<match::AutomatonMatch> matches_;
  std::array<std::vector<match::AutomatonMatch>, detail::kGroupCount> match_groups_;
  std::vector<bool> dropped_cues_;
  // Sentence traces beyond the current article's count, kept with their lists' capacity: the next
  // longer article takes them back instead of allocating per sentence again.
  std::vector<SentenceTrace> spare_traces_;
  struct PendingRecord {
    std::size_t sentence = 0;  // 0-based
    std::uint32_t cue_begin = 0, cue_end = 0;
    const detail::CueInfo* info = nullptr;
    std::int32_t actor = -1, reported_by = -1;
    std::int32_t issue = -1;  // -1: an object no issue names (issue "?")
    Stance stance = Stance::demand;
    double confidence = 1.0;  // rounded to hundredths
    std::string object;
  };
  std::vector<PendingRecord> pending_;  // DocumentAnalyzer::emit

  // Empty again, keeping the capacity (the inner vectors' too, where there are some).
  void clear() {
    // Only where a span starts: the table has a list per token of the longest article yet, and
    // nearly all of them are empty.
    for (const auto& span : entity_index_.spans) entity_index_.starting_at[span.begin].clear();
    entity_index_.spans.clear();
    actors_.clear();
    actor_end_.clear();
    actor_begin_.clear();
    adjective_end_.clear();
    role_cover_.clear();
    sentence_roles_.clear();
    actor_cover_.clear();
    issues_.clear();
    cues_.clear();
    issue_at_.clear();
    quote_of_.clear();
    quotes_.clear();
    quote_runs_.clear();
    quotes_in_sentence_.clear();
    quotes_in_sentence_begin_.clear();
    paragraph_end_after_.clear();
    next_unowned_.clear();
    quote_fill_.clear();
    open_quotes_.clear();
    sentence_subject_.clear();
    sentence_of_token_.clear();
    context_.clear();
    contexts_.clear();
    context_begin_.clear();
    context_verb_.clear();
    statement_sides_.clear();
    consumed_.clear();
    recent_.clear();
    current_subjects_.clear();
    document_authors_.clear();
    document_sentence_ = 0;
    matches_.clear();
    for (auto& group : match_groups_) group.clear();
    dropped_cues_.clear();
    pending_.clear();
  }
};

class DocumentAnalyzer : private AnalyzerState {
 public:
  DocumentAnalyzer(const CompiledPack& pack, const Article& article, Analysis& out, const Options& options)
      : pack_(pack), article_(article), out_(out), doc_(out.document), options_(options) {
    if (options_.workspace && options_.workspace->analyzer_state) {
      AnalyzerState& mine = *this;
      mine = std::move(*static_cast<AnalyzerState*>(options_.workspace->analyzer_state.get()));
      clear();
    }
  }
  ~DocumentAnalyzer() {
    if (!options_.workspace) return;
    auto& kept = options_.workspace->analyzer_state;
    if (!kept) kept = std::make_shared<AnalyzerState>();
    *static_cast<AnalyzerState*>(kept.get()) = std::move(static_cast<AnalyzerState&>(*this));
  }
  DocumentAnalyzer(const DocumentAnalyzer&) = delete;
  DocumentAnalyzer& operator=(const DocumentAnalyzer&) = delete;

  void run() {
    std::optional<text::WordCache> own_words;
    text::WordCache& words = options_.workspace ? options_.workspace->words : own_words.emplace();
    pack_.bind(words);
    text::tokenize(article_.text, words, doc_);  // tokens come with their vocabulary numbers
    text::split_sentences(pack_.abbreviations, doc_);
    n_ = static_cast<std::uint32_t>(doc_.tokens.size());
    for (auto& trace : out_.sentences) {  // a reused analysis (CodingWorkspace::spare)
      trace.actors.clear();
      trace.phrases.clear();
      trace.statements.clear();
      trace.notes.clear();
    }
    const std::size_t sentence_count = doc_.sentences.size();
    while (out_.sentences.size() > sentence_count) {
      spare_traces_.push_back(std::move(out_.sentences.back()));
      out_.sentences.pop_back();
    }
    while (out_.sentences.size() < sentence_count && !spare_traces_.empty()) {
      out_.sentences.push_back(std::move(spare_traces_.back()));
      spare_traces_.pop_back();
    }
    out_.sentences.resize(sentence_count);
    fill_zero(sentence_of_token_, n_);
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) {
      const auto first = sentence_of_token_.begin() + doc_.sentences[s].first_token;
      std::fill(first, first + (doc_.sentences[s].end_token - doc_.sentences[s].first_token), static_cast<std::int32_t>(s));
    }
    find_entities();
    find_phrases();
    find_quotes();
    find_sentence_subjects();
    fill_none(context_, n_);
    consumed_.assign(cues_.size(), false);
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) analyze_sentence(s);
    build_records();
  }

 private:
  // ---- lexical layers -------------------------------------------------------------------------

  // In place: the matches are sorted, and what is kept is compacted to the front (no allocation:
  // this runs once per selection group per sentence).
  void select_leftmost_longest(std::vector<match::AutomatonMatch>& matches) const {
    if (matches.size() < 2) return;
    // The automaton reports matches in order of start, so only those sharing a start move: an
    // insertion sort does a comparison or two per match, where std::sort did its full work.
    // (The order is total: equal elements are the same match, so the result is std::sort's.)
    auto before = [](const match::AutomatonMatch& a, const match::AutomatonMatch& b) {
      if (a.begin != b.begin) return a.begin < b.begin;
      if (a.end != b.end) return a.end > b.end;
      return a.entry < b.entry;
    };
    for (std::size_t i = 1; i < matches.size(); ++i) {
      const match::AutomatonMatch m = matches[i];
      std::size_t j = i;
      for (; j > 0 && before(m, matches[j - 1]); --j) matches[j] = matches[j - 1];
      matches[j] = m;
    }
    std::size_t kept = 0;
    std::uint32_t covered_until = 0;
    for (std::size_t i = 0; i < matches.size(); ++i) {
      const auto m = matches[i];
      if (kept > 0 && m.begin == matches[kept - 1].begin && m.end == matches[kept - 1].end) {
        // Same words, several meanings (kept); the same meaning through two patterns (dropped).
        bool repeated = false;
        for (std::size_t k = kept; k-- > 0 && matches[k].begin == m.begin && matches[k].end == m.end;) {
          const detail::EntryCore& a = pack_.core(matches[k].entry);
          const detail::EntryCore& b = pack_.core(m.entry);
          if (a.kind == b.kind && a.ref == b.ref) { repeated = true; break; }
        }
        if (!repeated) matches[kept++] = m;
        continue;
      }
      if (m.begin < covered_until) continue;
      matches[kept++] = m;
      covered_until = m.end;
    }
    matches.resize(kept);
  }

  // Where two stance cues' matches overlap, a higher `priority` wins, and a cue silences those it
  // `suppresses`, before leftmost-longest chooses among what is left.
  void resolve_cue_competition(std::vector<match::AutomatonMatch>& cues) {
    if (cues.size() < 2) return;
    std::sort(cues.begin(), cues.end(), [](const auto& a, const auto& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    auto info = [&](const match::AutomatonMatch& m) -> const detail::CueInfo& {
      return pack_.cues[static_cast<std::size_t>(pack_.core(m.entry).ref)];
    };
    auto suppresses = [&](const match::AutomatonMatch& a, const match::AutomatonMatch& b) {
      const auto& x = info(a);
      const auto target = pack_.core(b.entry).ref;
      return std::find(x.suppresses.begin(), x.suppresses.end(), target) != x.suppresses.end();
    };
    auto& dropped = dropped_cues_;
    dropped.assign(cues.size(), false);
    for (std::size_t i = 0; i < cues.size(); ++i) {
      for (std::size_t j = i + 1; j < cues.size() && cues[j].begin < cues[i].end; ++j) {
        // `suppresses` decides first, whatever the priorities; else the higher priority wins.
        if (suppresses(cues[i], cues[j])) dropped[j] = true;
        else if (suppresses(cues[j], cues[i])) dropped[i] = true;
        else if (info(cues[i]).priority > info(cues[j]).priority) dropped[j] = true;
        else if (info(cues[j]).priority > info(cues[i]).priority) dropped[i] = true;
      }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < cues.size(); ++i) if (!dropped[i]) cues[kept++] = cues[i];
    cues.resize(kept);
  }

  void find_entities() {
    // Each list empty (AnalyzerState::clear), capacity kept; never shrunk, so that no list is made
    // and destroyed again for each article.
    if (entity_index_.starting_at.size() < n_ + 1) entity_index_.starting_at.resize(n_ + 1);
    fill_none(actor_end_, n_);
    fill_none(actor_begin_, n_);
    adjective_end_.assign(n_, std::pair<std::uint32_t, std::int32_t>{0, kNoIndex});
    fill_none(actor_cover_, n_);
    auto& matches = matches_;
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) {
      const auto& sentence = doc_.sentences[s];
      matches.clear();
      pack_.entities.find_all(doc_.tokens, sentence.first_token, sentence.end_token, nullptr, matches,
                              options_.workspace ? &options_.workspace->entities : nullptr);
      // A title names its holder only while the role is held: on the article's date, the other
      // holder of the same title is meant (or nobody).
      std::erase_if(matches, [&](const match::AutomatonMatch& m) {
        return pack_.core(m.entry).dated && !pack_.entries[static_cast<std::size_t>(m.entry)].valid_on(article_.date);
      });
      select_leftmost_longest(matches);
      std::uint32_t last_begin = UINT32_MAX;
      for (const auto& m : matches) {
        if (m.begin == last_begin) continue;  // an ambiguous alias: the first definition wins
        last_begin = m.begin;
        const detail::EntryCore& e = pack_.core(m.entry);
        if (e.kind == EntryKind::actor && e.via == detail::ActorVia::adjective) {
          // Not a mention (no subject, no antecedent): only the modifier of a stance noun.
          if (doc_.tokens[m.begin].capitalized) adjective_end_[m.end - 1] = std::pair{m.begin, e.ref};
          continue;
        }
        const bool is_actor = e.kind == EntryKind::actor;
        // A one-word name is written with a capital: "US" names a state, "us" does not.
        if (is_actor && m.end == m.begin + 1 && !doc_.tokens[m.begin].capitalized) continue;
        // The span first: AnalyzerState::clear empties the lists where spans begin.
        entity_index_.spans.push_back({m.begin, m.end, is_actor, e.ref});
        entity_index_.starting_at[m.begin].push_back(static_cast<std::uint32_t>(entity_index_.spans.size() - 1));
        if (!is_actor) continue;
        ActorMention a{m.begin, m.end, e.ref, false};
        a.possessive = m.end < sentence.end_token && is_possessive_marker(m.end);
        actor_end_[m.end - 1] = static_cast<std::int32_t>(actors_.size());
        actor_begin_[m.begin] = static_cast<std::int32_t>(actors_.size());
        for (std::uint32_t t = m.begin; t < m.end; ++t) actor_cover_[t] = m.begin;
        actors_.push_back(a);
        out_.sentences[s].actors.push_back(a);
      }
    }
  }

  void find_phrases() {
    for (const auto& [role, t] : role_marks_) role_end_[role][t] = 0;
    role_marks_.clear();
    for (auto& ends : role_end_) {
      if (ends.size() < n_) ends.resize(n_);
    }
    fill_zero(role_cover_, n_);
    fill_zero(sentence_roles_, doc_.sentences.size());
    bool not_conditionals = false;
    auto& matches = matches_;
    auto& groups = match_groups_;
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) {
      const auto& sentence = doc_.sentences[s];
      matches.clear();
      pack_.phrases.find_all(doc_.tokens, sentence.first_token, sentence.end_token, &entity_index_, matches,
                             options_.workspace ? &options_.workspace->phrases : nullptr);
      // Only the groups this sentence's matches fall in are visited (most sentences touch a few of
      // the 29), in group order as before; each is left empty for the next sentence.
      static_assert(detail::kGroupCount <= 32);
      std::uint32_t touched = 0;
      for (const auto& m : matches) {
        const std::size_t g = pack_.core(m.entry).group;
        groups[g].push_back(m);
        touched |= 1U << g;
      }
      resolve_cue_competition(groups[detail::kGroupCue]);
      for (; touched != 0; touched &= touched - 1) {
        auto& g = groups[static_cast<std::size_t>(std::countr_zero(touched))];
        select_leftmost_longest(g);
        for (const auto& m : g) {
          const detail::EntryCore& e = pack_.core(m.entry);
          PhraseMention p{m.begin, m.end, m.entry};
          if (options_.notes) out_.sentences[s].phrases.push_back(p);  // the trace's list, for explain
          switch (e.kind) {
            case EntryKind::issue_cue:
              issues_.push_back(p);
              break;
            case EntryKind::stance_cue: cues_.push_back(p); break;
            case EntryKind::grammar: {
              // "States" in "the United States" reports nothing (its "the" is still a determiner).
              if (e.ref != static_cast<std::int32_t>(GrammarRole::determiner) && inside_actor(m.begin, m.end)) break;
              if (m.end == m.begin + 1 && all_capitals(m.begin)) break;  // "US" is no pronoun
              const auto role = static_cast<std::size_t>(e.ref);
              const std::uint32_t bit = 1U << role;
              auto& end = role_end_[role][m.begin];
              if (end == 0) role_marks_.emplace_back(role, m.begin);
              end = std::max(end, m.end);
              sentence_roles_[s] |= bit;
              for (std::uint32_t t = m.begin; t < m.end; ++t) role_cover_[t] |= bit;
              not_conditionals = not_conditionals || role == static_cast<std::size_t>(GrammarRole::not_conditional);
              break;
            }
            default: break;
          }
        }
        g.clear();
      }
    }
    // "once again" is no condition: a `not_conditionals` phrase takes the conditional role away.
    constexpr auto kConditional = static_cast<std::size_t>(GrammarRole::conditional);
    constexpr auto kNotConditional = static_cast<std::size_t>(GrammarRole::not_conditional);
    for (std::uint32_t t = 0; not_conditionals && t < n_; ++t) {
      for (std::uint32_t x = t; x < role_end_[kNotConditional][t]; ++x) {
        role_cover_[x] &= ~(1U << kConditional);
        role_end_[kConditional][x] = 0;
      }
    }
    auto by_position = [](const PhraseMention& a, const PhraseMention& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.entry < b.entry;
    };
    std::sort(issues_.begin(), issues_.end(), by_position);
    fill_none(issue_at_, n_);
    for (std::size_t i = 0; i < issues_.size(); ++i) {
      for (std::uint32_t t = issues_[i].begin; t < issues_[i].end; ++t) {
        if (issue_at_[t] == kNoIndex) issue_at_[t] = static_cast<std::int32_t>(i);
      }
    }
    std::sort(cues_.begin(), cues_.end(), by_position);
    if (options_.notes) {
      for (auto& trace : out_.sentences) std::sort(trace.phrases.begin(), trace.phrases.end(), by_position);
    }
  }

  // A note of the trace, built only when notes are wanted (Options::notes).
  template <typename MakeNote>
  void note(SentenceTrace& trace, MakeNote&& make) const {
    if (options_.notes) trace.notes.push_back(make());
  }

  // ---- token predicates -----------------------------------------------------------------------

  bool all_capitals(std::uint32_t t) const {
    const auto& tok = doc_.tokens[t];
    if (!tok.capitalized || tok.end - tok.begin < 2) return false;
    for (std::uint32_t i = tok.begin; i < tok.end; ++i) {
      const char c = doc_.text[i];
      if (c >= 'a' && c <= 'z') return false;
    }
    return tok.capitalized;
  }

  // Each token within the first 8 of an actor mention (the reach of the walk back this replaced).
  bool inside_actor(std::uint32_t begin, std::uint32_t end) const {
    for (std::uint32_t t = begin; t < end; ++t) {
      if (actor_cover_[t] == kNoToken || t - actor_cover_[t] >= 8) return false;
    }
    return true;
  }

  // Whether a match of the role starts in sentence s (or did before `not_conditionals` took it away).
  static constexpr std::uint32_t role_bit(GrammarRole role) { return 1U << static_cast<unsigned>(role); }
  bool sentence_has(std::size_t s, GrammarRole role) const { return (sentence_roles_[s] & role_bit(role)) != 0; }
  // Whether token t holds any of the roles in `roles` (role_bit()s or'd): one test for several.
  bool has_any_role(std::uint32_t t, std::uint32_t roles) const { return t < n_ && (role_cover_[t] & roles) != 0; }
  bool has_role(std::uint32_t t, GrammarRole role) const { return has_any_role(t, role_bit(role)); }
  std::uint32_t role_starting(std::uint32_t t, GrammarRole role) const {
    // A match of the role starting at t covers t: the token's bits (read by most predicates, so at
    // hand) answer most calls without touching the role's own array.
    if (!has_role(t, role)) return 0;
    return role_end_[static_cast<std::size_t>(role)][t];
  }
  // Against a literal, so that the comparison inlines to a length test and a few bytes.
  template <std::size_t N>
  [[gnu::always_inline]] bool token_is(std::uint32_t t, const char (&folded)[N]) const {
    if (t >= n_) return false;
    const text::Token& token = doc_.tokens[t];
    if (token.folded_first != static_cast<unsigned char>(folded[0])) return false;  // most: no lexeme read
    const std::string& f = token.folded();
    return f.size() == N - 1 && std::memcmp(f.data(), folded, N - 1) == 0;
  }
  bool is_possessive_marker(std::uint32_t t) const { return token_is(t, "'s") || token_is(t, "'"); }
  // English past participles: regular -ed, and the common irregular endings (given, shown, sought).
  static bool looks_like_gerund(std::string_view word) { return word.size() > 4 && word.ends_with("ing"); }
  static bool looks_like_participle(std::string_view word) {
    return word.ends_with("ed") || word.ends_with("en") || word.ends_with("wn") || word.ends_with("ught");
  }
  // A conditional that sets a condition to meet ("if", "unless"); `time_conditionals` ("once",
  // "whether") make a clause hypothetical but ask for nothing.
  bool sets_condition(std::uint32_t t) const {
    return has_role(t, GrammarRole::conditional) && !has_role(t, GrammarRole::time_conditional);
  }
  bool skippable(std::uint32_t t) const {
    constexpr std::uint32_t kSkippable = role_bit(GrammarRole::auxiliary) | role_bit(GrammarRole::negator) |
                                         role_bit(GrammarRole::hedge) | role_bit(GrammarRole::passive_auxiliary);
    return has_any_role(t, kSkippable);
  }
  const detail::CueInfo& cue_info(const PhraseMention& c) const {
    return pack_.cues[static_cast<std::size_t>(pack_.core(c.entry).ref)];
  }
  const ActorInfo& actor(std::int32_t a) const { return pack_.actors[static_cast<std::size_t>(a)]; }
  bool is_person(std::int32_t a) const { return pack_.person[static_cast<std::size_t>(a)]; }
  std::int32_t sentence_of(std::uint32_t t) const {
    if (t < sentence_of_token_.size()) return sentence_of_token_[t];
    return static_cast<std::int32_t>(doc_.sentences.size()) - 1;
  }
  // Issue mentions starting in [begin, end), as a range of issues_ (sorted by begin).
  std::pair<std::size_t, std::size_t> issue_range(std::uint32_t begin, std::uint32_t end) const {
    auto by_begin = [](const PhraseMention& m, std::uint32_t t) { return m.begin < t; };
    const auto first = std::lower_bound(issues_.begin(), issues_.end(), begin, by_begin);
    const auto last = std::lower_bound(first, issues_.end(), end, by_begin);
    return {static_cast<std::size_t>(first - issues_.begin()), static_cast<std::size_t>(last - issues_.begin())};
  }

  // The first cue starting at or after token t (cues_ is sorted by begin).
  std::size_t first_cue_at(std::uint32_t t) const {
    auto by_begin = [](const PhraseMention& m, std::uint32_t x) { return m.begin < x; };
    return static_cast<std::size_t>(std::lower_bound(cues_.begin(), cues_.end(), t, by_begin) - cues_.begin());
  }

  // ---- quotes ---------------------------------------------------------------------------------

  void find_quotes() {
    fill_none(quote_of_, n_);
    quote_runs_.clear();
    fill_zero(quotes_in_sentence_begin_, doc_.sentences.size() + 1);
    if (doc_.quotes.empty()) return;  // most articles: nothing more to find
    // Where each token's paragraph ends (the next token after a line break), computed once, and
    // only when an unclosed quote asks for it.
    auto& paragraph_end_after = paragraph_end_after_;
    auto paragraph_end = [&](std::uint32_t t) {
      if (paragraph_end_after.empty()) {
        paragraph_end_after.assign(n_ + 1, n_);
        for (std::uint32_t x = n_; x-- > 1;) {
          paragraph_end_after[x - 1] = doc_.tokens[x].newline_before ? x : paragraph_end_after[x];
        }
      }
      return paragraph_end_after[t];
    };
    // next_unowned[t]: the first token at or after t that no quote owns yet (path-halving union
    // find), so that marking nested or overlapping quotes is near-linear in the text.
    auto& next_unowned = next_unowned_;
    next_unowned.resize(n_ + 1);
    std::iota(next_unowned.begin(), next_unowned.end(), 0U);
    auto find_unowned = [&](std::uint32_t t) {
      while (next_unowned[t] != t) {
        next_unowned[t] = next_unowned[next_unowned[t]];
        t = next_unowned[t];
      }
      return t;
    };
    auto& open = open_quotes_;
    open.clear();
    auto add_region = [&](std::uint32_t begin, std::uint32_t end) {
      if (end <= begin) return;
      const auto index = static_cast<std::int32_t>(quotes_.size());
      QuoteRegion r;
      r.begin = begin;
      r.end = end;
      r.runs_begin = static_cast<std::uint32_t>(quote_runs_.size());
      for (std::uint32_t t = find_unowned(begin); t < end; t = find_unowned(t)) {
        const std::uint32_t run_begin = t;
        while (t < end && next_unowned[t] == t) {
          quote_of_[t] = index;
          next_unowned[t] = t + 1;
          ++t;
        }
        quote_runs_.emplace_back(run_begin, t);
      }
      r.runs_end = static_cast<std::uint32_t>(quote_runs_.size());
      quotes_.push_back(r);
    };
    for (const auto& q : doc_.quotes) {
      const bool closes = q.kind == text::QuoteKind::close ||
                          (q.kind == text::QuoteKind::either && !open.empty() && open.back()->single == q.single &&
                           open.back()->kind == text::QuoteKind::either);
      if (closes) {
        // Close the innermost open quote of the same family (double or single).
        for (std::size_t i = open.size(); i-- > 0;) {
          if (open[i]->single == q.single) {
            if (i == 0 || !open[0]->single) {
              if (!open[i]->single || i == 0) add_region(open[i]->token, q.token);
            }
            open.resize(i);
            break;
          }
        }
      } else {
        // An opening mark while a same-family quote is still open at a paragraph break: the
        // journalist's convention for multi-paragraph quotes. Close the old one there.
        if (!open.empty() && open.back()->single == q.single) {
          add_region(open.back()->token, std::min(paragraph_end(open.back()->token), q.token));
          open.pop_back();
        }
        open.push_back(&q);
      }
    }
    for (const auto* q : open) {
      if (!q->single) add_region(q->token, paragraph_end(q->token));
    }
    // The quotes that open in each sentence, in the order they were found.
    for (const auto& r : quotes_) ++quotes_in_sentence_begin_[static_cast<std::size_t>(sentence_of(r.begin)) + 1];
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) quotes_in_sentence_begin_[s + 1] += quotes_in_sentence_begin_[s];
    fill_zero(quotes_in_sentence_, quotes_.size());
    auto& fill = quote_fill_;
    fill.assign(quotes_in_sentence_begin_.begin(), quotes_in_sentence_begin_.end() - 1);
    for (std::size_t q = 0; q < quotes_.size(); ++q) {
      quotes_in_sentence_[fill[static_cast<std::size_t>(sentence_of(quotes_[q].begin))]++] = static_cast<std::uint32_t>(q);
    }
  }

  // A speech quote has a speaker next to it: ",” Egan said", ",” said Egan", ",” he said",
  // "Egan said: “", "Dunn told reporters: “".
  std::vector<Holder> quote_speaker(const QuoteRegion& r, std::uint32_t sentence_first, std::uint32_t sentence_end) {
    // After the quote, in the same sentence (a quote closing a sentence is not attributed to the
    // next sentence's speaker).
    std::uint32_t t = r.end;
    if (token_is(t, ",")) ++t;
    const bool same_sentence = r.end > 0 && r.end < n_ && sentence_of(r.end) == sentence_of(r.end - 1);
    if (same_sentence && t < n_ && t < sentence_end + 24) {
      if (role_starting(t, GrammarRole::reporting_verb)) {
        const std::uint32_t after = role_starting(t, GrammarRole::reporting_verb);
        if (after < n_ && actor_begin_[after] != kNoIndex) return {{actors_[static_cast<std::size_t>(actor_begin_[after])].actor}};
        if (auto p = pronoun_holders(after, {}); !p.empty()) return p;
      }
      std::vector<Holder> subject;
      std::uint32_t subject_end = t;
      if (actor_begin_[t] != kNoIndex) {
        const auto& m = actors_[static_cast<std::size_t>(actor_begin_[t])];
        subject = {{m.actor}};
        subject_end = m.end;
      } else if (auto p = pronoun_holders(t, {}); !p.empty()) {
        subject = p;
        subject_end = pronoun_end(t);
      }
      if (!subject.empty()) {
        std::uint32_t k = subject_end;
        while (k < n_ && skippable(k)) ++k;
        if (role_starting(k, GrammarRole::reporting_verb)) return subject;
      }
    }
    // Before the quote: a reporting verb within a few tokens, then its subject.
    if (r.begin > sentence_first) {
      const std::uint32_t lowest = r.begin > sentence_first + 6 ? r.begin - 6 : sentence_first;
      for (std::uint32_t k = r.begin; k-- > lowest;) {
        if (quote_of_[k] != kNoIndex) break;
        if (has_role(k, GrammarRole::reporting_verb)) {
          // Only what introduces the quote: "said: “", "told reporters, “", "stating “".
          const std::uint32_t verb_end = k + 1;
          const bool introduces = verb_end == r.begin ||
              ((token_is(r.begin - 1, ":") || token_is(r.begin - 1, ",") || token_is(r.begin - 1, "that")) && r.begin - verb_end <= 3);
          if (!introduces) break;
          std::uint32_t verb_begin = k;
          while (verb_begin > sentence_first && has_role(verb_begin - 1, GrammarRole::reporting_verb)) --verb_begin;
          auto subject = subject_before(verb_begin, sentence_first, {});
          if (!subject.empty()) return subject;
          break;
        }
      }
    }
    return {};
  }

  // ---- actors, pronouns, subjects -------------------------------------------------------------

  void find_sentence_subjects() {
    fill_none(sentence_subject_, doc_.sentences.size());
    for (std::size_t s = 0; s < doc_.sentences.size(); ++s) {
      for (const auto& m : out_.sentences[s].actors) {
        if (m.possessive || !is_person(m.actor)) continue;
        if (m.begin > 0 && has_role(m.begin - 1, GrammarRole::preposition)) continue;
        if (quote_of_[m.begin] != kNoIndex) continue;
        sentence_subject_[s] = m.actor;
        break;
      }
    }
  }

  std::uint32_t pronoun_end(std::uint32_t t) const {
    for (auto role : {GrammarRole::title_reference, GrammarRole::pronoun_pair, GrammarRole::pronoun_male, GrammarRole::pronoun_female, GrammarRole::pronoun_speaker}) {
      if (auto end = role_starting(t, role)) return end;
    }
    return t + 1;
  }

  // "he"/"she": the nearest earlier subject of the right gender, this sentence first, then the
  // subjects of the three sentences before, then the latest person mentioned. "we"/"I": the
  // speaker of the quote or report the pronoun stands in.
  std::vector<Holder> pronoun_holders(std::uint32_t t, const std::vector<Holder>& speakers) {
    if (t >= n_) return {};
    if (role_starting(t, GrammarRole::pronoun_speaker)) return speakers;
    if (role_starting(t, GrammarRole::pronoun_pair)) return pair_referent(t, speakers);
    if (role_starting(t, GrammarRole::title_reference)) return title_referent(t, speakers);
    if (role_starting(t, GrammarRole::pronoun_collective)) return collective_referent(t, speakers);
    std::string gender;
    if (role_starting(t, GrammarRole::pronoun_male)) gender = "male";
    else if (role_starting(t, GrammarRole::pronoun_female)) gender = "female";
    else return {};
    auto fits = [&](std::int32_t a) {
      return a != kNoIndex && is_person(a) && (actor(a).gender.empty() || actor(a).gender == gender);
    };
    const std::int32_t s = sentence_of(t);
    for (auto it = current_subjects_.rbegin(); it != current_subjects_.rend(); ++it) {
      if (it->first < t && fits(it->second)) return {{it->second, kNoIndex, true}};
    }
    for (const auto& m : out_.sentences[static_cast<std::size_t>(s)].actors) {
      if (m.end <= t && !m.possessive && fits(m.actor) &&
          !(m.begin > 0 && has_role(m.begin - 1, GrammarRole::preposition))) {
        return {{m.actor, kNoIndex, true}};
      }
    }
    // Earlier sentences, nearest first: each one's subject, else its latest fitting person.
    for (std::int32_t back = s - 1; back >= 0 && back >= s - 3; --back) {
      if (fits(sentence_subject_[static_cast<std::size_t>(back)])) return {{sentence_subject_[static_cast<std::size_t>(back)], kNoIndex, true}};
      const auto& list = out_.sentences[static_cast<std::size_t>(back)].actors;
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (fits(it->actor)) return {{it->actor, kNoIndex, true}};
      }
    }
    return {};
  }

  // "the president": a person with that title, in someone's words the speaker if the title is
  // theirs; else the latest in this sentence, then each earlier sentence's subject or latest
  // holder, five sentences back at most.
  std::vector<Holder> title_referent(std::uint32_t t, const std::vector<Holder>& speakers) const {
    const std::uint32_t end = role_starting(t, GrammarRole::title_reference);
    std::string words;
    for (std::uint32_t x = t; x < end; ++x) {
      if (x == t && has_role(x, GrammarRole::determiner)) continue;
      if (!words.empty()) words += ' ';
      words += doc_.tokens[x].folded();
    }
    if (words.empty()) return {};
    auto holds = [&](std::int32_t a) {
      if (a == kNoIndex || !is_person(a)) return false;
      for (const auto& title : pack_.titles[static_cast<std::size_t>(a)]) {
        const bool dated = title.valid_from.empty() && title.valid_to.empty();
        if (!dated && !article_.date.empty() &&
            ((!title.valid_from.empty() && article_.date < title.valid_from) || (!title.valid_to.empty() && title.valid_to < article_.date))) {
          continue;
        }
        if (title.words == words || title.words.ends_with(" " + words)) return true;
      }
      return false;
    };
    for (const auto& s : speakers) if (holds(s.actor)) return {{s.actor, kNoIndex, true}};
    const std::int32_t s = sentence_of(t);
    for (std::int32_t back = s; back >= 0 && back >= s - 5; --back) {
      // An earlier sentence's subject first, as for "he": "Ames called Boyd. The president said".
      if (back < s && holds(sentence_subject_[static_cast<std::size_t>(back)])) {
        return {{sentence_subject_[static_cast<std::size_t>(back)], kNoIndex, true}};
      }
      const auto& list = out_.sentences[static_cast<std::size_t>(back)].actors;
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (it->end <= t && holds(it->actor)) return {{it->actor, kNoIndex, true}};
      }
    }
    return {};
  }

  // The actor named right before a noun at `head` after a determiner: "the Westland proposal", "the
  // Northern idea" (an `adjectives:` word). Returns (first token, actor) or (0, -1).
  std::pair<std::uint32_t, std::int32_t> modifier_before(std::uint32_t head, std::uint32_t floor) const {
    if (head <= floor + 1) return {0, kNoIndex};
    std::uint32_t begin = 0;
    std::int32_t who = kNoIndex;
    if (actor_end_[head - 1] != kNoIndex && !actors_[static_cast<std::size_t>(actor_end_[head - 1])].possessive) {
      const auto& m = actors_[static_cast<std::size_t>(actor_end_[head - 1])];
      begin = m.begin;
      who = m.actor;
    } else if (adjective_end_[head - 1].second != kNoIndex) {
      std::tie(begin, who) = adjective_end_[head - 1];
    }
    if (who == kNoIndex) return {0, kNoIndex};
    const bool determined = has_role(begin, GrammarRole::determiner) || (begin > floor && has_role(begin - 1, GrammarRole::determiner));
    return determined ? std::pair{begin, who} : std::pair<std::uint32_t, std::int32_t>{0, kNoIndex};
  }

  // A conditional clause closed by a comma between the sentence start (or the report's verb) and
  // t: "warned that if Boyd refused, ...".
  bool threat_condition_before(std::uint32_t t, std::size_t s) const {
    const std::uint32_t first = doc_.sentences[s].first_token;
    bool comma_after = false;
    for (std::uint32_t k = t; k-- > first;) {
      if (token_is(k, ",")) comma_after = true;
      if (has_role(k, GrammarRole::reporting_verb) || has_role(k, GrammarRole::clause_break)) return false;
      if (sets_condition(k)) {
        return comma_after;
      }
    }
    return false;
  }

  // "Boyd, who had rejected X": the actor right before ", who" is the subject of the verb at t.
  std::int32_t relative_clause_antecedent(std::uint32_t t) const {
    std::uint32_t k = t;
    while (k > 0 && skippable(k - 1)) --k;
    if (k < 3 || !has_role(k - 1, GrammarRole::relative_pronoun) || !token_is(k - 2, ",")) return kNoIndex;
    // "who"/"which", not "that" (also a determiner): after a comma "that" rarely opens one.
    if (has_role(k - 1, GrammarRole::determiner)) return kNoIndex;
    const std::int32_t m = actor_end_[k - 3];
    if (m == kNoIndex || actors_[static_cast<std::size_t>(m)].possessive) return kNoIndex;
    return actors_[static_cast<std::size_t>(m)].actor;
  }

  // "the two leaders", "both men": two people. In someone's words, the speaker and the latest other
  // person named; elsewhere the two latest people named, in this sentence or the two before.
  std::vector<Holder> pair_referent(std::uint32_t t, const std::vector<Holder>& speakers) const {
    std::vector<std::int32_t> pair;
    if (speakers.size() == 1 && is_person(speakers.front().actor)) pair.push_back(speakers.front().actor);
    const std::int32_t s = sentence_of(t);
    for (std::int32_t back = s; back >= 0 && back >= s - 2 && pair.size() < 2; --back) {
      const auto& list = out_.sentences[static_cast<std::size_t>(back)].actors;
      for (auto it = list.rbegin(); it != list.rend() && pair.size() < 2; ++it) {
        if (it->end > t || !is_person(it->actor)) continue;
        if (std::find(pair.begin(), pair.end(), it->actor) == pair.end()) pair.push_back(it->actor);
      }
    }
    if (pair.size() < 2) return {};
    return {{pair[0], kNoIndex, true}, {pair[1], kNoIndex, true}};
  }

  // "Drafted by Northland and Southland, it would ...": the authors of the text "it" stands for.
  void note_document_authors(std::size_t s) {
    if (!sentence_has(s, GrammarRole::author_marker)) return;
    const auto& sentence = doc_.sentences[s];
    for (std::uint32_t t = sentence.first_token; t < sentence.end_token; ++t) {
      const std::uint32_t end = role_starting(t, GrammarRole::author_marker);
      if (!end) continue;
      auto authors = actors_listed_at(end, sentence.end_token);
      if (authors.empty()) continue;
      document_authors_ = std::move(authors);
      document_sentence_ = s;
    }
  }

  // The actors named from token `a` on, past determiners, in a list joined by coordinators
  // ("the US, France and Germany"); empty when no actor starts there.
  std::vector<std::int32_t> actors_listed_at(std::uint32_t a, std::uint32_t end) const {
    while (a < end && actor_begin_[a] == kNoIndex && has_role(a, GrammarRole::determiner)) ++a;
    if (a >= end || actor_begin_[a] == kNoIndex) return {};
    const ActorMention* m = &actors_[static_cast<std::size_t>(actor_begin_[a])];
    std::vector<std::int32_t> listed{m->actor};
    while (m->end + 1 < end && has_role(m->end, GrammarRole::coordinator)) {
      std::uint32_t next = m->end;
      while (next < end && has_role(next, GrammarRole::coordinator)) ++next;
      if (next >= end || actor_begin_[next] == kNoIndex) break;
      m = &actors_[static_cast<std::size_t>(actor_begin_[next])];
      listed.push_back(m->actor);
    }
    return listed;
  }

  // "it"/"they" for a state or bloc: the speaker's side when someone speaks for it ("Southland said
  // it was ready"), else the latest collective subject.
  std::vector<Holder> collective_referent(std::uint32_t t, const std::vector<Holder>& speakers) const {
    for (const auto& s : speakers) {
      if (!is_person(s.actor)) return {{s.actor, kNoIndex, true}};
      const std::int32_t side = pack_.affiliation[static_cast<std::size_t>(s.actor)];
      if (side != kNoIndex) return {{side, kNoIndex, true}};
    }
    // A text with named authors, in this sentence or the one before, is what "it" proposes.
    if (!document_authors_.empty() && document_sentence_ + 1 >= static_cast<std::size_t>(sentence_of(t))) {
      std::vector<Holder> out;
      for (std::int32_t a : document_authors_) out.push_back({a, kNoIndex, true});
      return out;
    }
    for (auto it = current_subjects_.rbegin(); it != current_subjects_.rend(); ++it) {
      if (it->first < t && !is_person(it->second)) return {{it->second, kNoIndex, true}};
    }
    const std::int32_t s = sentence_of(t);
    if (s > 0) {  // the subject of the sentence before
      for (const auto& m : out_.sentences[static_cast<std::size_t>(s - 1)].actors) {
        if (m.begin > 0 && has_role(m.begin - 1, GrammarRole::preposition)) continue;
        if (!is_person(m.actor) && !m.possessive) return {{m.actor, kNoIndex, true}};
        break;
      }
    }
    for (std::int32_t back = s; back >= 0 && back >= s - 1; --back) {
      const auto& list = out_.sentences[static_cast<std::size_t>(back)].actors;
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (it->end <= t && !is_person(it->actor) && !(it->begin > 0 && has_role(it->begin - 1, GrammarRole::preposition))) {
          return {{it->actor, kNoIndex, true}};
        }
      }
    }
    return {};
  }

  // Actors coordinated with mention `m` to its left: "Ivo and Jay", "Northland, Southland and".
  // A bare comma links only inside a list closed by a real conjunction ("Northland, Southland and
  // the US"), so "According to Fry, Ames" stays one subject.
  void add_coordinated(const ActorMention& m, std::uint32_t floor, std::vector<Holder>& out) const {
    std::uint32_t begin = m.begin;
    bool conjunction_seen = false;
    while (begin >= floor + 2 && has_role(begin - 1, GrammarRole::coordinator)) {
      std::uint32_t c = begin - 1;
      while (c > floor && has_role(c - 1, GrammarRole::coordinator)) --c;  // ", and"
      bool conjunction = false;
      for (std::uint32_t x = c; x < begin; ++x) conjunction = conjunction || !token_is(x, ",");
      if (!conjunction && !conjunction_seen) break;
      conjunction_seen = conjunction_seen || conjunction;
      if (c == 0 || actor_end_[c - 1] == kNoIndex) break;
      const auto& left = actors_[static_cast<std::size_t>(actor_end_[c - 1])];
      if (left.begin < floor || left.possessive) break;
      if (left.begin > 0 && (has_role(left.begin - 1, GrammarRole::preposition) ||
                             has_role(left.begin - 1, GrammarRole::reporting_marker))) break;
      out.push_back({left.actor});
      begin = left.begin;
    }
  }

  // The grammatical subject ending just before token `t`: an actor or a pronoun, across
  // auxiliaries, adverbs and negators, and across a parenthetical ", including X," / ", who ...,".
  std::vector<Holder> subject_before(std::uint32_t t, std::uint32_t floor, const std::vector<Holder>& speakers,
                                     std::uint32_t* subject_begin = nullptr) {
    std::vector<Holder> co_holders;
    std::uint32_t k = t;
    while (k > floor) {
      const std::uint32_t j = k - 1;
      if (actor_end_[j] != kNoIndex) {
        const auto& m = actors_[static_cast<std::size_t>(actor_end_[j])];
        if (m.begin < floor) break;
        if (m.begin > floor && has_role(m.begin - 1, GrammarRole::preposition) && !has_role(m.begin - 1, GrammarRole::scope_end) &&
            co_holders.empty()) {
          // "The plan that Moss brought to Southland would require ...": Southland is no subject.
          return shared_subject(floor, m.begin, speakers, subject_begin);
        }
        std::vector<Holder> holders{{m.actor}};
        add_coordinated(m, floor, holders);
        if (subject_begin) *subject_begin = m.begin;
        holders.insert(holders.end(), co_holders.begin(), co_holders.end());
        return holders;
      }
      if (inside_reference(j)) {
        std::uint32_t begin = j;
        while (begin > floor && !is_pronoun(begin) && inside_reference(begin - 1)) --begin;
        if (subject_begin) *subject_begin = begin;
        auto holders = pronoun_holders(begin, speakers);
        if (holders.empty()) return {};
        holders.insert(holders.end(), co_holders.begin(), co_holders.end());
        return holders;
      }
      if (skippable(j)) { k = j; continue; }
      // "Ames answered by threatening X": the verb after "by" shares the clause's subject.
      if (j + 1 == t && role_starting(j, GrammarRole::agent_marker) == t && looks_like_gerund(doc_.tokens[t].folded())) {
        return shared_subject(floor, j, speakers, subject_begin);
      }
      if (token_is(j, ",")) {
        std::uint32_t c = j;
        bool found = false;
        while (c > floor && j - c < 20) {
          --c;
          if (token_is(c, ",")) { found = true; break; }
        }
        const bool parenthetical = found && c > floor && actor_end_[c - 1] != kNoIndex;
        if (parenthetical && role_starting(c + 1, GrammarRole::appositive)) {
          for (std::uint32_t x = c + 1; x < j; ++x) {
            if (actor_begin_[x] != kNoIndex) co_holders.push_back({actors_[static_cast<std::size_t>(actor_begin_[x])].actor});
          }
          k = c;
          continue;
        }
        if (parenthetical && (role_starting(c + 1, GrammarRole::relative_pronoun) ||
                              has_role(c + 1, GrammarRole::determiner))) {
          k = c;  // ", who led the team," / ", the head of his office,"
          continue;
        }
        // "..., rejects X" / "..., saying X": the verb shares the clause's subject.
        return shared_subject(floor, j, speakers, subject_begin);
      }
      if (token_is(j, "and") || token_is(j, "but") || token_is(j, "or")) {
        if (context_[j] != kNoIndex && parallel_verbs(context_verb_[static_cast<std::size_t>(context_[j])], t)) {
          if (subject_begin) *subject_begin = t;  // "Gale says the ministry ... and urges": Gale urges
          return contexts_[static_cast<std::size_t>(context_[j])];
        }
        return shared_subject(floor, j, speakers, subject_begin);  // "travelled to Southland and called on"
      }
      if (auto author = document_author(j, floor); author != kNoIndex) {
        if (subject_begin) *subject_begin = floor;
        return {{author}};
      }
      // "Eastland leaders who joined the talks on Monday said": the subject precedes "who".
      for (std::uint32_t r = j; r > floor && j - r < 10; --r) {
        if (!role_starting(r, GrammarRole::relative_pronoun) || token_is(r, "that")) continue;
        if (actor_end_[r - 1] == kNoIndex) break;
        const auto& m = actors_[static_cast<std::size_t>(actor_end_[r - 1])];
        if (m.begin < floor || m.possessive) break;
        std::vector<Holder> holders{{m.actor}};
        add_coordinated(m, floor, holders);
        if (subject_begin) *subject_begin = m.begin;
        return holders;
      }
      break;
    }
    return {};
  }

  // The subject a coordinated or participial verb shares with its clause: the first actor or
  // pronoun of the clause that is not inside a prepositional phrase ("Ivo, Jay and Kent
  // travelled ... and called on"; "Southland's document proposes ..., rejects ...").
  std::vector<Holder> shared_subject(std::uint32_t floor, std::uint32_t before, const std::vector<Holder>& speakers,
                                     std::uint32_t* subject_begin) {
    bool in_phrase = false;  // "a meeting between Ames and Cole": both inside the phrase
    for (std::uint32_t t = floor; t < before; ++t) {
      if (quote_of_[t] != quote_of_[before > 0 ? before - 1 : 0] && quote_of_[t] != kNoIndex) continue;
      if (in_phrase && actor_begin_[t] != kNoIndex && t > floor && has_role(t - 1, GrammarRole::coordinator)) {
        t = actors_[static_cast<std::size_t>(actor_begin_[t])].end - 1;
        continue;
      }
      in_phrase = false;
      // "after Cole said": a conjunction, not a preposition, opens a clause with its own subject.
      const bool after_preposition = t > floor && ((has_role(t - 1, GrammarRole::preposition) && !has_role(t - 1, GrammarRole::scope_end)) ||
                                                   has_role(t - 1, GrammarRole::reporting_marker));
      if (actor_begin_[t] != kNoIndex) {
        const auto& m = actors_[static_cast<std::size_t>(actor_begin_[t])];
        const bool clause_initial = t == floor || (t == floor + 1 && has_role(floor, GrammarRole::determiner));
        if (after_preposition || (m.possessive && !clause_initial)) {
          in_phrase = after_preposition;
          t = m.end - 1;
          continue;
        }
        std::vector<Holder> out{{m.actor}};
        std::uint32_t next = m.end;
        while (next < before && has_role(next, GrammarRole::coordinator)) {
          std::uint32_t x = next;
          while (x < before && has_role(x, GrammarRole::coordinator)) ++x;
          if (x >= before || actor_begin_[x] == kNoIndex) break;
          const auto& more = actors_[static_cast<std::size_t>(actor_begin_[x])];
          out.push_back({more.actor});
          next = more.end;
        }
        if (subject_begin) *subject_begin = m.begin;
        return out;
      }
      if (!after_preposition && is_pronoun(t)) {
        if (subject_begin) *subject_begin = t;
        return pronoun_holders(t, speakers);
      }
    }
    return {};
  }

  // A document speaks for its author when it opens the clause: "Northland's memorandum calls for",
  // "Southland's document proposes", "The US plan requires". `noun` is the word before the verb.
  std::int32_t document_author(std::uint32_t noun, std::uint32_t floor) const {
    const std::uint32_t anaphor_bit = 1U << static_cast<unsigned>(GrammarRole::anaphor);
    if (doc_.tokens[noun].kind != text::TokenKind::word || (role_cover_[noun] & ~anaphor_bit) != 0) return kNoIndex;
    for (std::uint32_t p = noun; p-- > floor && noun - p <= 2;) {
      std::uint32_t end = p;  // the actor's last token
      if (is_possessive_marker(p)) {
        if (p == 0) return kNoIndex;
        end = p - 1;
      }
      if (actor_end_[end] != kNoIndex) {
        const auto& m = actors_[static_cast<std::size_t>(actor_end_[end])];
        const bool opens_clause = m.begin == floor || (m.begin == floor + 1 && has_role(floor, GrammarRole::determiner));
        return opens_clause ? m.actor : kNoIndex;
      }
      if (doc_.tokens[p].kind != text::TokenKind::word || (role_cover_[p] & ~anaphor_bit) != 0) return kNoIndex;
    }
    return kNoIndex;
  }

  // Two verbs in the same form ("says ... urges", "told ... urged") read as coordinated.
  bool parallel_verbs(std::uint32_t a, std::uint32_t b) const {
    if (a >= n_ || b >= n_) return false;
    const std::string& x = doc_.tokens[a].folded();
    const std::string& y = doc_.tokens[b].folded();
    auto ends = [](const std::string& w, std::string_view suffix) { return w.size() > suffix.size() + 1 && w.ends_with(suffix); };
    const bool past = (ends(x, "ed") || x == "said" || x == "told" || x == "wrote") && ends(y, "ed");
    const bool present = ends(x, "s") && !ends(x, "ss") && ends(y, "s") && !ends(y, "ss");
    return past || present;
  }

  // The grammar roles that stand for a holder named elsewhere: pronouns, pairs, titles.
  static constexpr std::array kReferenceRoles = {GrammarRole::pronoun_male, GrammarRole::pronoun_female,
                                                 GrammarRole::pronoun_speaker, GrammarRole::pronoun_collective,
                                                 GrammarRole::pronoun_pair, GrammarRole::title_reference};
  bool is_pronoun(std::uint32_t t) const {  // a reference starts at t
    return std::any_of(kReferenceRoles.begin(), kReferenceRoles.end(), [&](GrammarRole r) { return role_starting(t, r) != 0; });
  }
  bool inside_reference(std::uint32_t t) const {  // t is one of a reference's words
    return std::any_of(kReferenceRoles.begin(), kReferenceRoles.end(), [&](GrammarRole r) { return has_role(t, r); });
  }

  // Inside a quote or a report, a subject that is the speaker or the speaker's own side ("we",
  // "Southland" said by Boyd) is the speaker's direct stance; anyone else's is reported.
  std::vector<Holder> in_context(std::vector<Holder> holders, const std::vector<Holder>& speakers) const {
    if (speakers.empty()) return holders;
    std::vector<Holder> out;
    for (const auto& h : holders) {
      bool own = false;
      for (const auto& s : speakers) {
        if (h.actor == s.actor || h.actor == pack_.affiliation[static_cast<std::size_t>(s.actor)]) own = true;
      }
      if (own) {
        for (const auto& s : speakers) out.push_back({s.actor, kNoIndex, h.via_pronoun});
      } else {
        out.push_back({h.actor, speakers.front().actor, h.via_pronoun});
      }
    }
    return out;
  }

  // ---- sentences ------------------------------------------------------------------------------

  struct Clause {
    std::uint32_t begin = 0, end = 0;
  };

  // Nothing but auxiliaries and adverbs stands between the clause start and token t.
  bool opens_clause(std::uint32_t t, const Clause& clause) const {
    if (clause.begin == 0 || sentence_of(clause.begin) != sentence_of(clause.begin - 1)) return false;
    if (!has_role(clause.begin - 1, GrammarRole::clause_break)) return false;  // after ", but", not a quote edge
    for (std::uint32_t k = clause.begin; k < t; ++k) if (!skippable(k)) return false;
    return true;
  }

  // The first subject met earlier in this sentence (a speaker or a holder).
  std::vector<Holder> earlier_subject(std::uint32_t before) const {
    const std::pair<std::uint32_t, std::int32_t>* first = nullptr;
    for (const auto& entry : current_subjects_) {
      if (entry.first < before && (!first || entry.first < first->first)) first = &entry;
    }
    if (first) return {{first->second}};
    // No statement yet: the sentence's first actor outside a phrase ("Boyd did not name
    // the envoy, but said ...").
    for (const auto& m : out_.sentences[static_cast<std::size_t>(sentence_of(before > 0 ? before - 1 : 0))].actors) {
      if (m.begin >= before) break;
      if (m.possessive || (m.begin > 0 && has_role(m.begin - 1, GrammarRole::preposition))) continue;
      return {{m.actor}};
    }
    return {};
  }


  bool is_question(const text::Sentence& s) const {
    for (std::uint32_t t = s.end_token; t-- > s.first_token;) {
      if (doc_.tokens[t].kind != text::TokenKind::punct) return false;
      if (token_is(t, "?")) return true;
      if (token_is(t, ".") || token_is(t, "!")) return false;
    }
    return false;
  }

  // A factbox label in capitals ("NORTHLAND'S TERMS:") heads the sentence without being part of it.
  std::uint32_t after_label(const text::Sentence& s) const {
    for (std::uint32_t t = s.first_token; t < s.end_token && t < s.first_token + 6; ++t) {
      if (token_is(t, ":")) return t > s.first_token ? t + 1 : s.first_token;
      const auto& tok = doc_.tokens[t];
      if (tok.kind == text::TokenKind::word && !all_capitals(t) && !token_is(t, "'s")) return s.first_token;
    }
    return s.first_token;
  }

  // Into `out` (a list kept from sentence to sentence).
  void clauses_of(std::size_t index, std::vector<Clause>& out) const {
    const text::Sentence& s = doc_.sentences[index];
    out.clear();
    std::uint32_t begin = after_label(s);
    // Without quotes or clause breaks the sentence is one clause: no need to look at each token.
    const bool quotes = !quotes_.empty();
    const bool breaks = sentence_has(index, GrammarRole::clause_break);  // else no token starts one
    for (std::uint32_t t = begin; (quotes || breaks) && t < s.end_token; ++t) {
      const bool quote_edge = t > s.first_token && quote_of_[t] != quote_of_[t - 1] &&
                              ((quote_of_[t] != kNoIndex && quotes_[static_cast<std::size_t>(quote_of_[t])].speech) ||
                               (quote_of_[t - 1] != kNoIndex && quotes_[static_cast<std::size_t>(quote_of_[t - 1])].speech));
      if (quote_edge) {
        out.push_back({begin, t});
        begin = t;
      }
      if (const std::uint32_t end = breaks ? role_starting(t, GrammarRole::clause_break) : 0) {
        out.push_back({begin, t});
        begin = end;
        t = end - 1;
      }
    }
    out.push_back({begin, s.end_token});
    out.erase(std::remove_if(out.begin(), out.end(), [](const Clause& c) { return c.end <= c.begin; }), out.end());
  }

  std::int32_t new_context(std::vector<Holder> speakers, std::uint32_t begin, std::uint32_t verb = UINT32_MAX) {
    contexts_.push_back(std::move(speakers));
    context_begin_.push_back(begin);
    context_verb_.push_back(verb);
    return static_cast<std::int32_t>(contexts_.size() - 1);
  }
  // Where the reported words around token t start (the clause's start when nobody reports them).
  std::uint32_t context_floor(std::uint32_t t, std::uint32_t clause_begin) const {
    if (context_[t] == kNoIndex) return clause_begin;
    return std::max(clause_begin, context_begin_[static_cast<std::size_t>(context_[t])]);
  }
  const std::vector<Holder>& speakers_at(std::uint32_t t) const {
    static const std::vector<Holder> none;
    return context_[t] == kNoIndex ? none : contexts_[static_cast<std::size_t>(context_[t])];
  }

  // Marks who is speaking for every token: quotes with a speaker, "X said (that) ...", "according
  // to X, ...", and a trailing ", X said." that reports what came before it.
  void mark_quote_speakers(std::size_t s) {
    const auto& sentence = doc_.sentences[s];
    for (std::size_t i = quotes_in_sentence_begin_[s]; i < quotes_in_sentence_begin_[s + 1]; ++i) {
      const std::size_t q = quotes_in_sentence_[i];
      auto& r = quotes_[q];
      if (!r.speakers.empty()) continue;
      const std::int32_t last_sentence = sentence_of(r.end > 0 ? r.end - 1 : 0);
      const auto& closing = doc_.sentences[static_cast<std::size_t>(last_sentence)];
      auto speakers = quote_speaker(r, sentence.first_token, closing.end_token);
      if (speakers.empty()) continue;
      for (auto& h : speakers) r.speakers.push_back(h.actor);
      r.speech = true;
      const std::int32_t ctx = new_context(speakers, r.begin);
      for (std::uint32_t run = r.runs_begin; run < r.runs_end; ++run) {
        for (std::uint32_t t = quote_runs_[run].first; t < quote_runs_[run].second; ++t) context_[t] = ctx;
      }
      for (const auto& h : speakers) current_subjects_.push_back({r.begin, h.actor});
    }
  }

  void mark_reports(std::size_t s, const std::vector<Clause>& clauses) {
    if (!sentence_has(s, GrammarRole::reporting_marker) && !sentence_has(s, GrammarRole::reporting_verb)) return;
    for (const auto& clause : clauses) {
      if (quote_of_[clause.begin] != kNoIndex && quotes_[static_cast<std::size_t>(quote_of_[clause.begin])].speech) continue;
      for (std::uint32_t t = clause.begin; t < clause.end; ++t) {
        if (const std::uint32_t marker_end = role_starting(t, GrammarRole::reporting_marker)) {
          if (marker_end < clause.end && actor_begin_[marker_end] != kNoIndex) {
            const auto& m = actors_[static_cast<std::size_t>(actor_begin_[marker_end])];
            const std::int32_t ctx = new_context({{m.actor}}, m.end);
            for (std::uint32_t x = m.end; x < clause.end; ++x) if (context_[x] == kNoIndex) context_[x] = ctx;
            current_subjects_.push_back({m.begin, m.actor});
          }
          continue;
        }
        if (!role_starting(t, GrammarRole::reporting_verb) || (t > 0 && has_role(t - 1, GrammarRole::reporting_verb))) continue;
        if (quote_adjacent(t)) continue;
        std::uint32_t verb_end = role_starting(t, GrammarRole::reporting_verb);
        std::uint32_t subject_begin = t;
        auto speakers = subject_before(t, clause.begin, speakers_at(t), &subject_begin);
        if (speakers.empty() && opens_clause(t, clause)) speakers = earlier_subject(clause.begin);  // "..., but repeated that"
        bool inverted = false;
        if (speakers.empty() && verb_end < clause.end && actor_begin_[verb_end] != kNoIndex) {  // ", said Dunn."
          const auto& m = actors_[static_cast<std::size_t>(actor_begin_[verb_end])];
          speakers = {{m.actor}};
          inverted = true;
          verb_end = m.end;
        }
        if (speakers.empty()) continue;
        for (const auto& h : speakers) current_subjects_.push_back({subject_begin, h.actor});
        std::uint32_t next = verb_end;
        while (next < clause.end && (token_is(next, ",") || token_is(next, ":"))) ++next;
        const bool quote_follows = next < n_ && quote_of_[next] != kNoIndex &&
                                   quotes_[static_cast<std::size_t>(quote_of_[next])].speech;
        if (quote_follows && !inverted) continue;  // "He noted, “...”": the quote is what he said
        const bool trailing = !inverted ? subject_begin > clause.begin && token_is(subject_begin - 1, ",") && !has_content(verb_end, clause.end)
                                        : t > clause.begin && token_is(t - 1, ",") && !has_content(verb_end, clause.end);
        const bool parenthetical = !inverted && subject_begin > clause.begin && token_is(subject_begin - 1, ",") &&
                                   token_is(verb_end, ",");
        const std::int32_t ctx = new_context(speakers, trailing || parenthetical ? clause.begin : verb_end, t);
        if (parenthetical) {
          for (std::uint32_t x = clause.begin; x < clause.end; ++x) if (context_[x] == kNoIndex) context_[x] = ctx;
        } else if (trailing) {
          const std::uint32_t stop = inverted ? t : subject_begin;
          for (std::uint32_t x = clause.begin; x < stop; ++x) if (context_[x] == kNoIndex) context_[x] = ctx;
        } else if (!inverted) {
          // The report ends where another one begins: "X said A, and officials told reporters B".
          std::uint32_t stop = clause.end;
          for (std::uint32_t x = verb_end + 1; x < clause.end; ++x) {
            if (!role_starting(x, GrammarRole::reporting_verb)) continue;
            for (std::uint32_t b = x; b-- > verb_end;) {
              if (token_is(b, "and") || token_is(b, ",") || token_is(b, ";")) { stop = b; break; }
            }
            break;
          }
          for (std::uint32_t x = verb_end; x < stop; ++x) if (context_[x] == kNoIndex) context_[x] = ctx;
        }
      }
    }
  }

  bool quote_adjacent(std::uint32_t verb) const {
    // "said" right after a closing quote (",” he said" / ",” said X") belongs to that quote.
    for (std::uint32_t k = verb; k-- > 0 && verb - k <= 6;) {
      if (has_role(k, GrammarRole::reporting_verb)) return false;  // ",” he said, adding that": only "said" is adjacent
      if (quote_of_[k] != kNoIndex) {
        return quotes_[static_cast<std::size_t>(quote_of_[k])].speech && sentence_of(k) == sentence_of(verb);
      }
      if (!(token_is(k, ",") || actor_end_[k] != kNoIndex || actor_begin_[k] != kNoIndex || skippable(k) ||
            has_role(k, GrammarRole::pronoun_male) || has_role(k, GrammarRole::pronoun_female) ||
            (k + 1 < n_ && actor_end_[k] == kNoIndex && actor_in_span(k)))) {
        return false;
      }
    }
    return false;
  }
  bool actor_in_span(std::uint32_t t) const {
    for (std::uint32_t k = t + 1; k-- > 0 && t - k < 6;) {
      if (actor_begin_[k] != kNoIndex) return actors_[static_cast<std::size_t>(actor_begin_[k])].end > t;
    }
    return false;
  }
  bool has_content(std::uint32_t begin, std::uint32_t end) const {
    for (std::uint32_t t = begin; t < end; ++t) {
      if (issue_at_[t] != kNoIndex) return true;
    }
    auto by_begin = [](const PhraseMention& m, std::uint32_t t) { return m.begin < t; };
    const auto first = std::lower_bound(cues_.begin(), cues_.end(), begin, by_begin);
    return first != cues_.end() && first->begin < end;
  }

  bool in_conditional(std::uint32_t t, const Clause& clause) const {
    for (std::uint32_t k = t; k-- > clause.begin;) {
      if (token_is(k, ",") || token_is(k, ";")) return false;
      if (has_role(k, GrammarRole::conditional)) return true;
    }
    return false;
  }

  bool negated_before(std::uint32_t t, std::uint32_t floor) const {
    std::uint32_t steps = 0;
    for (std::uint32_t k = t; k-- > floor && steps < 5; ++steps) {
      if (has_role(k, GrammarRole::negator)) return true;
      if (!skippable(k)) return false;
    }
    return false;
  }

  bool hedged_before(std::uint32_t t, std::uint32_t floor) const {
    std::uint32_t steps = 0;
    for (std::uint32_t k = t; k-- > floor && steps < 4; ++steps) {
      if (has_role(k, GrammarRole::hedge)) return true;
      if (!skippable(k)) return false;
    }
    return false;
  }

  // An issue cue under `holder_cues:` counts only for holders of its sides.
  bool usable(const PhraseMention& m) const {
    const auto& sides = pack_.entries[static_cast<std::size_t>(m.entry)].holder_sides;
    if (sides.empty()) return true;
    return std::any_of(statement_sides_.begin(), statement_sides_.end(),
                       [&](std::int32_t s) { return std::find(sides.begin(), sides.end(), s) != sides.end(); });
  }

  std::vector<std::int32_t> issues_in(std::uint32_t begin, std::uint32_t end) const {
    std::vector<std::int32_t> out;
    const auto [first, last] = issue_range(begin, end);
    for (std::size_t i = first; i < last; ++i) {
      const auto& m = issues_[i];
      if (m.end <= end && usable(m)) {
        const auto ref = pack_.core(m.entry).ref;
        if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(ref);
      }
    }
    return out;
  }

  // Where the object of a cue starting its scope at `from` ends.
  std::uint32_t scope_end(std::uint32_t from, const Clause& clause, std::size_t cue_index,
                          std::vector<std::size_t>* complement_cues = nullptr) const {
    std::uint32_t end = clause.end;
    // A later cue with its own subject starts a new statement.
    for (std::size_t j = cue_index + 1; j < cues_.size() && cues_[j].begin < end; ++j) {
      if (cues_[j].begin < from) continue;
      std::uint32_t k = cues_[j].begin;
      while (k > from && skippable(k - 1)) --k;
      if (k > from + 1 && (token_is(k - 1, "and") || token_is(k - 1, "but") || token_is(k - 1, ","))) {
        // "supported X but insisted Y", "opposed X and urged Y": the second verb has its own object.
        bool seen = false;
        for (std::uint32_t t = from; t < k - 1; ++t) seen = seen || issue_at_[t] != kNoIndex;
        if (seen || !token_is(k - 1, ",")) {
          end = std::min(end, k - 1);
          continue;
        }
      }
      if (k > from && actor_end_[k - 1] != kNoIndex && !actors_[static_cast<std::size_t>(actor_end_[k - 1])].possessive) {
        std::uint32_t subject = actors_[static_cast<std::size_t>(actor_end_[k - 1])].begin;
        while (subject > from + 1 && has_role(subject - 1, GrammarRole::coordinator) && actor_end_[subject - 2] != kNoIndex) {
          subject = actors_[static_cast<std::size_t>(actor_end_[subject - 2])].begin;  // "the US and Eastland"
        }
        if (subject > from && has_role(subject - 1, GrammarRole::determiner)) continue;  // "a US proposal": a modifier
        const auto form = cue_info(cues_[j]).form;
        if (has_role(subject, GrammarRole::determiner) && k == cues_[j].begin && (form == CueForm::noun || form == CueForm::verb)) {
          continue;  // "the Westland proposal": an actor named with its article, then a noun
        }
        const bool complement = subject == from || (subject == from + 1 && has_role(from, GrammarRole::relative_pronoun));
        if (complement) {  // "agreed that X could ...", "hoped X would ..."
          if (complement_cues) complement_cues->push_back(j);
          continue;
        }
        end = std::min(end, subject);
      }
    }
    bool seen_issue = false;
    for (std::uint32_t t = from; t < end; ++t) {
      const bool inside_issue = issue_at_[t] != kNoIndex && issues_[static_cast<std::size_t>(issue_at_[t])].begin < t;
      const bool adverbial = has_role(t, GrammarRole::auxiliary);  // "as soon as possible" ends nothing
      if (!inside_issue && !adverbial && has_any_role(t, role_bit(GrammarRole::conditional) | role_bit(GrammarRole::scope_end))) return t;
      if (issue_at_[t] != kNoIndex) seen_issue = true;
      if (seen_issue && issue_at_[t] == kNoIndex && has_role(t, GrammarRole::relative_pronoun)) return t;  // "guarantees that would stop ..."
      if (t > from && token_is(t, "and") && token_is(t - 1, ",") && t + 1 < end) {  // ", and he renewed ..."
        const bool actor_subject = actor_begin_[t + 1] != kNoIndex && !actors_[static_cast<std::size_t>(actor_begin_[t + 1])].possessive;
        const bool pronoun_subject = role_starting(t + 1, GrammarRole::pronoun_male) || role_starting(t + 1, GrammarRole::pronoun_female) ||
                                     (role_starting(t + 1, GrammarRole::pronoun_speaker) && !has_role(t + 1, GrammarRole::possessive_pronoun));
        if (actor_subject || pronoun_subject) return t - 1;
      }
      // A comma after the object ends it, unless a list goes on ("withdraw from X, to adopt Y and
      // to hold Z"; "a armistice, a prisoner swap and ...").
      if (token_is(t, ",") && issue_at_[t] == kNoIndex && t + 1 < end) {
        const std::uint32_t n = t + 1;
        const bool list_goes_on = issue_at_[n] != kNoIndex || has_role(n, GrammarRole::coordinator) ||
                                  has_role(n, GrammarRole::determiner) || token_is(n, "to") ||
                                  !entity_index_.starting_at[n].empty();
        // Before any object, a parenthetical may intervene (", with Rutte beside him,", ", that ...").
        const bool parenthetical = !seen_issue && (has_role(n, GrammarRole::preposition) ||
                                                   has_role(n, GrammarRole::relative_pronoun) ||
                                                   doc_.tokens[n].capitalized || skippable(n));
        if (!list_goes_on && !parenthetical) return t;
      }
    }
    return end;
  }

  std::int32_t side_of(std::int32_t actor) const {
    const std::int32_t up = pack_.affiliation[static_cast<std::size_t>(actor)];
    return up == kNoIndex ? actor : up;
  }

  // "Boyd rejected these conditions", "Southland accepted the proposal": an anaphoric object names
  // the latest proposal of another side, within three sentences; failing that, the latest at all.
  std::vector<std::int32_t> recent_issues(std::size_t sentence, const std::vector<Holder>& holders = {}) const {
    std::set<std::int32_t> own;
    for (const auto& h : holders) if (h.actor != kNoIndex) own.insert(side_of(h.actor));
    const Recent* fallback = nullptr;
    for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
      if (it->sentence + 3 < sentence) break;
      if (it->issues.empty()) continue;
      if (!fallback) fallback = &*it;
      const bool other_side = std::none_of(it->sides.begin(), it->sides.end(), [&](std::int32_t s) { return own.count(s) > 0; });
      if (other_side) return it->issues;
    }
    return fallback ? fallback->issues : std::vector<std::int32_t>{};
  }

  // "the proposal" after "a Westland proposal for X" (or "proposed X"): the latest statement whose cue
  // shares the anaphor's head word, six sentences back at most.
  std::vector<std::int32_t> issues_named_like(std::size_t sentence, std::uint32_t anaphor) const {
    const std::uint32_t end = role_starting(anaphor, GrammarRole::anaphor);
    if (end == 0 || end <= anaphor) return {};
    const std::string& head = doc_.tokens[end - 1].stem();
    for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
      if (it->sentence + 6 < sentence) break;
      if (!it->issues.empty() && it->cue_stem == head) return it->issues;
    }
    return {};
  }

  // "announced the pause": with no statement to point back to, the latest issue named.
  std::vector<std::int32_t> recent_mention(std::size_t sentence, std::uint32_t before) const {
    const std::uint32_t floor = doc_.sentences[sentence >= 2 ? sentence - 2 : 0].first_token;
    const auto [first, last] = issue_range(floor, before);
    for (std::size_t i = last; i-- > first;) {
      if (issues_[i].end <= before) return {pack_.entries[static_cast<std::size_t>(issues_[i].entry)].ref};
    }
    return {};
  }

  // An anaphoric object stands right after its verb ("rejected it", "accepted the proposal").
  std::uint32_t anaphor_in(std::uint32_t begin, std::uint32_t end) const {
    for (std::uint32_t t = begin; t < end && t < begin + 2; ++t) {
      // "urged it to act": the one urged, not an issue named before.
      if (role_starting(t, GrammarRole::anaphor) && !token_is(role_starting(t, GrammarRole::anaphor), "to")) return t;
    }
    return UINT32_MAX;
  }

  void analyze_sentence(std::size_t s) {
    analyze_sentence_body(s);
    // Later pronouns look back to this sentence's subject: its first speaker or holder, if a person.
    const std::pair<std::uint32_t, std::int32_t>* first = nullptr;
    for (const auto& entry : current_subjects_) {
      if (is_person(entry.second) && (!first || entry.first < first->first)) first = &entry;
    }
    if (first) sentence_subject_[s] = first->second;
  }

  void analyze_sentence_body(std::size_t s) {
    const auto& sentence = doc_.sentences[s];
    auto& trace = out_.sentences[s];
    current_subjects_.clear();
    mark_quote_speakers(s);  // first: speech quotes are clause edges
    auto& clauses = clauses_;
    const std::size_t first_cue = first_cue_at(sentence.first_token);
    const bool has_cue = first_cue < cues_.size() && cues_[first_cue].begin < sentence.end_token;
    // Clauses are read by reports and cues alone; most sentences of a text hold neither.
    clauses.clear();
    if (has_cue || sentence_has(s, GrammarRole::reporting_marker) || sentence_has(s, GrammarRole::reporting_verb)) {
      clauses_of(s, clauses);
    }
    mark_reports(s, clauses);
    note_document_authors(s);
    if (is_question(sentence)) {
      note(trace, [&] { return std::string("question: no stance is coded"); });
      return;
    }
    for (std::size_t ci = first_cue; ci < cues_.size() && cues_[ci].begin < sentence.end_token; ++ci) {
      const PhraseMention& cue = cues_[ci];
      if (consumed_[ci]) continue;
      const Clause* clause = nullptr;
      for (const auto& c : clauses) if (cue.begin >= c.begin && cue.begin < c.end) clause = &c;
      if (!clause) continue;
      analyze_cue(s, ci, *clause, trace);
    }
  }

  void analyze_cue(std::size_t s, std::size_t ci, const Clause& clause, SentenceTrace& trace) {
    const PhraseMention& cue = cues_[ci];
    const detail::CueInfo& info = cue_info(cue);
    auto cue_text = [&] { return words(cue.begin, cue.end); };
    if (sentence_has(s, GrammarRole::conditional) && in_conditional(cue.begin, clause)) {
      note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): inside a conditional or 'whether' clause"); });
      return;
    }
    Statement st;
    st.sentence = s;
    st.cue_entry = cue.entry;
    st.cue_begin = cue.begin;
    st.cue_end = cue.end;
    st.negated = negated_before(cue.begin, clause.begin);
    std::optional<Stance> stance = info.stance;
    if (st.negated) {
      if (info.stance == Stance::demand) stance.reset();
      else stance = info.stance == Stance::accept ? Stance::reject : Stance::accept;
    }
    const auto& speakers = speakers_at(cue.begin);
    // A verb cue used as a noun: after a determiner or possessive, also across a compound issue
    // ("Westland's armistice offer", "a US proposal").
    std::uint32_t head = cue.begin;
    if (head > clause.begin && issue_at_[head - 1] != kNoIndex) head = issues_[static_cast<std::size_t>(issue_at_[head - 1])].begin;
    if (head > clause.begin + 1 && token_is(head - 1, "-") && !doc_.tokens[head - 1].space_before) head -= 2;  // "counter-proposal"
    std::int32_t modifier = kNoIndex;  // "the US armistice proposal": the US is the proposer
    if (const auto [begin, who] = modifier_before(head, clause.begin); who != kNoIndex) {
      modifier = who;
      head = begin;
    }
    const bool determiner_before = modifier != kNoIndex || (head > clause.begin &&
        (has_role(head - 1, GrammarRole::determiner) || has_role(head - 1, GrammarRole::possessive_pronoun) ||
         is_possessive_marker(head - 1)));
    const bool nominal = info.form == CueForm::noun || (info.form == CueForm::verb && determiner_before);
    std::uint32_t k = cue.begin;
    while (k > clause.begin && (has_role(k - 1, GrammarRole::negator) || has_role(k - 1, GrammarRole::hedge) ||
                                (has_role(k - 1, GrammarRole::auxiliary) && !has_role(k - 1, GrammarRole::passive_auxiliary)))) --k;
    st.passive = info.form == CueForm::verb && !nominal && k > clause.begin &&
                 has_role(k - 1, GrammarRole::passive_auxiliary) && looks_like_participle(doc_.tokens[cue.begin].folded());

    // Holder.
    std::vector<Holder> holders;
    std::uint32_t subject_begin = cue.begin;
    const std::uint32_t floor = context_floor(cue.begin, clause.begin);
    // The account of the decisions is for explain only (notes); the two of its labels the logic
    // asks about are kept as flags.
    std::string how;
    auto say = [&](const char* label) {
      if (options_.notes) how = label;
    };
    bool from_speaker = false;   // the holders are the speakers ("..., speaker")
    bool modal_subject = false;  // a volition's own subject ("modal subject")
    const bool modal = info.form == CueForm::modal || info.form == CueForm::volition;
    if (nominal && modifier != kNoIndex) {
      holders = in_context({{modifier}}, speakers);
      say("nominal, modifier");
    } else if (nominal) {
      holders = nominal_holder(cue, clause, speakers);
      say("nominal");
    } else if (info.form == CueForm::verb && !st.passive) {
      holders = subject_before(cue.begin, floor, speakers, &subject_begin);
      say("subject");
      if (holders.empty() && opens_clause(cue.begin, clause)) {
        holders = in_context(earlier_subject(clause.begin), speakers);  // "X supported A, but insisted on B"
        say("subject of the clause before");
      }
      if (holders.empty()) {
        if (auto h = relative_clause_antecedent(cue.begin); h != kNoIndex) {
          holders = in_context({{h}}, speakers);  // "Boyd, who had rejected the plan, ..."
          subject_begin = cue.begin;
          say("antecedent of the relative clause");
        }
      }
    } else if (st.passive) {
      holders = agent_after(cue.end, clause.end, speakers);
      say("passive agent");
      bool agent_named = false;  // "backed by Eastland troops": an agent, but no actor
      for (std::uint32_t t = cue.end; t < clause.end && t < cue.end + 2; ++t) agent_named = agent_named || role_starting(t, GrammarRole::agent_marker);
      if (holders.empty() && !speakers.empty() && !agent_named) { holders = speakers; say("passive, speaker"); from_speaker = true; }
    } else if (info.form == CueForm::predicate) {
      holders = recipient_after(cue.end, clause.end, speakers);
      say("predicate");
      if (holders.empty() && !speakers.empty()) { holders = speakers; say("predicate, speaker"); from_speaker = true; }
    } else if (info.form == CueForm::modal && !speakers.empty()) {
      holders = speakers;  // a reported "must (not)" is the speaker's own demand or refusal
      say("modal, speaker");
      from_speaker = true;
      subject_begin = cue.begin;
      subject_before(cue.begin, floor, {}, &subject_begin);
    } else if (info.form == CueForm::modal) {
      // Outside quotes and reports a "must" is the writer's, or names who is obliged, not who wants.
      note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): an obligation nobody is quoted as stating"); });
      return;
    } else {  // volition
      holders = subject_before(cue.begin, floor, speakers, &subject_begin);
      say("modal subject");
      modal_subject = true;
      if (holders.empty() && !speakers.empty()) {
        holders = speakers;
        say("modal, speaker");
        from_speaker = true;
        modal_subject = false;
      }
    }
    if (!from_speaker) holders = in_context(std::move(holders), speakers);
    statement_sides_.clear();
    for (const auto& h : holders) {
      if (h.actor == kNoIndex) continue;
      statement_sides_.push_back(h.actor);
      statement_sides_.push_back(side_of(h.actor));
      for (std::int32_t m : pack_.represents[static_cast<std::size_t>(h.actor)]) statement_sides_.push_back(m);
    }

    // Object.
    std::vector<std::int32_t> issues;
    bool by_anaphor = false;
    if (info.form == CueForm::predicate || (st.passive && !nominal)) {
      issues = issues_before(cue.begin, clause.begin, doc_.sentences[s].first_token);
      if (issues.empty() && st.passive) {
        for (std::uint32_t a = clause.begin; a < cue.begin; ++a) {
          if (role_starting(a, GrammarRole::anaphor)) {  // "The plan was dismissed by Hale"
            issues = recent_issues(s, holders);
            by_anaphor = !issues.empty();
            break;
          }
        }
      }
    } else if (modal && !nominal) {
      issues = modal_object(cue, clause);
    }
    if (issues.empty() && !modal && info.form != CueForm::predicate) {
      std::vector<std::size_t> complement_cues;
      const std::uint32_t end = scope_end(cue.end, clause, ci, &complement_cues);
      for (std::size_t j = ci + 1; j < cues_.size() && cues_[j].begin < end; ++j) {
        const auto form = cue_info(cues_[j]).form;
        const bool proposition = form == CueForm::modal || form == CueForm::volition || form == CueForm::predicate;
        const bool that_clause = has_role(cue.end, GrammarRole::relative_pronoun) || has_role(cue.end - 1, GrammarRole::relative_pronoun);
        if (proposition && that_clause && has_role(cue.begin, GrammarRole::reporting_verb)) {
          // "insisted that any pause must lead to peace": the complement's own cue carries the stance.
          note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): its complement carries the stance ('" +
                                words(cues_[j].begin, cues_[j].end) + "')"); });
          return;
        }
      }
      issues = issues_in(cue.end, end);
      const auto [cue_issues_begin, cue_issues_end] = issue_range(cue.begin, cue.end);
      for (std::size_t i = cue_issues_begin; i < cue_issues_end; ++i) {
        const PhraseMention& m = issues_[i];
        // an issue phrase that starts with the cue, or sits inside it ("called the armistice offer a ploy")
        const bool starts_in_cue = m.begin >= cue.begin && m.begin < cue.end && m.end > cue.end && m.end <= end;
        const bool inside_cue = m.begin > cue.begin && m.end <= cue.end;
        if ((starts_in_cue || inside_cue) && usable(m)) {
          const auto ref = pack_.core(m.entry).ref;
          if (std::find(issues.begin(), issues.end(), ref) == issues.end()) issues.push_back(ref);
        }
      }
      // What someone agreed or demanded that others do is this holder's stance, not theirs; a
      // "should"/"must" inside it ("agreed the fighting should stop") is part of the same statement.
      if (!holders.empty()) {
        for (std::size_t j : complement_cues) if (cues_[j].begin < end) consumed_[j] = true;
        for (std::size_t j = ci + 1; j < cues_.size() && cues_[j].begin < end; ++j) {
          const auto form = cue_info(cues_[j]).form;
          if (form == CueForm::modal || form == CueForm::volition) consumed_[j] = true;
        }
      }
      // A nested cue before the first issue governs the stance: "refused to accept X".
      std::uint32_t first_issue = end;
      for (std::uint32_t t = cue.end; t < end; ++t) if (issue_at_[t] != kNoIndex) { first_issue = t; break; }
      for (std::size_t j = ci + 1; j < cues_.size() && cues_[j].begin < first_issue; ++j) {
        if (cues_[j].begin < cue.end) continue;
        const auto& inner = cue_info(cues_[j]);
        Stance inner_stance = inner.stance;
        if (negated_before(cues_[j].begin, cue.end)) {
          if (inner_stance == Stance::demand) break;
          inner_stance = inner_stance == Stance::accept ? Stance::reject : Stance::accept;
        }
        if (holders.empty()) break;  // a cue nobody holds governs nothing
        const bool own_holder = cues_[j].begin > 0 && (is_possessive_marker(cues_[j].begin - 1) ||
                                                       has_role(cues_[j].begin - 1, GrammarRole::possessive_pronoun) ||
                                                       modifier_before(cues_[j].begin, cue.end).second != kNoIndex);
        if (stance) stance = compose(*stance, inner_stance);
        if (!own_holder) consumed_[j] = true;
        if (options_.notes) how += ", governs '" + words(cues_[j].begin, cues_[j].end) + "'";
        break;
      }
      if (issues.empty() && nominal && cue.begin > 0 && issue_at_[cue.begin - 1] != kNoIndex) {
        // "Westland's armistice offer": the issue names the proposal.
        issues.push_back(pack_.entries[static_cast<std::size_t>(issues_[static_cast<std::size_t>(issue_at_[cue.begin - 1])].entry)].ref);
      }
      if (issues.empty() && !nominal && subject_begin > floor) {
        // A relativised object: "the armistice that Eastland leaders had demanded" — unless that
        // phrase is itself another cue's object ("agreed to cut the tariffs they imposed").
        std::uint32_t before = subject_begin - 1;
        const bool introduced = has_role(before, GrammarRole::relative_pronoun);
        if (introduced && before > floor) --before;
        if (introduced && before > floor && token_is(before, ",")) --before;  // "the tariffs, which Cole rejected"
        // "the controls it announced in October": a pronoun in a bare relative clause recalls
        // background, it does not state a stance.
        bool inside_other_object = !introduced && is_pronoun(subject_begin);
        if (issue_at_[before] != kNoIndex) {
          const auto& m = issues_[static_cast<std::size_t>(issue_at_[before])];
          for (std::size_t other = first_cue_at(clause.begin); other < ci; ++other) {
            const auto form = cue_info(cues_[other]).form;
            if ((form == CueForm::verb || form == CueForm::noun) && cues_[other].end <= m.begin) {
              inside_other_object = true;
            }
          }
        }
        if (issue_at_[before] != kNoIndex && !inside_other_object) {
          issues.push_back(pack_.entries[static_cast<std::size_t>(issues_[static_cast<std::size_t>(issue_at_[before])].entry)].ref);
          if (options_.notes) how += ", relativised object";
        }
      }
      if (issues.empty()) {
        std::uint32_t a = anaphor_in(cue.end, end);
        if (a == UINT32_MAX && cue.end > cue.begin + 1) a = anaphor_in(cue.begin + 1, cue.end);  // "called the offer a ploy"
        if (a == UINT32_MAX && subject_begin > floor) {  // "conditions Boyd has rejected"
          const std::uint32_t before = subject_begin - 1;
          if (role_starting(before, GrammarRole::anaphor) || (before > floor && role_starting(before - 1, GrammarRole::anaphor))) a = before;
        }
        if (a != UINT32_MAX) {
          issues = issues_named_like(s, a);
          if (issues.empty()) issues = recent_issues(s, holders);
          if (issues.empty()) issues = recent_mention(s, a);
          by_anaphor = !issues.empty();
          if (by_anaphor && options_.notes) how += ", object by anaphora";
        }
      }
    }
    if (issues.empty() && st.passive) issues = issues_in(cue.end, scope_end(cue.end, clause, ci));

    if (options_.notes) st.how = how;
    if (!stance) {
      note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): negated demand, no stance"); });
      return;
    }
    // A positive "will"/"would" is a commitment only in the mouth of the side that makes it
    // ("Ames told Cole that Northland would hand over prisoners"); elsewhere it is a forecast.
    if (info.form == CueForm::volition && info.stance != Stance::reject) {
      std::uint32_t next_word = cue.end;
      while (next_word < clause.end && skippable(next_word)) ++next_word;
      for (std::size_t j = ci + 1; j < cues_.size() && cues_[j].begin < clause.end; ++j) {
        // "would accept X" (the verb right after it), "would regard X as unacceptable" (a predicate):
        // "would" only carries them. Not a noun further on: "would step up military support".
        const auto form = cue_info(cues_[j]).form;
        const bool carried = cues_[j].begin == next_word || form == CueForm::predicate || form == CueForm::modal;
        if (!consumed_[j] && carried) {
          note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): defers to '" + words(cues_[j].begin, cues_[j].end) + "'"); });
          return;
        }
      }
      for (std::uint32_t t = cue.end; t < clause.end; ++t) {
        if (sets_condition(t)) {
          stance = Stance::demand;  // "would keep up sanctions if it dragged its feet": a threat
          if (options_.notes) how += ", conditional commitment";
          break;
        }
      }
      // "if Boyd refused, the allies would ramp up sanctions": the condition comes first.
      if (stance != Stance::demand && threat_condition_before(cue.begin, s)) {
        stance = Stance::demand;
        if (options_.notes) how += ", conditional commitment";
      }
      // ... and only with a named subject or "we": "it would weaken" may be about anything.
      const bool named_subject = modal_subject && subject_begin < cue.begin &&
          (actor_begin_[subject_begin] != kNoIndex || role_starting(subject_begin, GrammarRole::pronoun_speaker) ||
           role_starting(subject_begin, GrammarRole::pronoun_male) || role_starting(subject_begin, GrammarRole::pronoun_female) ||
           // "Both sides said they would", "Southland said it would": a body speaking of itself. Not in a
           // person's words ("Ames said it would weaken X": "it" may be anything).
           (role_starting(subject_begin, GrammarRole::pronoun_collective) && !speakers.empty() &&
            std::none_of(speakers.begin(), speakers.end(), [&](const Holder& h) { return is_person(h.actor); })));
      const bool own_commitment = named_subject && !speakers.empty() && !holders.empty() &&
          std::all_of(holders.begin(), holders.end(), [](const Holder& h) { return h.reported_by == kNoIndex; });
      if (!own_commitment) {
        // "The ministry said the armistice would take effect only after X": the speaker's condition.
        if (!speakers.empty() && !named_subject) conditions_as_demands(s, cue, clause, speakers, trace);
        note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): a forecast, not a commitment of the speaker's side"); });
        return;
      }
    }
    // "Boyd said Southland would never join the alliance": another side's "never" in a speaker's mouth is
    // the speaker's refusal, not a commitment of the side named (that one would say it itself).
    if (info.form == CueForm::volition && info.stance == Stance::reject && !speakers.empty() && !holders.empty() &&
        std::all_of(holders.begin(), holders.end(), [](const Holder& h) { return h.reported_by != kNoIndex; })) {
      holders = speakers;
      if (options_.notes) how += ", another side's refusal in the speaker's words";
    }
    st.stance = *stance;
    if (options_.notes) st.issues = issues;
    if (!issues.empty()) {
      Recent recent{s, issues, {}, doc_.tokens[cue.begin].stem()};
      for (const auto& h : holders) if (h.actor != kNoIndex) recent.sides.push_back(side_of(h.actor));
      recent_.push_back(std::move(recent));
    }
    if (holders.empty()) {
      note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): no holder found (" + how + ")"); });
      return;
    }
    if (issues.empty()) {
      note(trace, [&] { return std::string("'" + cue_text() + "' (" + info.id + "): no issue in its object"); });
      if (options_.unknown_objects && !modal && info.form != CueForm::predicate && !st.passive) {
        const std::uint32_t object_end = scope_end(cue.end, clause, ci);
        // "urged Boyd to accept X": the object is the inner verb's (its stance is already composed
        // with this one's, as for a known issue). A noun stays in it: "rejected a request to X".
        std::uint32_t object_begin = cue.end;
        if (ci + 1 < cues_.size() && cues_[ci + 1].begin < object_end && cue_info(cues_[ci + 1]).form == CueForm::verb &&
            !has_role(cues_[ci + 1].begin - 1, GrammarRole::determiner)) {
          object_begin = cues_[ci + 1].end;
        }
        const std::string object = object_words(object_begin, object_end);
        if (!object.empty()) {
          for (const auto& h : holders) {
            if (h.actor == kNoIndex) continue;
            const auto& members = pack_.represents[static_cast<std::size_t>(h.actor)];  // "both sides"
            if (members.empty()) emit_unknown(s, cue, info, h, *stance, object);
            for (std::int32_t m : members) emit_unknown(s, cue, info, {m, h.reported_by == m ? kNoIndex : h.reported_by, h.via_pronoun}, *stance, object);
          }
        }
      }
      return;
    }
    double confidence = 1.0;
    if (hedged_before(cue.begin, clause.begin)) confidence *= 0.7;
    if (by_anaphor) confidence *= 0.85;
    // A group holder ("both sides") stands for its members.
    std::vector<Holder> expanded;
    for (const auto& h : holders) {
      if (h.actor == kNoIndex) continue;
      const auto& members = pack_.represents[static_cast<std::size_t>(h.actor)];
      if (members.empty()) expanded.push_back(h);
      for (std::int32_t m : members) {
        // "Ames said both sides agreed": Ames's own side is Ames's own statement.
        if (h.reported_by != kNoIndex && (h.reported_by == m || side_of(h.reported_by) == m)) {
          expanded.push_back({h.reported_by, kNoIndex, h.via_pronoun});
        } else {
          expanded.push_back({m, h.reported_by, h.via_pronoun});
        }
      }
    }
    holders = std::move(expanded);
    for (const auto& h : holders) {
      if (h.actor == kNoIndex) continue;
      if (options_.notes) st.holders.push_back(h.actor);
      double c = confidence * (h.reported_by != kNoIndex ? 0.8 : 1.0) * (h.via_pronoun ? 0.9 : 1.0);
      for (std::int32_t issue : issues) emit(s, cue, info, h, issue, *stance, c);
      if (!nominal) current_subjects_.push_back({cue.begin, h.actor});  // "the Northern offer" is no subject for "it"
      if (h.reported_by != kNoIndex) st.reported_by = h.reported_by;
    }
    st.confidence = confidence;
    if (options_.notes) trace.statements.push_back(st);
    if (*stance == Stance::accept) conditions_as_demands(s, cue, clause, holders, trace);
  }

  // The object of a modal: the proposition right after it ("will never give up its the alliance bid"),
  // around it ("borders must not be altered"), or its subject ("the force should deploy").
  std::vector<std::int32_t> modal_object(const PhraseMention& cue, const Clause& clause) const {
    auto ref = [&](const PhraseMention& m) { return pack_.core(m.entry).ref; };
    const auto [first, last] = issue_range(clause.begin, clause.end);
    for (std::size_t i = first; i < last; ++i) {
      const auto& m = issues_[i];
      if (m.begin <= cue.begin && m.end >= cue.end && usable(m)) return {ref(m)};
    }
    for (std::size_t i = first; i < last; ++i) {  // the subject: "a multinational force should deploy"
      const auto& m = issues_[i];
      if (m.end <= cue.begin && m.end + 1 >= cue.begin && usable(m)) return {ref(m)};
    }
    // The subject of a coordinated verb: "Southland's entry into the alliance posed a threat and
    // could have no place in a settlement" (the issue opens the clause).
    std::uint32_t before = cue.begin;
    while (before > clause.begin && skippable(before - 1)) --before;
    if (before > clause.begin && has_role(before - 1, GrammarRole::coordinator) && !token_is(before - 1, ",")) {
      for (std::size_t i = first; i < last; ++i) {
        const auto& m = issues_[i];
        if (m.end > cue.begin) break;
        if (m.begin <= clause.begin + 6 && usable(m)) return {ref(m)};
      }
    }
    for (std::size_t i = first; i < last; ++i) {
      const auto& m = issues_[i];
      if (m.begin < cue.end || m.begin > cue.end + 3 || m.end > clause.end || !usable(m)) continue;
      bool stopped = false;  // "should deploy after a armistice": the armistice is a time, not the object
      for (std::uint32_t t = cue.end; t < m.begin; ++t) stopped = stopped || has_role(t, GrammarRole::scope_end);
      if (!stopped) return {ref(m)};
    }
    return {};
  }

  // "Southland would accept X only if Y": the holder demands Y.
  void conditions_as_demands(std::size_t s, const PhraseMention& cue, const Clause& clause,
                             const std::vector<Holder>& holders, SentenceTrace& trace) {
    for (std::uint32_t t = cue.end; t < clause.end; ++t) {
      // Only true conditions, not `time_conditionals` ("ready to hold elections once ...").
      if (!sets_condition(t)) continue;
      std::uint32_t end = t + 1;
      while (end < clause.end && !token_is(end, ",") && !token_is(end, ";")) ++end;
      const auto demanded = issues_in(t + 1, end);
      if (demanded.empty()) return;
      Statement st;
      st.sentence = s;
      st.cue_entry = cue.entry;
      st.cue_begin = cue.begin;
      st.cue_end = cue.end;
      st.stance = Stance::demand;
      if (options_.notes) {
        st.issues = demanded;
        st.how = "condition of an acceptance";
      }
      const detail::CueInfo& info = cue_info(cue);
      for (const auto& h : holders) {
        if (h.actor == kNoIndex) continue;
        if (options_.notes) st.holders.push_back(h.actor);
        for (std::int32_t issue : demanded) emit(s, cue, info, h, issue, Stance::demand, 0.8);
      }
      if (options_.notes) trace.statements.push_back(st);
      return;
    }
  }

  std::vector<std::int32_t> issues_before(std::uint32_t t, std::uint32_t clause_floor, std::uint32_t sentence_floor) const {
    // The nearest issue mentions to the left, in the clause first, then back to the sentence start
    // without crossing a clause break.
    for (std::uint32_t floor : {clause_floor, sentence_floor}) {
      std::int32_t nearest = kNoIndex;
      const auto [first, last] = issue_range(floor, t);
      for (std::size_t i = first; i < last; ++i) {
        if (issues_[i].end <= t && usable(issues_[i])) nearest = static_cast<std::int32_t>(i);
      }
      if (nearest == kNoIndex) continue;
      bool crosses_break = false;
      for (std::uint32_t x = issues_[static_cast<std::size_t>(nearest)].end; x < t; ++x) {
        if (has_role(x, GrammarRole::clause_break)) crosses_break = true;
      }
      if (crosses_break) continue;
      std::vector<std::int32_t> out{pack_.entries[static_cast<std::size_t>(issues_[static_cast<std::size_t>(nearest)].entry)].ref};
      // Coordinated issues: "a armistice and a prisoner exchange".
      for (std::int32_t i = nearest - 1; i >= 0; --i) {
        const auto& prev = issues_[static_cast<std::size_t>(i)];
        const auto& next = issues_[static_cast<std::size_t>(i + 1)];
        if (prev.end + 2 < next.begin || prev.begin < floor) break;
        bool joined = false;
        for (std::uint32_t x = prev.end; x < next.begin; ++x) joined = joined || has_role(x, GrammarRole::coordinator);
        if (!joined && prev.end != next.begin) break;
        const auto ref = pack_.core(prev.entry).ref;
        if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(ref);
      }
      return out;
    }
    return {};
  }

  std::vector<Holder> nominal_holder(const PhraseMention& cue, const Clause& clause, const std::vector<Holder>& speakers) {
    // "Northland's demand", "Northland's repeated demands", "his call for", "a proposal by Jay".
    for (std::uint32_t gap = 0; gap <= 2; ++gap) {
      if (cue.begin < clause.begin + 1 + gap) break;
      const std::uint32_t marker = cue.begin - 1 - gap;
      if (is_possessive_marker(marker) && marker > clause.begin && actor_end_[marker - 1] != kNoIndex) {
        const auto& m = actors_[static_cast<std::size_t>(actor_end_[marker - 1])];
        std::vector<Holder> out{{m.actor}};
        add_coordinated(m, clause.begin, out);
        return in_context(out, speakers);
      }
      if (has_role(marker, GrammarRole::possessive_pronoun)) {
        auto p = pronoun_holders(marker, speakers);
        if (!p.empty()) return in_context(p, speakers);
        // "his" is also listed as a male pronoun; possessive pronouns resolve like their subject form.
        return {};
      }
      if (gap > 0 && (doc_.tokens[marker].kind != text::TokenKind::word || has_role(marker, GrammarRole::determiner))) break;
    }
    auto agent = agent_after(cue.end, clause.end, speakers);
    if (!agent.empty()) return agent;
    return {};
  }

  std::vector<Holder> agent_after(std::uint32_t from, std::uint32_t end, const std::vector<Holder>& speakers) {
    for (std::uint32_t t = from; t < end && t < from + 3; ++t) {
      if (const std::uint32_t marker_end = role_starting(t, GrammarRole::agent_marker)) {
        const auto listed = actors_listed_at(marker_end, end);  // "by Ivo and Jay"
        if (listed.empty()) return {};
        std::vector<Holder> out;
        for (std::int32_t a : listed) out.push_back({a});
        return in_context(out, speakers);
      }
    }
    return {};
  }

  std::vector<Holder> recipient_after(std::uint32_t from, std::uint32_t end, const std::vector<Holder>& speakers) {
    if (from < end && role_starting(from, GrammarRole::recipient_marker)) {
      const std::uint32_t a = role_starting(from, GrammarRole::recipient_marker);
      if (a < end && actor_begin_[a] != kNoIndex) return in_context({{actors_[static_cast<std::size_t>(actor_begin_[a])].actor}}, speakers);
      auto p = pronoun_holders(a, speakers);
      if (!p.empty()) return in_context(p, speakers);
    }
    return {};
  }

  std::string words(std::uint32_t begin, std::uint32_t end) const {
    if (begin >= end || end > n_) return {};
    return std::string(doc_.text.substr(doc_.tokens[begin].begin, doc_.tokens[end - 1].end - doc_.tokens[begin].begin));
  }

  // The object's words, up to the first punctuation and at most 12 tokens.
  // The words of an object no issue names: up to punctuation or a verb group ("... was clear"),
  // twelve words at most; nothing when it is only a pronoun or an anaphor ("rejected it").
  std::string object_words(std::uint32_t begin, std::uint32_t end) const {
    std::uint32_t stop = begin;
    while (stop < end && stop < begin + 12 && doc_.tokens[stop].kind != text::TokenKind::punct &&
           !(stop > begin && (has_role(stop, GrammarRole::auxiliary) || has_role(stop, GrammarRole::passive_auxiliary) ||
                              has_role(stop, GrammarRole::negator) || has_role(stop, GrammarRole::reporting_verb)))) {
      ++stop;
    }
    if (stop == begin) return {};
    const std::uint32_t anaphor_end = role_starting(begin, GrammarRole::anaphor);
    if (anaphor_end >= stop || (is_pronoun(begin) && pronoun_end(begin) >= stop)) return {};
    return words(begin, stop);
  }

  // The records are first noted as indices and built once the article is done: the records vector
  // leaves with the analysis, so growing it record by record moved every record several times.
  void emit_unknown(std::size_t s, const PhraseMention& cue, const detail::CueInfo& info, const Holder& h, Stance stance,
                    const std::string& object) {
    for (auto it = pending_.rbegin(); it != pending_.rend() && it->sentence == s; ++it) {
      if (it->actor == h.actor && it->issue == kNoIndex && it->stance == stance && it->object == object) return;
    }
    pending_.push_back({s, cue.begin, cue.end, &info, h.actor, h.reported_by, kNoIndex, stance, 0.5, object});
  }

  void emit(std::size_t s, const PhraseMention& cue, const detail::CueInfo& info, const Holder& h, std::int32_t issue,
            Stance stance, double confidence) {
    if (pack_.record_as_opposite[static_cast<std::size_t>(issue)]) {
      // Refusing that Southland join the alliance is demanding that it renounce it; wanting it, refusing.
      issue = pack_.opposite[static_cast<std::size_t>(issue)];
      stance = stance == Stance::reject ? Stance::demand : Stance::reject;
    }
    // One record per (sentence, actor, issue, stance); this sentence's records are the last ones.
    // (Actor and issue ids are unique, so their indices compare as the ids would.)
    const double rounded = std::round(confidence * 100.0) / 100.0;
    for (auto it = pending_.rbegin(); it != pending_.rend() && it->sentence == s; ++it) {
      auto& r = *it;
      if (r.actor == h.actor && r.issue == issue && r.stance == stance) {
        r.confidence = std::max(r.confidence, rounded);
        return;
      }
    }
    pending_.push_back({s, cue.begin, cue.end, &info, h.actor, h.reported_by, issue, stance, rounded, {}});
  }

  void build_records() {
    out_.records.reserve(out_.records.size() + pending_.size());
    for (const auto& p : pending_) {
      const auto& sentence = doc_.sentences[p.sentence];
      const ActorInfo& a = actor(p.actor);
      StanceRecord& r = out_.records.emplace_back();
      r.article = article_.id;
      r.sentence = p.sentence + 1;
      r.span = {sentence.begin, sentence.end};
      r.actor = a.id;
      r.affiliation = a.affiliation.empty() ? a.id : a.affiliation;
      r.issue = p.issue == kNoIndex ? std::string("?") : pack_.issues[static_cast<std::size_t>(p.issue)].id;
      r.stance = p.stance;
      r.confidence = p.confidence;
      r.rule = p.info->id;
      r.evidence = std::string(doc_.text.substr(sentence.begin, sentence.end - sentence.begin));
      if (p.reported_by != kNoIndex) r.reported_by = actor(p.reported_by).id;
      r.cue_span = {doc_.tokens[p.cue_begin].begin, doc_.tokens[p.cue_end - 1].end};
      r.object = p.object;
      r.date = article_.date;
      r.source = article_.source;
    }
  }

  std::vector<Clause> clauses_;  // the current sentence's (analyze_sentence_body)
  const CompiledPack& pack_;
  const Article& article_;
  Analysis& out_;
  text::Document& doc_;
  const Options& options_;
  std::uint32_t n_ = 0;

};

}  // namespace

Analysis analyze(const detail::CompiledPack& pack, const Article& article, const Options& options) {
  Analysis analysis;
  if (options.workspace) {
    analysis = std::move(options.workspace->spare);
    analysis.records.clear();
  }
  DocumentAnalyzer analyzer(pack, article, analysis, options);
  analyzer.run();
  return analysis;
}

}  // namespace stance::attribution
