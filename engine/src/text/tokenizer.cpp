#include "text/tokenizer.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "core/hash.hpp"
#include "text/fold.hpp"

namespace stance::text {
namespace {

// No default member initialisers: decode() makes one per byte of text without zeroing them first.
struct CodePoint {
  std::int32_t value;
  std::uint32_t begin;
  std::uint32_t end;
};

// An array left uninitialised (decode() writes every element it counts before anything reads it):
// a vector's resize would zero thirteen bytes per character first, as costly as decoding them.
// Kept from article to article (WordCache) so that its memory is not asked for and given back per
// article; sized to the largest article seen, given back when a much smaller one follows a big one.
template <typename T>
class Uninitialized {
 public:
  void prepare(std::size_t capacity) {
    const bool oversized = capacity_ > (std::size_t{1} << 20U) && capacity_ / 4 > capacity;
    if (capacity > capacity_ || oversized) {
      data_ = std::make_unique_for_overwrite<T[]>(capacity);
      capacity_ = capacity;
    }
    size_ = 0;
  }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  [[nodiscard]] std::size_t size() const { return size_; }
  void set_size(std::size_t size) { size_ = size; }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

enum class CharClass : std::uint8_t { space, newline, letter, digit, mark, apostrophe_like, quote_open,
                                      quote_close, quote_either, single_open, hyphen, other };

// The class of an ASCII character (cp < 0x80); also the first cases of classify() below.
constexpr CharClass classify_ascii(std::int32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return CharClass::letter;
  if (cp >= '0' && cp <= '9') return CharClass::digit;
  switch (cp) {
    case '\n': return CharClass::newline;
    case ' ': case '\t': case '\r': case '\f': case '\v': return CharClass::space;
    case '"': return CharClass::quote_either;
    case '\'': return CharClass::apostrophe_like;
    case '-': return CharClass::hyphen;
    default: return CharClass::other;  // ASCII punctuation, symbols and controls
  }
}

constexpr std::array<CharClass, 128> ascii_classes() {
  std::array<CharClass, 128> table{};
  for (std::int32_t cp = 0; cp < 128; ++cp) table[static_cast<std::size_t>(cp)] = classify_ascii(cp);
  return table;
}

CharClass classify(std::int32_t cp) {
  // Most text is ASCII letters and digits: no Unicode table for them.
  if (cp < 0x80) return classify_ascii(cp);
  switch (cp) {
    case 0xA0: case 0x2009: case 0x200A:
    case 0x202F: case 0x2002: case 0x2003: case 0x3000: case 0xFEFF: return CharClass::space;
    case 0x201C: case 0x201E: case 0x00AB: case 0x2039: return CharClass::quote_open;    // “ „ « ‹
    case 0x201D: case 0x00BB: case 0x203A: return CharClass::quote_close;               // ” » ›
    case 0x201F: return CharClass::quote_either;
    case 0x2018: case 0x201B: return CharClass::single_open;                            // ‘ ‛
    case 0x2019: case 0x2032: return CharClass::apostrophe_like;                        // ’ ′
    case 0x2010: case 0x2011: return CharClass::hyphen;
    default: break;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return CharClass::letter;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return CharClass::mark;
    case UTF8PROC_CATEGORY_ND: return CharClass::digit;
    case UTF8PROC_CATEGORY_ZS: return CharClass::space;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return CharClass::newline;
    default: return CharClass::other;
  }
}

bool is_word_char(CharClass c) {
  return c == CharClass::letter || c == CharClass::digit || c == CharClass::mark;
}

// The code points of `text` and their classes, in one pass. Sized for the worst case (one code point
// a byte) and written through indices: push_back's capacity check per character cost as much as the
// decoding.
void decode(std::string_view text, Uninitialized<CodePoint>& out, Uninitialized<CharClass>& classes) {
  static constexpr std::array<CharClass, 128> kAscii = ascii_classes();
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // ASCII: its own code point, classed by table
      out[n] = {byte, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)};
      classes[n++] = kAscii[byte];
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    auto length = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                   static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (length <= 0) {  // invalid byte: readers reject such text, but never loop or crash on it
      cp = 0xFFFD;
      length = 1;
    }
    out[n] = {cp, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + static_cast<std::size_t>(length))};
    classes[n++] = classify(cp);
    i += static_cast<std::size_t>(length);
  }
  out.set_size(n);
  classes.set_size(n);
}

}  // namespace

