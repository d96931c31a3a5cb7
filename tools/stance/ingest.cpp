// stance ingest: code articles and keep them, with their records, in the store (docs/store.md).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "commands.hpp"
#include "input_options.hpp"
#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/store.hpp"

namespace stance::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct IngestOptions {
  std::string db = kDefaultStorePath;
  std::string rules = default_rules_directory().string();
  std::size_t batch = 100;
  unsigned jobs = 0;
  bool progress = false;
  bool no_progress = false;
  InputOptions input;
  std::vector<std::string> paths;
};

// Commit at least this often, so a slow stream (stdin) still makes its work durable.
constexpr auto kMaxBatchAge = std::chrono::seconds(2);

std::string lowercase_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

std::size_t count_jsonl_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++lines;
  }
  return lines;
}

// Roughly how many articles the paths hold (for the ETA): text files count one, JSONL files one a
// non-blank line; directories as read_articles reads them. Unknown for standard input.
std::optional<std::size_t> count_inputs(const std::vector<std::string>& paths) {
  std::size_t total = 0;
  auto count_file = [&](const fs::path& path) {
    const std::string extension = lowercase_extension(path);
    if (extension == ".txt" || extension == ".md") ++total;
    if (extension == ".jsonl") total += count_jsonl_lines(path);
  };
  for (const std::string& path : paths) {
    if (path == "-") return std::nullopt;
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
        if (!it->path().filename().string().starts_with('.')) count_file(it->path());
      }
    } else {
      count_file(path);
    }
  }
  return total;
}

std::string describe_counts(const RunCounts& counts) {
  return std::to_string(counts.added) + " added, " + std::to_string(counts.versioned) +
         " new version(s), " + std::to_string(counts.unchanged) + " unchanged, " +
         std::to_string(counts.skipped) + " skipped";
}

// Reads ahead a batch, skips what the store already has, codes the rest in parallel and stores
// the batch in one transaction.
class Ingester {
 public:
  Ingester(Store& store, const Engine& engine, std::int64_t run, const IngestOptions& options,
           ProgressLine& progress)
      : store_(store), engine_(engine), run_(run), options_(options), progress_(progress) {}

  void add(Article&& article) {
    if (pending_.empty()) batch_started_ = Clock::now();
    pending_.push_back(std::move(article));
    if (pending_.size() >= options_.batch || Clock::now() - batch_started_ >= kMaxBatchAge) flush();
  }

  void flush() {
    if (pending_.empty()) return;
    std::vector<std::string> ids;
    ids.reserve(pending_.size());
    for (const Article& article : pending_) ids.push_back(article.id);
    std::unordered_map<std::string, std::string> stored_hash;
    for (ArticleVersion& version : store_.current_versions(ids)) {
      stored_hash.emplace(std::move(version.id), std::move(version.content_hash));
    }

    // Only new content is worth coding; the store checks again inside its transaction, in case a
    // concurrent ingest stored the same article meanwhile.
    std::vector<CodedArticle> batch;
    for (Article& article : pending_) {
      std::string hash = content_hash(article);
      const auto found = stored_hash.find(article.id);
      if (found != stored_hash.end() && found->second == hash) {
        ++counts_.unchanged;
        continue;
      }
      batch.push_back({std::move(article), std::move(hash), {}});
    }
    const std::size_t read = pending_.size();
    pending_.clear();

    std::vector<const Article*> articles;
    for (const CodedArticle& coded : batch) articles.push_back(&coded.article);
    auto codings = code_in_parallel(engine_, articles, options_.jobs);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].records = std::move(codings[i]);

