#include <spdlog/spdlog.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <iostream>

#include "commands.hpp"

namespace stance::cli {

namespace {
constexpr std::size_t kIoBufferBytes = std::size_t{1} << 17U;
}  // namespace

void use_large_stdio_buffers() {
  // std::cin and std::cout stay synchronised with stdio, so these buffers are theirs too. glibc
  // ignores the size unless it is given the buffer, and stdout is flushed after main returns: the
  // buffers are static, to outlive every use.
  static std::array<char, kIoBufferBytes> input_buffer, output_buffer;
  if (isatty(STDIN_FILENO) == 0) std::setvbuf(stdin, input_buffer.data(), _IOFBF, input_buffer.size());
  if (isatty(STDOUT_FILENO) == 0) std::setvbuf(stdout, output_buffer.data(), _IOFBF, output_buffer.size());
  // std::cin flushes std::cout before each read (they are tied, for prompts): reading JSONL from
  // a pipe then wrote each article's records in a call of its own. stance asks no questions; on a
  // terminal stdout is line-buffered anyway.
  std::cin.tie(nullptr);
}

std::shared_ptr<const RulePack> load_pack_or_report(const std::filesystem::path& directory) {
  auto result = RulePack::load(directory);
  for (const auto& d : result.diagnostics) {
    // Errors always reach stderr; warnings respect --quiet like every other message.
    if (d.severity == Severity::error || spdlog::get_level() <= spdlog::level::warn) {
      std::cerr << d.format() << '\n';
    }
  }
  if (result.pack) {
    spdlog::debug("rules {} from {}: {} file(s), fingerprint {}", result.pack->id(),
                  directory.string(), result.pack->files().size(), result.pack->fingerprint());
  }
  return result.pack;
}

std::unique_ptr<OutputTarget> OutputTarget::open(const std::string& path) {
  auto target = std::make_unique<OutputTarget>();
  if (path.empty()) return target;
  target->buffer_ = std::make_unique<char[]>(kIoBufferBytes);
  target->file_.rdbuf()->pubsetbuf(target->buffer_.get(), kIoBufferBytes);
  target->file_.open(path, std::ios::binary);
  if (!target->file_) {
    spdlog::error("cannot write {}", path);
    return nullptr;
  }
  target->to_file_ = true;
  return target;
}

}  // namespace stance::cli
