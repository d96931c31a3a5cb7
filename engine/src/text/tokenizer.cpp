#include "text/tokenizer.hpp"

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <memory>

#include "core/hash.hpp"
#include "text/fold.hpp"

namespace stance::text {
namespace {

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

// The classes of 16 ASCII bytes (no byte of 0x80 or more) at once, as ascii_classes() gives them
// one at a time: a few compares a block instead of a table load and a store a byte. News text is
// nearly all ASCII, and every byte of it is classed.
#if defined(__SSE2__)
// Each byte of `x` in [low, low + span], as unsigned bytes: all ones, else zero (x - low wraps
// below low, and min(d, span) == d holds only for d <= span).
__m128i bytes_within(__m128i x, char low, char span) {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(low));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d);
}

void classify_ascii_block(const unsigned char* bytes, CharClass* out) {
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  const auto is = [&b](char c) { return _mm_cmpeq_epi8(b, _mm_set1_epi8(c)); };
  const auto class_of = [](CharClass c) { return _mm_set1_epi8(static_cast<char>(c)); };
  const __m128i letter = bytes_within(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'a', 'z' - 'a');
  const __m128i digit = bytes_within(b, '0', '9' - '0');
  const __m128i space = _mm_or_si128(_mm_or_si128(is(' '), is('\t')), _mm_or_si128(_mm_or_si128(is('\r'), is('\f')), is('\v')));
  const __m128i newline = is('\n');
  const __m128i quote = is('"');
  const __m128i apostrophe = is('\'');
  const __m128i hyphen = is('-');
  const __m128i known = _mm_or_si128(_mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(space, newline)),
                                     _mm_or_si128(_mm_or_si128(quote, apostrophe), hyphen));
  __m128i classes = _mm_andnot_si128(known, class_of(CharClass::other));
  classes = _mm_or_si128(classes, _mm_and_si128(letter, class_of(CharClass::letter)));
  classes = _mm_or_si128(classes, _mm_and_si128(digit, class_of(CharClass::digit)));
  classes = _mm_or_si128(classes, _mm_and_si128(space, class_of(CharClass::space)));
  classes = _mm_or_si128(classes, _mm_and_si128(newline, class_of(CharClass::newline)));
  classes = _mm_or_si128(classes, _mm_and_si128(quote, class_of(CharClass::quote_either)));
  classes = _mm_or_si128(classes, _mm_and_si128(apostrophe, class_of(CharClass::apostrophe_like)));
  classes = _mm_or_si128(classes, _mm_and_si128(hyphen, class_of(CharClass::hyphen)));
  static_assert(sizeof(CharClass) == 1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), classes);
}
#else
void classify_ascii_block(const unsigned char* bytes, CharClass* out) {
  static constexpr std::array<CharClass, 128> kAscii = ascii_classes();
  for (std::size_t k = 0; k < 16; ++k) out[k] = kAscii[bytes[k]];
}
#endif

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
// The word classes are consecutive, so that a block of classes is tested with one range compare.
static_assert(static_cast<int>(CharClass::digit) == static_cast<int>(CharClass::letter) + 1 &&
              static_cast<int>(CharClass::mark) == static_cast<int>(CharClass::letter) + 2);

// Classes past the text's end that decode() fills with spaces, for reads of 16 classes at a time.
constexpr std::size_t kClassPadding = 15;

// The class of every byte of `text`: each byte of a character carries the character's class, so a
// run of word characters is scanned by classes alone, 16 at a time, and ASCII (nearly all news
// text) is classed 16 bytes at a time. A character longer than one byte has its length at its first
// byte in `lengths` (an invalid byte is a character of its own, U+FFFD). Past the text's end the
// classes are spaces (see below).
void decode(std::string_view text, Uninitialized<CharClass>& classes, Uninitialized<std::uint8_t>& lengths) {
  static constexpr std::array<CharClass, 128> kAscii = ascii_classes();
  const std::size_t n = text.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < n) {
    if (i + 16 <= n) {  // sixteen ASCII bytes at once: no per-byte test of the high bit
      std::uint64_t low = 0;
      std::uint64_t high = 0;
      std::memcpy(&low, bytes + i, 8);
      std::memcpy(&high, bytes + i + 8, 8);
      if (((low | high) & 0x8080808080808080ULL) == 0) {
        classify_ascii_block(bytes + i, &classes[i]);
        i += 16;
        continue;
      }
    }
    if (bytes[i] < 0x80) {
      classes[i] = kAscii[bytes[i]];
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    auto length = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (length <= 0) {  // invalid byte: readers reject such text, but never loop or crash on it
      cp = 0xFFFD;
      length = 1;
    }
    const CharClass c = classify(cp);
    for (utf8proc_ssize_t k = 0; k < length; ++k) classes[i + static_cast<std::size_t>(k)] = c;
    lengths[i] = static_cast<std::uint8_t>(length);
    i += static_cast<std::size_t>(length);
  }
  // Spaces past the end: one, so that looking a character past the end needs no bounds check, and
  // kClassPadding more, so that the word scan may read 16 classes at once (Characters::word_end).
  for (std::size_t k = n; k <= n + kClassPadding; ++k) classes[k] = CharClass::space;
  classes.set_size(n + 1);
  lengths.set_size(n);
}

}  // namespace