    if (!batch.empty()) {
      const auto results = store_.store_articles(run_, engine_.pack().fingerprint(), batch);
      for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].outcome != StoreOutcome::unchanged) counts_.records += batch[i].records.size();
        committed(results[i]);
      }
    }
    progress_.advance(read);
  }

  [[nodiscard]] const RunCounts& counts() const { return counts_; }
  // Counts no batch wrote to the run row (finish_run adds them).
  [[nodiscard]] RunCounts unbatched() const {
    RunCounts extra;
    extra.unchanged = prefiltered_unchanged();
    extra.skipped = counts_.skipped;
    return extra;
  }
  void skipped() {
    ++counts_.skipped;
    progress_.advance(1);
  }

 private:
  void committed(const StoreResult& result) {
    switch (result.outcome) {
      case StoreOutcome::unchanged:
        ++counts_.unchanged;
        ++batched_unchanged_;
        return;
      case StoreOutcome::added:
        ++counts_.added;
        break;
      case StoreOutcome::versioned:
        ++counts_.versioned;
        progress_.clear();
        // Never a silent overwrite: the old version stays in the store, and the user hears of it.
        spdlog::warn("{}: article '{}' differs from the stored version {} (from {}, stored {}); "
                     "kept both, the new text is version {}",
                     result.current.origin, result.current.id, result.previous->version,
                     result.previous->origin, result.previous->stored_at, result.current.version);
        break;
    }
  }

  [[nodiscard]] std::size_t prefiltered_unchanged() const {
    return counts_.unchanged - batched_unchanged_;
  }

  Store& store_;
  const Engine& engine_;
  std::int64_t run_;
  const IngestOptions& options_;
  ProgressLine& progress_;
  std::vector<Article> pending_;
  Clock::time_point batch_started_;
  RunCounts counts_;
  std::size_t batched_unchanged_ = 0;  // unchanged found inside store_articles (already counted)
};

std::string command_line(const IngestOptions& options) {
  std::string line = "ingest --db " + options.db + " --rules " + options.rules;
  for (const std::string& path : options.paths) line += " " + path;
  return line;
}

// Mixed codings make the matrix compare apples with pears; say so before adding more.
void warn_about_other_codings(const Store& store, const RulePack& pack, const std::string& db) {
  std::size_t others = 0, all = 0;
  for (const auto& [fingerprint, articles] : store.codings()) {
    all += articles;
    if (fingerprint != pack.fingerprint()) others += articles;
  }
  if (others == 0) return;
  spdlog::warn("{} of {} stored article(s) were coded with other rules than {} ({}); "
               "`stance recode --db {}` shows and applies the difference",
               others, all, pack.id(), pack.fingerprint(), db);
}

int ingest(const IngestOptions& options) {
  auto pack = load_pack_or_report(options.rules);
  if (!pack) return kExitUsage;
  const Engine engine(pack);
  const std::unique_ptr<Store> store = open_sqlite_store(options.db, OpenMode::create);
  warn_about_other_codings(*store, *pack, options.db);

  RunInfo info;
  info.kind = RunKind::ingest;
  info.rules_id = pack->id();
  info.rules_fingerprint = pack->fingerprint();
  // Absolute, so the run names the pack whatever folder later commands run in.
  info.rules_directory = std::filesystem::absolute(options.rules).lexically_normal().string();
  for (const IssueInfo& issue : pack->issues()) info.issue_order.push_back(issue.id);
  info.arguments = command_line(options);
  const std::int64_t run = store->begin_run(info);

  const bool show_progress = !options.no_progress &&
                             (options.progress || isatty(STDERR_FILENO)) &&
                             spdlog::get_level() <= spdlog::level::info;
  ProgressLine progress("ingest", show_progress,
                        show_progress ? count_inputs(options.paths) : std::nullopt);
  Ingester ingester(*store, engine, run, options, progress);
  const auto started = Clock::now();
  try {
    read_articles(
        options.paths, std::cin, read_options(options.input),
        [&](Article&& article) { ingester.add(std::move(article)); },
        [&](const InputError& error) {
          progress.clear();
          spdlog::error("{}", error.format());
          ingester.skipped();
        });
    ingester.flush();
    store->finish_run(run, ingester.unbatched());
  } catch (const StoreError& error) {
    progress.clear();
    const RunCounts& counts = ingester.counts();
    spdlog::error("{}", error.what());
    spdlog::error("ingest stopped; what was committed before stays ({}); run it again to go on",
                  describe_counts(counts));
    return kExitUsage;
  }
  progress.clear();

  const RunCounts& counts = ingester.counts();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const std::size_t handled = counts.added + counts.versioned + counts.unchanged;
  spdlog::info("ingest: {} article(s) in {:.2f} s ({:.0f}/s): {}; {} record(s) written to {}",
               handled, seconds, seconds > 0 ? static_cast<double>(handled) / seconds : 0.0,
               describe_counts(counts), counts.records, options.db);
  return counts.skipped ? kExitPartial : kExitOk;
}

}  // namespace

