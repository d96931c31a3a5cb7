// libFuzzer entry for fuzz::text (fuzz/targets.hpp); run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stance::fuzz::text({data, size});
  return 0;
}
