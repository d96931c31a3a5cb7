// stance check: every broken fixture pack gives exactly its expected messages and exit code; the
// default pack and the documentation's packs are clean; no YAML, however mangled, makes it crash;
// docs/rules.md quotes its example packs exactly and names every key of the format.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <regex>
#include <set>
#include <string>

#include "rules/model.hpp"
#include "rules_helpers.hpp"
#include "stance/engine.hpp"
#include "stance/rule_pack.hpp"

namespace {

namespace fs = std::filesystem;
using rules_test::lines_of;
using rules_test::read_text;
using rules_test::replace_all;
using rules_test::run_stance;
using rules_test::source_dir;

std::vector<fs::path> packs_under(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Diagnostic lines of a check run, with the pack's own directory left out of every path.
std::vector<std::string> diagnostics_of(const std::string& output, const fs::path& pack) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(replace_all(output, (pack / "").string(), ""))) {
    if (line.find(": error: ") != std::string::npos || line.find(": warning: ") != std::string::npos) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_SUITE("check") {
  TEST_CASE("every broken fixture pack gives exactly the messages in its expected.txt") {
    const auto fixtures = packs_under(source_dir() / "fixtures" / "rules-bad");
    CHECK(fixtures.size() >= 15);
    for (const auto& pack : fixtures) {
      CAPTURE(pack.filename().string());
      const fs::path expected_file = pack / "expected.txt";
      REQUIRE(fs::exists(expected_file));
      const auto expected = lines_of(read_text(expected_file));
      REQUIRE_FALSE(expected.empty());
      const bool has_error = std::any_of(expected.begin(), expected.end(),
                                         [](const std::string& l) { return l.find(": error: ") != std::string::npos; });
      const auto run = run_stance("check --strict --rules '" + pack.string() + "'");
      CAPTURE(run.output);
      // Errors exit 2; a fixture of warnings only would exit 1 under --strict.
      CHECK(run.exit_code == (has_error ? 2 : 1));
      CHECK(diagnostics_of(run.output, pack) == expected);
    }
  }

  TEST_CASE("the fixtures cover every kind of problem") {
    std::set<std::string> names;
    for (const auto& pack : packs_under(source_dir() / "fixtures" / "rules-bad")) names.insert(pack.filename().string());
    for (const char* kind : {"yaml-syntax", "wrong-type", "unknown-key", "duplicate-key", "duplicate-id", "dangling-affiliation",
                             "dangling-opposite", "dangling-suppresses", "dangling-actor-ref", "dangling-example-id",
                             "include-cycle", "empty-pattern", "never-matchable", "invalid-regex", "alias-collision",
                             "issue-without-cue", "shadowed-rule", "unbounded-gap", "wide-gap"}) {
      CHECK_MESSAGE(names.count(kind), kind);
    }
  }

  TEST_CASE("the default pack checks clean of errors (exit 0)") {
    const auto run = run_stance("check");
    CAPTURE(run.output);
    CHECK(run.exit_code == 0);
    CHECK(run.output.find(": error: ") == std::string::npos);
  }

  TEST_CASE("the documentation's packs check clean even under --strict") {
    for (const auto& pack : packs_under(source_dir() / "fixtures" / "rules-doc")) {
      CAPTURE(pack.filename().string());
      const auto run = run_stance("check --strict --rules '" + pack.string() + "'");
      CAPTURE(run.output);
      CHECK(run.exit_code == 0);
    }
  }

  TEST_CASE("the documentation's examples pass (todo ones may fail)") {
    for (const auto& dir : packs_under(source_dir() / "fixtures" / "rules-doc")) {
      CAPTURE(dir.filename().string());
      auto loaded = stance::RulePack::load(dir);
      REQUIRE(loaded.pack);
      const stance::Engine engine(loaded.pack);
      for (const auto& example : loaded.pack->examples()) {
        if (example.todo) continue;
        CAPTURE(example.text);
        std::set<std::string> got;
        for (const auto& r : engine.code({"example", example.date, "", "", "", example.text, "doc"})) {
          got.insert(r.actor + " " + r.issue + " " + std::string(stance::to_string(r.stance)));
        }
        CHECK(got == std::set<std::string>(example.expect.begin(), example.expect.end()));
      }
    }
  }

  TEST_CASE("docs/rules.md quotes every documentation pack file exactly") {
    const std::string doc = read_text(source_dir() / "docs" / "rules.md");
    REQUIRE_FALSE(doc.empty());
    // <!-- file: PATH --> then a ```yaml block holding that file.
    const std::regex quote(R"(<!-- file: ([^ ]+) -->\n```yaml\n([\s\S]*?)```\n)");
    std::set<std::string> quoted;
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), quote); it != std::sregex_iterator(); ++it) {
      const std::string path = (*it)[1];
      CAPTURE(path);
      CHECK((*it)[2] == read_text(source_dir() / path));
      quoted.insert(path);
    }
    for (const auto& pack : packs_under(source_dir() / "fixtures" / "rules-doc")) {
      for (const auto& entry : fs::directory_iterator(pack)) {
        if (entry.path().extension() != ".yaml") continue;
        const std::string path = fs::relative(entry.path(), source_dir()).generic_string();
        const std::string missing = path + " is not quoted in docs/rules.md";
        CHECK_MESSAGE(quoted.count(path), missing);
      }
    }
  }

  TEST_CASE("docs/rules.md documents every key, and the documentation packs use every key") {
    const std::string doc = read_text(source_dir() / "docs" / "rules.md");
    std::string examples;
    for (const auto& pack : packs_under(source_dir() / "fixtures" / "rules-doc")) {
      for (const auto& entry : fs::directory_iterator(pack)) {
        if (entry.path().extension() == ".yaml") examples += read_text(entry.path());
      }
    }
    for (const auto& section : stance::rules::format_keys()) {
      for (auto key : section.keys) {
        CAPTURE(section.mapping);
        CAPTURE(key);
        CHECK(doc.find("`" + std::string(key) + "`") != std::string::npos);
        const std::regex used("(^|[\\s{,-])" + std::string(key) + ":");
        CHECK(std::regex_search(examples, used));
      }
    }
  }

  TEST_CASE("check never crashes on mangled YAML: truncated and byte-flipped copies of the default pack") {
    rules_test::TempDir dir;
    const fs::path root = source_dir() / "rules";
    fs::copy(root / "core", dir.path() / "core", fs::copy_options::recursive);
    fs::copy(root / "ukraine-peace", dir.path() / "ukraine-peace", fs::copy_options::recursive);
    std::vector<fs::path> files;
    for (const char* pack : {"core", "ukraine-peace"}) {
      for (const auto& entry : fs::directory_iterator(dir.path() / pack)) {
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    std::mt19937 random(20251125);
    std::size_t broken = 0;
    for (int variant = 0; variant < 200; ++variant) {
      const fs::path& file = files[random() % files.size()];
      const std::string original = read_text(file);
      std::string mangled = original;
      if (variant % 2 == 0) {
        mangled.resize(random() % (original.size() + 1));
      } else {
        const int flips = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < flips && !mangled.empty(); ++i) {
          mangled[random() % mangled.size()] ^= static_cast<char>(1 + random() % 255);
        }
      }
      rules_test::write_text(file, mangled);
      CAPTURE(variant);
      CAPTURE(file.string());
      stance::RulePack::LoadResult result;
      CHECK_NOTHROW(result = stance::RulePack::check(dir.path() / "ukraine-peace"));
      if (!result.pack) {
        ++broken;
        REQUIRE_FALSE(result.diagnostics.empty());
        for (const auto& d : result.diagnostics) {
          CAPTURE(d.format());
          CHECK_FALSE(d.file.empty());
          CHECK(d.line >= 1);
          CHECK(d.column >= 1);
        }
      }
      rules_test::write_text(file, original);
    }
    CHECK(broken > 50);  // the mutations do break things; the check above is not vacuous
  }
}
