#include <doctest/doctest.h>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "text/fold.hpp"
#include "text/tokenizer.hpp"

using stance::text::Document;
using stance::text::Stemmer;

namespace {

std::vector<std::string> folded_tokens(std::string_view text) {
  Stemmer stemmer;
  Document doc;
  stance::text::tokenize(text, stemmer, doc);
  std::vector<std::string> out;
  for (const auto& t : doc.tokens) out.push_back(t.folded());
  return out;
}

std::vector<std::string> sentences(std::string_view text, const std::unordered_set<std::string>& abbreviations = {"gen.", "jan.", "mr."}) {
  Stemmer stemmer;
  Document doc;
  stance::text::tokenize(text, stemmer, doc);
  stance::text::split_sentences(abbreviations, doc);
  std::vector<std::string> out;
  for (const auto& s : doc.sentences) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

// Tokenizes `text` through `cache` and afresh (a bare stemmer), checks that the two agree token
// for token, and that the cached tokens carry the numbers `numbering` gives their forms and stems.
void check_cached_equals_fresh(std::string_view text, stance::text::WordCache& cache,
                               const std::function<std::int32_t(std::string_view)>& numbering) {
  Document cached;
  stance::text::tokenize(text, cache, cached);
  Stemmer stemmer;
  Document fresh;
  stance::text::tokenize(text, stemmer, fresh);
  REQUIRE(cached.tokens.size() == fresh.tokens.size());
  for (std::size_t i = 0; i < fresh.tokens.size(); ++i) {
    const auto& a = cached.tokens[i];
    const auto& b = fresh.tokens[i];
    CAPTURE(b.folded());
    CHECK(a.begin == b.begin);
    CHECK(a.end == b.end);
    CHECK(a.folded() == b.folded());
    CHECK(a.stem() == b.stem());
    CHECK(a.kind == b.kind);
    CHECK(a.capitalized == b.capitalized);
    CHECK(a.space_before == b.space_before);
    CHECK(a.newline_before == b.newline_before);
    CHECK(a.form_id == numbering(b.folded()));
    CHECK(a.stem_id == numbering(b.stem()));
    CHECK(b.form_id == -1);  // the stemmer-only tokenizer numbers nothing
    CHECK(a.folded_first == static_cast<unsigned char>(b.folded()[0]));
    CHECK(b.folded_first == static_cast<unsigned char>(b.folded()[0]));
  }
}

}  // namespace

TEST_SUITE("text") {
TEST_CASE("folding ignores case, diacritics and curly apostrophes") {
  CHECK(stance::text::fold("ZAPORIZHZHIA") == "zaporizhzhia");
  CHECK(stance::text::fold("Türkiye") == "turkiye");
  CHECK(stance::text::fold("Zelenskyy\xE2\x80\x99s") == "zelenskyy's");
  CHECK(stance::text::fold("Erdoğan") == "erdogan");
}

TEST_CASE("clitics, acronyms and hyphens split as the rules expect") {
  CHECK(folded_tokens("Russia\xE2\x80\x99s demand") == std::vector<std::string>{"russia", "'s", "demand"});
  CHECK(folded_tokens("didn't") == std::vector<std::string>{"did", "n't"});
  CHECK(folded_tokens("won\xE2\x80\x99t") == std::vector<std::string>{"wo", "n't"});
  CHECK(folded_tokens("the U.S. plan") == std::vector<std::string>{"the", "u.s.", "plan"});
  CHECK(folded_tokens("a 30-day truce") == std::vector<std::string>{"a", "30", "-", "day", "truce"});
  CHECK(folded_tokens("1,000 prisoners") == std::vector<std::string>{"1,000", "prisoners"});
}

TEST_CASE("quote marks stay out of the token stream, spans point into the original text") {
  const std::string text = "\xE2\x80\x9CWe will not leave,\xE2\x80\x9D he said.";
  Stemmer stemmer;
  Document doc;
  stance::text::tokenize(text, stemmer, doc);
  REQUIRE(doc.quotes.size() == 2);
  CHECK(doc.quotes[0].kind == stance::text::QuoteKind::open);
  CHECK(doc.quotes[1].kind == stance::text::QuoteKind::close);
  CHECK(doc.quotes[1].token == 5);  // after "we will not leave ,": the comma is inside the quote
  for (const auto& t : doc.tokens) {
    CHECK(stance::text::fold(std::string_view(text).substr(t.begin, t.end - t.begin)) == t.folded());
  }
}

TEST_CASE("words of every length end where their letters end, at block edges and at the text's end") {
  // The word scan reads 16 character classes at a time: words shorter than, as long as and longer
  // than a block, ending on a space, on punctuation, on a non-ASCII letter's bytes and at the end.
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string word(length, 'w');
    for (const std::string& lead : {std::string(), std::string("a "), std::string("abcdefghijklmno ")}) {
      CAPTURE(length);
      CAPTURE(lead);
      auto expected = folded_tokens(lead);
      expected.push_back(word);
      CHECK(folded_tokens(lead + word) == expected);
      expected.push_back(",");
      CHECK(folded_tokens(lead + word + ",") == expected);
    }
    CHECK(folded_tokens(word + "\xC3\xA9" + word) == std::vector<std::string>{word + "e" + word});  // é: a letter
  }
}

TEST_CASE("stems cover inflections") {
  Stemmer stemmer;
  CHECK(stemmer.stem("demanded") == stemmer.stem("demands"));
  CHECK(stemmer.stem("rejected") == stemmer.stem("rejecting"));
  CHECK(stemmer.stem("insisted") == "insist");
}

TEST_CASE("a word of fewer than three letters is its own stem (the tokenizer relies on it)") {
  Stemmer stemmer;
  std::vector<std::string> words;
  for (int a = 0x21; a < 0x7F; ++a) {
    words.emplace_back(1, static_cast<char>(a));
    for (int b = 0x21; b < 0x7F; ++b) words.push_back(std::string{static_cast<char>(a), static_cast<char>(b)});
  }
  for (const char* w : {"\xC3\xA9", "\xC3\xBC", "\xC3\xA9s", "'s"}) words.emplace_back(w);  // é ü és
  for (const auto& w : words) {
    INFO(w);
    CHECK(stemmer.stem(w) == w);
  }
  Document doc;
  stance::text::tokenize("He is in it, as of us; we do go by 'em: Ukraine's allies' aims", stemmer, doc);
  for (const auto& t : doc.tokens) {
    INFO(t.folded());
    CHECK(t.stem() == (t.kind == stance::text::TokenKind::word ? std::string(stemmer.stem(t.folded())) : t.folded()));
  }
}

TEST_CASE("sentence splitting survives abbreviations, initials, acronyms and quotes") {
  CHECK(sentences("Gen. Kellogg met Mr. Yermak on Jan. 5. They talked.").size() == 2);
  CHECK(sentences("Donald J. Trump spoke. Putin listened.").size() == 2);
  CHECK(sentences("The U.S. envoy arrived. He left.").size() == 2);
  const auto quoted = sentences("\xE2\x80\x9CWe will not leave.\xE2\x80\x9D Zelenskyy said so. Then he left.");
  REQUIRE(quoted.size() == 3);
  CHECK(quoted[0] == "\xE2\x80\x9CWe will not leave.\xE2\x80\x9D");
  CHECK(sentences("\xE2\x80\x9C" "A ceasefire must come first,\xE2\x80\x9D said Macron.").size() == 1);
  CHECK(sentences("Version 3.5 was out. Next.").size() == 2);
}

TEST_CASE("quote marks at a sentence's edges belong to it, however many sentences hold them") {
  // Opening marks before a first token and closing marks after a terminal, at every sentence, the
  // last one included (split_sentences finds them with a cursor per edge).
  const auto s = sentences("\xE2\x80\x9CWe will not leave.\xE2\x80\x9D \xE2\x80\x9CNor will we,\xE2\x80\x9D he said. "
                           "\xE2\x80\x98" "Fine.\xE2\x80\x99 Then \xE2\x80\x9Cpeace.\xE2\x80\x9D");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "\xE2\x80\x9CWe will not leave.\xE2\x80\x9D");
  CHECK(s[1] == "\xE2\x80\x9CNor will we,\xE2\x80\x9D he said.");
  CHECK(s[2] == "\xE2\x80\x98" "Fine.\xE2\x80\x99");
  CHECK(s[3] == "Then \xE2\x80\x9Cpeace.\xE2\x80\x9D");
}

