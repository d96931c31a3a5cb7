// Article readers: every input kind, good and bad, and the exact wording and position of errors.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/scan.hpp"
#include "temp_dir.hpp"
#include "stance/article.hpp"

// Failed comparisons of message lists show the messages.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const auto& line : lines) out += "\n  \"" + line + "\"";
    out += "}";
    return out.c_str();
  }
};

namespace {

namespace fs = std::filesystem;

std::string fixture(std::string_view relative) {
#ifdef STANCE_SOURCE_DIR
  return (fs::path(STANCE_SOURCE_DIR) / "fixtures" / "io" / relative).string();
#else
  // The stand-alone build runs from the repository root.
  return (fs::path("fixtures") / "io" / relative).string();
#endif
}

struct Batch {
  std::vector<stance::Article> articles;
  std::vector<stance::InputError> errors;
  std::size_t returned = 0;

  [[nodiscard]] std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& article : articles) out.push_back(article.id);
    return out;
  }
  [[nodiscard]] std::vector<std::string> formatted_errors() const {
    std::vector<std::string> out;
    for (const auto& error : errors) out.push_back(error.format());
    return out;
  }
};

Batch read(const std::vector<std::string>& paths, const std::string& standard_input = {}) {
  Batch batch;
  std::istringstream in(standard_input);
  batch.returned = stance::read_articles(
      paths, in, [&](stance::Article&& article) { batch.articles.push_back(std::move(article)); },
      [&](const stance::InputError& error) { batch.errors.push_back(error); });
  return batch;
}

// The same with options; notices (repairs) are collected apart from errors.
struct OptionBatch : Batch {
  std::vector<std::string> notices;
};

OptionBatch read_with(const std::vector<std::string>& paths, stance::ReadOptions options,
                      const std::string& standard_input = {}) {
  OptionBatch batch;
  std::istringstream in(standard_input);
  options.on_notice = [&](const stance::InputError& notice) {
    batch.notices.push_back(notice.format());
  };
  batch.returned = stance::read_articles(
      paths, in, options,
      [&](stance::Article&& article) { batch.articles.push_back(std::move(article)); },
      [&](const stance::InputError& error) { batch.errors.push_back(error); });
  return batch;
}

using stance::testing::TempDir;

}  // namespace