struct WordCache::DecodeBuffers {
  Uninitialized<CodePoint> code_points;
  Uninitialized<CharClass> classes;
};

namespace {

// Clitics split off after an apostrophe: "Northland's", "we're", "they've", "I'll", "he'd", "I'm".
bool is_clitic(std::string_view folded_after) {
  return folded_after == "s" || folded_after == "re" || folded_after == "ve" || folded_after == "ll" ||
         folded_after == "d" || folded_after == "m";
}

// The folded form, from at most kMaxTokenBytes of the token: no rule names a longer word, and the
// cap keeps folding, stemming and regexes cheap on a megabyte of garbage. A cut form ends in "…",
// so it equals no word a rule can name.
std::string matching_form(std::string_view original) {
  if (original.size() <= kMaxTokenBytes) return fold(original);
  std::size_t keep = kMaxTokenBytes;
  while (keep > 0 && (static_cast<unsigned char>(original[keep]) & 0xC0U) == 0x80U) --keep;
  return fold(original.substr(0, keep)) + "\xE2\x80\xA6";
}

// fold() for the common token, short and ASCII, written straight into the token's string (inline
// for short words): false, with `out` unspecified, for anything else. `out` must be empty (a new
// token's): appending copies the bytes where resize() would zero-fill them first, then lowercasing
// happens in place.
bool fold_ascii(std::string_view original, std::string& out) {
  if (original.size() > kMaxTokenBytes) return false;
  out.append(original);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80U) return false;
    if (byte >= 'A' && byte <= 'Z') c = static_cast<char>(byte - 'A' + 'a');
  }
  return true;
}

// The lexeme of one token's bytes, made from scratch.
void make_lexeme(std::string_view original, TokenKind kind, Stemmer& stemmer, Lexeme& out) {
  if (!fold_ascii(original, out.folded)) out.folded = matching_form(original);
  if (kind == TokenKind::punct) {
    // All dashes fold to one em dash so rules can name "—" once.
    if (out.folded == "\xE2\x80\x93" || out.folded == "--") out.folded = "\xE2\x80\x94";
  }
  if (kind == TokenKind::word && out.folded.size() > 2) {
    out.stem.append(stemmer.stem(out.folded));  // empty until now: append, the cheapest copy
  } else {
    // Snowball's English stemmer leaves a word of fewer than three letters as it is ("not hop 3";
    // test_text checks every such ASCII word): "of", "to", "'s" need no stemming.
    out.stem = out.folded;
  }
}

}  // namespace

// Gives a token its lexeme: from the cache when there is one, else made afresh.
class TokenLexer {
 public:
  explicit TokenLexer(WordCache& cache) : stemmer_(cache.stemmer_), cache_(&cache) {}
  explicit TokenLexer(Stemmer& stemmer) : stemmer_(stemmer) {}

  void fill(std::string_view original, Token& token) {
    if (cache_ == nullptr || original.size() > WordCache::kMaxCachedBytes) {
      fresh(original, token);
      return;
    }
    const Lexeme& lexeme = cached(original, token.kind);
    token.folded = lexeme.folded;
    token.stem = lexeme.stem;
    token.form_id = lexeme.form_id;
    token.stem_id = lexeme.stem_id;
  }

 private:
  void fresh(std::string_view original, Token& token) {
    Lexeme made;
    make_lexeme(original, token.kind, stemmer_, made);
    if (cache_ != nullptr) number(made);
    token.folded = std::move(made.folded);
    token.stem = std::move(made.stem);
    token.form_id = made.form_id;
    token.stem_id = made.stem_id;
  }