struct WordCache::DecodeBuffers {
  Uninitialized<CharClass> classes;
  Uninitialized<std::uint8_t> lengths;
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

// Whether a word's first character is a capital letter.
bool starts_capitalized(std::string_view word) {
  const auto first = static_cast<unsigned char>(word.front());
  if (first < 0x80) return first >= 'A' && first <= 'Z';
  utf8proc_int32_t cp = 0;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(word.data()), static_cast<utf8proc_ssize_t>(word.size()), &cp);
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

// The lexeme of one token's bytes, made from scratch into `out`, whose strings must be empty.
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
  out.capitalized = kind == TokenKind::word && starts_capitalized(original);
}

std::uint32_t shape_of(std::string_view key, TokenKind kind) {
  return static_cast<std::uint32_t>(key.size()) << 2U | static_cast<std::uint32_t>(kind);
}

constexpr std::size_t kHeadBytes = 16;  // WordCache::Slot's two words

// A key's first sixteen bytes as two words, zero past its end: a short key is then compared and
// hashed in a few word operations, with no loop and no call. `readable` bytes from key.data() may
// be read (at least key.size()); inside the text sixteen nearly always can, and the bytes past the
// key are masked off.
struct KeyHead {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
};

KeyHead head_of(std::string_view key, std::size_t readable) {
  KeyHead head;
  const std::size_t n = key.size();
  if (std::endian::native == std::endian::little && readable >= kHeadBytes) {
    auto keep = [](std::size_t bytes) {
      return bytes >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * bytes)) - 1;
    };
    std::memcpy(&head.low, key.data(), 8);
    std::memcpy(&head.high, key.data() + 8, 8);
    head.low &= keep(n);
    head.high &= keep(n > 8 ? n - 8 : 0);
    return head;
  }
  std::array<char, kHeadBytes> bytes{};
  std::memcpy(bytes.data(), key.data(), std::min(n, kHeadBytes));
  std::memcpy(&head.low, bytes.data(), 8);
  std::memcpy(&head.high, bytes.data() + 8, 8);
  return head;
}

// A short key's head is the whole key: hashing the two words is as good as hashing its bytes.
std::uint64_t hash_key(std::string_view key, const KeyHead& head, std::uint32_t shape) {
  if (key.size() > kHeadBytes) {
    return core::hash_bytes(key, 0x9AE16A3B2F90404FULL + shape);
  }
  return core::mix64((head.low * 0x9E3779B97F4A7C15ULL) ^ head.high ^ (std::uint64_t{shape} << 40U));
}

}  // namespace

// What a token copies of its lexeme.
struct Found {
  const Lexeme* lexeme;
  std::int32_t form_id;
  std::int32_t stem_id;
  bool capitalized;
  unsigned char folded_first;
};

unsigned char first_byte(const std::string& s) { return static_cast<unsigned char>(s[0]); }  // '\0' when empty

Found found(const Lexeme& lexeme) {
  return {&lexeme, lexeme.form_id, lexeme.stem_id, lexeme.capitalized, first_byte(lexeme.folded)};
}

// Gives a token's bytes their lexeme: from the cache when there is one, else made afresh and kept
// by the document.
class TokenLexer {
 public:
  TokenLexer(WordCache& cache, Document& document) : stemmer_(cache.stemmer_), cache_(&cache), document_(document) {}
  TokenLexer(Stemmer& stemmer, Document& document) : stemmer_(stemmer), document_(document) {}