TEST_CASE("line breaks end headlines but not hard-wrapped prose") {
  CHECK(sentences("Also Read: Talks Stall\nPutin spoke on Monday.").size() == 2);
  std::string wrapped;
  for (int i = 0; i < 6; ++i) wrapped += "This line of a wrapped paragraph continues on the next line and\n";
  wrapped += "ends here.";
  CHECK(sentences(wrapped).size() == 1);
}

TEST_CASE("empty and punctuation-only text") {
  CHECK(sentences("").empty());
  CHECK(sentences("...").size() == 1);
  CHECK(folded_tokens("\xE2\x80\x9C\xE2\x80\x9D").empty());
}
}

TEST_SUITE("text") {
// The word cache must change nothing but speed: every token it gives is the one made afresh, with
// the numbers the bound vocabulary gives its folded form and stem.
TEST_CASE("the word cache gives the tokens and vocabulary numbers made afresh") {
  const std::string text =
      "Northland\xE2\x80\x99s envoy didn't reject the 30-day truce -- \xE2\x80\x9CNever,\xE2\x80\x9D "
      "said Ames. The U.S. plan, the Southland plan and Ames's plans were rejected; Ames rejected them "
      "again... Erdo\xC4\x9F" "an demanded 1,000 prisoners' release and a ceasefire \xE2\x80\x93 "
      "now, the ceasefire rejected.";
  std::vector<std::string> named;
  auto numbering = [&named](std::string_view w) {
    for (std::size_t i = 0; i < named.size(); ++i) if (named[i] == w) return static_cast<std::int32_t>(i);
    return std::int32_t{-1};
  };
  named = {"reject", "ceasefir", "ames", "\xE2\x80\x94", "n't", "'s", "plan", "said"};

  stance::text::WordCache cache;
  auto owner = std::make_shared<const int>(0);
  cache.bind(owner, numbering);
  for (int round = 0; round < 3; ++round) check_cached_equals_fresh(text, cache, numbering);  // cold, then warm
  CHECK(cache.cached() > 10);

  SUBCASE("another vocabulary: nothing cached under the old one is reused") {
    named = {"plan"};
    cache.bind(std::make_shared<const int>(1), numbering);
    CHECK(cache.cached() == 0);
    Document doc;
    stance::text::tokenize("the plan was rejected", cache, doc);
    REQUIRE(doc.tokens.size() == 4);
    CHECK(doc.tokens[1].form_id == 0);
    CHECK(doc.tokens[3].stem_id == -1);  // "reject" was number 0 of the old vocabulary
  }
  SUBCASE("the cache stays bounded") {
    cache.trim(4);
    CHECK(cache.cached() == 0);
  }
}
}

