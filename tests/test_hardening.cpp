// Hardening (issue #8): every bad input gets a clear error, nothing crashes, nothing is lost, and
// nothing takes more than linear time. Big and strange inputs are made in a temp dir at test time.
// Reader details (exact offsets, each message) are in test_io.cpp; here the CLI runs end to end.
#include <doctest/doctest.h>

#include <ctime>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "temp_dir.hpp"
#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/rule_pack.hpp"
#include "text/document.hpp"
#include "text/stemmer.hpp"
#include "text/tokenizer.hpp"

namespace {

namespace fs = std::filesystem;

using stance::testing::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Run {
  int status = -1;  // exit code; 128 + N when killed by signal N
  std::string out, err;
  [[nodiscard]] bool has(std::string_view stderr_text) const {
    return err.find(stderr_text) != std::string::npos;
  }
};

// Runs `stance ARGS` from the source tree, stdout and stderr apart.
Run run_cli(const std::string& args, const std::string& input = "") {
  const TempDir dir;
  const std::string in = dir.write("in", input);
  const std::string out = dir.path("out"), err = dir.path("err");
  const std::string command = std::string("cd '") + STANCE_SOURCE_DIR + "' && '" +
                              STANCE_BINARY + "' " + args + " <'" + in + "' >'" + out +
                              "' 2>'" + err + "'";
  const int raw = std::system(command.c_str());
  Run run;
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

std::size_t count_lines_with(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Good articles that certainly yield records with the default pack.
constexpr std::string_view kRejects = "Zelenskyy rejected any territorial concessions.\n";
constexpr std::string_view kDemands = "Putin demanded a ceasefire.\n";

// CPU time of this thread, not wall time: other processes on a loaded CI machine (parallel tests,
// compilers) then do not make a linear path look quadratic.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

template <typename F>
double best_seconds(int runs, F&& work) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const double start = thread_cpu_seconds();
    work();
    best = std::min(best, thread_cpu_seconds() - start);
  }
  return best;
}

// Times `work` on a 1 MB and a 4 MB input and checks the ratio: linear is 4x, quadratic 16x. The
// bound (8x) and the floor under the small run (timer noise, a busy machine) are generous on
// purpose: the test must catch a quadratic path, not flake on a loaded CI box.
void check_linear(const char* what, const std::function<std::string(std::size_t)>& make,
                  const std::function<void(const std::string&)>& work) {
  const std::string small = make(std::size_t{1} << 20U);
  const std::string large = make(std::size_t{4} << 20U);
  const double t1 = std::max(best_seconds(3, [&] { work(small); }), 0.05);
  const double t4 = best_seconds(3, [&] { work(large); });
  INFO(what << ": 1 MB " << t1 << " s, 4 MB " << t4 << " s, ratio " << t4 / t1);
  CHECK(t4 < 8.0 * t1);
}

// `unit` repeated up to `size` bytes (cut at a character boundary).
std::string repeat_to(std::string_view unit, std::size_t size) {
  std::string out;
  out.reserve(size + unit.size());
  while (out.size() + unit.size() <= size) out += unit;
  return out;
}

stance::Article article_of(std::string text) {
  stance::Article article;
  article.id = "big";
  article.text = std::move(text);
  return article;
}

std::shared_ptr<const stance::RulePack> load(const fs::path& directory) {
  auto result = stance::RulePack::load(directory);
  std::string problems;
  for (const auto& d : result.diagnostics) problems += d.format() + "\n";
  INFO(problems);
  REQUIRE(result.pack);
  return result.pack;
}

fs::path source(std::string_view relative) { return fs::path(STANCE_SOURCE_DIR) / relative; }

}  // namespace

