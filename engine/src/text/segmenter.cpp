#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "text/tokenizer.hpp"

namespace stance::text {
namespace {

bool is_terminal(const Token& t) {
  if (t.kind != TokenKind::punct) return false;
  switch (t.folded_first) {  // tells most punctuation apart without reading the lexeme
    case '.': case '!': case '?': case 0xE2: break;
    default: return false;
  }
  if (t.end - t.begin == 1) return t.folded_first != 0xE2;  // one ASCII byte: folded to itself
  const std::string& f = t.folded();
  return f == "." || f == "!" || f == "?" || f == "..." || f == "\xE2\x80\xA6";
}

// Hard-wrapped text (most lines 50-100 columns) uses single line breaks as spaces.
bool looks_hard_wrapped(std::string_view text) {
  std::size_t lines = 0, wrapped = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::size_t length = end - start;
    if (length > 0) {
      ++lines;
      if (length >= 50 && length <= 100) ++wrapped;
    }
    start = end + 1;
  }
  return lines >= 5 && wrapped * 10 >= lines * 7;
}

bool blank_line_between(std::string_view text, std::uint32_t from, std::uint32_t to) {
  int newlines = 0;
  for (std::uint32_t i = from; i < to && i < text.size(); ++i) {
    if (text[i] == '\n') {
      if (++newlines >= 2) return true;
    } else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
      newlines = 0;
    }
  }
  return false;
}

}  // namespace

void split_sentences(const std::unordered_set<std::string>& abbreviations, Document& doc) {
  doc.sentences.clear();
  const auto& tokens = doc.tokens;
  if (tokens.empty()) return;
  const bool hard_wrapped = looks_hard_wrapped(doc.text);

  // The quote marks standing before a token. Marks are in text order, so by token, and each of the
  // three askers below asks about tokens in increasing order: a cursor each finds them in time
  // linear in the marks, where tables by token cost an allocation and a fill per article.
  struct MarkCursor {
    std::span<const QuoteMark> marks;
    std::size_t token_count = 0;
    std::size_t next = 0;
    std::uint32_t last = 0;
    std::span<const QuoteMark> at(std::uint32_t token) {
      const auto token_of = [&](std::size_t i) { return std::min<std::size_t>(marks[i].token, token_count); };
      if (token < last) next = 0;  // not in increasing order after all: start over
      last = token;
      while (next < marks.size() && token_of(next) < token) ++next;
      std::size_t end = next;
      while (end < marks.size() && token_of(end) == token) ++end;
      return marks.subspan(next, end - next);
    }
  };
  MarkCursor opening_marks{doc.quotes, tokens.size()}, sentence_marks{doc.quotes, tokens.size()},
      closing_marks{doc.quotes, tokens.size()};
  // A closing mark right after a terminal belongs to the sentence: where the marks before token k end.
  auto closing_marks_end = [&](std::uint32_t token) {
    std::uint32_t end = 0;
    for (const QuoteMark& q : closing_marks.at(token)) {
      if (q.kind != QuoteKind::open && q.token == token) end = std::max(end, q.end);
    }
    return end;
  };

  std::string abbreviation;  // a word and its dot, built in one buffer for every lookup
  std::uint32_t first = 0;
  auto close = [&](std::uint32_t end_token) {
    if (end_token <= first) return;
    Sentence s;
    s.first_token = first;
    s.end_token = end_token;
    s.begin = tokens[first].begin;
    s.end = std::max(tokens[end_token - 1].end, closing_marks_end(end_token));
    // An opening quote right before the first token belongs to the sentence.
    for (const QuoteMark& q : sentence_marks.at(first)) {
      if (q.token == first && q.kind != QuoteKind::close && q.begin < s.begin &&
          (first == 0 || q.begin >= tokens[first - 1].end)) {
        s.begin = q.begin;
      }
    }
    doc.sentences.push_back(s);
    first = end_token;
  };

  for (std::uint32_t k = 1; k < tokens.size(); ++k) {
    if (k - first >= kMaxSentenceTokens) {  // a run-on "sentence" (a table, a token dump)
      close(k);
      continue;
    }
    const Token& prev = tokens[k - 1];
    const Token& next = tokens[k];
    if (next.newline_before && (!hard_wrapped || blank_line_between(doc.text, prev.end, next.begin))) {
      close(k);
      continue;
    }
    if (!is_terminal(prev)) continue;
    if (prev.folded_first == '.' && (prev.end - prev.begin == 1 || prev.folded() == ".") && k >= 2) {
      const Token& word = tokens[k - 2];
      const bool attached = word.end == prev.begin;
      if (attached && word.kind == TokenKind::word) {
        abbreviation.assign(word.folded());
        abbreviation += '.';
        if (abbreviations.count(abbreviation)) continue;
        const bool initial = word.end - word.begin == 1 && word.capitalized;
        if (initial) continue;
      }
    }
    const auto marks = opening_marks.at(k);
    const bool opens_quote = std::any_of(marks.begin(), marks.end(), [&](const QuoteMark& q) {
      return q.token == k && q.kind != QuoteKind::close && q.begin >= prev.end;
    });
    if (next.capitalized || next.kind == TokenKind::number || opens_quote || !next.space_before) {
      if (!next.space_before && !opens_quote && next.kind != TokenKind::punct) continue;  // "3.5", "e.g"
      close(k);
    }
  }
  close(static_cast<std::uint32_t>(tokens.size()));
}

}  // namespace stance::text
