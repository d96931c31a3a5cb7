#pragma once
// The CLI's verbs. Each registers its options on the app and returns the exit code when run.
// Exit codes (docs/cli.md): 0 success, 1 some input skipped or some check failed, 2 usage or rule
// errors.
#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stance/rule_pack.hpp"
#include "stance/engine.hpp"

namespace stance::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;
inline constexpr int kExitUsage = 2;

using Command = std::function<int()>;

Command add_run(CLI::App& app);
Command add_check(CLI::App& app);
Command add_explain(CLI::App& app);
// Runs every rule file's examples (test_cmd.cpp).
Command add_test(CLI::App& app);
// The store verbs (docs/store.md), one file each.
Command add_ingest(CLI::App& app);
Command add_recode(CLI::App& app);
Command add_matrix(CLI::App& app);
Command add_history(CLI::App& app);
Command add_shifts(CLI::App& app);
// Scores a pack against hand-coded gold (eval.cpp, docs/eval.md).
Command add_eval(CLI::App& app);
Command add_merge(CLI::App& app);  // the reduce step of sharded runs (merge.cpp, docs/scale.md)

// Where `--output FILE` sends data: the file, opened for writing, or standard output when `path` is
// empty. Null (the error said on stderr) when the file cannot be opened.
class OutputTarget {
 public:
  [[nodiscard]] static std::unique_ptr<OutputTarget> open(const std::string& path);
  [[nodiscard]] std::ostream& stream() { return to_file_ ? file_ : std::cout; }

 private:
  // Handed to file_ before it opens: a run's output is written in 128 KiB pieces, not 8 KiB ones.
  std::unique_ptr<char[]> buffer_;
  std::ofstream file_;
  bool to_file_ = false;
};

// Standard input and output get 128 KiB stdio buffers when they are not a terminal, and reading
// std::cin no longer flushes std::cout (call before either is used): a firehose run otherwise makes
// a read(2) or write(2) call every 4 KiB, or every article.
void use_large_stdio_buffers();

// Loads a pack, printing its diagnostics (file:line:col: severity: message) to stderr.
// Returns null when the pack has errors.
std::shared_ptr<const RulePack> load_pack_or_report(const std::filesystem::path& directory);

// Shared by the store verbs.
inline constexpr const char* kDefaultStorePath = "stance.db";  // in the working folder
// Codes each article on up to `jobs` threads (0: one per core); results in input order.
std::vector<std::vector<StanceRecord>> code_in_parallel(const Engine& engine,
                                                        std::span<const Article* const> articles,
                                                        unsigned jobs);
// A stored record as JSON: the JSONL contract fields plus date, source and reported_by.
nlohmann::ordered_json stored_record_json(const StanceRecord& record);
// A progress line on stderr for long runs (ingest.cpp): articles done, articles/s and an ETA when
// the total is known. Redrawn in place on a TTY, one line a second otherwise; silent if disabled.
class ProgressLine {
 public:
  ProgressLine(std::string verb, bool enabled, std::optional<std::size_t> total);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void advance(std::size_t done = 1);
  void clear();  // before a message, so the message starts on a clean line

 private:
  void draw();
  std::string verb_;
  bool enabled_;
  bool tty_;
  bool drawn_ = false;
  std::optional<std::size_t> total_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace stance::cli