  void number(Lexeme& lexeme) const {
    if (!cache_->numbering_) return;
    lexeme.form_id = cache_->numbering_(lexeme.folded);
    lexeme.stem_id = cache_->numbering_(lexeme.stem);
  }

  using Slot = WordCache::Slot;

  static std::uint32_t length_and_kind(std::string_view key, TokenKind kind) {
    return static_cast<std::uint32_t>(key.size()) << 2U | static_cast<std::uint32_t>(kind);
  }

  // Whether `key` (at most kSlotKeyBytes long) equals the slot's first bytes, by fixed-size loads
  // (a memcmp of variable length is a library call, as costly as the rest of the lookup).
  static bool same_head(const Slot& slot, std::string_view key) {
    const char* a = slot.head.data();
    const char* b = key.data();
    const std::size_t n = key.size();
    auto load8 = [](const char* p) { std::uint64_t v = 0; std::memcpy(&v, p, 8); return v; };
    auto load4 = [](const char* p) { std::uint32_t v = 0; std::memcpy(&v, p, 4); return v; };
    if (n >= 8) return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    if (n == 0) return true;
    return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
  }

  const Lexeme& cached(std::string_view original, TokenKind kind) {
    WordCache& c = *cache_;
    const std::uint64_t h = core::hash_bytes(original, 0x9AE16A3B2F90404FULL + static_cast<std::uint64_t>(kind));
    const std::uint32_t shape = length_and_kind(original, kind);
    if (!c.slots_.empty()) {
      const std::size_t mask = c.slots_.size() - 1;
      for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& slot = c.slots_[i];
        if (slot.entry < 0) break;
        if (slot.hash != h || slot.length_and_kind != shape) continue;
        const WordCache::Entry& entry = c.entries_[static_cast<std::size_t>(slot.entry)];
        if (original.size() <= WordCache::kSlotKeyBytes ? same_head(slot, original) : entry.key == original) {
          return entry.lexeme;
        }
      }
    }
    WordCache::Entry made{std::string(original), kind, {}};
    make_lexeme(original, kind, stemmer_, made.lexeme);
    number(made.lexeme);
    if ((c.entries_.size() + 1) * 2 > c.slots_.size()) grow();
    const auto id = static_cast<std::int32_t>(c.entries_.size());
    c.entries_.push_back(std::move(made));
    place(h, id);
    return c.entries_.back().lexeme;
  }

  void place(std::uint64_t h, std::int32_t id) {
    WordCache& c = *cache_;
    const WordCache::Entry& entry = c.entries_[static_cast<std::size_t>(id)];
    const std::size_t mask = c.slots_.size() - 1;
    std::size_t i = h & mask;
    while (c.slots_[i].entry >= 0) i = (i + 1) & mask;
    Slot& slot = c.slots_[i];
    slot.hash = h;
    slot.entry = id;
    slot.length_and_kind = length_and_kind(entry.key, entry.kind);
    slot.head.fill('\0');
    std::memcpy(slot.head.data(), entry.key.data(), std::min(entry.key.size(), WordCache::kSlotKeyBytes));
  }

  void grow() {
    WordCache& c = *cache_;
    c.slots_.assign(c.slots_.empty() ? 1024 : c.slots_.size() * 2, Slot{});
    for (std::size_t id = 0; id < c.entries_.size(); ++id) {
      const WordCache::Entry& entry = c.entries_[id];
      place(core::hash_bytes(entry.key, 0x9AE16A3B2F90404FULL + static_cast<std::uint64_t>(entry.kind)),
            static_cast<std::int32_t>(id));
    }
  }

  Stemmer& stemmer_;
  WordCache* cache_ = nullptr;
};

WordCache::WordCache() : buffers_(std::make_unique<DecodeBuffers>()) {}
WordCache::~WordCache() = default;
WordCache::WordCache(WordCache&&) noexcept = default;
WordCache& WordCache::operator=(WordCache&&) noexcept = default;

void WordCache::clear_words() {
  entries_.clear();
  slots_.clear();
}

