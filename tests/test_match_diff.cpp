// The matcher proved the RE2 way: generated packs of patterns (words by form and by stem,
// alternatives, optional parts, gaps, mentions, regexes) run over generated token sequences, once
// through the automaton (a lazily built DFA) and once through a plain backtracking matcher over the
// same pattern trees; both must find exactly the same matches. Deterministic seeds: a failure
// prints the pattern and the tokens, and reproduces.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

#include "match/automaton.hpp"
#include "text/stemmer.hpp"

namespace {

using stance::match::Automaton;
using stance::match::AutomatonMatch;
using stance::match::EntityIndex;
using stance::match::EntitySpan;
using stance::text::Token;

// Words with shared stems (demand/demands/demanded), so form and stem matching differ.
const std::vector<std::string> kWords = {"demand", "demands", "demanded", "reject", "rejected", "talk",
                                         "talks", "peace", "deal", "the", "of", "a", "truce", "cease",
                                         "fire", "sanction", "sanctions", "end"};
const std::vector<std::string> kRegexes = {"de[a-z]*", "(talks?|truce)", "[a-f]+"};
constexpr int kActors = 3;  // @a0 @a1 @a2
constexpr int kIssues = 2;  // $member of issue 0 or 1

// ---- the pattern tree and its text --------------------------------------------------------------

struct Node;
using NodePtr = std::shared_ptr<const Node>;
struct Word { std::string word; char mode = 0; };  // mode: 0 the pack's default, '=' form, '~' stem
struct Actor { int id = -1; };                      // -1: any actor (@actor)
struct Member {};
struct Regex { std::string expression; };
struct Gap { int width = 1; };
struct Seq { std::vector<NodePtr> items; };
struct Alt { std::vector<NodePtr> options; };
struct Opt { NodePtr item; };
struct Node { std::variant<Word, Actor, Member, Regex, Gap, Seq, Alt, Opt> v; };

template <typename T>
NodePtr make(T value) { return std::make_shared<const Node>(Node{std::move(value)}); }

std::string text_of(const NodePtr& node) {
  return std::visit(
      [](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, Word>) return (n.mode ? std::string(1, n.mode) : "") + n.word;
        if constexpr (std::is_same_v<T, Actor>) return n.id < 0 ? "@actor" : "@a" + std::to_string(n.id);
        if constexpr (std::is_same_v<T, Member>) return "$member";
        if constexpr (std::is_same_v<T, Regex>) return "/" + n.expression + "/";
        if constexpr (std::is_same_v<T, Gap>) return "..." + std::to_string(n.width);
        if constexpr (std::is_same_v<T, Seq>) {
          std::string out;
          for (const auto& item : n.items) out += (out.empty() ? "" : " ") + text_of(item);
          return out;
        }
        if constexpr (std::is_same_v<T, Alt>) {
          std::string out = "(";
          for (std::size_t i = 0; i < n.options.size(); ++i) out += (i ? " | " : "") + text_of(n.options[i]);
          return out + ")";
        }
        if constexpr (std::is_same_v<T, Opt>) {
          const bool atom = !std::holds_alternative<Seq>(n.item->v) && !std::holds_alternative<Alt>(n.item->v);
          return atom ? text_of(n.item) + "?" : "(" + text_of(n.item) + ")?";
        }
      },
      node->v);
}

// ---- the generator ---------------------------------------------------------------------------

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return below(100) < percent; }

  NodePtr concrete() {  // one token or one mention
    const int kind = below(100);
    if (kind < 62) return make(Word{kWords[static_cast<std::size_t>(below(static_cast<int>(kWords.size())))],
                                    "\0=~"[below(3)]});
    if (kind < 78) return make(Actor{below(kActors + 1) - 1});
    if (kind < 88) return make(Member{});
    return make(Regex{kRegexes[static_cast<std::size_t>(below(static_cast<int>(kRegexes.size())))]});
  }

  NodePtr item(int depth) {
    const int kind = below(100);
    if (depth > 0 && kind < 14) {
      Alt alt;
      const int options = 2 + below(3);
      for (int i = 0; i < options; ++i) alt.options.push_back(sequence(depth - 1, 1 + below(2)));
      return make(std::move(alt));
    }
    if (kind < 26) return make(Opt{depth > 0 && chance(30) ? sequence(depth - 1, 2) : concrete()});
    if (kind < 38) return make(Gap{1 + below(4)});
    return concrete();
  }

  NodePtr sequence(int depth, int length) {
    Seq seq;
    for (int i = 0; i < length; ++i) seq.items.push_back(item(depth));
    return seq.items.size() == 1 ? seq.items.front() : make(std::move(seq));
  }

  // A pattern starts with something concrete (or an alternative of them): the automaton refuses
  // patterns that may start with a gap or match nothing, and so does the pack compiler.
  NodePtr pattern() {
    Seq seq;
    if (chance(15)) {
      Alt alt;
      for (int i = 0; i < 2 + below(2); ++i) alt.options.push_back(concrete());
      seq.items.push_back(make(std::move(alt)));
    } else if (chance(10)) {
      seq.items.push_back(make(Opt{concrete()}));
      seq.items.push_back(concrete());
    } else {
      seq.items.push_back(concrete());
    }
    const int more = below(5);
    for (int i = 0; i < more; ++i) seq.items.push_back(item(2));
    return seq.items.size() == 1 ? seq.items.front() : make(std::move(seq));
  }

  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

