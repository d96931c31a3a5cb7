// libFuzzer entry for fuzz::text_article (fuzz/targets.hpp); run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stance::fuzz::text_article({data, size});
  return 0;
}