TEST_SUITE("text") {
// Tokens point at lexemes held by the word cache: a document must stay whole when the cache is
// emptied, rebound or destroyed after it (the sanitizer build would see a dangling read), and a
// copy of a document must stay whole when the original is reused.
TEST_CASE("a document outlives the word cache it was tokenized with") {
  Document doc;
  {
    stance::text::WordCache cache;
    cache.bind(std::make_shared<const int>(0), [](std::string_view w) { return static_cast<std::int32_t>(w.size()); });
    stance::text::tokenize("Northland rejected the plans", cache, doc);
    Document other;
    stance::text::tokenize("Southland demanded nothing", cache, other);
    cache.trim(0);  // empties the words both documents point at
    CHECK(cache.cached() == 0);
    stance::text::tokenize("a wholly different text of words never seen", cache, other);
    cache.bind(std::make_shared<const int>(1), nullptr);
  }
  REQUIRE(doc.tokens.size() == 4);
  CHECK(doc.tokens[0].folded() == "northland");
  CHECK(doc.tokens[1].stem() == "reject");
  CHECK(doc.tokens[3].folded() == "plans");
  CHECK(doc.tokens[3].form_id == 5);

  Stemmer stemmer;
  const std::string long_word(300, 'x');  // past the cache's longest key: the document keeps it
  stance::text::tokenize("the " + long_word + " plan", stemmer, doc);
  Document copy = doc;
  stance::text::tokenize("nothing alike", stemmer, doc);
  REQUIRE(copy.tokens.size() == 3);
  CHECK(copy.tokens[1].folded() == long_word);
  CHECK(copy.tokens[2].folded() == "plan");
  CHECK(doc.tokens[0].folded() == "nothing");
}

// Nearly all text is classed sixteen ASCII bytes at a time by compares; it must class every ASCII
// byte, in every position of a block, as the one-byte table does.
TEST_CASE("the block classifier of ASCII bytes agrees with the table") {
  for (int start = 0; start < 128; ++start) {
    for (int stride : {1, 7, 13, 64}) {
      std::array<char, 16> block{};
      for (int k = 0; k < 16; ++k) block[static_cast<std::size_t>(k)] = static_cast<char>((start + k * stride) % 128);
      std::array<std::uint8_t, 16> classes{};
      stance::text::detail::ascii_classes_by_block(block.data(), classes.data());
      for (std::size_t k = 0; k < 16; ++k) {
        CAPTURE(static_cast<int>(block[k]));
        CHECK(classes[k] == stance::text::detail::ascii_class(block[k]));
      }
    }
  }
}

// The scanner works on byte offsets; characters longer than a byte must split exactly as their
// ASCII counterparts do.
TEST_CASE("characters longer than a byte: acronyms, apostrophes, hyphens, spaces, invalid bytes") {
  CHECK(folded_tokens("the \xC3\x89.U. plan") == std::vector<std::string>{"the", "e.u.", "plan"});  // É.U.
  CHECK(folded_tokens("\xC3\x89.\xC3\x9C. plan") == std::vector<std::string>{"e.u.", "plan"});       // É.Ü.
  CHECK(folded_tokens("caf\xC3\xA9\xE2\x80\x99s menu") == std::vector<std::string>{"cafe", "'s", "menu"});
  CHECK(folded_tokens("Ames\xE2\x80\x99 plan") == std::vector<std::string>{"ames", "'", "plan"});  // possessive
  CHECK(folded_tokens("Ames\xE2\x80\xB2 plan") == std::vector<std::string>{"ames", "plan"});       // a prime: a quote mark
  CHECK(folded_tokens("a\xE2\x80\x90\xE2\x80\x90-b") == std::vector<std::string>{"a", "\xE2\x80\x90\xE2\x80\x90", "-", "b"});
  CHECK(folded_tokens("x\xC2\xA0y\xE2\x80\xA8z") == std::vector<std::string>{"x", "y", "z"});
  // An invalid byte is a character of its own (folded as it is), however long its first byte says it is.
  CHECK(folded_tokens("a\xC3" "b \x80 c") == std::vector<std::string>{"a", "\xC3", "b", "\x80", "c"});
  Stemmer stemmer;
  Document doc;
  stance::text::tokenize("x\xC2\xA0\xC3\x89mile\xE2\x80\xA8y", stemmer, doc);
  REQUIRE(doc.tokens.size() == 3);
  CHECK(doc.tokens[1].begin == 3);
  CHECK(doc.tokens[1].end == 9);
  CHECK(doc.tokens[1].capitalized);  // É
  CHECK(doc.tokens[1].space_before);
  CHECK_FALSE(doc.tokens[1].newline_before);
  CHECK(doc.tokens[2].newline_before);  // U+2028
}

// Short keys are compared by their first sixteen bytes, loaded past the token where the text goes
// on: every word must be found again wherever it stands, and keys that share those bytes must stay
// apart.
TEST_CASE("the word cache finds every word again and keeps apart words that begin alike") {
  std::string text;
  std::vector<std::string> distinct;
  for (int i = 0; i < 3000; ++i) {  // enough words for the table to grow several times
    std::string word = "w";
    for (int k = i; k > 0; k /= 26) word += static_cast<char>('a' + k % 26);
    distinct.push_back(word);
    text += word + (i % 7 == 0 ? ", " : " ");
  }
  for (const char* w : {"abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqr",
                        "Abcdefghijklmnopq", "abcdefgh", "abcdefghi"}) {
    distinct.emplace_back(w);
    text += std::string(w) + " ";
  }
  distinct.emplace_back(",");
  text += "w";  // the first word again, at the very end: fewer than sixteen bytes follow it
  stance::text::WordCache cache;
  auto numbering = [](std::string_view w) { return static_cast<std::int32_t>(w.size()); };
  cache.bind(std::make_shared<const int>(0), numbering);
  for (int round = 0; round < 2; ++round) {
    check_cached_equals_fresh(text, cache, numbering);
    CHECK(cache.cached() == distinct.size());  // no word cached twice
  }
}
}