std::vector<std::vector<StanceRecord>> code_in_parallel(const Engine& engine,
                                                        std::span<const Article* const> articles,
                                                        unsigned jobs) {
  std::vector<std::vector<StanceRecord>> codings(articles.size());
  if (jobs == 0) jobs = std::max(1U, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, articles.size()));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < articles.size(); ++i) codings[i] = engine.code(*articles[i]);
    return codings;
  }
  // Engine::code is safe on many threads; each worker takes the next article until none is left.
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  {
    std::vector<std::jthread> workers;
    for (unsigned j = 0; j < jobs; ++j) {
      workers.emplace_back([&] {
        for (std::size_t i = next++; i < articles.size(); i = next++) {
          try {
            codings[i] = engine.code(*articles[i]);
          } catch (...) {
            const std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
          }
        }
      });
    }
  }
  if (failure) std::rethrow_exception(failure);
  return codings;
}

ProgressLine::ProgressLine(std::string verb, bool enabled, std::optional<std::size_t> total)
    : verb_(std::move(verb)),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::advance(std::size_t done) {
  done_ += done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // A TTY line is cheap to redraw; a log file should not get one line per batch.
  if (now - last_draw_ < (tty_ ? std::chrono::milliseconds(250) : std::chrono::seconds(1))) return;
  last_draw_ = now;
  draw();
}

void ProgressLine::clear() {
  if (!drawn_ || !tty_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

void ProgressLine::draw() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
  std::string line = verb_ + ": " + std::to_string(done_);
  if (total_ && *total_ >= done_ && *total_ > 0) {
    line += "/" + std::to_string(*total_) + " articles (" +
            std::to_string(done_ * 100 / *total_) + "%)";
  } else {
    line += " articles";
  }
  line += fmt::format(", {:.0f} articles/s", rate);
  if (total_ && *total_ > done_ && rate > 0) {
    const auto remaining = static_cast<long long>(static_cast<double>(*total_ - done_) / rate);
    line += fmt::format(", ETA {}:{:02}", remaining / 60, remaining % 60);
  }
  std::cerr << (tty_ ? "\r\x1b[K" : "") << line << (tty_ ? "" : "\n") << std::flush;
  drawn_ = true;
}

Command add_ingest(CLI::App& app) {
  auto* sub = app.add_subcommand("ingest", "code articles and keep them, with their records, in the store");
  auto options = std::make_shared<IngestOptions>();
  sub->add_option("--db", options->db, "the store (SQLite); created when missing")
      ->capture_default_str();
  sub->add_option("--rules", options->rules, "rule pack directory")->capture_default_str();
  sub->add_option("--batch", options->batch,
                  "articles per transaction: a crash loses at most the batch in progress")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  sub->add_option("--jobs", options->jobs, "coding threads (0: one per core)")
      ->capture_default_str();
  auto* progress = sub->add_flag("--progress", options->progress,
                                 "show progress on stderr even when it is not a terminal");
  sub->add_flag("--no-progress", options->no_progress, "never show progress")->excludes(progress);
  add_input_options(*sub, options->input);
  sub->add_option("paths", options->paths,
                  ".txt/.md/.jsonl files, directories, or - for JSONL on stdin")
      ->required();
  sub->footer(
      "Idempotent: an article already stored with the same content is skipped (not re-coded). A "
      "known id with new content is reported and kept as a new version; the old one stays. Each "
      "batch is one transaction, so a killed ingest leaves only whole articles and a second run "
      "stores the rest. Progress (articles/s, ETA) goes to stderr when it is a terminal.\n"
      "Exit status: 0 all stored, 1 some inputs could not be read (the rest is stored), 2 usage, "
      "rule or store errors.");
  return [options]() { return ingest(*options); };
}

}  // namespace stance::cli
