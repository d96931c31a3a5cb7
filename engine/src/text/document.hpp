#pragma once
// The text stage's output: tokens with byte spans into the original text, quote marks, sentences.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stance::text {

enum class TokenKind : std::uint8_t { word, number, punct };

// What a token's bytes become, whatever article they occur in: the matching form, its stem, and
// their numbers in the rule pack's vocabulary (-1 for words the pack never uses).
struct Lexeme {
  std::string folded;
  std::string stem;
  std::int32_t form_id = -1;
  std::int32_t stem_id = -1;
  bool capitalized = false;  // a word whose first letter is a capital (Token::capitalized)
};

// A token points at its lexeme rather than holding its strings: a token is then 32 bytes, built
// without copying a string, and the stages that walk tokens by the thousand (matching,
// attribution) read the numbers beside each other. The lexeme lives in the word cache or in the
// Document (Document::keep_alive), never shorter than the Document.
struct Token {
  std::uint32_t begin = 0;  // byte offsets into the original text
  std::uint32_t end = 0;
  const Lexeme* lexeme = nullptr;  // set for every token of a tokenized Document
  std::int32_t form_id = -1;  // = lexeme's: ids in the rule pack's vocabulary, -1 when the pack never uses it
  std::int32_t stem_id = -1;
  TokenKind kind = TokenKind::word;
  bool capitalized = false;    // starts with an uppercase letter in the original
  bool newline_before = false; // a line break separates it from the previous token
  bool space_before = false;   // any white space separates it from the previous token
  // folded()'s first byte (0 when empty), in the padding after the flags: the matcher's test of
  // every token against the first bytes of patterns that start with a regex reads no lexeme.
  unsigned char folded_first = 0;

  // Matching form (see fold.hpp).
  [[nodiscard]] const std::string& folded() const { return lexeme->folded; }
  // Snowball stem of folded() (words only; else = folded()).
  [[nodiscard]] const std::string& stem() const { return lexeme->stem; }
};

enum class QuoteKind : std::uint8_t { open, close, either };

// Quote characters are kept out of the token stream (so patterns match across them) and listed
// here instead, each placed before token `token`.
struct QuoteMark {
  std::uint32_t begin = 0;  // byte span of the quote character
  std::uint32_t end = 0;
  std::uint32_t token = 0;  // index of the first token after the mark
  QuoteKind kind = QuoteKind::either;
  bool single = false;      // ‘ ’ ' rather than “ ” "
};

struct Sentence {
  std::uint32_t begin = 0;  // byte span in the original text, trimmed of white space
  std::uint32_t end = 0;
  std::uint32_t first_token = 0;  // token range [first_token, end_token)
  std::uint32_t end_token = 0;
};

struct Document {
  std::string_view text;
  std::vector<Token> tokens;
  std::vector<QuoteMark> quotes;
  std::vector<Sentence> sentences;

  // The lexemes its tokens point at: the word cache's words when it was tokenized (kept alive
  // here, so a cache emptied or destroyed later leaves this document whole) and those made for
  // this document alone. Shared by copies of the document, which point at the same lexemes.
  std::shared_ptr<const void> cached_lexemes;
  std::shared_ptr<std::deque<Lexeme>> own_lexemes;

  // Keeps a lexeme for this document's tokens (one the word cache does not hold, or a test's).
  const Lexeme* keep(Lexeme lexeme) {
    if (!own_lexemes) own_lexemes = std::make_shared<std::deque<Lexeme>>();
    return &own_lexemes->emplace_back(std::move(lexeme));
  }
  // Empties the document for new text; lexemes still shared with a copy are left to the copy.
  void reset(std::string_view new_text) {
    text = new_text;
    tokens.clear();
    quotes.clear();
    sentences.clear();
    cached_lexemes.reset();
    if (own_lexemes && own_lexemes.use_count() == 1) own_lexemes->clear();
    else own_lexemes.reset();
  }
};

}  // namespace stance::text
