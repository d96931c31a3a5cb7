// libFuzzer entry for fuzz::jsonl_line (fuzz/targets.hpp); run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stance::fuzz::jsonl_line({data, size});
  return 0;
}
