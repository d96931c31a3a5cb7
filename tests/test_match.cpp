// The pattern language and the token automaton: words, stems, alternatives, optional items, gaps,
// regex atoms (RE2: compiled once, linear time), the facts the linter reads, near-miss search.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "match/automaton.hpp"
#include "text/tokenizer.hpp"

namespace {

using stance::match::Automaton;
using stance::match::NearMatch;
using stance::match::PatternContext;
using stance::match::PatternFacts;

// One lexicon layer with its own vocabulary, and texts to run it on.
class Layer {
 public:
  explicit Layer(bool stems = true) : stems_(stems) {}

  std::optional<std::string> add(const std::string& pattern, PatternFacts* facts = nullptr) {
    PatternContext context{&vocabulary_, &stemmer_, nullptr, -1, stems_};
    auto problem = automaton_.add(pattern, static_cast<std::int32_t>(patterns_.size()), context, facts);
    if (!problem) patterns_.push_back(pattern);
    return problem;
  }

  PatternFacts facts(const std::string& pattern) {
    PatternFacts f;
    auto problem = add(pattern, &f);
    REQUIRE_MESSAGE(!problem, *problem);
    return f;
  }

  void finish() { automaton_.finish(); }

  // "pattern: matched words" for every match, in the automaton's order.
  std::vector<std::string> find(std::string_view text) {
    tokenize(text);
    std::vector<stance::match::AutomatonMatch> matches;
    automaton_.find_all(doc_.tokens, 0, static_cast<std::uint32_t>(doc_.tokens.size()), nullptr, matches);
    std::vector<std::string> out;
    for (const auto& m : matches) out.push_back(patterns_[static_cast<std::size_t>(m.entry)] + ": " + words(m.begin, m.end));
    return out;
  }

  // "pattern: words (changed|dropped 'token')" for every near match.
  std::vector<std::string> near(std::string_view text) {
    tokenize(text);
    std::vector<NearMatch> matches;
    automaton_.find_near(doc_.tokens, 0, static_cast<std::uint32_t>(doc_.tokens.size()), nullptr, matches);
    std::vector<std::string> out;
    for (const auto& m : matches) {
      out.push_back(patterns_[static_cast<std::size_t>(m.entry)] + ": " + words(m.begin, m.end) +
                    (m.edit == NearMatch::Edit::dropped ? " (dropped '" : " (changed '") + doc_.tokens[m.token].folded() + "')");
    }
    return out;
  }

  const Automaton& automaton() const { return automaton_; }

 private:
  void tokenize(std::string_view text) {
    text_ = std::string(text);
    doc_ = {};
    stance::text::tokenize(text_, stemmer_, doc_);
    for (auto& t : doc_.tokens) {
      t.form_id = vocabulary_.find(t.folded());
      t.stem_id = vocabulary_.find(t.stem());
    }
  }

  std::string words(std::uint32_t begin, std::uint32_t end) const {
    return text_.substr(doc_.tokens[begin].begin, doc_.tokens[end - 1].end - doc_.tokens[begin].begin);
  }

