#pragma once
#include <cstddef>
#include <string_view>
#include <unordered_set>
#include <string>

#include "text/document.hpp"
#include "text/stemmer.hpp"

namespace stance::text {

// Limits that keep the later stages linear on pathological text (docs/cli.md, "Limits"): a token's
// matching form (folded, stemmed) is made from at most this many bytes of it...
inline constexpr std::size_t kMaxTokenBytes = 1024;
// ...and a sentence is ended after this many tokens, since attribution looks across a sentence.
inline constexpr std::size_t kMaxSentenceTokens = 2000;

// Splits UTF-8 text into word, number and punctuation tokens. Clitics become their own tokens
// ("Northland's" -> "northland" "'s", "didn't" -> "did" "n't"); hyphenated words are split at the hyphen;
// dotted acronyms ("U.S.") stay whole. Quote characters go to Document::quotes.
void tokenize(std::string_view text, Stemmer& stemmer, Document& document);

// Sentence boundaries: terminal punctuation followed by a capital, a digit, an opening quote or a
// line break; never after an abbreviation (folded, with its dot: "gen.", "jan.") or an initial.
// Line breaks end sentences unless the text is hard-wrapped.
void split_sentences(const std::unordered_set<std::string>& abbreviations, Document& document);

}  // namespace stance::text