  // The lexeme of `original`, of which `readable` bytes may be read.
  // Nearly every token is a hit: that path is inlined into the caller, making a lexeme is not.
  [[gnu::always_inline]] Found lexeme(std::string_view original, std::size_t readable, TokenKind kind) {
    if (cache_ == nullptr || original.size() > WordCache::kMaxCachedBytes) return made(original, kind);
    const KeyHead head = head_of(original, readable);
    const std::uint32_t shape = shape_of(original, kind);
    const std::uint64_t h = hash_key(original, head, shape);
    const WordCache& c = *cache_;
    if (!c.slots_.empty()) {
      const std::size_t mask = c.slots_.size() - 1;
      for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& slot = c.slots_[i];
        if (slot.low == head.low && slot.high == head.high && slot.shape == shape &&
            (original.size() <= kHeadBytes || slot.entry->key == original)) {
          return {&slot.entry->lexeme, slot.form_id, slot.stem_id, slot.capitalized, slot.folded_first};
        }
        if (slot.shape == 0) break;
      }
    }
    return add(original, kind, head, shape, h);
  }

 private:
  void number(Lexeme& lexeme) const {
    if (cache_ == nullptr || !cache_->numbering_) return;
    lexeme.form_id = cache_->numbering_(lexeme.folded);
    lexeme.stem_id = cache_->numbering_(lexeme.stem);
  }

  using Slot = WordCache::Slot;

  [[gnu::noinline]] Found made(std::string_view original, TokenKind kind) {
    Lexeme lexeme;
    make_lexeme(original, kind, stemmer_, lexeme);
    number(lexeme);
    return found(*document_.keep(std::move(lexeme)));
  }

  [[gnu::noinline]] Found add(std::string_view original, TokenKind kind, const KeyHead& head, std::uint32_t shape,
                              std::uint64_t h) {
    WordCache& c = *cache_;
    if (!c.words_) c.words_ = std::make_shared<std::deque<WordCache::Entry>>();
    WordCache::Entry made{std::string(original), h, {}};
    make_lexeme(original, kind, stemmer_, made.lexeme);
    number(made.lexeme);
    if ((c.words_->size() + 1) * 2 > c.slots_.size()) grow();
    const WordCache::Entry& entry = c.words_->emplace_back(std::move(made));
    const Lexeme& lexeme = entry.lexeme;
    place({head.low, head.high, &entry, shape, lexeme.form_id, lexeme.stem_id, lexeme.capitalized,
           first_byte(lexeme.folded)},
          h);
    return found(lexeme);
  }

  void place(const Slot& slot, std::uint64_t h) {
    WordCache& c = *cache_;
    const std::size_t mask = c.slots_.size() - 1;
    std::size_t i = h & mask;
    while (c.slots_[i].shape != 0) i = (i + 1) & mask;
    c.slots_[i] = slot;
  }

  void grow() {
    WordCache& c = *cache_;
    std::vector<Slot> old(c.slots_.empty() ? 1024 : c.slots_.size() * 2);
    old.swap(c.slots_);
    for (const Slot& slot : old) {
      if (slot.shape != 0) place(slot, slot.entry->hash);
    }
  }

  Stemmer& stemmer_;
  WordCache* cache_ = nullptr;
  Document& document_;
};

WordCache::WordCache() : buffers_(std::make_unique<DecodeBuffers>()) {}
WordCache::~WordCache() = default;
WordCache::WordCache(WordCache&&) noexcept = default;
WordCache& WordCache::operator=(WordCache&&) noexcept = default;

void WordCache::clear_words() {
  // Documents tokenized earlier may still point at these words: they keep the old ones alive.
  if (words_ && words_.use_count() == 1) words_->clear();
  else words_.reset();
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

std::size_t WordCache::cached() const { return words_ ? words_->size() : 0; }

namespace {

class Builder {
 public:
  Builder(std::string_view text, TokenLexer& lexer, Document& document)
      : text_(text), lexer_(lexer), doc_(document) {}

  void add_token(std::size_t begin, std::size_t end, TokenKind kind) {
    const std::string_view original(text_.data() + begin, end - begin);  // in range: no substr() check
    const Found lexeme = lexer_.lexeme(original, text_.size() - begin, kind);
    doc_.tokens.push_back(Token{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), lexeme.lexeme,
                                lexeme.form_id, lexeme.stem_id, kind, lexeme.capitalized, pending_newline_,
                                pending_space_, lexeme.folded_first});
    pending_newline_ = pending_space_ = false;
  }

  void add_quote(std::size_t begin, std::size_t end, QuoteKind kind, bool single) {
    doc_.quotes.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end),
                           static_cast<std::uint32_t>(doc_.tokens.size()), kind, single});
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

