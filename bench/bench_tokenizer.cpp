// The text stage alone: tokenizing (folding, stemming) and sentence splitting, with a stemmer kept
// from article to article as a worker keeps it. Bytes/s are bytes of article text.
#include <benchmark/benchmark.h>

#include "bench_corpus.hpp"
#include "rules/compiled_pack.hpp"
#include "text/tokenizer.hpp"

namespace {

// Tokenizes every sample article with `lexer` (a stemmer or a word cache) kept across them.
template <typename Lexer>
void tokenize_sample(benchmark::State& state, Lexer& lexer) {
  const auto& articles = stance::bench::sample();
  stance::text::Document document;
  for (auto _ : state) {
    for (const auto& article : articles) {
      stance::text::tokenize(article.text, lexer, document);
      benchmark::DoNotOptimize(document.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stance::bench::sample_bytes()));
}

void BM_Tokenize(benchmark::State& state) {
  stance::text::Stemmer stemmer;
  tokenize_sample(state, stemmer);
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

// As a coding worker tokenizes: a word cache kept from article to article, bound to the pack's
// vocabulary, so that nearly every token is a cache hit.
void BM_TokenizeCached(benchmark::State& state) {
  const auto pack = stance::bench::default_pack();
  stance::text::WordCache cache;
  pack->compiled().bind(cache);
  tokenize_sample(state, cache);
}
BENCHMARK(BM_TokenizeCached)->Unit(benchmark::kMillisecond);

// As attribution made it before Engine::Workspace: a fresh stemmer (and cache) per article.
void BM_TokenizeFreshStemmer(benchmark::State& state) {
  const auto& articles = stance::bench::sample();
  stance::text::Document document;
  for (auto _ : state) {
    for (const auto& article : articles) {
      stance::text::Stemmer stemmer;
      stance::text::tokenize(article.text, stemmer, document);
      benchmark::DoNotOptimize(document.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stance::bench::sample_bytes()));
}
BENCHMARK(BM_TokenizeFreshStemmer)->Unit(benchmark::kMillisecond);

void BM_TokenizeAndSplit(benchmark::State& state) {
  const auto& articles = stance::bench::sample();
  const auto& abbreviations = stance::bench::default_pack()->compiled().abbreviations;
  stance::text::Stemmer stemmer;
  stance::text::Document document;
  for (auto _ : state) {
    for (const auto& article : articles) {
      stance::text::tokenize(article.text, stemmer, document);
      stance::text::split_sentences(abbreviations, document);
      benchmark::DoNotOptimize(document.sentences.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stance::bench::sample_bytes()));
}
BENCHMARK(BM_TokenizeAndSplit)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