void WordCache::bind(const std::shared_ptr<const void>& owner, Numbering numbering) {
  if (owner && owner == owner_) return;  // the same vocabulary: every cached number still holds
  clear_words();
  owner_ = owner;
  numbering_ = std::move(numbering);
}

void WordCache::trim(std::size_t limit) {
  stemmer_.trim(limit);
  if (cached() > limit) clear_words();
}

std::size_t WordCache::cached() const { return entries_.size(); }

namespace {

class Builder {
 public:
  Builder(std::string_view text, TokenLexer& lexer, Document& document)
      : text_(text), lexer_(lexer), doc_(document) {}

  void add_token(std::uint32_t begin, std::uint32_t end, TokenKind kind) {
    Token& token = doc_.tokens.emplace_back();  // built in place: no temporary to move
    token.begin = begin;
    token.end = end;
    token.kind = kind;
    lexer_.fill(text_.substr(begin, end - begin), token);
    const auto first = static_cast<unsigned char>(text_[begin]);
    if (kind == TokenKind::word && first < 0x80) {
      token.capitalized = first >= 'A' && first <= 'Z';
    } else if (kind == TokenKind::word) {
      utf8proc_int32_t cp = 0;
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text_.data() + begin),
                       static_cast<utf8proc_ssize_t>(end - begin), &cp);
      token.capitalized = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
    }
    token.newline_before = pending_newline_;
    token.space_before = pending_space_;
    pending_newline_ = pending_space_ = false;
  }

  void add_quote(const CodePoint& cp, QuoteKind kind, bool single) {
    doc_.quotes.push_back({cp.begin, cp.end, static_cast<std::uint32_t>(doc_.tokens.size()), kind, single});
  }

  void mark_space(bool newline) {
    pending_space_ = true;
    if (newline) pending_newline_ = true;
  }

 private:
  std::string_view text_;
  TokenLexer& lexer_;
  Document& doc_;
  bool pending_newline_ = false;
  bool pending_space_ = false;
};