  bool stems_;
  stance::match::Vocabulary vocabulary_;
  stance::text::Stemmer stemmer_;
  Automaton automaton_;
  std::vector<std::string> patterns_;
  std::string text_;
  stance::text::Document doc_;
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_SUITE("match") {
  TEST_CASE("words match by stem or exact form, as the list says and = / ~ override") {
    Layer cues(true);
    REQUIRE_FALSE(cues.add("cede"));
    REQUIRE_FALSE(cues.add("=cession"));
    cues.finish();
    CHECK(cues.find("Ukraine ceded land") == std::vector<std::string>{"cede: ceded"});
    CHECK(cues.find("a cession") == std::vector<std::string>{"=cession: cession"});
    CHECK(cues.find("cessions").empty());

    Layer aliases(false);
    REQUIRE_FALSE(aliases.add("Russian ~negotiator"));
    REQUIRE_FALSE(aliases.add("Kremlin"));
    aliases.finish();
    CHECK(aliases.find("Russian negotiators met") == std::vector<std::string>{"Russian ~negotiator: Russian negotiators"});
    CHECK(aliases.find("KREMLIN's view") == std::vector<std::string>{"Kremlin: KREMLIN"});
    CHECK(aliases.find("Kremlins").empty());
  }

  TEST_CASE("alternatives, optional items and gaps") {
    Layer layer;
    REQUIRE_FALSE(layer.add("give up ...3 (territory | land)"));
    REQUIRE_FALSE(layer.add("(territorial | land)? swap"));
    layer.finish();
    CHECK(contains(layer.find("give up all of the land"), "give up ...3 (territory | land): give up all of the land"));
    CHECK(layer.find("give up all of their occupied land").empty());  // four tokens: one too many
    CHECK(contains(layer.find("a land swap"), "(territorial | land)? swap: land swap"));
    CHECK(contains(layer.find("a swap"), "(territorial | land)? swap: swap"));
  }

  TEST_CASE("one word opening many patterns: each goes on by its own next word, cold or warm") {
    // More next words than the matcher has bits to tell them apart by (64), and a gap beside them:
    // words that share a bit must still be told apart, and a warm cache must change nothing, order
    // included.
    Layer layer(false);
    for (int i = 0; i < 150; ++i) REQUIRE_FALSE(layer.add("alpha w" + std::to_string(i) + " omega"));
    REQUIRE_FALSE(layer.add("alpha"));
    REQUIRE_FALSE(layer.add("alpha ...2 omega"));
    layer.finish();
    const std::string text = "alpha w5 omega alpha w69 omega alpha w133 beta omega alpha w200 omega alpha w5 w5";
    const std::vector<std::string> want = {
        "alpha: alpha", "alpha w5 omega: alpha w5 omega", "alpha ...2 omega: alpha w5 omega",
        "alpha: alpha", "alpha w69 omega: alpha w69 omega", "alpha ...2 omega: alpha w69 omega",
        "alpha: alpha", "alpha ...2 omega: alpha w133 beta omega",
        "alpha: alpha", "alpha ...2 omega: alpha w200 omega",
        "alpha: alpha"};
    CHECK(layer.find(text) == want);
    CHECK(layer.find(text) == want);
  }

  TEST_CASE("pattern errors name the problem and the column") {
    Layer layer;
    CHECK(layer.add("give up ... territory").value_or("").starts_with("gap '...' has no width"));
    CHECK(layer.add("give up ...13 land").value_or("").starts_with("gap of 13 tokens is too wide (at most 12)"));
    CHECK(layer.add("(the)?").value_or("") == "pattern can match nothing: '(the)?'");
    CHECK(layer.add("...2 land").value_or("") == "pattern cannot start with a gap: '...2 land'");
    CHECK(layer.add("(truce | )").value_or("") == "empty alternative (column 10 of pattern '(truce | )')");
    CHECK(layer.add("(truce").value_or("") == "missing ')' (column 7 of pattern '(truce')");
    CHECK(layer.add("talks with @ukraine").value_or("") == "actor references are not allowed here (column 12 of pattern 'talks with @ukraine')");
    CHECK(layer.add(std::string(200, '(') + "x" + std::string(200, ')')).value_or("").starts_with("parentheses nested too deeply"));
    // "=..." is the punctuation itself, not a gap.
    CHECK_FALSE(layer.add("wait =..."));
  }

  TEST_CASE("a regex atom matches one token's folded form whole, ignoring case") {
    Layer layer;
    REQUIRE_FALSE(layer.add("/(pows?|prisoners?)/ (exchange | swap)"));  // regex first
    REQUIRE_FALSE(layer.add("swap of /[0-9,]+/ prisoners"));             // regex inside
    REQUIRE_FALSE(layer.add("/all-?for-?all/? exchanges"));
    layer.finish();
    CHECK(layer.find("a POW swap") == std::vector<std::string>{"/(pows?|prisoners?)/ (exchange | swap): POW swap"});
    CHECK(layer.find("a swap of 1,000 prisoners") == std::vector<std::string>{"swap of /[0-9,]+/ prisoners: swap of 1,000 prisoners"});
    CHECK(layer.find("a swap of many prisoners").empty());
    CHECK(layer.find("prisonersx swap").empty());  // whole token, not a substring
    CHECK(layer.find("Pows swap").size() == 1);
  }

  TEST_CASE("a regex that may start a pattern is tried on every token; its bounds only skip non-matches") {
    Layer layer;
    REQUIRE_FALSE(layer.add("/[0-9]+(st|nd|rd|th)/ package"));  // bounded: digits first
    REQUIRE_FALSE(layer.add("/.*ism/ rising"));                  // no useful bounds
    REQUIRE_FALSE(layer.add("/zz+/ top"));                       // the last letter of the alphabet
    REQUIRE_FALSE(layer.add("/~+/ end"));                        // a byte above every letter
    layer.finish();
    CHECK(layer.find("the 20th package and the 3RD package, not the nth package") ==
          std::vector<std::string>{"/[0-9]+(st|nd|rd|th)/ package: 20th package",
                                   "/[0-9]+(st|nd|rd|th)/ package: 3RD package"});
    CHECK(layer.find("nationalism rising, ism rising") ==
          std::vector<std::string>{"/.*ism/ rising: nationalism rising", "/.*ism/ rising: ism rising"});
    CHECK(layer.find("ZZZ top, zz top, z top") ==
          std::vector<std::string>{"/zz+/ top: ZZZ top", "/zz+/ top: zz top"});
    CHECK(layer.find("~~ end").size() == 1);
  }

  TEST_CASE("each distinct regex is compiled once") {
    Layer layer;
    REQUIRE_FALSE(layer.add("/truces?/"));
    REQUIRE_FALSE(layer.add("/truces?/ now"));
    REQUIRE_FALSE(layer.add("call for /truces?/"));
    REQUIRE_FALSE(layer.add("/ceasefires?/"));
    CHECK(layer.automaton().regex_count() == 2);
    // A pattern that fails after its regex compiled leaves nothing behind.
    CHECK(layer.add("/armistices?/ (").has_value());
    CHECK(layer.automaton().regex_count() == 2);
  }

  TEST_CASE("regex errors come from RE2; a regex that only matches empty is never-matchable") {
    Layer layer;
    CHECK(layer.add("/(cease|fire/").value_or("").starts_with("invalid regex /(cease|fire/: missing )"));
    CHECK(layer.add("/(a)\\1/").value_or("").starts_with("invalid regex /(a)\\1/: invalid escape sequence"));
    CHECK(layer.add("/(?=a)b/").value_or("").starts_with("invalid regex"));  // no lookaround in RE2
    CHECK(layer.add("truce /open").value_or("").starts_with("regex has no closing '/'"));
    CHECK(layer.add("//").value_or("").starts_with("empty regex"));
    CHECK(layer.add("/x{0}/").value_or("").find("can only match an empty string") != std::string::npos);
    CHECK(layer.add("/ab/c").value_or("").starts_with("a regex must be followed by"));
    CHECK_FALSE(layer.add("/a\\/b/"));  // an escaped slash belongs to the regex
  }

  TEST_CASE("a catastrophic regex runs in linear time (RE2 has no backtracking)") {
    Layer layer;
    REQUIRE_FALSE(layer.add("/(a+)+$/"));
    REQUIRE_FALSE(layer.add("/(x+x+)+y/ now"));
    layer.finish();
    // A backtracking engine needs about 2^n steps on n a's followed by a mismatch: n = 30 already
    // takes minutes. RE2 takes time linear in n.
    std::string text;
    for (int i = 0; i < 20; ++i) text += std::string(5000, 'a') + "b " + std::string(5000, 'x') + " ";
    const auto start = std::chrono::steady_clock::now();
    CHECK(layer.find(text).empty());
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 2.0);
    CHECK(layer.find("aaaa") == std::vector<std::string>{"/(a+)+$/: aaaa"});
  }

