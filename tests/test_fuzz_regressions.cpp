// Replays every input that ever broke a fuzz target (fixtures/fuzz/regressions/<target>/), and the
// seed corpora (fixtures/fuzz/<target>/), through the targets' bodies (fuzz/targets.cpp). Runs in
// every build, without clang: a crash found once by tools/fuzz.sh stays fixed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "targets.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The files of `directory`, sorted, or none when it does not exist.
std::vector<fs::path> inputs_in(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const fs::path& root, std::size_t& replayed) {
  for (const stance::fuzz::Target& target : stance::fuzz::all_targets()) {
    for (const fs::path& input : inputs_in(root / target.name)) {
      CAPTURE(input.string());
      const std::vector<std::uint8_t> bytes = bytes_of(input);
      CHECK_NOTHROW(target.body(bytes));
      ++replayed;
    }
  }
}

const fs::path kFuzzFixtures = fs::path(STANCE_SOURCE_DIR) / "fixtures" / "fuzz";

}  // namespace

TEST_SUITE("fuzz_regressions") {
  TEST_CASE("every past finding of the fuzzers runs clean") {
    std::size_t replayed = 0;
    replay(kFuzzFixtures / "regressions", replayed);
    MESSAGE(replayed << " regression input(s) replayed");
    // Every regression file sits in the folder of a target that exists.
    for (const fs::path& folder : inputs_in(kFuzzFixtures / "regressions")) {
      CHECK_MESSAGE(false, "a file directly in regressions/: move it into its target's folder: " << folder.string());
    }
    std::error_code error;
    for (fs::directory_iterator it(kFuzzFixtures / "regressions", error), end; !error && it != end;
         it.increment(error)) {
      if (!it->is_directory()) continue;
      const std::string name = it->path().filename().string();
      const auto targets = stance::fuzz::all_targets();
      CHECK_MESSAGE(std::any_of(targets.begin(), targets.end(),
                                [&](const stance::fuzz::Target& t) { return t.name == name; }),
                    "regressions/" << name << " names no fuzz target");
    }
  }

  TEST_CASE("the seed corpora run clean") {
    std::size_t replayed = 0;
    replay(kFuzzFixtures, replayed);
    CHECK(replayed >= 5);
  }
}
