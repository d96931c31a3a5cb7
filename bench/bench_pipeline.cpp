// The whole coding pipeline, Engine::code: text, both automata, attribution, records. Bytes/s are
// bytes of article text; the threaded variants give each thread its own workspace, as
// `stance run -j N` does, and share one engine.
#include <benchmark/benchmark.h>

#include "bench_corpus.hpp"
#include "stance/engine.hpp"

namespace {

// One engine per pack, made once and shared by the benchmark's threads.
const stance::Engine* engine_for(bool extra) {
  static const stance::Engine default_engine(stance::bench::default_pack());
  static const std::unique_ptr<const stance::Engine> extra_engine =
      stance::bench::extra_pack() ? std::make_unique<const stance::Engine>(stance::bench::extra_pack()) : nullptr;
  return extra ? extra_engine.get() : &default_engine;
}

void code(benchmark::State& state, bool extra, bool workspace) {
  const stance::Engine* engine = engine_for(extra);
  if (!engine) {
    state.SkipWithError("STANCE_BENCH_PACK is not set");
    return;
  }
  const auto& articles = stance::bench::sample();
  // Threads split the sample; each codes its share with its own workspace.
  const auto threads = static_cast<std::size_t>(state.threads());
  const auto me = static_cast<std::size_t>(state.thread_index());
  stance::Engine::Workspace own;
  std::size_t records = 0;
  for (auto _ : state) {
    for (std::size_t i = me; i < articles.size(); i += threads) {
      records += (workspace ? engine->code(articles[i], own) : engine->code(articles[i])).size();
    }
  }
  benchmark::DoNotOptimize(records);
  // An iteration is the whole sample, coded by all threads together. Google Benchmark sums a rate
  // counter over the threads and divides by their summed time: the whole engine's throughput.
  state.counters["text_bytes_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * stance::bench::sample_bytes()),
      benchmark::Counter::kIsRate);
}

void BM_Code(benchmark::State& state) { code(state, false, true); }
void BM_CodeNoWorkspace(benchmark::State& state) { code(state, false, false); }
void BM_CodeExtraPack(benchmark::State& state) { code(state, true, true); }

BENCHMARK(BM_Code)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_CodeNoWorkspace)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CodeExtraPack)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