  TEST_CASE("canonical form: the same after folding and stemming, alternatives in any order") {
    Layer layer;
    CHECK(layer.facts("reject").canonical == layer.facts("Rejects").canonical);
    CHECK(layer.facts("(turn | rule) out").canonical == layer.facts("(ruled | turned) out").canonical);
    CHECK(layer.facts("(a | b)").canonical == layer.facts("b | a").canonical);
    CHECK(layer.facts("=cession").canonical != layer.facts("cession").canonical);
    CHECK(layer.facts("give up ...3 land").canonical != layer.facts("give up ...2 land").canonical);
    CHECK(layer.facts("/truces?/").canonical == "/truces?/");
  }

  TEST_CASE("facts: gaps added up, a trailing gap, $member") {
    Layer layer;
    const auto wide = layer.facts("withdraw ...8 from ...8 region");
    CHECK(wide.widest_gap == 8);
    CHECK(wide.total_gap == 16);
    CHECK(wide.trailing_gap == 0);
    CHECK(layer.facts("cede ...3").trailing_gap == 3);
    CHECK(layer.facts("(cede ...2 | give)").trailing_gap == 2);
    CHECK_FALSE(layer.facts("cede land").uses_member);
  }

  TEST_CASE("near misses: one token changed or dropped, at least one token as written") {
    Layer layer;
    REQUIRE_FALSE(layer.add("rule out"));
    REQUIRE_FALSE(layer.add("peace (deal | agreement)"));
    REQUIRE_FALSE(layer.add("ceasefire"));
    layer.finish();
    CHECK(contains(layer.near("Kyiv ruled completely out a deal"), "rule out: ruled completely out (dropped 'completely')"));
    CHECK(contains(layer.near("the peace talks"), "peace (deal | agreement): peace talks (changed 'talks')"));
    // A one-word pattern never nearly matches just any word, and an exact match is no near miss.
    const auto near = layer.near("a truce and a ceasefire");
    CHECK(std::none_of(near.begin(), near.end(), [](const std::string& m) { return m.starts_with("ceasefire:"); }));
    // Dropping a token before the first or after the last word of a match changes nothing.
    CHECK(layer.near("ruled out").empty());
  }
}