// ---- the reference: backtracking over the tree -------------------------------------------------

// The lexemes of tokens made here; a deque, so that tokens can point at them.
using LexemeStore = std::deque<stance::text::Lexeme>;

struct Text {
  std::shared_ptr<LexemeStore> lexemes = std::make_shared<LexemeStore>();  // its tokens' (moved with it)
  std::vector<Token> tokens;
  EntityIndex entities;
};

class Reference {
 public:
  Reference(const Text& text, stance::text::Stemmer& stemmer, bool stems_by_default, int member_issue)
      : text_(text), stemmer_(stemmer), stems_(stems_by_default), member_issue_(member_issue) {}

  // Every end position of a match of `node` that starts at `pos` and ends by `end`.
  void match(const NodePtr& node, std::uint32_t pos, std::uint32_t end, const std::function<void(std::uint32_t)>& k) {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, Word>) {
            if (pos >= end) return;
            const Token& t = text_.tokens[pos];
            const bool by_stem = n.mode == '~' || (n.mode == 0 && stems_);
            if (by_stem ? t.stem() == std::string(stemmer_.stem(n.word)) : t.folded() == n.word) k(pos + 1);
          } else if constexpr (std::is_same_v<T, Actor> || std::is_same_v<T, Member>) {
            for (const std::uint32_t m : text_.entities.starting_at[pos]) {
              const EntitySpan& e = text_.entities.spans[m];
              bool fits = false;
              if constexpr (std::is_same_v<T, Actor>) fits = e.is_actor && (n.id < 0 || e.ref == n.id);
              else fits = !e.is_actor && e.ref == member_issue_;
              if (fits && e.end <= end) k(e.end);
            }
          } else if constexpr (std::is_same_v<T, Regex>) {
            RE2::Options options;
            options.set_case_sensitive(false);
            const RE2 re(n.expression, options);
            if (pos < end && RE2::FullMatch(text_.tokens[pos].folded(), re)) k(pos + 1);
          } else if constexpr (std::is_same_v<T, Gap>) {
            for (int i = 0; i <= n.width && pos + static_cast<std::uint32_t>(i) <= end; ++i) {
              k(pos + static_cast<std::uint32_t>(i));
            }
          } else if constexpr (std::is_same_v<T, Seq>) {
            sequence(n.items, 0, pos, end, k);
          } else if constexpr (std::is_same_v<T, Alt>) {
            for (const auto& option : n.options) match(option, pos, end, k);
          } else if constexpr (std::is_same_v<T, Opt>) {
            k(pos);
            match(n.item, pos, end, k);
          }
        },
        node->v);
  }

 private:
  void sequence(const std::vector<NodePtr>& items, std::size_t i, std::uint32_t pos, std::uint32_t end,
                const std::function<void(std::uint32_t)>& k) {
    if (i == items.size()) {
      k(pos);
      return;
    }
    match(items[i], pos, end, [&](std::uint32_t next) { sequence(items, i + 1, next, end, k); });
  }

  const Text& text_;
  stance::text::Stemmer& stemmer_;
  bool stems_;
  int member_issue_;
};

// ---- one round: a pack, texts, both matchers ---------------------------------------------------

struct Pattern {
  NodePtr tree;
  int member_issue = 0;
  std::int32_t entry = -1;
};

// A token as the tokenizer would give it, numbered by `vocabulary`.
Token numbered_token(LexemeStore& store, const stance::match::Vocabulary& vocabulary, std::string folded, std::string stem) {
  stance::text::Lexeme& lexeme = store.emplace_back();
  lexeme.folded = std::move(folded);
  lexeme.stem = std::move(stem);
  lexeme.form_id = vocabulary.find(lexeme.folded);
  lexeme.stem_id = vocabulary.find(lexeme.stem);
  Token t;
  t.lexeme = &lexeme;
  t.form_id = lexeme.form_id;
  t.stem_id = lexeme.stem_id;
  t.folded_first = static_cast<unsigned char>(lexeme.folded[0]);
  return t;
}