// The scan works on byte offsets: a character starts at a byte and ends at end_of() it.
class Characters {
 public:
  Characters(std::string_view text, const WordCache::DecodeBuffers& buffers)
      : text_(text), classes_(buffers.classes), lengths_(buffers.lengths) {}

  // The class of the character holding byte `i`; a space at text.size().
  CharClass operator[](std::size_t i) const { return classes_[i]; }
  std::size_t end_of(std::size_t i) const {
    return static_cast<unsigned char>(text_[i]) < 0x80 ? i + 1 : i + lengths_[i];
  }
  // The first byte at or after `j` that is no word character (there is one: the text is followed
  // by spaces). Words run five or six bytes, so 16 classes at a time make it one step for most.
  std::size_t word_end(std::size_t j) const {
#if defined(__SSE2__)
    constexpr auto first = static_cast<char>(CharClass::letter);
    constexpr auto span = static_cast<char>(static_cast<char>(CharClass::mark) - first);
    for (;; j += 16) {
      const __m128i word = bytes_within(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&classes_[j])), first, span);
      const auto other = static_cast<unsigned>(~_mm_movemask_epi8(word)) & 0xFFFFU;
      if (other != 0) return j + static_cast<std::size_t>(std::countr_zero(other));
    }
#else
    while (is_word_char(classes_[j])) ++j;
    return j;
#endif
  }
  // Whether the character at `i` is `ascii` (an ASCII byte is always a character of its own).
  bool is(std::size_t i, char ascii) const { return text_[i] == ascii; }
  std::string_view at(std::size_t i) const { return text_.substr(i, end_of(i) - i); }

 private:
  std::string_view text_;
  const Uninitialized<CharClass>& classes_;
  const Uninitialized<std::uint8_t>& lengths_;
};

