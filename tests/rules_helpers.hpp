#pragma once
// Helpers shared by the rule-authoring tests (test_match, test_rules, test_check, test_examples,
// test_explain): paths into the source tree, temporary directories, running the CLI.
#include "temp_dir.hpp"
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace rules_test {

namespace fs = std::filesystem;

inline fs::path source_dir() { return fs::path(STANCE_SOURCE_DIR); }

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_text(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

using stance::testing::TempDir;

struct Run {
  std::string output;  // stdout and stderr, interleaved as written
  int exit_code = -1;
};

// Runs `stance ARGS` from the source directory, stderr folded into stdout. `wrapper` goes before
// the binary (e.g. "timeout 30 ").
inline Run run_stance(const std::string& args, const std::string& wrapper = "") {
  const std::string command =
      "cd '" + source_dir().string() + "' && " + wrapper + "'" + std::string(STANCE_BINARY) + "' " + args + " 2>&1";
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

inline std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

inline std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace rules_test
