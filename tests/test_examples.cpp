// stance test: runs every rule file's examples, reports failures as expected vs got with the
// rules that fired, todo and todo-fixed apart, the summary line, exit codes, and --watch.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "rules_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using rules_test::lines_of;
using rules_test::run_stance;
using rules_test::source_dir;

std::string last_line(const std::string& output) {
  const auto lines = lines_of(output);
  return lines.empty() ? "" : lines.back();
}

}  // namespace

TEST_SUITE("examples") {
  TEST_CASE("passing, failing, todo and todo-fixed examples") {
    const auto run = run_stance("test --rules fixtures/rules-test/mixed");
    CAPTURE(run.output);
    CHECK(run.exit_code == 1);
    CHECK(last_line(run.output) == "3 passed, 1 failed");
    const std::string failure =
        "FAIL fixtures/rules-test/mixed/rules.yaml:28:5: \"Kyiv welcomed the truce.\"\n"
        "  note:     deliberately wrong, to test the failure report\n"
        "  expected: ukraine ceasefire reject\n"
        "  got:      ukraine ceasefire accept [accept.verb 'welcomed']\n"
        "  missing:  ukraine ceasefire reject\n"
        "  extra:    ukraine ceasefire accept\n"
        "  fired:\n";
    CHECK(run.output.find(failure) != std::string::npos);
    CHECK(run.output.find("    cue      'welcomed' -> accept.verb") != std::string::npos);
    CHECK(run.output.find("todo fixtures/rules-test/mixed/rules.yaml:32:5: \"Zelenskyy might reject the truce.\"") != std::string::npos);
    CHECK(run.output.find("todo fixed fixtures/rules-test/mixed/rules.yaml:37:5: \"President Zelenskyy accepted the truce.\" "
                          "now passes: remove its 'todo: true'") != std::string::npos);
    CHECK(run.output.find("1 todo, 1 todo fixed\n") != std::string::npos);
    // Passing examples are quiet unless listed.
    CHECK(run.output.find("Zelenskyy rejected the ceasefire") == std::string::npos);
    CHECK(run_stance("test --list --rules fixtures/rules-test/mixed").output.find(
              "ok   fixtures/rules-test/mixed/rules.yaml:22:5: \"Zelenskyy rejected the ceasefire.\"") != std::string::npos);
  }

  TEST_CASE("all examples pass: exit 0") {
    const auto run = run_stance("test --rules fixtures/rules-test/passing");
    CAPTURE(run.output);
    CHECK(run.exit_code == 0);
    CHECK(run.output == "3 passed, 0 failed\n");
  }

  TEST_CASE("a pack with errors: its diagnostics and exit 2") {
    const auto run = run_stance("test --rules fixtures/rules-bad/duplicate-id");
    CHECK(run.exit_code == 2);
    CHECK(run.output.find("error: duplicate actor id 'ukraine'") != std::string::npos);
  }

  TEST_CASE("--watch runs again when a rule file changes") {
    rules_test::TempDir dir;
    const fs::path pack = dir.path() / "pack";
    fs::copy(source_dir() / "fixtures" / "rules-test" / "passing", pack, fs::copy_options::recursive);
    rules_test::Run run;
    // --max-runs ends it after the second run; timeout guards the suite against a watcher that
    // never notices.
    std::thread watcher([&] { run = run_stance("test --watch --max-runs 2 --rules '" + pack.string() + "'", "timeout 30 "); });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    std::string rules = rules_test::read_text(pack / "rules.yaml");
    rules += "  - text: Kyiv welcomed the ceasefire.\n    expect: [ukraine ceasefire reject]\n";
    rules_test::write_text(pack / "rules.yaml", rules);
    watcher.join();
    CAPTURE(run.output);
    CHECK(run.exit_code == 1);
    const auto first = run.output.find("3 passed, 0 failed");
    const auto again = run.output.find("--- rules changed, running again");
    const auto second = run.output.find("3 passed, 1 failed");
    CHECK(first != std::string::npos);
    CHECK(again != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < again);
    CHECK(again < second);
  }
}