void tokenize_with(std::string_view text, TokenLexer& lexer, WordCache::DecodeBuffers& buffers, Document& document) {
  // News prose runs five to six bytes a token: one allocation, and no regrowth that would move
  // every token built so far (a fifth of the tokenizer's time when the estimate fell short).
  // Capped so that a huge article asks for no more than it may use; past the cap it grows as usual.
  document.tokens.reserve(std::min<std::size_t>(text.size() / 4 + 8, std::size_t{1} << 22U));
  buffers.classes.prepare(text.size() + 1 + kClassPadding);
  buffers.lengths.prepare(text.size());
  decode(text, buffers.classes, buffers.lengths);
  const Characters chars(text, buffers);

  Builder out(text, lexer, document);
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const CharClass c = chars[i];
    if (c == CharClass::space || c == CharClass::newline) {
      out.mark_space(c == CharClass::newline);
      i = chars.end_of(i);
      continue;
    }
    if (is_word_char(c)) {
      // A word: letters/digits/marks, with internal apostrophes, and dots inside acronyms (U.S.)
      // or numbers (1,000.5).
      const bool numeric = c == CharClass::digit;
      std::size_t j = i;
      std::size_t apostrophe = n;  // the offset of an internal apostrophe, if any
      while (true) {
        j = chars.word_end(j);  // every byte of a word character is classed as it
        if (j == n) break;
        const CharClass cj = chars[j];
        if (cj == CharClass::apostrophe_like && apostrophe == n) {
          const std::size_t next = chars.end_of(j);
          if (is_word_char(chars[next]) && chars[next] != CharClass::digit) {
            apostrophe = j;
            j = next;
            continue;
          }
        }
        if (numeric && (chars.is(j, ',') || chars.is(j, '.')) && chars[j + 1] == CharClass::digit) {
          ++j;
          continue;
        }
        // Acronym: single letters each followed by a dot (U.S., U.K.) stay one token.
        if (!numeric && chars.is(j, '.')) {
          std::size_t segment = j;
          while (segment > i && chars[segment - 1] == CharClass::letter) --segment;
          const bool single_letter = segment < j && chars.end_of(segment) == j;
          const bool dotted_before = segment > i;
          const bool next_is_initial = chars[j + 1] == CharClass::letter && chars.end_of(j + 1) < n &&
                                       chars.is(chars.end_of(j + 1), '.');
          if (single_letter && next_is_initial) { ++j; continue; }
          if (single_letter && dotted_before) { ++j; break; }
        }
        break;
      }
      const std::size_t word_begin = i;
      const std::size_t word_end = j;
      if (apostrophe != n) {
        // Split clitics: "northland's" -> northland + 's ; "didn't" -> did + n't.
        const std::size_t after_begin = chars.end_of(apostrophe);
        std::string after = fold(text.substr(after_begin, word_end - after_begin));
        const bool nt = (after == "t") && apostrophe > i && (chars.is(apostrophe - 1, 'n') || chars.is(apostrophe - 1, 'N'));
        if (nt) {
          const std::size_t split = apostrophe - 1;
          if (split > word_begin) out.add_token(word_begin, split, TokenKind::word);
          out.add_token(split, word_end, TokenKind::word);
        } else if (is_clitic(after)) {
          out.add_token(word_begin, apostrophe, numeric ? TokenKind::number : TokenKind::word);
          out.add_token(apostrophe, word_end, TokenKind::word);
        } else {
          out.add_token(word_begin, word_end, TokenKind::word);
        }
      } else {
        out.add_token(word_begin, word_end, numeric ? TokenKind::number : TokenKind::word);
      }
      i = j;
      continue;
    }
    const std::size_t next = chars.end_of(i);
    switch (c) {
      case CharClass::quote_open: out.add_quote(i, next, QuoteKind::open, false); i = next; continue;
      case CharClass::quote_close: out.add_quote(i, next, QuoteKind::close, false); i = next; continue;
      case CharClass::quote_either: out.add_quote(i, next, QuoteKind::either, false); i = next; continue;
      case CharClass::single_open: out.add_quote(i, next, QuoteKind::open, true); i = next; continue;
      case CharClass::apostrophe_like: {
        // Not inside a word: a plural possessive (allies' demands) or a single quote mark.
        const bool after_s = i > 0 && (chars.is(i - 1, 's') || chars.is(i - 1, 'S')) &&
                             is_word_char(chars[i - 1]) && chars[next] == CharClass::space;
        if (after_s && chars.at(i) != "\xE2\x80\xB2") {  // ′ (a prime) is no apostrophe
          out.add_token(i, next, TokenKind::word);  // folded "'": possessive
        } else {
          const bool opening = i == 0 || chars[i - 1] == CharClass::space || chars[i - 1] == CharClass::newline;
          out.add_quote(i, next, opening ? QuoteKind::open : QuoteKind::close, true);
        }
        i = next;
        continue;
      }
      default: break;
    }
    // Punctuation: runs of dots (ellipsis) and of hyphens (--) stay together.
    std::size_t j = next;
    if (chars.is(i, '.') || c == CharClass::hyphen) {
      const std::string_view first = chars.at(i);
      while (j < n && chars.at(j) == first) j = chars.end_of(j);
    }
    out.add_token(i, j, TokenKind::punct);
    i = j;
  }
}

}  // namespace

namespace detail {
void ascii_classes_by_block(const char* sixteen, std::uint8_t* out) {
  std::array<CharClass, 16> classes{};
  classify_ascii_block(reinterpret_cast<const unsigned char*>(sixteen), classes.data());
  for (std::size_t k = 0; k < 16; ++k) out[k] = static_cast<std::uint8_t>(classes[k]);
}
std::uint8_t ascii_class(char c) { return static_cast<std::uint8_t>(classify_ascii(static_cast<unsigned char>(c))); }
}  // namespace detail

void tokenize(std::string_view text, WordCache& cache, Document& document) {
  document.reset(text);  // first: the words it held may then be emptied in place
  cache.trim();  // a cache kept from article to article stays bounded
  if (!cache.words_) cache.words_ = std::make_shared<std::deque<WordCache::Entry>>();
  document.cached_lexemes = cache.words_;
  TokenLexer lexer(cache, document);
  tokenize_with(text, lexer, *cache.buffers_, document);
}

void tokenize(std::string_view text, Stemmer& stemmer, Document& document) {
  stemmer.trim();  // a stemmer kept from article to article stays bounded
  document.reset(text);
  TokenLexer lexer(stemmer, document);
  WordCache::DecodeBuffers buffers;
  tokenize_with(text, lexer, buffers, document);
}

}  // namespace stance::text
