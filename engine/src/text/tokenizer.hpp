#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "text/document.hpp"
#include "text/stemmer.hpp"

namespace stance::text {

// Limits that keep the later stages linear on pathological text (docs/cli.md, "Limits"): a token's
// matching form (folded, stemmed) is made from at most this many bytes of it...
inline constexpr std::size_t kMaxTokenBytes = 1024;
// ...and a sentence is ended after this many tokens, since attribution looks across a sentence.
inline constexpr std::size_t kMaxSentenceTokens = 2000;

// The lexemes of the words seen so far, by their bytes as written: most tokens of an article were
// seen before on the same thread ("the", "said", "Northland"), and one lookup then replaces folding,
// stemming and two vocabulary lookups. Not thread-safe: one per thread (Engine::Workspace), kept
// from article to article, emptied past kDefaultLimit words so that it stays bounded.
class WordCache {
 public:
  static constexpr std::size_t kDefaultLimit = std::size_t{1} << 16U;
  // Longer tokens are made afresh each time: they are rare, and would make the cache's size depend
  // on the text rather than on the number of words.
  static constexpr std::size_t kMaxCachedBytes = 64;

  // Numbers a folded form or a stem (the pack's vocabulary lookup).
  using Numbering = std::function<std::int32_t(std::string_view)>;

  WordCache();
  ~WordCache();
  WordCache(WordCache&&) noexcept;
  WordCache& operator=(WordCache&&) noexcept;
  WordCache(const WordCache&) = delete;
  WordCache& operator=(const WordCache&) = delete;

  // Binds the cache to a vocabulary. `owner` identifies it (it never changes while `owner` lives):
  // binding to another owner drops every cached lexeme, since their numbers were another
  // vocabulary's. A null owner means "not fixed yet": nothing is kept from one bind to the next.
  void bind(const std::shared_ptr<const void>& owner, Numbering numbering);

  // Empties the cache if it holds more than `limit` words.
  void trim(std::size_t limit = kDefaultLimit);
  [[nodiscard]] std::size_t cached() const;
  Stemmer& stemmer() { return stemmer_; }

  struct DecodeBuffers;  // the tokenizer's per-character arrays, reused from article to article

 private:
  friend class TokenLexer;
  friend void tokenize(std::string_view, WordCache&, Document&);
  Stemmer stemmer_;
  std::shared_ptr<const void> owner_;
  Numbering numbering_;
  struct Entry {
    std::string key;  // the token's bytes as written
    std::uint64_t hash = 0;  // its slot's, kept for when the table grows
    Lexeme lexeme;
  };
  // Open addressing over words_. A slot holds the key's first bytes, zero-padded, and its length
  // and kind: a short word (nearly all of them) is compared in three word comparisons, never
  // reading a string, and its hash is made from the same two words. It also holds what a token
  // copies from the lexeme, so that a hit reads the slot (40 bytes) and nothing else.
  struct Slot {
    std::uint64_t low = 0;   // the key's bytes 0-7 and 8-15 as loaded, zero past its end
    std::uint64_t high = 0;
    const Entry* entry = nullptr;
    std::uint32_t shape = 0;  // length << 2 | kind (the same bytes stem differently as a number); 0: free
    std::int32_t form_id = -1;
    std::int32_t stem_id = -1;
    bool capitalized = false;
    unsigned char folded_first = 0;
  };
  void clear_words();
  // A deque, so that an entry never moves: tokens point at its lexeme. Shared with the Documents
  // tokenized from it; emptying the cache starts a new one while a Document still holds the old.
  std::shared_ptr<std::deque<Entry>> words_;
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::unique_ptr<DecodeBuffers> buffers_;
};

// Splits UTF-8 text into word, number and punctuation tokens. Clitics become their own tokens
// ("Northland's" -> "northland" "'s", "didn't" -> "did" "n't"); hyphenated words are split at the hyphen;
// dotted acronyms ("U.S.") stay whole. Quote characters go to Document::quotes.
// Tokens get their vocabulary numbers from `cache` (as bound); the overload with a bare stemmer
// leaves them -1.
void tokenize(std::string_view text, WordCache& cache, Document& document);
void tokenize(std::string_view text, Stemmer& stemmer, Document& document);

namespace detail {
// The tokenizer's class of each of 16 ASCII bytes as the block classifier finds them, and of one
// byte as the table gives it (tests/test_text.cpp checks that they agree).
void ascii_classes_by_block(const char* sixteen, std::uint8_t* out);
std::uint8_t ascii_class(char c);
}  // namespace detail

// Sentence boundaries: terminal punctuation followed by a capital, a digit, an opening quote or a
// line break; never after an abbreviation (folded, with its dot: "gen.", "jan.") or an initial.
// Line breaks end sentences unless the text is hard-wrapped.
void split_sentences(const std::unordered_set<std::string>& abbreviations, Document& document);

}  // namespace stance::text
