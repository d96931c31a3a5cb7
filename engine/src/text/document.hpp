#pragma once
// The text stage's output: tokens with byte spans into the original text, quote marks, sentences.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stance::text {

enum class TokenKind : std::uint8_t { word, number, punct };

struct Token {
  std::uint32_t begin = 0;  // byte offsets into the original text
  std::uint32_t end = 0;
  std::string folded;       // matching form (see fold.hpp)
  std::string stem;         // Snowball stem of `folded` (words only; else = folded)
  std::int32_t form_id = -1;  // ids in the rule pack's vocabulary, -1 when the pack never uses it
  std::int32_t stem_id = -1;
  TokenKind kind = TokenKind::word;
  bool capitalized = false;    // starts with an uppercase letter in the original
  bool newline_before = false; // a line break separates it from the previous token
  bool space_before = false;   // any white space separates it from the previous token
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
};

}  // namespace stance::text