void tokenize_with(std::string_view text, TokenLexer& lexer, WordCache::DecodeBuffers& buffers, Document& document) {
  document.text = text;
  document.tokens.clear();
  document.quotes.clear();
  // News prose runs five to six bytes a token: one allocation, and no regrowth that would move
  // every token built so far (a fifth of the tokenizer's time when the estimate fell short).
  // Capped so that a huge article asks for no more than it may use; past the cap it grows as usual.
  document.tokens.reserve(std::min<std::size_t>(text.size() / 4 + 8, std::size_t{1} << 22U));
  Uninitialized<CodePoint>& cps = buffers.code_points;
  Uninitialized<CharClass>& classes = buffers.classes;
  cps.prepare(text.size());
  classes.prepare(text.size());
  decode(text, cps, classes);
  auto cls = [&](std::size_t i) { return i < classes.size() ? classes[i] : CharClass::space; };

  Builder out(text, lexer, document);
  std::size_t i = 0;
  while (i < cps.size()) {
    const CharClass c = classes[i];
    if (c == CharClass::space || c == CharClass::newline) {
      out.mark_space(c == CharClass::newline);
      ++i;
      continue;
    }
    if (is_word_char(c)) {
      // A word: letters/digits/marks, with internal apostrophes, and dots inside acronyms (U.S.)
      // or numbers (1,000.5).
      const bool numeric = c == CharClass::digit;
      std::size_t j = i;
      std::size_t apostrophe = cps.size();  // index of an internal apostrophe, if any
      while (j < cps.size()) {
        const CharClass cj = classes[j];
        if (is_word_char(cj)) { ++j; continue; }
        if (cj == CharClass::apostrophe_like && apostrophe == cps.size() && is_word_char(cls(j + 1)) &&
            cls(j + 1) != CharClass::digit) {
          apostrophe = j;
          ++j;
          continue;
        }
        if (numeric && (cps[j].value == ',' || cps[j].value == '.') && cls(j + 1) == CharClass::digit) {
          ++j;
          continue;
        }
        // Acronym: single letters each followed by a dot (U.S., U.K.) stay one token.
        if (!numeric && cps[j].value == '.') {
          std::size_t segment = j;
          while (segment > i && classes[segment - 1] == CharClass::letter) --segment;
          const bool single_letter = j - segment == 1;
          const bool dotted_before = segment > i;
          const bool next_is_initial = cls(j + 1) == CharClass::letter && j + 2 < cps.size() && cps[j + 2].value == '.';
          if (single_letter && next_is_initial) { ++j; continue; }
          if (single_letter && dotted_before) { ++j; break; }
        }
        break;
      }
      const auto word_begin = cps[i].begin;
      const auto word_end = cps[j - 1].end;
      if (apostrophe != cps.size()) {
        // Split clitics: "northland's" -> northland + 's ; "didn't" -> did + n't.
        std::string after = fold(text.substr(cps[apostrophe + 1].begin, word_end - cps[apostrophe + 1].begin));
        const bool nt = (after == "t") && apostrophe > i && (cps[apostrophe - 1].value == 'n' || cps[apostrophe - 1].value == 'N');
        if (nt) {
          const auto split = cps[apostrophe - 1].begin;
          if (split > word_begin) out.add_token(word_begin, split, TokenKind::word);
          out.add_token(split, word_end, TokenKind::word);
        } else if (is_clitic(after)) {
          out.add_token(word_begin, cps[apostrophe].begin, numeric ? TokenKind::number : TokenKind::word);
          out.add_token(cps[apostrophe].begin, word_end, TokenKind::word);
        } else {
          out.add_token(word_begin, word_end, TokenKind::word);
        }
      } else {
        out.add_token(word_begin, word_end, numeric ? TokenKind::number : TokenKind::word);
      }
      i = j;
      continue;
    }
    switch (c) {
      case CharClass::quote_open: out.add_quote(cps[i], QuoteKind::open, false); ++i; continue;
      case CharClass::quote_close: out.add_quote(cps[i], QuoteKind::close, false); ++i; continue;
      case CharClass::quote_either: out.add_quote(cps[i], QuoteKind::either, false); ++i; continue;
      case CharClass::single_open: out.add_quote(cps[i], QuoteKind::open, true); ++i; continue;
      case CharClass::apostrophe_like: {
        // Not inside a word: a plural possessive (allies' demands) or a single quote mark.
        const bool after_s = i > 0 && (cps[i - 1].value == 's' || cps[i - 1].value == 'S') &&
                             is_word_char(cls(i - 1 + 0)) && cls(i + 1) == CharClass::space;
        if (after_s && cps[i].value != 0x2032) {
          out.add_token(cps[i].begin, cps[i].end, TokenKind::word);  // folded "'": possessive
        } else {
          const bool opening = i == 0 || classes[i - 1] == CharClass::space || classes[i - 1] == CharClass::newline;
          out.add_quote(cps[i], opening ? QuoteKind::open : QuoteKind::close, true);
        }
        ++i;
        continue;
      }
      default: break;
    }
    // Punctuation: runs of dots (ellipsis) and of hyphens (--) stay together.
    std::size_t j = i + 1;
    if (cps[i].value == '.' || c == CharClass::hyphen) {
      while (j < cps.size() && cps[j].value == cps[i].value) ++j;
    }
    out.add_token(cps[i].begin, cps[j - 1].end, TokenKind::punct);
    i = j;
  }
}

}  // namespace

void tokenize(std::string_view text, WordCache& cache, Document& document) {
  cache.trim();  // a cache kept from article to article stays bounded
  TokenLexer lexer(cache);
  tokenize_with(text, lexer, *cache.buffers_, document);
}

void tokenize(std::string_view text, Stemmer& stemmer, Document& document) {
  stemmer.trim();  // a stemmer kept from article to article stays bounded
  TokenLexer lexer(stemmer);
  WordCache::DecodeBuffers buffers;
  tokenize_with(text, lexer, buffers, document);
}

}  // namespace stance::text
