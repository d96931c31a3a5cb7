// The CLI as a user runs it: exit codes, stdout/stderr separation, error messages.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Run {
  int status = -1;
  std::string out, err;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// Runs `stance ARGS` from the source tree with optional stdin text.
Run stance(const std::string& args, const std::string& input = "") {
  const fs::path dir = fs::temp_directory_path() / ("stance-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "in", out = dir / "out", err = dir / "err";
  std::ofstream(in, std::ios::binary) << input;
  const std::string command = std::string("cd '") + STANCE_SOURCE_DIR + "' && '" + STANCE_BINARY + "' " + args +
                              " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = read_file(out);
  r.err = read_file(err);
  fs::remove_all(dir);
  return r;
}

}  // namespace

TEST_SUITE("cli") {
TEST_CASE("run prints the matrix of the sample article") {
  const Run r = stance("run fixtures/articles/alaska-summit-invitation.txt");
  CHECK(r.status == 0);
  CHECK(r.out.find("zelenskyy") != std::string::npos);
  CHECK(r.out.find("territorial_cession") != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // no colour when stdout is not a TTY
}

TEST_CASE("jsonl records carry exactly the contract's fields") {
  const Run r = stance("run --format jsonl fixtures/articles/alaska-summit-invitation.txt");
  REQUIRE(r.status == 0);
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    CHECK(line.rfind("{\"article\":", 0) == 0);
    for (const char* key : {"\"sentence\":", "\"span\":", "\"actor\":", "\"affiliation\":", "\"issue\":",
                            "\"stance\":", "\"confidence\":", "\"rule\":", "\"evidence\":"}) {
      CHECK_MESSAGE(line.find(key) != std::string::npos, key);
    }
  }
  CHECK(n == 13);
  CHECK(r.err.empty());
}

TEST_CASE("JSONL from standard input") {
  const Run r = stance("run --format jsonl -",
                       "{\"id\":\"a1\",\"text\":\"Zelenskyy rejected any territorial concessions.\"}\n");
  CHECK(r.status == 0);
  CHECK(r.out.find("\"actor\":\"zelenskyy\"") != std::string::npos);
  CHECK(r.out.find("\"stance\":\"reject\"") != std::string::npos);
}

TEST_CASE("a missing file is reported, the other articles are still coded, exit 1") {
  const Run r = stance("run --format jsonl no-such-file.txt fixtures/articles/alaska-summit-invitation.txt");
  CHECK(r.status == 1);
  CHECK(r.err.find("no-such-file.txt") != std::string::npos);
  CHECK(r.out.find("\"actor\":\"ushakov\"") != std::string::npos);
}

TEST_CASE("a malformed JSONL line names its line; the good lines are coded") {
  const Run r = stance("run --format jsonl -",
                       "{\"id\":\"a\",\"text\":\"Putin demanded a ceasefire.\"}\n{broken\n"
                       "{\"id\":\"b\",\"text\":\"Zelenskyy rejected the ceasefire.\"}\n");
  CHECK(r.status == 1);
  CHECK(r.err.find("-:2") != std::string::npos);
  CHECK(r.out.find("\"article\":\"a\"") != std::string::npos);
  CHECK(r.out.find("\"article\":\"b\"") != std::string::npos);
}

TEST_CASE("invalid UTF-8 is reported with its byte offset") {
  const Run r = stance("run --format jsonl fixtures/io/bad/invalid_utf8.txt fixtures/articles/alaska-summit-invitation.txt");
  CHECK(r.status == 1);
  CHECK(r.err.find("byte") != std::string::npos);
  CHECK(r.out.find("\"actor\":\"lavrov\"") != std::string::npos);
}

TEST_CASE("a broken rule pack is a usage error with file:line:col") {
  const fs::path dir = fs::temp_directory_path() / ("stance-bad-pack-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "pack.yaml") << "pack:\n  id: broken\n";
  std::ofstream(dir / "actors.yaml") << "actors:\n  - id: putin\n    aliases: [Putin]\n    gendr: male\n";
  const Run r = stance("run --rules '" + dir.string() + "' fixtures/articles");
  fs::remove_all(dir);
  CHECK(r.status == 2);
  CHECK(r.err.find("actors.yaml:4:5: error: unknown key 'gendr'") != std::string::npos);
  CHECK(r.err.find("did you mean 'gender'") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("usage errors exit 2") {
  CHECK(stance("run").status == 2);
  CHECK(stance("run --format nope fixtures/articles").status == 2);
  CHECK(stance("no-such-verb").status == 2);
}

TEST_CASE("roll-up by affiliation and csv") {
  const Run r = stance("run --by affiliation --format csv fixtures/articles/alaska-summit-invitation.txt");
  CHECK(r.status == 0);
  CHECK(r.out.find("russia,") != std::string::npos);
  CHECK(r.out.find("\nlavrov,") == std::string::npos);
}
}