Text make_text(Generator& g, const stance::match::Vocabulary& vocabulary, stance::text::Stemmer& stemmer) {
  Text text;
  const int n = 1 + g.below(24);
  for (int i = 0; i < n; ++i) {
    std::string folded = kWords[static_cast<std::size_t>(g.below(static_cast<int>(kWords.size())))];
    if (g.chance(8)) folded = "zz";  // a word no pattern names
    std::string stem(stemmer.stem(folded));
    text.tokens.push_back(numbered_token(*text.lexemes, vocabulary, std::move(folded), std::move(stem)));
  }
  text.entities.starting_at.assign(static_cast<std::size_t>(n) + 1, {});
  for (int i = 0; i < n; ++i) {
    if (!g.chance(30)) continue;
    const int spans = 1 + (g.chance(20) ? 1 : 0);  // sometimes two readings start at one token
    for (int s = 0; s < spans; ++s) {
      EntitySpan e;
      e.begin = static_cast<std::uint32_t>(i);
      e.end = static_cast<std::uint32_t>(std::min(n, i + 1 + g.below(3)));
      e.is_actor = g.chance(65);
      e.ref = e.is_actor ? g.below(kActors) : g.below(kIssues);
      text.entities.starting_at[static_cast<std::size_t>(i)].push_back(static_cast<std::uint32_t>(text.entities.spans.size()));
      text.entities.spans.push_back(e);
    }
  }
  return text;
}

using Found = std::vector<std::tuple<std::int32_t, std::uint32_t, std::uint32_t>>;

Found listed(const std::vector<AutomatonMatch>& matches) {
  Found out;
  for (const auto& m : matches) out.emplace_back(m.entry, m.begin, m.end);
  return out;
}

Found sorted(const std::vector<AutomatonMatch>& matches) {
  Found out = listed(matches);
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const Text& text, const std::vector<Pattern>& patterns, std::uint32_t begin, std::uint32_t end) {
  std::string out = "tokens [" + std::to_string(begin) + ", " + std::to_string(end) + "):";
  for (const auto& t : text.tokens) out += " " + t.folded();
  out += "\nmentions:";
  for (const auto& e : text.entities.spans) {
    out += " [" + std::to_string(e.begin) + "," + std::to_string(e.end) + ")" + (e.is_actor ? "@a" : "$") +
           std::to_string(e.ref);
  }
  out += "\npatterns:";
  for (const auto& p : patterns) out += "\n  " + std::to_string(p.entry) + ": " + text_of(p.tree) + "  ($member of " +
                                       std::to_string(p.member_issue) + ")";
  return out;
}

}  // namespace

