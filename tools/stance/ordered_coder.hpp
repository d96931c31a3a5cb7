#pragma once
// Codes a stream of articles on worker threads and hands the results back in input order, so a
// run prints the same bytes whatever the number of jobs (docs/scale.md). At most `window` articles
// are in flight: memory stays bounded by the largest articles, not by the corpus.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stance/article.hpp"
#include "stance/engine.hpp"
#include "stance/record.hpp"

namespace stance::cli {

// What a worker makes of one article: its records (already filtered, if the caller filters), and
// any text prepared for the output (so that serialising happens on the workers too).
struct CodedResult {
  std::vector<StanceRecord> records;
  std::string text;
};

class OrderedCoder {
 public:
  // Runs on a worker: codes `article` with the worker's own workspace.
  using Code = std::function<CodedResult(const Article& article, Engine::Workspace& workspace)>;
  // Runs on the thread that calls submit() and finish(), once per article, in input order.
  using Emit = std::function<void(Article&& article, CodedResult&& result)>;

  // jobs: worker threads (0: one per core). With one job everything runs on the calling thread.
  OrderedCoder(unsigned jobs, Code code, Emit emit);
  ~OrderedCoder();
  OrderedCoder(const OrderedCoder&) = delete;
  OrderedCoder& operator=(const OrderedCoder&) = delete;

  // Queues an article; while the window is full, waits for the oldest one and emits it. A worker's
  // exception is rethrown here (or by finish) when its article's turn to be emitted comes.
  void submit(Article&& article);
  // Emits everything still in flight.
  void finish();

  [[nodiscard]] unsigned jobs() const { return jobs_; }

 private:
  struct Slot {
    Article article;
    CodedResult result;
    std::exception_ptr failure;
    bool done = false;
  };

  void work();
  // Takes the next queued article and codes it with `workspace` (mutex_ held on entry and exit).
  void code_next(std::unique_lock<std::mutex>& lock, Engine::Workspace& workspace);
  // Until the oldest article is done: codes queued ones on this thread, else sleeps.
  void wait_for_oldest(std::unique_lock<std::mutex>& lock);
  // Emits the oldest slot if it is done (or, when `wait`, once it is). `lock` holds mutex_.
  bool emit_oldest(std::unique_lock<std::mutex>& lock, bool wait);

  unsigned jobs_;
  Code code_;
  Emit emit_;
  Engine::Workspace inline_workspace_;  // the calling thread's: one job, or helping while it waits
  std::vector<Slot> slots_;             // a ring: article number % size
  std::size_t oldest_ = 0;              // article numbers: [oldest_, next_) are in flight,
  std::size_t next_work_ = 0;           // [next_work_, next_) still wait for a worker
  std::size_t next_ = 0;
  bool stopping_ = false;
  bool emitter_waiting_ = false;        // the calling thread sleeps on work_done_
  // next_, readable without the mutex: a worker that finds no work polls it briefly before it
  // sleeps (see work()).
  std::atomic<std::size_t> submitted_{0};
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::vector<std::jthread> workers_;
};

}  // namespace stance::cli
