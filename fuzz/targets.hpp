#pragma once
// The fuzz targets' bodies, shared by the libFuzzer binaries (fuzz/fuzz_*.cpp, built with
// -DSTANCE_BUILD_FUZZ=ON and clang) and by the regression test that replays every input in
// fixtures/fuzz/regressions/ in the normal build (tests/test_fuzz_regressions.cpp).
//
// Each body feeds one input to one stage and checks what must hold whatever the input is; a
// broken invariant throws FuzzFailure, which libFuzzer reports as a crash (uncaught exception).
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>

namespace stance::fuzz {

class FuzzFailure : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

using Body = void (*)(std::span<const std::uint8_t> input);

struct Target {
  std::string_view name;  // the binary is fuzz_<name>; seeds in fixtures/fuzz/<name>/
  Body body;
};

// A .txt/.md file: front matter, UTF-8 checks, optional repair.
void text_article(std::span<const std::uint8_t> input);
// One JSONL line through the line parser.
void jsonl_line(std::span<const std::uint8_t> input);
// A whole JSONL stream through read_articles("-"): line splitting, limits, duplicate ids.
void jsonl_reader(std::span<const std::uint8_t> input);
// The tokenizer and the sentence splitter, with their limits.
void text(std::span<const std::uint8_t> input);
// A rule file next to a fixed pack.yaml, loaded and checked like `stance check`.
void rule_loader(std::span<const std::uint8_t> input);

[[nodiscard]] std::span<const Target> all_targets();

}  // namespace stance::fuzz