TEST_SUITE("match") {
  TEST_CASE("the automaton finds exactly what a backtracking matcher over the pattern trees finds") {
    stance::text::Stemmer stemmer;
    const std::unordered_map<std::string, std::int32_t> actor_ids = {{"a0", 0}, {"a1", 1}, {"a2", 2}};
    stance::match::MatchScratch shared_scratch;  // one scratch for every automaton: it must start afresh
    std::size_t compared = 0, matches = 0;
    for (unsigned seed = 1; seed <= 300; ++seed) {
      Generator g(seed);
      const bool stems_by_default = g.chance(50);
      stance::match::Vocabulary vocabulary;
      Automaton automaton;
      std::vector<Pattern> patterns;
      const int count = 1 + g.below(seed % 10 == 0 ? 60 : 12);  // now and then a pack of many patterns
      for (int i = 0; i < count; ++i) {
        Pattern p{g.pattern(), g.below(kIssues), static_cast<std::int32_t>(patterns.size())};
        stance::match::PatternContext context{&vocabulary, &stemmer, &actor_ids, p.member_issue, stems_by_default};
        const auto problem = automaton.add(text_of(p.tree), p.entry, context);
        REQUIRE_MESSAGE(!problem, text_of(p.tree) << ": " << problem.value_or(""));
        patterns.push_back(p);
      }
      automaton.finish();
      stance::match::MatchScratch own_scratch;
      for (int round = 0; round < 30; ++round) {
        const Text text = make_text(g, vocabulary, stemmer);
        const auto n = static_cast<std::uint32_t>(text.tokens.size());
        const std::uint32_t begin = g.chance(25) ? static_cast<std::uint32_t>(g.below(static_cast<int>(n))) : 0;
        const std::uint32_t end = g.chance(25) ? begin + 1 + static_cast<std::uint32_t>(g.below(static_cast<int>(n - begin))) : n;

        std::vector<AutomatonMatch> expected;
        for (const Pattern& p : patterns) {
          Reference reference(text, stemmer, stems_by_default, p.member_issue);
          for (std::uint32_t start = begin; start < end; ++start) {
            std::set<std::uint32_t> ends;
            reference.match(p.tree, start, end, [&](std::uint32_t e) { ends.insert(e); });
            for (const std::uint32_t e : ends) {
              if (e > start) expected.push_back({p.entry, start, e});
            }
          }
        }
        const Found want = sorted(expected);
        // The three ways in: the automaton's pool, a scratch of its own (warm from earlier rounds),
        // and a scratch shared with every other automaton of the test.
        std::vector<AutomatonMatch> pooled, own, shared;
        automaton.find_all(text.tokens, begin, end, &text.entities, pooled);
        automaton.find_all(text.tokens, begin, end, &text.entities, own, &own_scratch);
        automaton.find_all(text.tokens, begin, end, &text.entities, shared, &shared_scratch);
        INFO(describe(text, patterns, begin, end));
        CHECK(sorted(pooled) == want);
        CHECK(sorted(own) == want);
        CHECK(sorted(shared) == want);
        // The order too is the automaton's own, whatever its cache holds: a cold scratch gives the
        // warm one's list exactly.
        stance::match::MatchScratch cold_scratch;
        std::vector<AutomatonMatch> cold;
        automaton.find_all(text.tokens, begin, end, &text.entities, cold, &cold_scratch);
        CHECK(listed(cold) == listed(own));
        ++compared;
        matches += want.size();
      }
    }
    MESSAGE("compared " << compared << " texts, " << matches << " matches");
    CHECK(matches > 1000);  // the generator must produce texts that match, or the test proves nothing
  }

  TEST_CASE("the DFA cache stays bounded and the work per token does not grow with the pack") {
    // 20,000 two-word names that all start with a word the text also holds: a pack-size blow-up
    // would show as DFA states or transitions in proportion to the names.
    stance::text::Stemmer stemmer;
    stance::match::Vocabulary vocabulary;
    Automaton automaton;
    stance::match::PatternContext context{&vocabulary, &stemmer, nullptr, -1, false};
    for (int i = 0; i < 20000; ++i) {
      REQUIRE_FALSE(automaton.add("the name" + std::to_string(i), i, context));
    }
    REQUIRE_FALSE(automaton.add("the peace deal", 20000, context));
    automaton.finish();
    LexemeStore lexemes;
    std::vector<Token> tokens;
    for (const char* word : {"the", "peace", "deal", "and", "the", "name17", "said", "the", "other"}) {
      tokens.push_back(numbered_token(lexemes, vocabulary, word, word));
    }
    stance::match::MatchScratch scratch;
    std::vector<AutomatonMatch> found;
    for (int i = 0; i < 100; ++i) {
      found.clear();
      automaton.find_all(tokens, 0, static_cast<std::uint32_t>(tokens.size()), nullptr, found, &scratch);
    }
    CHECK(sorted(found) == Found{{17, 4, 6}, {20000, 0, 3}});
    CHECK(scratch.dfa_states() < 10);
    CHECK(scratch.dfa_transitions() < 20);
  }

  TEST_CASE("a form met with different stems starts what each pair starts, however warm the scratch") {
    // The step after a first token chosen by both its ids is remembered by form id: a token of the
    // same form with another stem must not be given it.
    stance::text::Stemmer stemmer;
    stance::match::Vocabulary vocabulary;
    Automaton automaton;
    stance::match::PatternContext context{&vocabulary, &stemmer, nullptr, -1, false};
    REQUIRE_FALSE(automaton.add("=runs fast", 0, context));
    REQUIRE_FALSE(automaton.add("~walk later", 1, context));
    REQUIRE_FALSE(automaton.add("~run", 2, context));
    automaton.finish();
    LexemeStore lexemes;
    std::vector<Token> tokens;
    for (const auto& [folded, stem] : std::vector<std::pair<std::string, std::string>>{
             {"runs", "run"}, {"fast", "fast"}, {"runs", "walk"}, {"later", "later"}, {"runs", "run"}, {"later", "later"}}) {
      tokens.push_back(numbered_token(lexemes, vocabulary, folded, stem));
    }
    stance::match::MatchScratch scratch;
    for (int i = 0; i < 3; ++i) {
      std::vector<AutomatonMatch> found;
      automaton.find_all(tokens, 0, static_cast<std::uint32_t>(tokens.size()), nullptr, found, &scratch);
      CHECK(sorted(found) == Found{{0, 0, 2}, {1, 2, 4}, {2, 0, 1}, {2, 4, 5}});
    }
  }
}