TEST_SUITE("io") {
  TEST_CASE("first_invalid_utf8 accepts well-formed text") {
    using stance::first_invalid_utf8;
    CHECK_FALSE(first_invalid_utf8("").has_value());
    CHECK_FALSE(first_invalid_utf8("plain ASCII, long enough for the eight-byte path").has_value());
    CHECK_FALSE(first_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80").has_value());
    CHECK_FALSE(first_invalid_utf8("\xC2\x80").has_value());          // U+0080, smallest 2-byte
    CHECK_FALSE(first_invalid_utf8("\xE0\xA0\x80").has_value());      // U+0800, smallest 3-byte
    CHECK_FALSE(first_invalid_utf8("\xED\x9F\xBF").has_value());      // U+D7FF, below surrogates
    CHECK_FALSE(first_invalid_utf8("\xEE\x80\x80").has_value());      // U+E000, above surrogates
    CHECK_FALSE(first_invalid_utf8("\xF0\x90\x80\x80").has_value());  // U+10000
    CHECK_FALSE(first_invalid_utf8("\xF4\x8F\xBF\xBF").has_value());  // U+10FFFF
    CHECK_FALSE(first_invalid_utf8(std::string_view("a\0b", 3)).has_value());
  }

  TEST_CASE("first_invalid_utf8 finds the first bad sequence") {
    using stance::first_invalid_utf8;
    CHECK(first_invalid_utf8("abc\x80") == 3u);             // stray continuation byte
    CHECK(first_invalid_utf8("\xC0\xAF") == 0u);            // overlong '/'
    CHECK(first_invalid_utf8("\xC1\xBF") == 0u);            // overlong
    CHECK(first_invalid_utf8("x\xE0\x80\xAF") == 1u);       // overlong 3-byte
    CHECK(first_invalid_utf8("xy\xF0\x80\x80\xAF") == 2u);  // overlong 4-byte
    CHECK(first_invalid_utf8("\xED\xA0\x80") == 0u);        // U+D800 surrogate
    CHECK(first_invalid_utf8("ok \xED\xBF\xBF") == 3u);     // U+DFFF surrogate
    CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0u);    // U+110000
    CHECK(first_invalid_utf8("\xF5\x80\x80\x80") == 0u);    // lead byte beyond U+10FFFF
    CHECK(first_invalid_utf8("a\xFF") == 1u);
    CHECK(first_invalid_utf8("a\xFE") == 1u);
    CHECK(first_invalid_utf8("end \xE2\x82") == 4u);  // truncated at end of input
    CHECK(first_invalid_utf8("mid \xE2\x82"
                             "A") == 4u);             // truncated by an ASCII byte
    CHECK(first_invalid_utf8("\xF0\x9F\x98") == 0u);  // 4-byte sequence cut short
    CHECK(first_invalid_utf8("\xC3") == 0u);
    // After a long valid prefix, mixing ASCII blocks and multibyte characters.
    const std::string prefix = "0123456789abcdef\xC3\xA9 0123456789";
    CHECK(first_invalid_utf8(prefix + "\x80") == prefix.size());
  }

  TEST_CASE("InputError::format") {
    CHECK(stance::InputError{"a.jsonl", 3, 120, "malformed JSON: x"}.format() ==
          "a.jsonl:3: byte 120: malformed JSON: x");
    CHECK(stance::InputError{"a.txt", 0, 7, "invalid UTF-8"}.format() ==
          "a.txt: byte 7: invalid UTF-8");
    CHECK(stance::InputError{"a.txt", 0, 0, "binary file"}.format() ==
          "a.txt: byte 0: binary file");
    CHECK(
        stance::InputError{"gone.txt", 0, stance::InputError::no_offset, "no such file"}.format() ==
        "gone.txt: no such file");
    CHECK(stance::InputError{"b.md", 4, stance::InputError::no_offset, "m"}.format() ==
          "b.md:4: m");
  }

  TEST_CASE("a .txt file without front matter is one article, body byte-exact") {
    TempDir dir;
    const std::string body = "  Unions demand wages.\r\n\r\nTabs\tand trailing spaces   \n\xC3\xA9";
    const std::string path = dir.write("strike-2024.txt", body);
    const Batch batch = read({path});
    REQUIRE(batch.errors.empty());
    REQUIRE(batch.articles.size() == 1);
    const stance::Article& article = batch.articles[0];
    CHECK(article.id == "strike-2024");
    CHECK(article.text == body);
    CHECK(article.origin == path);
    CHECK(article.date.empty());
    CHECK(article.source.empty());
    CHECK(article.url.empty());
    CHECK(article.title.empty());
    CHECK(batch.returned == 1);
  }

  TEST_CASE("front matter fills the fields; the body is everything after the closing line") {
    TempDir dir;
    const std::string body = "\nThe minister accepts.\n---\nA later rule line stays in the body.\n";
    const std::string path = dir.write("ignored-stem.txt",
                                       "---\n"
                                       "id: \"talks-1\"\n"
                                       "date: 2024-02-29\n"
                                       "\n"
                                       "# a comment line\n"
                                       "source: 'The Ledger'\n"
                                       "url: https://example.org/a?b=c:d\n"
                                       "title:   Talks: day one  \n"
                                       "---\n" +
                                           body);
    const Batch batch = read({path});
    REQUIRE(batch.errors.empty());
    REQUIRE(batch.articles.size() == 1);
    const stance::Article& article = batch.articles[0];
    CHECK(article.id == "talks-1");
    CHECK(article.date == "2024-02-29");
    CHECK(article.source == "The Ledger");
    CHECK(article.url == "https://example.org/a?b=c:d");
    CHECK(article.title == "Talks: day one");
    CHECK(article.text == body);
    CHECK(article.origin == path);
  }

  TEST_CASE("front matter with CRLF lines; without an id the stem is kept") {
    TempDir dir;
    const std::string path =
        dir.write("crlf.md", "---\r\ntitle: T\r\n---\r\nBody line.\r\nSecond.\r\n");
    const Batch batch = read({path});
    REQUIRE(batch.errors.empty());
    REQUIRE(batch.articles.size() == 1);
    CHECK(batch.articles[0].id == "crlf");
    CHECK(batch.articles[0].title == "T");
    CHECK(batch.articles[0].text == "Body line.\r\nSecond.\r\n");
  }

  TEST_CASE("a '---' that is not the first line is body text") {
    TempDir dir;
    const std::string content = "Intro.\n---\nid: x\n---\nMore.\n";
    const Batch batch = read({dir.write("rule.txt", content)});
    REQUIRE(batch.articles.size() == 1);
    CHECK(batch.articles[0].id == "rule");
    CHECK(batch.articles[0].text == content);
  }

  TEST_CASE(".md files are read like .txt files") {
    const Batch batch = read({fixture("good/b_front.md")});
    REQUIRE(batch.errors.empty());
    REQUIRE(batch.articles.size() == 1);
    const stance::Article& article = batch.articles[0];
    CHECK(article.id == "b-custom");
    CHECK(article.date == "2024-03-05");
    CHECK(article.source == "Daily Ledger");
    CHECK(article.title == "Talks: day two");
    CHECK(article.url == "https://example.org/b");
    CHECK(article.text == "# Talks\n\nThe minister accepts the proposal.\n");
  }

  TEST_CASE("front matter errors name the file, line and key; the article is skipped") {
    TempDir dir;
    struct Case {
      std::string content;
      std::string expected;  // the formatted error after "<path>:"
    };
    const std::vector<Case> cases{
        {"---\ntitle: Strike\nauthor: Someone\n---\nBody.\n",
         "3: byte 18: unknown front matter key 'author' (expected id, date, source, url or title)"},
        {"---\ntitle: A\ntitle: B\n---\nBody.\n",
         "3: byte 13: duplicate front matter key 'title' (first on line 2)"},
        {"---\ntitle: A\nBody without a closing line.\n",
         "3: byte 13: expected 'key: value' in front matter, got 'Body without a closing line.'"},
        {"---\ntitle: A\n", "1: byte 0: front matter not closed (no '---' line after line 1)"},
        {"---\n: value\n---\nBody.\n",
         "2: byte 4: expected 'key: value' in front matter, got ': value'"},
        {"---\nid: ''\n---\nBody.\n", "2: byte 8: empty id in front matter"},
        {"---\ndate: 2024-02-30\n---\nBody.\n",
         "2: byte 10: invalid date '2024-02-30' (no such day)"},
        {"---\ndate: 5 March\n---\nBody.\n",
         "2: byte 10: invalid date '5 March' (expected YYYY-MM-DD)"},
        {"---\ntitle: \"open\n---\nBody.\n",
         "2: byte 11: unterminated quoted value for front matter key 'title'"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
      CAPTURE(i);
      const std::string path = dir.write("case" + std::to_string(i) + ".txt", cases[i].content);
      const Batch batch = read({path});
      CHECK(batch.articles.empty());
      CHECK(batch.returned == 0);
      REQUIRE(batch.errors.size() == 1);
      CHECK(batch.errors[0].format() == path + ":" + cases[i].expected);
    }
  }

  TEST_CASE("the unknown-key fixture: error, then the batch goes on") {
    const Batch batch = read({fixture("bad/unknown_key.md"), fixture("good/a_plain.txt")});
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].file == fixture("bad/unknown_key.md"));
    CHECK(batch.errors[0].line == 3);
    CHECK(batch.errors[0].byte_offset == 18);
    CHECK(batch.errors[0].message.find("'author'") != std::string::npos);
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
  }

  TEST_CASE("empty articles are reported and skipped") {
    TempDir dir;
    const std::string empty = dir.write("empty.txt", "");
    const std::string blank = dir.write("blank.txt", " \n\t\r\n");
    const std::string header_only = dir.write("header.md", "---\ntitle: T\n---\n");
    const std::string bom_only = dir.write("bom.txt", "\xEF\xBB\xBF");
    const Batch batch = read({empty, blank, header_only, bom_only});
    CHECK(batch.articles.empty());
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{
              empty + ": empty article", blank + ": empty article",
              header_only + ": byte 17: empty article (no text after front matter)",
              bom_only + ": empty article"});
    CHECK(read({fixture("bad/empty.txt")}).formatted_errors() ==
          std::vector<std::string>{fixture("bad/empty.txt") + ": empty article"});
  }

  TEST_CASE("a NUL byte marks a binary file") {
    const Batch batch = read({fixture("bad/nul.txt")});
    CHECK(batch.articles.empty());
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].byte_offset == 4);
    CHECK(batch.errors[0].format() ==
          fixture("bad/nul.txt") + ": byte 4: binary file (NUL byte at offset 4)");
  }

  TEST_CASE("invalid UTF-8 in a .txt is reported at its offset in the file") {
    const Batch batch = read({fixture("bad/invalid_utf8.txt")});
    CHECK(batch.articles.empty());
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].format() ==
          fixture("bad/invalid_utf8.txt") +
              ": byte 20: invalid UTF-8: truncated sequence (bytes C3 28)");

    TempDir dir;
    // In the front matter too: every field must be valid.
    const std::string path = dir.write("fm.txt", "---\ntitle: \xC0\xAF\n---\nBody.\n");
    CHECK(read({path}).formatted_errors() ==
          std::vector<std::string>{path + ": byte 11: invalid UTF-8: overlong encoding (byte C0)"});
    const std::string surrogate = dir.write("sur.txt", "ab\xED\xA0\x80");
    CHECK(read({surrogate}).formatted_errors() ==
          std::vector<std::string>{
              surrogate + ": byte 2: invalid UTF-8: surrogate code point (bytes ED A0 80)"});
  }

  TEST_CASE("a UTF-8 BOM is skipped; offsets still count it") {
    const Batch fixture_batch = read({fixture("bad/bom.txt")});
    REQUIRE(fixture_batch.articles.size() == 1);
    CHECK(fixture_batch.articles[0].text == "Unions demand a raise.\n");

    TempDir dir;
    const std::string with_front = dir.write("bomfm.md", "\xEF\xBB\xBF---\nid: b1\n---\nBody.\n");
    const Batch front_batch = read({with_front});
    REQUIRE(front_batch.articles.size() == 1);
    CHECK(front_batch.articles[0].id == "b1");
    CHECK(front_batch.articles[0].text == "Body.\n");

    const std::string bad_after_bom = dir.write("bombad.txt",
                                                "\xEF\xBB\xBF"
                                                "ab\xFF");
    CHECK(read({bad_after_bom}).formatted_errors() ==
          std::vector<std::string>{bad_after_bom +
                                   ": byte 5: invalid UTF-8: byte never valid in UTF-8 (byte FF)"});
    const std::string bad_key_after_bom =
        dir.write("bomkey.md", "\xEF\xBB\xBF---\nauthor: x\n---\nB.\n");
    const Batch key_batch = read({bad_key_after_bom});
    REQUIRE(key_batch.errors.size() == 1);
    CHECK(key_batch.errors[0].line == 2);
    CHECK(key_batch.errors[0].byte_offset == 7);
  }

  TEST_CASE("JSONL: a malformed line in the middle is reported; its neighbours are delivered") {
    const std::string path = fixture("bad/malformed.jsonl");
    const Batch batch = read({path});
    CHECK(batch.ids() == std::vector<std::string>{"m1", "m3"});
    CHECK(batch.returned == 2);
    REQUIRE(batch.errors.size() == 1);
    const stance::InputError& error = batch.errors[0];
    CHECK(error.file == path);
    CHECK(error.line == 2);
    // Line 1 is 38 bytes, so line 2 starts at byte 39; `oops` starts 21 bytes into it.
    CHECK(error.byte_offset == 39 + 21);
    CHECK(error.message.starts_with("malformed JSON: syntax error while parsing value"));
    REQUIRE(batch.articles.size() == 2);
    CHECK(batch.articles[0].text == "Good line one.");
    CHECK(batch.articles[0].origin == path + ":1");
    CHECK(batch.articles[1].origin == path + ":3");
  }

  TEST_CASE("JSONL: fields, blank lines, CRLF, unknown keys, BOM") {
    TempDir dir;
    const std::string path = dir.write(
        "batch.jsonl",
        "\xEF\xBB\xBF{\"id\":\"j1\",\"date\":\"2024-01-31\",\"source\":\"Wire\",\"url\":\"u\","
        "\"title\":\"T\",\"text\":\"Line\\none \\u00e9\",\"lang\":\"en\",\"n\":3}\r\n"
        "\n"
        "   \t\n"
        "{\"id\":\"j2\",\"text\":\"two\"}");  // no final newline
    const Batch batch = read({path});
    REQUIRE(batch.errors.empty());
    REQUIRE(batch.articles.size() == 2);
    const stance::Article& first = batch.articles[0];
    CHECK(first.id == "j1");
    CHECK(first.date == "2024-01-31");
    CHECK(first.source == "Wire");
    CHECK(first.url == "u");
    CHECK(first.title == "T");
    CHECK(first.text == "Line\none \xC3\xA9");
    CHECK(first.origin == path + ":1");
    CHECK(batch.articles[1].id == "j2");
    CHECK(batch.articles[1].origin == path + ":4");  // blank lines still count
  }

  TEST_CASE("JSONL: each bad line names its line and the offset where it starts") {
    TempDir dir;
    const std::vector<std::string> lines{
        R"({"id":"ok1","text":"fine"})",                       // 1
        R"(["id","text"])",                                    // 2 not an object
        R"({"text":"no id"})",                                 // 3
        R"({"id":"","text":"empty id"})",                      // 4
        R"({"id":"x4"})",                                      // 5 no text
        R"({"id":"x5","text":"  \n "})",                       // 6 blank text
        R"({"id":7,"text":"numeric id"})",                     // 7
        R"({"id":"x7","text":"t","date":null})",               // 8
        R"({"id":"x8","text":"t","date":"2024-13-01"})",       // 9
        "{\"id\":\"x9\",\"text\":\"bad \xE0\x80\x80 utf8\"}",  // 10
        R"({"id":"x10","text":"unterminated)",                 // 11
        R"({"id":"ok2","text":"fine too"})",                   // 12
    };
    std::string content;
    std::vector<std::size_t> starts;
    for (const auto& line : lines) {
      starts.push_back(content.size());
      content += line + "\n";
    }
    const std::string path = dir.write("bad.jsonl", content);
    const Batch batch = read({path});
    CHECK(batch.ids() == std::vector<std::string>{"ok1", "ok2"});
    const auto at = [&](std::size_t line, std::size_t in_line, const std::string& message) {
      return path + ":" + std::to_string(line) + ": byte " +
             std::to_string(starts[line - 1] + in_line) + ": " + message;
    };
    const std::vector<std::string> expected{
        at(2, 0, "expected a JSON object, got array"),
        at(3, 0, "missing field 'id'"),
        at(4, 0, "empty field 'id'"),
        at(5, 0, "missing field 'text'"),
        at(6, 0, "empty field 'text'"),
        at(7, 0, "field 'id' must be a string, got number"),
        at(8, 0, "field 'date' must be a string, got null"),
        at(9, 0, "invalid date '2024-13-01' (no such day)"),
        at(10, 23, "invalid UTF-8: overlong encoding (bytes E0 80 80)"),
    };
    const std::vector<std::string> got = batch.formatted_errors();
    REQUIRE(got.size() == expected.size() + 1);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(got[i] == expected[i]);
    // The truncated line: the parser ran off its end, so the offset is the end of that line.
    const stance::InputError& truncated = batch.errors.back();
    CHECK(truncated.line == 11);
    CHECK(truncated.byte_offset == starts[10] + lines[10].size());
    CHECK(truncated.message.starts_with("malformed JSON: "));
  }

  TEST_CASE("\"-\" reads JSONL from the given stream") {
    const Batch batch = read(
        {"-"},
        "{\"id\":\"s1\",\"text\":\"From stdin.\"}\nnot json\n{\"id\":\"s2\",\"text\":\"More.\"}\n");
    CHECK(batch.ids() == std::vector<std::string>{"s1", "s2"});
    CHECK(batch.articles[0].origin == "-:1");
    CHECK(batch.articles[1].origin == "-:3");
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].file == "-");
    CHECK(batch.errors[0].line == 2);
    // Line 2 starts at byte 33; the parser gives up at its second byte ("no" is not "null").
    CHECK(batch.errors[0].format().starts_with("-:2: byte 34: malformed JSON: "));
    CHECK(read({"-"}, "").errors.empty());
  }

  TEST_CASE("a directory yields its .txt/.md/.jsonl files sorted by name, not recursing") {
    const Batch batch = read({fixture("good")});
    CHECK(batch.errors.empty());
    CHECK(batch.ids() == std::vector<std::string>{"a_plain", "b-custom", "c1", "c2"});
    CHECK(batch.returned == 4);
    REQUIRE(batch.articles.size() == 4);
    CHECK(batch.articles[0].origin ==
          (std::filesystem::path(fixture("good")) / "a_plain.txt").string());
    CHECK(batch.articles[0].text ==
          "Unions demand higher wages.\r\nThe employers reject the demand.");
    CHECK(batch.articles[2].origin ==
          (std::filesystem::path(fixture("good")) / "c_batch.jsonl").string() + ":1");
    CHECK(batch.articles[3].origin ==
          (std::filesystem::path(fixture("good")) / "c_batch.jsonl").string() + ":3");

    TempDir dir;
    dir.write("b.TXT", "upper-case extension");
    dir.write("a.md", "first");
    dir.write("c.gold.json", "{}");
    dir.write("10.txt", "digits sort first");
    const Batch temp_batch = read({dir.path("")});
    CHECK(temp_batch.errors.empty());
    CHECK(temp_batch.ids() == std::vector<std::string>{"10", "a", "b"});
  }

  TEST_CASE("a directory of bad files: each problem reported, the good article delivered") {
    const Batch batch = read({fixture("bad")});
    CHECK(batch.ids() == std::vector<std::string>{"bom", "m1", "m3"});
    const auto file = [](std::string_view name) { return fixture("bad/" + std::string(name)); };
    const std::vector<std::string> errors = batch.formatted_errors();
    REQUIRE(errors.size() == 5);
    CHECK(errors[0] == file("empty.txt") + ": empty article");
    CHECK(errors[1] ==
          file("invalid_utf8.txt") + ": byte 20: invalid UTF-8: truncated sequence (bytes C3 28)");
    CHECK(errors[2].starts_with(file("malformed.jsonl") + ":2: byte 60: malformed JSON: "));
    CHECK(errors[3] == file("nul.txt") + ": byte 4: binary file (NUL byte at offset 4)");
    CHECK(errors[4].starts_with(file("unknown_key.md") +
                                ":3: byte 18: unknown front matter key 'author'"));
  }

  TEST_CASE("missing paths and unsupported types are reported; the batch goes on") {
    const std::string missing = fixture("does/not/exist.txt");
    const std::string unsupported = fixture("bad/unsupported.csv");
    const std::string gold = fixture("good/d.gold.json");
    const Batch batch = read({missing, unsupported, gold, fixture("good/a_plain.txt")});
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
    CHECK(batch.returned == 1);
    CHECK(
        batch.formatted_errors() ==
        std::vector<std::string>{
            missing + ": no such file or directory",
            unsupported + ": unsupported file type (expected .txt, .md or .jsonl, or a directory)",
            gold + ": unsupported file type (expected .txt, .md or .jsonl, or a directory)"});
    CHECK(batch.errors[0].line == 0);
    CHECK(batch.errors[0].byte_offset == stance::InputError::no_offset);
  }

  TEST_CASE("a file that cannot be opened is reported with the reason") {
    TempDir dir;
    const std::string path = dir.write("locked.txt", "Secret.");
    std::filesystem::permissions(path, std::filesystem::perms::none);
    if (std::ifstream(path).is_open()) {
      MESSAGE("skipped: permissions do not apply to this user (root?)");
      return;
    }
    const Batch batch = read({path, fixture("good/a_plain.txt")});
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{path + ": cannot open: permission denied"});
  }

  TEST_CASE("duplicate ids: the first wins, later ones are reported with where the first was") {
    TempDir dir;
    const std::string txt = dir.write("dup.txt", "From a file.");
    const std::string md = dir.write("other.md", "---\nid: dup\n---\nSame id via front matter.");
    const std::string jsonl = dir.write("dup.jsonl",
                                        "{\"id\":\"j\",\"text\":\"a\"}\n{\"id\":\"dup\",\"text\":"
                                        "\"b\"}\n{\"id\":\"j\",\"text\":\"c\"}\n");
    const Batch batch = read({txt, md, jsonl});
    CHECK(batch.ids() == std::vector<std::string>{"dup", "j"});
    CHECK(batch.returned == 2);
    CHECK(batch.articles[0].text == "From a file.");
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{
              md + ": duplicate article id 'dup' (first seen at " + txt + ")",
              jsonl + ":2: byte 22: duplicate article id 'dup' (first seen at " + txt + ")",
              jsonl + ":3: byte 46: duplicate article id 'j' (first seen at " + jsonl + ":1)"});
    // Ids are remembered per call only.
    CHECK(read({txt}).errors.empty());
  }

  TEST_CASE("the same file given twice yields duplicates, not a second copy") {
    const std::string path = fixture("good/a_plain.txt");
    const Batch batch = read({path, path});
    CHECK(batch.returned == 1);
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].message == "duplicate article id 'a_plain' (first seen at " + path + ")");
  }

  // ---------------------------------------------------------------------------------------------
  // Hardening (issue #8): options, limits, and inputs that are not articles at all.

  TEST_CASE("--repair: ill-formed UTF-8 becomes U+FFFD, the article is kept, a notice says where") {
    TempDir dir;
    const std::string bad = dir.write("bad.txt", "ab\xFF\xFE" "cd \xE2\x82 \xED\xA0\x80 ok\xC3");
    const std::string good = dir.write("good.txt", "Fine text.");
    stance::ReadOptions options;
    options.repair_utf8 = true;
    const OptionBatch batch = read_with({bad, good}, options);
    CHECK(batch.errors.empty());
    CHECK(batch.ids() == std::vector<std::string>{"bad", "good"});
    REQUIRE(batch.articles.size() == 2);
    const std::string fffd = "\xEF\xBF\xBD";
    // Maximal subparts: FF, FE, E2 82 (one), ED (A0 and 80 each, since ED A0 is never valid), C3.
    CHECK(batch.articles[0].text ==
          "ab" + fffd + fffd + "cd " + fffd + " " + fffd + fffd + fffd + " ok" + fffd);
    CHECK_FALSE(stance::first_invalid_utf8(batch.articles[0].text).has_value());
    CHECK(batch.notices ==
          std::vector<std::string>{bad + ": byte 2: repaired 7 ill-formed UTF-8 sequence(s) with "
                                         "U+FFFD (first: invalid UTF-8: byte never valid in UTF-8 "
                                         "(byte FF))"});
    // Without the option the same file is skipped with the byte of its first problem.
    const Batch strict = read({bad, good});
    CHECK(strict.ids() == std::vector<std::string>{"good"});
    CHECK(strict.formatted_errors() ==
          std::vector<std::string>{bad + ": byte 2: invalid UTF-8: byte never valid in UTF-8 (byte FF)"});
  }

  TEST_CASE("--repair: front matter errors still point at bytes of the file as it is") {
    TempDir dir;
    // The repaired title grows by two bytes; the bad key after it is at byte 19 of the file.
    const std::string path = dir.write("fm.md", "---\ntitle: \xFF\nauthor: x\n---\nBody.\n");
    stance::ReadOptions options;
    options.repair_utf8 = true;
    const OptionBatch batch = read_with({path}, options);
    CHECK(batch.articles.empty());
    CHECK(batch.notices.empty());  // only a kept article's repair is news
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].line == 3);
    CHECK(batch.errors[0].byte_offset == 13);
  }

  TEST_CASE("--repair in JSONL: the line is kept; a later syntax error keeps its file offset") {
    const std::string input =
        "{\"id\":\"r1\",\"text\":\"caf\xE9 ok\"}\n"      // Latin-1 é in the middle of line 1
        "{\"id\":\"r2\",\"text\":\"\xFF\xFF\" oops}\n"  // repaired, then malformed at 'o'
        "{\"id\":\"r3\",\"text\":\"fine\"}\n";
    stance::ReadOptions options;
    options.repair_utf8 = true;
    const OptionBatch batch = read_with({"-"}, options, input);
    CHECK(batch.ids() == std::vector<std::string>{"r1", "r3"});
    CHECK(batch.articles[0].text == "caf\xEF\xBF\xBD ok");
    CHECK(batch.notices == std::vector<std::string>{
                               "-:1: byte 22: repaired 1 ill-formed UTF-8 sequence(s) with U+FFFD "
                               "(first: invalid UTF-8: truncated sequence (bytes E9 20 6F))"});
    REQUIRE(batch.errors.size() == 1);
    const std::size_t line2 = input.find('\n') + 1;
    CHECK(batch.errors[0].line == 2);
    CHECK(batch.errors[0].byte_offset == line2 + 23);  // 'o' of "oops", as on disk
    CHECK(batch.errors[0].message.starts_with("malformed JSON: "));
  }

  TEST_CASE("max_article_bytes: an oversized .txt is skipped without reading it; others go on") {
    TempDir dir;
    const std::string big = dir.write("big.txt", std::string(2000, 'a'));
    const std::string fits = dir.write("fits.txt", std::string(1000, 'b'));
    stance::ReadOptions options;
    options.max_article_bytes = 1000;
    const OptionBatch batch = read_with({big, fits}, options);
    CHECK(batch.ids() == std::vector<std::string>{"fits"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{big + ": article of 2000 bytes is over the limit of 1000 bytes "
                                         "(--max-article-bytes)"});
    // The default is 16 MiB; 0 means the 1 GiB ceiling.
    CHECK(stance::ReadOptions{}.max_article_bytes == std::size_t{16} << 20U);
    options.max_article_bytes = 0;
    CHECK(read_with({big}, options).errors.empty());
  }

  TEST_CASE("max_article_bytes: an oversized JSONL line is skipped by number; the rest is read") {
    const std::string long_line = "{\"id\":\"long\",\"text\":\"" + std::string(5000, 'x') + "\"}";
    const std::string input = "{\"id\":\"a\",\"text\":\"one\"}\n" + long_line +
                              "\n{\"id\":\"b\",\"text\":\"two\"}";
    stance::ReadOptions options;
    options.max_article_bytes = 1024;
    const OptionBatch batch = read_with({"-"}, options, input);
    CHECK(batch.ids() == std::vector<std::string>{"a", "b"});
    CHECK(batch.articles[1].origin == "-:3");
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{"-:2: byte 24: line of " + std::to_string(long_line.size()) +
                                   " bytes is over the limit of 1024 bytes per article "
                                   "(--max-article-bytes)"});
  }

  TEST_CASE("a JSONL line longer than the read buffer is read whole and placed right") {
    // 200 KB lines cross the reader's 64 KiB chunks; the offsets of later lines must still add up.
    const std::string text(200000, 'y');
    const std::string line1 = "{\"id\":\"big\",\"text\":\"" + text + "\"}";
    const std::string input = line1 + "\n\nnot json\n";
    const Batch batch = read({"-"}, input);
    REQUIRE(batch.articles.size() == 1);
    CHECK(batch.articles[0].text == text);
    REQUIRE(batch.errors.size() == 1);
    CHECK(batch.errors[0].line == 3);
    CHECK(batch.errors[0].byte_offset == line1.size() + 2 + 1);  // 'o': the parser's stop
  }

  TEST_CASE("binary and UTF-16 input: one clear error, not one per line") {
    TempDir dir;
    const std::string binary = dir.write("blob.jsonl", std::string("\x7F" "ELF\x02\x01\x00\x00\nmore\x00\n\x01\x02", 17));
    const std::string utf16 = dir.write("notepad.txt", std::string("\xFF\xFEH\x00i\x00", 6));
    const std::string utf16_jsonl = dir.write("notepad.jsonl", std::string("\xFE\xFF\x00{\x00}", 6));
    const std::string good = dir.write("good.jsonl", "{\"id\":\"g\",\"text\":\"Good.\"}\n");
    const Batch batch = read({binary, utf16, utf16_jsonl, good});
    CHECK(batch.ids() == std::vector<std::string>{"g"});
    const std::string convert = "stance reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8";
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{
              binary + ":1: byte 6: binary data (NUL byte at offset 6); the rest of the file is skipped",
              utf16 + ": byte 0: UTF-16 text (byte order mark FF FE): " + convert,
              utf16_jsonl + ":1: byte 0: UTF-16 text (byte order mark FE FF): " + convert});
    // A NUL further down a JSONL file costs that line only.
    const Batch later = read({"-"}, std::string("{\"id\":\"a\",\"text\":\"x\"}\nab\x00" "c\n{\"id\":\"b\",\"text\":\"y\"}\n", 49));
    CHECK(later.ids() == std::vector<std::string>{"a", "b"});
    CHECK(later.formatted_errors() == std::vector<std::string>{"-:2: byte 24: binary data (NUL byte at offset 24)"});
  }

  TEST_CASE("empty JSONL files and directories without articles are reported") {
    TempDir dir;
    const std::string empty = dir.write("empty.jsonl", "");
    const std::string blank = dir.write("blank.jsonl", "\n  \n\t\r\n");
    const std::string folder = dir.path("nothing");
    std::filesystem::create_directories(folder + "/deeper");
    dir.write("nothing/deeper/hidden.txt", "Not read: subfolders are not.");
    dir.write("nothing/notes.csv", "a,b");
    const Batch batch = read({empty, blank, folder, fixture("good/a_plain.txt")});
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{
              empty + ": empty file (no JSON lines)", blank + ": empty file (no JSON lines)",
              folder + ": no .txt, .md or .jsonl files in directory (subdirectories are not read)"});
    // Standard input may well be empty (an empty shard): nothing to say.
    CHECK(read({"-"}, "").errors.empty());
  }

  TEST_CASE("paths that are not readable files: dangling and looping links, devices, empty") {
    TempDir dir;
    namespace fs = std::filesystem;
    const std::string dangling = dir.path("dangling.txt");
    fs::create_symlink(dir.path("gone.txt"), dangling);
    const std::string loop = dir.path("loop.txt");
    fs::create_symlink(loop, loop);
    const std::string device = dir.path("zero.txt");
    fs::create_symlink("/dev/zero", device);
    const Batch batch = read({dangling, loop, device, "", fixture("good/a_plain.txt")});
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{dangling + ": no such file or directory",
                                   loop + ": cannot access: too many levels of symbolic links",
                                   device + ": not a regular file", "\"\": empty path"});
  }

  TEST_CASE("a file whose reading fails midway is a read error, even for root") {
    // /proc/self/mem opens for its owner but fails to read at offset 0 (EIO): a read(2) error that
    // no permission bit can simulate when the tests run as root.
    TempDir dir;
    const std::string mem = dir.path("mem.txt");
    std::filesystem::create_symlink("/proc/self/mem", mem);
    const std::string mem_jsonl = dir.path("mem.jsonl");
    std::filesystem::create_symlink("/proc/self/mem", mem_jsonl);
    const Batch batch = read({mem, mem_jsonl, fixture("good/a_plain.txt")});
    CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{mem + ": read error", mem_jsonl + ":1: byte 0: read error"});
  }

  TEST_CASE("ids with control characters are refused; numbers beyond double are malformed JSON") {
    const Batch batch = read({"-"},
                             "{\"id\":\"a\\nb\",\"text\":\"x\"}\n"
                             "{\"id\":\"ok\",\"text\":\"y\",\"n\":1e99999}\n"
                             "{\"id\":\"fine\",\"text\":\"z\"}\n");
    CHECK(batch.ids() == std::vector<std::string>{"fine"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{
              "-:1: byte 0: article id has a control character (byte 10 at position 1 of the id)",
              "-:2: byte 25: malformed JSON: number overflow parsing '1e99999'"});
  }

  TEST_CASE("dates: every wrong shape is named, in front matter and in JSONL") {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> dates{
        {"2024/03/05", "expected YYYY-MM-DD"}, {"2024-3-5", "expected YYYY-MM-DD"},
        {"05-03-2024", "expected YYYY-MM-DD"}, {"2024-03-05T10:00:00Z", "expected YYYY-MM-DD"},
        {"March 5, 2024", "expected YYYY-MM-DD"}, {"2023-02-29", "no such day"},
        {"2024-00-10", "no such day"},          {"\u0662\u0660\u0662\u0664-03-05", "expected YYYY-MM-DD"}};
    std::string jsonl;
    for (std::size_t i = 0; i < dates.size(); ++i) {
      CAPTURE(dates[i].first);
      const std::string path = dir.write("d" + std::to_string(i) + ".md",
                                         "---\ndate: " + dates[i].first + "\n---\nBody.\n");
      const Batch batch = read({path, fixture("good/a_plain.txt")});
      CHECK(batch.ids() == std::vector<std::string>{"a_plain"});
      REQUIRE(batch.errors.size() == 1);
      CHECK(batch.errors[0].format() == path + ":2: byte 10: invalid date '" + dates[i].first +
                                            "' (" + dates[i].second + ")");
      jsonl += "{\"id\":\"j" + std::to_string(i) + "\",\"date\":\"" + dates[i].first +
               "\",\"text\":\"t\"}\n";
    }
    jsonl += "{\"id\":\"dated\",\"date\":\"2024-02-29\",\"text\":\"t\"}\n";
    const Batch batch = read({"-"}, jsonl);
    CHECK(batch.ids() == std::vector<std::string>{"dated"});
    CHECK(batch.errors.size() == dates.size());
  }

  TEST_CASE("a JSON line nested 100,000 deep is an error, not a stack overflow") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string unbalanced = "{\"id\":\"u\",\"text\":" + std::string(100000, '{');
    const Batch batch = read({"-"}, deep + "\n" + unbalanced + "\n{\"id\":\"ok\",\"text\":\"t\"}\n");
    CHECK(batch.ids() == std::vector<std::string>{"ok"});
    REQUIRE(batch.errors.size() == 2);
    CHECK(batch.errors[0].format() == "-:1: byte 0: expected a JSON object, got array");
    CHECK(batch.errors[1].line == 2);
    CHECK(batch.errors[1].message.starts_with("malformed JSON: "));
  }

  TEST_CASE("JSONL: escapes, repeated keys and other value types read as nlohmann reads them") {
    // Plain string-valued lines take a parser of their own; anything else goes through nlohmann.
    // Both must give the same articles: these lines exercise the border between the two.
    const std::string input =
        "{\"id\":\"e1\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" a\\/b \\\\ \\t\\n\\r\\b\\f\"}\n"
        "  { \"text\" : \"spaced\" , \"id\" : \"e2\" , \"x\" : \"y\" }  \t\n"
        "{\"id\":\"e3\",\"text\":\"first\",\"text\":\"last wins\"}\n"
        "{\"id\":\"e4\",\"text\":\"numbers elsewhere\",\"n\":[1,2.5,{\"k\":null}],\"b\":true}\n"
        "{\"\\u0069d\":\"e5\",\"text\":\"escaped key\"}\n"
        "{\"id\":\"e6\",\"text\":\"lone surrogate \\udc00\"}\n"
        "{\"id\":\"e7\",\"text\":\"trailing\"} x\n"
        "{\"id\":\"e8\",\"text\":\"raw\ttab\"}\n"
        "{\"id\":\"e9\",\"date\":7,\"text\":\"typed\"}\n";
    const Batch batch = read({"-"}, input);
    CHECK(batch.ids() == std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"});
    REQUIRE(batch.articles.size() == 5);
    CHECK(batch.articles[0].text == "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" a/b \\ \t\n\r\b\f");
    CHECK(batch.articles[1].text == "spaced");
    CHECK(batch.articles[2].text == "last wins");
    CHECK(batch.articles[3].text == "numbers elsewhere");
    CHECK(batch.articles[4].text == "escaped key");
    REQUIRE(batch.errors.size() == 4);
    CHECK(batch.errors[0].line == 6);
    CHECK(batch.errors[0].message.starts_with("malformed JSON: "));
    CHECK(batch.errors[1].line == 7);
    CHECK(batch.errors[1].message.starts_with("malformed JSON: "));
    CHECK(batch.errors[2].line == 8);
    CHECK(batch.errors[2].message.starts_with("malformed JSON: "));
    CHECK(batch.errors[3].format() == "-:9: byte " + std::to_string(input.find("{\"id\":\"e9\"")) +
                                          ": field 'date' must be a string, got number");
  }

  TEST_CASE("JSONL: a string's stops are found at every offset (the reader skips plain bytes sixteen at a time)") {
    // Each special byte at offsets 0 to 17 of the text, so that it falls at every position of an
    // eight-byte word and in the byte-by-byte tail; neighbours that look like stops (0x7F, 0x1F+1,
    // bytes above ASCII) must not stop the scan.
    const std::vector<std::string> specials = {"\\\"", "\\\\", "\\n", "\\u00e9", "\x7F", " ", "\xC3\xA9", "!"};
    std::string input;
    std::vector<std::string> expected;
    int n = 0;
    for (const auto& special : specials) {
      for (std::size_t offset = 0; offset < 18; ++offset) {
        const std::string line = "{\"id\":\"s" + std::to_string(n++) + "\",\"text\":\"" + std::string(offset, 'a') +
                                 special + std::string(17 - offset, 'b') + "\"}";
        input += line + "\n";
        expected.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
      }
    }
    const Batch batch = read({"-"}, input);
    CHECK(batch.errors.empty());
    REQUIRE(batch.articles.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(batch.articles[k].text == expected[k]);

    std::string raw;  // a raw control byte is an error wherever it stands
    for (std::size_t offset = 0; offset < 18; ++offset) {
      raw += "{\"id\":\"r" + std::to_string(offset) + "\",\"text\":\"" + std::string(offset, 'a') + '\x01' +
             std::string(17 - offset, 'b') + "\"}\n";
    }
    const Batch bad = read({"-"}, raw);
    CHECK(bad.articles.empty());
    CHECK(bad.errors.size() == 18);
  }

  TEST_CASE("duplicate ids on standard input, which cannot be read again, are still found") {
    const Batch batch = read({"-"},
                             "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n"
                             "{\"id\":\"a\",\"text\":\"three\"}\n");
    CHECK(batch.ids() == std::vector<std::string>{"a", "b"});
    CHECK(batch.formatted_errors() ==
          std::vector<std::string>{"-:3: byte 48: duplicate article id 'a' (first seen at -:1)"});
  }

  TEST_CASE("many ids: each is remembered, none is mistaken for another") {
    // Enough ids for the table of seen ids to grow several times; every one is new, then every
    // one is repeated (from a file, so each hit is confirmed by reading the first line again).
    TempDir dir;
    std::string lines;
    constexpr int kCount = 5000;
    for (int k = 0; k < kCount; ++k) {
      lines += "{\"id\":\"id-" + std::to_string(k) + "\",\"text\":\"t\"}\n";
    }
    const std::string first = dir.write("first.jsonl", lines);
    const std::string again = dir.write("again.jsonl", lines);
    const Batch batch = read({first, again});
    CHECK(batch.returned == kCount);
    REQUIRE(batch.errors.size() == kCount);
    CHECK(batch.errors[0].message == "duplicate article id 'id-0' (first seen at " + first + ":1)");
    CHECK(batch.errors[kCount - 1].message == "duplicate article id 'id-" +
                                                  std::to_string(kCount - 1) +
                                                  "' (first seen at " + first + ":" +
                                                  std::to_string(kCount) + ")");
  }

  TEST_CASE("scan_to stops where a byte-by-byte scan stops, whatever the offset and length") {
    // Lengths on both sides of the 16-byte steps and of the overlapping last block; a stop or a
    // near miss at every position; scans that start past a stop.
    const std::string bytes = std::string("\"\\\x00\x01\x1F\x80\xC3\xFF", 8) + " !#[]\x7F~";
    auto reference = [](std::string_view text, std::size_t from, bool special, bool high) {
      for (std::size_t i = from; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (special && (c == '"' || c == '\\' || c < 0x20U)) return i;
        if (high && c >= 0x80U) return i;
      }
      return text.size();
    };
    using stance::io::kJsonSpecial;
    using stance::io::kNonAscii;
    for (std::size_t length = 0; length <= 50; ++length) {
      for (std::size_t at = 0; at < std::max<std::size_t>(length, 1); ++at) {
        for (const char byte : bytes) {
          std::string text(length, 'a');
          if (at < length) text[at] = byte;
          if (length > 3) text[length - 1] = '\xE2';  // a second stop, for scans starting past the first
          for (const std::size_t from : {std::size_t{0}, std::size_t{1}, at, at + 1}) {
            if (from > length) continue;
            CAPTURE(length);
            CAPTURE(at);
            CAPTURE(from);
            CAPTURE(static_cast<int>(static_cast<unsigned char>(byte)));
            CHECK(stance::io::scan_to<kJsonSpecial>(text, from) == reference(text, from, true, false));
            CHECK(stance::io::scan_to<kNonAscii>(text, from) == reference(text, from, false, true));
            CHECK(stance::io::scan_to<kJsonSpecial | kNonAscii>(text, from) ==
                  reference(text, from, true, true));
          }
        }
      }
    }
  }

  TEST_CASE("JSONL: escapes and ill-formed UTF-8 at every offset of texts of 2 to 40 bytes") {
    // The reader looks at 16 bytes a step and at the last bytes of a line as one overlapping
    // block: every offset of a text of every length, each escape decoded, each bad byte placed.
    std::string input;
    std::vector<std::string> expected;
    std::string bad;
    std::vector<std::string> bad_errors;
    int n = 0;
    for (std::size_t length = 2; length <= 40; ++length) {  // (a text of only "\n" is blank)
      for (std::size_t at = 0; at < length; ++at) {
        for (const std::string special : {"\\\"", "\\n", "\\u00e9", "\\ud83d\\ude00", "\xC3\xA9"}) {
          const std::string line = "{\"id\":\"s" + std::to_string(n++) + "\",\"text\":\"" + std::string(at, 'a') +
                                   special + std::string(length - at - 1, 'b') + "\"}";
          input += line + "\n";
          expected.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
        }
        const std::string prefix = "{\"id\":\"x" + std::to_string(n++) + "\",\"text\":\"" + std::string(at, 'a');
        const std::size_t where = bad.size() + prefix.size();
        bad += prefix + "\xE9" + std::string(length - at - 1, 'b') + "\"}\n";
        bad_errors.push_back("-:" + std::to_string(bad_errors.size() + 1) + ": byte " + std::to_string(where) +
                             ": invalid UTF-8: truncated sequence (bytes E9 " +
                             (length - at > 2 ? "62 62)" : length - at == 2 ? "62 22)" : "22 7D)"));
      }
    }
    const Batch batch = read({"-"}, input);
    CHECK(batch.errors.empty());
    REQUIRE(batch.articles.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(batch.articles[k].text == expected[k]);
    const Batch refused = read({"-"}, bad);
    CHECK(refused.articles.empty());
    CHECK(refused.formatted_errors() == bad_errors);
  }

}  // TEST_SUITE("io")
