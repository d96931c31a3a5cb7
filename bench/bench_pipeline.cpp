// The whole coding pipeline, Engine::code: text, both automata, attribution, records. Bytes/s are
// bytes of article text. The argument is the number of threads: each codes every n-th article with
// its own workspace, as `stance run -j N` does, and all share one engine.
#include <benchmark/benchmark.h>

#include <thread>

#include "bench_corpus.hpp"
#include "stance/engine.hpp"

namespace {

// One engine per pack, made once.
const stance::Engine* engine_for(bool extra) {
  static const stance::Engine default_engine(stance::bench::default_pack());
  static const std::unique_ptr<const stance::Engine> extra_engine =
      stance::bench::extra_pack() ? std::make_unique<const stance::Engine>(stance::bench::extra_pack()) : nullptr;
  return extra ? extra_engine.get() : &default_engine;
}

void code(benchmark::State& state, bool extra, bool use_workspace) {
  const stance::Engine* engine = engine_for(extra);
  if (!engine) {
    state.SkipWithError("STANCE_BENCH_PACK is not set");
    return;
  }
  const auto& articles = stance::bench::sample();
  const auto threads = static_cast<std::size_t>(state.range(0));
  std::vector<stance::Engine::Workspace> workspaces(threads);  // kept across iterations, as workers keep them
  std::vector<std::size_t> records(threads, 0);
  const auto share = [&](std::size_t me) {
    for (std::size_t i = me; i < articles.size(); i += threads) {
      records[me] += (use_workspace ? engine->code(articles[i], workspaces[me]) : engine->code(articles[i])).size();
    }
  };
  for (auto _ : state) {
    if (threads == 1) {
      share(0);
      continue;
    }
    std::vector<std::jthread> running;
    for (std::size_t t = 0; t < threads; ++t) running.emplace_back(share, t);
  }
  benchmark::DoNotOptimize(records.data());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stance::bench::sample_bytes()));
}

void BM_Code(benchmark::State& state) { code(state, false, true); }
void BM_CodeNoWorkspace(benchmark::State& state) { code(state, false, false); }
void BM_CodeExtraPack(benchmark::State& state) { code(state, true, true); }

BENCHMARK(BM_Code)->Unit(benchmark::kMillisecond)->UseRealTime()->Arg(1)->Arg(2);
BENCHMARK(BM_CodeNoWorkspace)->Unit(benchmark::kMillisecond)->UseRealTime()->Arg(1);
BENCHMARK(BM_CodeExtraPack)->Unit(benchmark::kMillisecond)->UseRealTime()->Arg(1);

}  // namespace

BENCHMARK_MAIN();
