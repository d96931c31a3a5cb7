#include "ordered_coder.hpp"

#include <algorithm>

namespace stance::cli {

namespace {

// In flight per worker: enough that a long article does not leave the others idle, few enough
// that memory stays a small multiple of the largest article.
constexpr std::size_t kWindowPerJob = 4;
// How long an idle worker polls for the next article before it sleeps (yields, a few µs each).
constexpr int kSpinsBeforeSleep = 50;

}  // namespace

OrderedCoder::OrderedCoder(unsigned jobs, Code code, Emit emit)
    : jobs_(jobs == 0 ? std::max(1U, std::thread::hardware_concurrency()) : jobs),
      code_(std::move(code)),
      emit_(std::move(emit)) {
  if (jobs_ == 1) return;
  slots_.resize(kWindowPerJob * jobs_);
  // The calling thread is the last of the jobs: it codes too while it waits (wait_for_oldest).
  workers_.reserve(jobs_ - 1);
  for (unsigned j = 0; j + 1 < jobs_; ++j) workers_.emplace_back([this] { work(); });
}

OrderedCoder::~OrderedCoder() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  workers_.clear();  // joins: a worker finishes the article in its hands, then sees stopping_
}

void OrderedCoder::code_next(std::unique_lock<std::mutex>& lock, Engine::Workspace& workspace) {
  Slot& slot = slots_[next_work_++ % slots_.size()];
  lock.unlock();
  CodedResult result;
  std::exception_ptr failure;
  try {
    result = code_(slot.article, workspace);
  } catch (...) {
    failure = std::current_exception();
  }
  lock.lock();
  slot.result = std::move(result);
  slot.failure = failure;
  slot.done = true;
}

void OrderedCoder::work() {
  Engine::Workspace workspace;  // one per worker, kept from article to article
  std::unique_lock lock(mutex_);
  while (true) {
    if (!stopping_ && next_work_ >= next_) {
      // The reader hands over the next article within microseconds, far sooner than a sleeping
      // thread is woken (tens of microseconds on a virtual machine, once per article): poll for
      // a while first, without the mutex.
      const std::size_t wanted = next_work_;
      lock.unlock();
      for (int spin = 0; spin < kSpinsBeforeSleep && submitted_.load(std::memory_order_relaxed) <= wanted; ++spin) {
        std::this_thread::yield();
      }
      lock.lock();
    }
    work_ready_.wait(lock, [&] { return stopping_ || next_work_ < next_; });
    if (stopping_) return;
    code_next(lock, workspace);
    if (emitter_waiting_) work_done_.notify_one();
  }
}

void OrderedCoder::wait_for_oldest(std::unique_lock<std::mutex>& lock) {
  // Rather than sleep while the oldest article is being coded, the calling thread codes a queued
  // one itself: with as many workers as cores, reading, writing and coding then share the cores
  // without a context switch per article.
  Slot& oldest = slots_[oldest_ % slots_.size()];
  while (!oldest.done) {
    if (next_work_ < next_) {
      code_next(lock, inline_workspace_);
      continue;
    }
    emitter_waiting_ = true;
    work_done_.wait(lock, [&] { return oldest.done; });
    emitter_waiting_ = false;
  }
}

bool OrderedCoder::emit_oldest(std::unique_lock<std::mutex>& lock, bool wait) {
  if (oldest_ == next_) return false;
  Slot& slot = slots_[oldest_ % slots_.size()];
  if (wait) wait_for_oldest(lock);
  if (!slot.done) return false;
  Article article = std::move(slot.article);
  CodedResult result = std::move(slot.result);
  const std::exception_ptr failure = slot.failure;
  slot = Slot{};
  ++oldest_;
  lock.unlock();
  if (failure) std::rethrow_exception(failure);  // the caller's stack unwinds; lock is released
  emit_(std::move(article), std::move(result));
  lock.lock();
  return true;
}

void OrderedCoder::submit(Article&& article) {
  if (workers_.empty()) {
    CodedResult result = code_(article, inline_workspace_);
    emit_(std::move(article), std::move(result));
    return;
  }
  std::unique_lock lock(mutex_);
  while (emit_oldest(lock, false)) {
  }
  while (next_ - oldest_ == slots_.size()) emit_oldest(lock, true);
  Slot& slot = slots_[next_ % slots_.size()];
  slot.article = std::move(article);
  slot.done = false;
  ++next_;
  submitted_.store(next_, std::memory_order_relaxed);
  lock.unlock();
  work_ready_.notify_one();
}

void OrderedCoder::finish() {
  if (workers_.empty()) return;
  std::unique_lock lock(mutex_);
  while (emit_oldest(lock, true)) {
  }
}

}  // namespace stance::cli
