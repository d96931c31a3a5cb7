#include "targets.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "io/jsonl.hpp"
#include "io/text_article.hpp"
#include "stance/article.hpp"
#include "stance/rule_pack.hpp"
#include "text/document.hpp"
#include "text/stemmer.hpp"
#include "text/tokenizer.hpp"

namespace stance::fuzz {
namespace {

namespace fs = std::filesystem;

void expect(bool condition, const char* what) {
  if (!condition) throw FuzzFailure(what);
}

std::string_view as_text(std::span<const std::uint8_t> input) {
  return {reinterpret_cast<const char*>(input.data()), input.size()};
}

// The first byte picks the options, so one corpus explores both reading modes and small limits.
ReadOptions options_from(std::uint8_t selector) {
  ReadOptions options;
  options.repair_utf8 = (selector & 1U) != 0;
  // Small limits make the over-the-limit paths reachable with small inputs.
  options.max_article_bytes = (selector & 2U) != 0 ? std::size_t{16} + (selector >> 2U) * 8U
                                                   : kDefaultMaxArticleBytes;
  return options;
}

void check_article(const Article& article) {
  expect(!article.id.empty(), "article with an empty id");
  expect(!first_invalid_utf8(article.text).has_value(), "article text is not valid UTF-8");
  expect(!first_invalid_utf8(article.id).has_value(), "article id is not valid UTF-8");
}

void check_error(const InputError& error, std::size_t input_size) {
  expect(!error.message.empty(), "error without a message");
  expect(error.byte_offset == InputError::no_offset || error.byte_offset <= input_size,
         "error offset past the end of the input");
}

}  // namespace

void text_article(std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  const ReadOptions options = options_from(input[0]);
  const std::string content(as_text(input.subspan(1)));
  auto parsed = io::parse_text_article("fuzz.txt", content, "fuzz", options);
  if (const auto* article = std::get_if<Article>(&parsed)) {
    check_article(*article);
    if (!options.repair_utf8) {
      // Without repair the body is the file's tail, byte for byte.
      expect(std::string_view(content).ends_with(article->text), "body is not the file's tail");
    }
  } else {
    check_error(std::get<InputError>(parsed), content.size());
  }
}

void jsonl_line(std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  std::string line(as_text(input.subspan(1)));
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  std::istringstream in(line);
  std::size_t articles = 0, errors = 0;
  io::read_jsonl(
      in, "fuzz.jsonl", options_from(input[0]),
      [&](Article&& article, const io::LinePlace& place) {
        check_article(article);
        expect(place.line == 1, "one line gave an article on another line");
        ++articles;
      },
      [&](const InputError& error) {
        check_error(error, line.size());
        ++errors;
      });
  expect(articles + errors <= 1, "one line gave more than one article or error");
}

void jsonl_reader(std::span<const std::uint8_t> input) {
  if (input.empty()) return;
  const std::string stream(as_text(input.subspan(1)));
  std::istringstream in(stream);
  std::unordered_set<std::string> ids;
  const std::size_t count = read_articles(
      {"-"}, in, options_from(input[0]),
      [&](Article&& article) {
        check_article(article);
        expect(ids.insert(article.id).second, "a duplicate id was delivered");
      },
      [&](const InputError& error) { check_error(error, stream.size()); });
  expect(count == ids.size(), "read_articles miscounted");
}

void text(std::span<const std::uint8_t> input) {
  const std::string_view source = as_text(input);
  text::Stemmer stemmer;
  text::Document document;
  text::tokenize(source, stemmer, document);
  const std::unordered_set<std::string> abbreviations{"gen.", "jan.", "mr.", "u.s."};
  text::split_sentences(abbreviations, document);

  std::uint32_t previous_end = 0;
  for (const text::Token& token : document.tokens) {
    expect(token.begin < token.end && token.end <= source.size(), "token span out of the text");
    expect(token.begin >= previous_end, "tokens overlap or go backwards");
    // Folding may expand a character (NFKC: up to 18 code points), never more.
    expect(token.folded().size() <= 18 * 4 * text::kMaxTokenBytes + 3, "matching form not capped");
    previous_end = token.end;
  }
  std::uint32_t next_token = 0;
  for (const text::Sentence& sentence : document.sentences) {
    expect(sentence.first_token == next_token, "sentences skip or repeat tokens");
    expect(sentence.end_token > sentence.first_token, "empty sentence");
    expect(sentence.end_token - sentence.first_token <= text::kMaxSentenceTokens,
           "sentence longer than the cap");
    expect(sentence.begin <= sentence.end && sentence.end <= source.size(),
           "sentence span out of the text");
    next_token = sentence.end_token;
  }
  expect(next_token == document.tokens.size(), "sentences do not cover every token");
  for (const text::QuoteMark& quote : document.quotes) {
    expect(quote.end <= source.size() && quote.token <= document.tokens.size(),
           "quote mark out of range");
  }
}

void rule_loader(std::span<const std::uint8_t> input) {
  // One folder per process, reused: the pack is the fixed pack.yaml and the input as rules.yaml.
  static const fs::path directory = [] {
    const fs::path path = fs::temp_directory_path() /
                          ("stance-fuzz-rules-" + std::to_string(::getpid()));
    fs::create_directories(path);
    std::ofstream(path / "pack.yaml") << "pack:\n  id: fuzz\n  description: fuzzed rules\n";
    // Removed at exit, so a long fuzzing run leaves nothing behind.
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(fs::temp_directory_path() /
                         ("stance-fuzz-rules-" + std::to_string(::getpid())),
                     ignored);
    });
    return path;
  }();
  {
    std::ofstream out(directory / "rules.yaml", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(input.data()),
              static_cast<std::streamsize>(input.size()));
  }
  // No rule cache: every input goes through the parser, and fuzzing never fills ~/.cache.
  const RulePack::LoadResult result = RulePack::check(directory, ModelCacheOptions{});
  for (const Diagnostic& diagnostic : result.diagnostics) {
    expect(!diagnostic.message.empty(), "diagnostic without a message");
    expect(!diagnostic.file.empty(), "diagnostic without a file");
  }
  expect((result.pack != nullptr) == !has_errors(result.diagnostics),
         "a pack with errors was built, or one without errors was not");
}

std::span<const Target> all_targets() {
  static constexpr std::array<Target, 5> targets{{{"text_article", &text_article},
                                                   {"jsonl_line", &jsonl_line},
                                                   {"jsonl_reader", &jsonl_reader},
                                                   {"text", &text},
                                                   {"rule_loader", &rule_loader}}};
  return targets;
}

}  // namespace stance::fuzz
