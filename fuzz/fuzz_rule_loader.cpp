// libFuzzer entry for fuzz::rule_loader (fuzz/targets.hpp); run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stance::fuzz::rule_loader({data, size});
  return 0;
}
