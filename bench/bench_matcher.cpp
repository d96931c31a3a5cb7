// The two token automata over pre-tokenized text: layer 1 (actor aliases, issue members), then
// layer 2 (cues, grammar) with layer 1's mentions. With STANCE_BENCH_PACK set (a pack with 20,000
// invented aliases, say), the same text is matched with that pack too: the cost per byte should
// not grow with the pack.
#include <benchmark/benchmark.h>

#include "bench_corpus.hpp"
#include "rules/compiled_pack.hpp"
#include "text/tokenizer.hpp"

namespace {

struct Prepared {
  std::vector<stance::text::Document> documents;
};

// The sample tokenized and split, with the pack's vocabulary ids, as attribution prepares it.
Prepared prepare(const stance::detail::CompiledPack& pack) {
  Prepared prepared;
  stance::text::Stemmer stemmer;
  for (const auto& article : stance::bench::sample()) {
    auto& document = prepared.documents.emplace_back();
    stance::text::tokenize(article.text, stemmer, document);
    stance::text::split_sentences(pack.abbreviations, document);
    for (auto& t : document.tokens) {
      t.form_id = pack.vocabulary.find(t.folded());
      t.stem_id = pack.vocabulary.find(t.stem());
    }
  }
  return prepared;
}

void match(benchmark::State& state, const stance::RulePack* rules, bool own_scratch) {
  if (!rules) {
    state.SkipWithError("STANCE_BENCH_PACK is not set");
    return;
  }
  const auto& pack = rules->compiled();
  const Prepared prepared = prepare(pack);
  stance::match::MatchScratch entity_scratch, phrase_scratch;
  std::vector<stance::match::AutomatonMatch> found;
  stance::match::EntityIndex mentions;
  std::size_t matches = 0;
  for (auto _ : state) {
    for (const auto& document : prepared.documents) {
      mentions.spans.clear();
      mentions.starting_at.assign(document.tokens.size() + 1, {});
      for (const auto& sentence : document.sentences) {
        found.clear();
        pack.entities.find_all(document.tokens, sentence.first_token, sentence.end_token, nullptr, found,
                               own_scratch ? &entity_scratch : nullptr);
        for (const auto& m : found) {
          const auto& entry = pack.entries[static_cast<std::size_t>(m.entry)];
          mentions.starting_at[m.begin].push_back(static_cast<std::uint32_t>(mentions.spans.size()));
          mentions.spans.push_back({m.begin, m.end, entry.kind == stance::detail::EntryKind::actor, entry.ref});
        }
        matches += found.size();
        found.clear();
        pack.phrases.find_all(document.tokens, sentence.first_token, sentence.end_token, &mentions, found,
                              own_scratch ? &phrase_scratch : nullptr);
        matches += found.size();
      }
    }
  }
  benchmark::DoNotOptimize(matches);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stance::bench::sample_bytes()));
  if (own_scratch) {
    state.counters["dfa_states"] = static_cast<double>(entity_scratch.dfa_states() + phrase_scratch.dfa_states());
  }
}

void BM_MatchDefaultPack(benchmark::State& state) { match(state, stance::bench::default_pack().get(), true); }
void BM_MatchDefaultPackPooled(benchmark::State& state) { match(state, stance::bench::default_pack().get(), false); }
void BM_MatchExtraPack(benchmark::State& state) { match(state, stance::bench::extra_pack().get(), true); }

BENCHMARK(BM_MatchDefaultPack)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchDefaultPackPooled)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchExtraPack)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
