// libFuzzer entry for fuzz::jsonl_reader (fuzz/targets.hpp); run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stance::fuzz::jsonl_reader({data, size});
  return 0;
}