TEST_SUITE("hardening") {
  // -------------------------------------------------------------------------------------------
  // The bad-input matrix, end to end: one batch, every case, the good articles still coded.

  TEST_CASE("one batch of every kind of bad input: each reported, the good articles coded") {
    TempDir dir;
    const std::string good_first = dir.write("good-first.txt", kRejects);
    const std::string invalid = dir.write("invalid.txt", "Bad \xC3\x28 byte.\n");
    const std::string nul = dir.write("nul.txt", std::string("ab\0cd", 5));
    const std::string empty = dir.write("empty.txt", "");
    const std::string blank = dir.write("blank.md", "---\ntitle: T\n---\n  \n");
    const std::string utf16 = dir.write("utf16.txt", std::string("\xFF\xFEP\0u\0", 6));
    const std::string binary = dir.write("binary.jsonl", std::string("\x7F" "ELF\x02\x01\0\0\n", 9));
    const std::string jsonl = dir.write(
        "mixed.jsonl",
        "{\"id\":\"j-good\",\"text\":\"Putin demanded a ceasefire.\"}\n"   // 1 good
        "{\"id\":\"j-bad\",\"text\":\"unterminated}\n"                     // 2 malformed
        "{\"text\":\"Putin demanded a ceasefire.\"}\n"                      // 3 no id
        "{\"id\":\"j-good\",\"text\":\"Putin demanded a ceasefire.\"}\n"   // 4 duplicate
        "{\"id\":\"j-date\",\"date\":\"5 March\",\"text\":\"x\"}\n"       // 5 bad date
        "{\"id\":\"j-last\",\"text\":\"Zelenskyy rejected the ceasefire.\"}\n");  // 6 good
    const std::string front_date = dir.write("date.md", "---\ndate: 2025/03/05\n---\nBody.\n");
    const std::string dup_txt = dir.write("j-last.txt", kDemands);  // the id j-last is taken
    const std::string missing = dir.path("no-such-file.txt");
    const std::string no_articles = dir.path("empty-folder");
    fs::create_directories(no_articles);
    const std::string unreadable = dir.path("unreadable.txt");
    fs::create_symlink("/proc/self/mem", unreadable);  // open works, read(2) fails: even for root
    const std::string device = dir.path("device.txt");
    fs::create_symlink("/dev/zero", device);
    const std::string unsupported = dir.write("notes.docx", "PK");
    const std::string good_last = dir.write("good-last.txt", kDemands);

    const Run run = run_cli("run --format jsonl '" + good_first + "' '" + invalid + "' '" + nul +
                           "' '" + empty + "' '" + blank + "' '" + utf16 + "' '" + binary +
                           "' '" + jsonl + "' '" + front_date + "' '" + dup_txt + "' '" +
                           missing + "' '" + no_articles + "' '" + unreadable + "' '" + device +
                           "' '" + unsupported + "' '" + good_last + "'");
    INFO(run.err);
    CHECK(run.status == 1);
    // Every case, with its file (and line and byte where there is one).
    CHECK(run.has(invalid + ": byte 4: invalid UTF-8: truncated sequence (bytes C3 28)"));
    CHECK(run.has(nul + ": byte 2: binary file (NUL byte at offset 2)"));
    CHECK(run.has(empty + ": empty article"));
    CHECK(run.has(blank + ": byte 17: empty article (no text after front matter)"));
    CHECK(run.has(utf16 + ": byte 0: UTF-16 text (byte order mark FF FE)"));
    CHECK(run.has(binary + ":1: byte 6: binary data (NUL byte at offset 6); the rest of the file is skipped"));
    CHECK(run.has(jsonl + ":2: byte 88: malformed JSON: "));
    CHECK(run.has(jsonl + ":3: byte 89: missing field 'id'"));
    CHECK(run.has(jsonl + ":4: byte 128: duplicate article id 'j-good' (first seen at " + jsonl + ":1)"));
    CHECK(run.has(jsonl + ":5: byte 181: invalid date '5 March' (expected YYYY-MM-DD)"));
    CHECK(run.has(front_date + ":2: byte 10: invalid date '2025/03/05' (expected YYYY-MM-DD)"));
    CHECK(run.has(dup_txt + ": duplicate article id 'j-last' (first seen at " + jsonl + ":6)"));
    CHECK(run.has(missing + ": no such file or directory"));
    CHECK(run.has(no_articles + ": no .txt, .md or .jsonl files in directory"));
    CHECK(run.has(unreadable + ": read error"));
    CHECK(run.has(device + ": not a regular file"));
    CHECK(run.has(unsupported + ": unsupported file type"));
    CHECK(run.has("17 input(s) skipped, 4 article(s) coded"));
    // Nothing lost: every good article of the batch is coded, in order.
    CHECK(run.out.find("\"article\":\"good-first\"") != std::string::npos);
    CHECK(run.out.find("\"article\":\"j-good\"") != std::string::npos);
    CHECK(run.out.find("\"article\":\"j-last\"") != std::string::npos);
    CHECK(run.out.find("\"article\":\"good-last\"") != std::string::npos);
    CHECK(run.out.find("\"article\":\"good-first\"") < run.out.find("\"article\":\"good-last\""));
    // Messages never leak into the data.
    CHECK(run.out.find("error") == std::string::npos);
  }

  TEST_CASE("a single 50 MB line: refused by the size limit, in a .txt and in JSONL") {
    TempDir dir;
    const std::string line(50U << 20U, 'a');
    const std::string txt = dir.write("huge.txt", line);
    const std::string jsonl = dir.write(
        "huge.jsonl", "{\"id\":\"huge\",\"text\":\"" + line + "\"}\n" +
                          "{\"id\":\"after\",\"text\":\"Putin demanded a ceasefire.\"}\n");
    const std::string good = dir.write("good.txt", kRejects);
    const auto start = std::chrono::steady_clock::now();
    const Run run = run_cli("run --format jsonl '" + txt + "' '" + jsonl + "' '" + good + "'");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(run.err);
    CHECK(run.status == 1);
    CHECK(run.has(txt + ": article of 52428800 bytes is over the limit of 16777216 bytes (--max-article-bytes)"));
    CHECK(run.has(jsonl + ":1: byte 0: line of 52428823 bytes is over the limit of 16777216 bytes per article (--max-article-bytes)"));
    CHECK(run.out.find("\"article\":\"after\"") != std::string::npos);
    CHECK(run.out.find("\"article\":\"good\"") != std::string::npos);
    CHECK(seconds < 60);  // skipping reads the line once, holding at most the limit in memory
  }

  TEST_CASE("--max-article-bytes takes sizes with K/M/G and refuses what spans cannot hold") {
    TempDir dir;
    const std::string big = dir.write("big.txt", std::string(kRejects) + std::string(2000, ' ') + "x");
    const std::string small = dir.write("small.txt", kDemands);
    const Run limited = run_cli("run --format jsonl --max-article-bytes 1K '" + big + "' '" + small + "'");
    CHECK(limited.status == 1);
    CHECK(limited.has(big + ": article of 2049 bytes is over the limit of 1024 bytes"));
    CHECK(limited.out.find("\"article\":\"small\"") != std::string::npos);
    const Run raised = run_cli("run --format jsonl --max-article-bytes 4K '" + big + "'");
    CHECK(raised.status == 0);
    CHECK(raised.out.find("\"article\":\"big\"") != std::string::npos);
    CHECK(run_cli("run --max-article-bytes 2G '" + small + "'").status == 2);
    CHECK(run_cli("run --max-article-bytes 0 '" + small + "'").status == 2);
    CHECK(run_cli("run --max-article-bytes lots '" + small + "'").status == 2);
  }

  TEST_CASE("--repair codes an article with invalid UTF-8 and warns where it was") {
    TempDir dir;
    const std::string path = dir.write("latin1.txt", "Zelenskyy rejected any territorial concessions, caf\xE9 said.\n");
    const Run strict = run_cli("run --format jsonl '" + path + "'");
    CHECK(strict.status == 1);
    CHECK(strict.has(path + ": byte 51: invalid UTF-8"));
    CHECK(strict.out.empty());

    const Run repaired = run_cli("run --format jsonl --repair '" + path + "'");
    INFO(repaired.err);
    CHECK(repaired.status == 0);
    CHECK(repaired.has("warning: " + path + ": byte 51: repaired 1 ill-formed UTF-8 sequence(s) with U+FFFD"));
    CHECK(repaired.out.find("\"actor\":\"zelenskyy\"") != std::string::npos);
    CHECK(repaired.out.find("caf\xEF\xBF\xBD said") != std::string::npos);
    // --quiet drops the warning, never the data.
    const Run quiet = run_cli("--quiet run --format jsonl --repair '" + path + "'");
    CHECK(quiet.status == 0);
    CHECK(quiet.err.empty());
    CHECK(quiet.out == repaired.out);
  }

  TEST_CASE("--quiet keeps errors and drops the rest; errors always go to stderr") {
    TempDir dir;
    const std::string good = dir.write("good.txt", kRejects);
    const std::string missing = dir.path("missing.txt");
    const Run quiet = run_cli("--quiet run --format jsonl '" + missing + "' '" + good + "'");
    CHECK(quiet.status == 1);
    CHECK(quiet.has("error: " + missing + ": no such file or directory"));
    CHECK_FALSE(quiet.has("skipped"));  // the closing warning is not an error
    CHECK(quiet.out.find("\"article\":\"good\"") != std::string::npos);
    const Run normal = run_cli("run --format jsonl '" + missing + "' '" + good + "'");
    CHECK(normal.has("warning: 1 input(s) skipped, 1 article(s) coded"));
    CHECK_FALSE(normal.has("debug: "));
    CHECK(normal.out == quiet.out);
    // --verbose adds details (which rules were loaded), still on stderr only.
    const Run verbose = run_cli("--verbose run --format jsonl '" + good + "'");
    CHECK(verbose.status == 0);
    CHECK(verbose.has("debug: rules ukraine-peace from "));
    CHECK(verbose.out == quiet.out);
  }

  TEST_CASE("JSONL on stdin: malformed lines by number, the rest coded, nothing on stdout but data") {
    std::string input;
    for (int i = 0; i < 50; ++i) {
      input += "{\"id\":\"a" + std::to_string(i) + "\",\"text\":\"Putin demanded a ceasefire.\"}\n";
      input += "{broken " + std::to_string(i) + "\n";
    }
    const Run run = run_cli("run --format jsonl -", input);
    CHECK(run.status == 1);
    CHECK(count_lines_with(run.err, ": malformed JSON: ") == 50);
    CHECK(run.has("-:100: byte "));
    CHECK(count_lines_with(run.out, "\"actor\":\"putin\"") == 50);
  }

  TEST_CASE("ingest takes --repair and --max-article-bytes too") {
    TempDir dir;
    const std::string latin1 = dir.write("latin1.txt", "Putin demanded a ceasefire, caf\xE9.\n");
    const std::string big = dir.write("big.txt", std::string(kRejects) + std::string(3000, ' ') + ".");
    const std::string db = dir.path("store.db");
    const Run run = run_cli("ingest --no-progress --db '" + db + "' --repair --max-article-bytes 2K '" +
                           latin1 + "' '" + big + "'");
    INFO(run.err);
    CHECK(run.status == 1);
    CHECK(run.has(latin1 + ": byte 31: repaired 1 ill-formed UTF-8 sequence(s)"));
    CHECK(run.has(big + ": article of 3049 bytes is over the limit of 2048 bytes"));
    CHECK(run.has("1 added"));
  }

  // -------------------------------------------------------------------------------------------
  // Linear time on pathological text (1 MB against 4 MB).

  TEST_CASE("text stage: one giant sentence, 100k quotes, one 1 MB token stay linear") {
    const std::unordered_set<std::string> abbreviations{"gen.", "mr."};
    const auto text_stage = [&](const std::string& text) {
      stance::text::Stemmer stemmer;
      stance::text::Document document;
      stance::text::tokenize(text, stemmer, document);
      stance::text::split_sentences(abbreviations, document);
      // The limits hold: no sentence over the cap, every token's matching form capped.
      const bool sentences_capped =
          std::all_of(document.sentences.begin(), document.sentences.end(), [](const auto& sentence) {
            return sentence.end_token - sentence.first_token <= stance::text::kMaxSentenceTokens;
          });
      const bool tokens_capped =
          std::all_of(document.tokens.begin(), document.tokens.end(), [](const auto& token) {
            return token.folded().size() <= stance::text::kMaxTokenBytes + 3;
          });
      CHECK(sentences_capped);
      CHECK(tokens_capped);
    };
    check_linear("giant sentence", [](std::size_t n) { return repeat_to("talks went on and on ", n); },
                 text_stage);
    check_linear("nested and unbalanced quotes",
                 [](std::size_t n) { return repeat_to("\xE2\x80\x9C\xE2\x80\x98\xC2\xAB \"word ", n); },
                 text_stage);
    check_linear("quoted sentences", [](std::size_t n) { return repeat_to("\xE2\x80\x9CYes,\xE2\x80\x9D he said. ", n); },
                 text_stage);
    check_linear("one huge token", [](std::size_t n) { return "Putin " + std::string(n, 'a') + " said."; },
                 text_stage);
  }

  TEST_CASE("the whole engine: a giant sentence and a 1 MB token stay linear") {
    const auto pack = load(source("rules/ukraine-peace"));
    const stance::Engine engine(pack);
    const auto code = [&](const std::string& text) { (void)engine.code(article_of(text)); };
    check_linear("giant sentence", [](std::size_t n) { return repeat_to("the talks went on while people waited ", n); },
                 code);
    check_linear("one huge token", [](std::size_t n) { return "Putin demanded " + std::string(n, 'a') + " ceasefire."; },
                 code);
    check_linear("a long run of dots and dashes",
                 [](std::size_t n) { return "Putin " + std::string(n / 2, '.') + std::string(n / 2, '-'); }, code);
  }

  // Quotes are indexed by sentence and own their tokens once (nested quotes are not re-scanned per
  // level); issue mentions and cues are found by binary search, not by scanning the document.
  TEST_CASE("the whole engine: many quotes and dense cues stay linear") {
    const auto pack = load(source("rules/ukraine-peace"));
    const stance::Engine engine(pack);
    const auto code = [&](const std::string& text) { (void)engine.code(article_of(text)); };
    check_linear("quoted sentences", [](std::size_t n) { return repeat_to("\xE2\x80\x9CYes,\xE2\x80\x9D he said. ", n); },
                 code);
    check_linear("nested quotes", [](std::size_t n) { return repeat_to("\xE2\x80\x9C\xE2\x80\x98\xC2\xAB word ", n); },
                 code);
    check_linear("dense cues in one sentence",
                 [](std::size_t n) { return repeat_to("Putin demanded a ceasefire and Zelenskyy rejected the plan ", n); },
                 code);
  }

  // -------------------------------------------------------------------------------------------
  // Rule packs: deep YAML is refused before yaml-cpp recurses; big lists and bad patterns stay
  // linear.

  TEST_CASE("deep YAML nesting is refused with file:line:col before parsing") {
    struct Case {
      const char* what;
      std::string yaml;
      std::string where;  // rules.yaml:LINE:COL
    };
    std::string indented = "grammar:\n";
    for (int level = 1; level <= 2000; ++level) {
      indented += std::string(static_cast<std::size_t>(level), ' ') + "k" + std::to_string(level) + ":\n";
    }
    const std::vector<Case> cases{
        {"10,000 [", "cues: " + std::string(10000, '[') + std::string(10000, ']') + "\n", "rules.yaml:1:262"},
        {"10,000 unbalanced {", "examples:\n  - " + std::string(10000, '{') + "\n", "rules.yaml:2:258"},
        {"mixed [{ in an inner value", "issues: [{id: x, cues: " + std::string(5000, '[') + "\n", "rules.yaml:1:277"},
        {"a sequence of 10,000 compact levels", "cues:\n" + repeat_to("- ", 20000) + "x\n", "rules.yaml:2:513"},
        {"2,000 levels of indentation", indented, "rules.yaml:257:257"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.what);
      TempDir dir;
      dir.write("pack.yaml", "pack:\n  id: deep\n");
      dir.write("rules.yaml", c.yaml);
      const auto result = stance::RulePack::check(dir.path());
      CHECK_FALSE(result.pack);
      REQUIRE(result.diagnostics.size() == 1);
      CHECK(result.diagnostics[0].format() ==
            (fs::path(dir.path()) / c.where).string() +
                ": error: YAML nested deeper than 256 levels; refused before parsing");
    }
    // Nesting within the limit, quoted or in a block scalar, is left to the parser.
    TempDir dir;
    dir.write("pack.yaml", "pack:\n  id: fine\n");
    dir.write("rules.yaml", "examples:\n  - text: \"" + std::string(1000, '[') + "\"\n    expect: none\n"
                            "  - text: |\n      " + std::string(1000, '{') + "\n    expect: none\n"
                            "  - text: '" + std::string(300, '[') + "'\n    expect: none\n");
    const auto fine = stance::RulePack::check(dir.path());
    for (const auto& d : fine.diagnostics) CHECK_MESSAGE(d.message.find("nested deeper") == std::string::npos, d.format());
  }

  TEST_CASE("stance check on deep YAML: exit 2, the diagnostic on stderr, no crash") {
    TempDir dir;
    dir.write("pack.yaml", "pack:\n  id: deep\n");
    dir.write("rules.yaml", "cues: " + std::string(100000, '[') + "\n");
    const Run run = run_cli("check --rules '" + dir.path().string() + "'");
    CHECK(run.status == 2);
    CHECK(run.has("rules.yaml:1:262: error: YAML nested deeper than 256 levels"));
  }

  TEST_CASE("YAML anchors and aliases do not multiply the work (billion laughs)") {
    TempDir dir;
    dir.write("pack.yaml", "pack:\n  id: laughs\n");
    // Each level lists the previous one 100 times: expanded, the last would hold 500 * 100^9 words.
    const std::vector<std::string> keys{"hedges", "coordinators", "appositives", "agent_markers",
                                        "recipient_markers", "reporting_markers", "relative_pronouns",
                                        "pronouns_collective", "scope_ends"};
    std::string yaml = "grammar:\n  negators: &l0 [" + repeat_to("lol, ", 500) + "lol]\n";
    for (std::size_t level = 1; level <= keys.size(); ++level) {
      const std::string previous = "*l" + std::to_string(level - 1);
      yaml += "  " + keys[level - 1] + ": &l" + std::to_string(level) + " [" +
              repeat_to(previous + ", ", 100 * (previous.size() + 2)) + previous + "]\n";
    }
    dir.write("rules.yaml", yaml);
    const auto start = std::chrono::steady_clock::now();
    const auto result = stance::RulePack::check(dir.path());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // A list item must be a word: an alias to a list is an error (one per list, at the anchor),
    // never an expansion.
    CHECK_FALSE(result.pack);
    std::size_t not_strings = 0;
    for (const auto& d : result.diagnostics) not_strings += d.message.ends_with("must be a string");
    CHECK(not_strings == keys.size());
    CHECK(seconds < 20);
  }

  TEST_CASE("an actor with a huge alias list and catastrophic patterns stay linear") {
    const auto pack_with = [](std::size_t aliases) {
      auto dir = std::make_unique<TempDir>();
      dir->write("pack.yaml", "pack:\n  id: big\n");
      std::string yaml = "actors:\n  - id: crowd\n    name: Crowd\n    kind: group\n    aliases: [";
      for (std::size_t i = 0; i < aliases; ++i) yaml += (i ? ", " : "") + std::string("alias") + std::to_string(i);
      yaml += "]\nissues:\n  - id: truce\n    proposition: a truce\n    cues: [truce, \"/(a+)+$/\", \"/(x+x+)+y/\"]\n"
              "cues:\n  - id: demand.verb\n    stance: demand\n    form: verb\n"
              "    patterns: [demand, \"a ...9 a ...9 a ...9 a ...9 b\", \"(a | a a | a a a) ...9 (a | a a) c\"]\n";
      dir->write("rules.yaml", yaml);
      return dir;
    };
    // Loading: 10k against 40k aliases.
    const auto small_dir = pack_with(10000), large_dir = pack_with(40000);
    const double t1 = std::max(best_seconds(1, [&] { (void)stance::RulePack::load(small_dir->path()); }), 0.05);
    const double t4 = best_seconds(1, [&] { (void)stance::RulePack::load(large_dir->path()); });
    INFO("aliases: 10k " << t1 << " s, 40k " << t4 << " s");
    CHECK(t4 < 8.0 * t1);
    // Matching: patterns with gaps and alternatives, and backtracking-bait regexes, over a text
    // that almost matches everywhere.
    const auto pack = load(small_dir->path());
    const stance::Engine engine(pack);
    check_linear("gaps and regexes", [](std::size_t n) { return repeat_to("a a a a aaaa x x x ", n); },
                 [&](const std::string& text) { (void)engine.code(article_of(text)); });
  }
}  // TEST_SUITE("hardening")
