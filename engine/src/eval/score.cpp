// Scoring found triples against gold (docs/eval.md, "Metrics"). Triples are sets per passage: a
// triple found in three sentences, or written twice in the gold, counts once.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "stance/eval.hpp"

namespace stance {

double Counts::precision() const {
  return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
}

double Counts::recall() const {
  return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
}

double Counts::f1() const {
  // 2PR/(P+R) written in counts, so that P = 0 or R = 0 needs no special case.
  const std::size_t denominator = 2 * tp + fp + fn;
  return denominator == 0 ? 1.0 : static_cast<double>(2 * tp) / static_cast<double>(denominator);
}

Counts& Counts::operator+=(const Counts& other) {
  tp += other.tp;
  fp += other.fp;
  fn += other.fn;
  return *this;
}

namespace {

struct Triple {
  std::string actor;
  std::string issue;
  Stance stance = Stance::demand;
  friend auto operator<=>(const Triple&, const Triple&) = default;
};

using TripleSet = std::set<Triple>;

std::size_t index_of(Stance stance) { return static_cast<std::size_t>(stance); }

void add_triples(TripleSet& out, const std::vector<GoldTriple>& triples) {
  for (const auto& t : triples) out.insert({t.actor, t.issue, t.stance});
}

// Counts one passage's sets into `scores`. A found triple that is optional (and not gold) is
// excused: neither TP nor FP.
void count(const TripleSet& gold, const TripleSet& optional, const TripleSet& found, LevelScores& scores) {
  auto tally = [&](const Triple& t, std::size_t Counts::*field) {
    scores.overall.*field += 1;
    scores.by_issue[t.issue].*field += 1;
    scores.by_stance[index_of(t.stance)].*field += 1;
  };
  for (const auto& t : found) {
    if (gold.contains(t)) {
      tally(t, &Counts::tp);
    } else if (!optional.contains(t)) {
      tally(t, &Counts::fp);
    }
  }
  for (const auto& t : gold) {
    if (!found.contains(t)) tally(t, &Counts::fn);
  }
}

// The passage's sets with every actor replaced by its affiliation.
TripleSet roll_up(const TripleSet& triples, const RulePack& pack) {
  TripleSet out;
  for (const auto& t : triples) {
    const ActorInfo* actor = pack.find_actor(t.actor);
    const std::string& group = actor && !actor->affiliation.empty() ? actor->affiliation : t.actor;
    out.insert({group, t.issue, t.stance});
  }
  return out;
}

// Where a sentence sits in the passage, so that --show lists errors in reading order.
std::size_t position(const GoldPassage& passage, const std::string& sentence) {
  if (sentence.empty()) return passage.text.size();
  const auto at = passage.text.find(sentence);
  return at == std::string::npos ? passage.text.size() : at;
}

class Scorer {
 public:
  explicit Scorer(const RulePack& pack) : pack_(pack) {}

  void add(const GoldPassage& passage, const std::vector<StanceRecord>& records) {
    ++result_.passages;
    TripleSet gold, optional, found;
    add_triples(gold, passage.gold);
    add_triples(optional, passage.optional);
    std::erase_if(optional, [&](const Triple& t) { return gold.contains(t); });
    // The first record of each triple stands for it in --show: the sentence a reader checks first.
    std::map<Triple, const StanceRecord*> first_record;
    for (const auto& r : records) {
      Triple t{r.actor, r.issue, r.stance};
      first_record.try_emplace(t, &r);
      found.insert(std::move(t));
    }
    result_.gold_triples += gold.size();
    result_.optional_triples += optional.size();
    result_.found_triples += found.size();
    for (const auto& t : found) {
      if (optional.contains(t)) ++result_.optional_found;
    }
    note_unknown_ids(gold);
    note_unknown_ids(optional);

    count(gold, optional, found, result_.strict);
    const TripleSet gold_up = roll_up(gold, pack_);
    TripleSet optional_up = roll_up(optional, pack_);
    std::erase_if(optional_up, [&](const Triple& t) { return gold_up.contains(t); });
    count(gold_up, optional_up, roll_up(found, pack_), result_.affiliation);

    confuse(gold, optional, found);
    list_errors(passage, gold, optional, found, first_record);
  }

  EvalResult finish() {
    result_.unknown_actors.assign(unknown_actors_.begin(), unknown_actors_.end());
    result_.unknown_issues.assign(unknown_issues_.begin(), unknown_issues_.end());
    return std::move(result_);
  }

 private:
  void note_unknown_ids(const TripleSet& triples) {
    for (const auto& t : triples) {
      if (!pack_.find_actor(t.actor)) unknown_actors_.insert(t.actor);
      if (!pack_.find_issue(t.issue)) unknown_issues_.insert(t.issue);
    }
  }

  // Per actor and issue: stances in both sets are matches; the rest are paired gold-to-found in
  // stance order (a wrong stance), and what is left has no partner.
  void confuse(const TripleSet& gold, const TripleSet& optional, const TripleSet& found) {
    using Pair = std::pair<std::string, std::string>;
    std::map<Pair, std::pair<std::set<Stance>, std::set<Stance>>> by_pair;
    for (const auto& t : gold) by_pair[{t.actor, t.issue}].first.insert(t.stance);
    for (const auto& t : found) {
      if (!optional.contains(t)) by_pair[{t.actor, t.issue}].second.insert(t.stance);
    }
    for (const auto& [pair, stances] : by_pair) {
      const auto& [gold_stances, found_stances] = stances;
      std::vector<Stance> missed, extra;
      for (Stance s : gold_stances) {
        if (found_stances.contains(s)) {
          ++result_.confusion[index_of(s)][index_of(s)];
        } else {
          missed.push_back(s);
        }
      }
      for (Stance s : found_stances) {
        if (!gold_stances.contains(s)) extra.push_back(s);
      }
      const std::size_t pairs = std::max(missed.size(), extra.size());
      for (std::size_t i = 0; i < pairs; ++i) {
        const std::size_t row = i < missed.size() ? index_of(missed[i]) : kNoStance;
        const std::size_t column = i < extra.size() ? index_of(extra[i]) : kNoStance;
        ++result_.confusion[row][column];
      }
    }
  }

  void list_errors(const GoldPassage& passage, const TripleSet& gold, const TripleSet& optional,
                   const TripleSet& found, const std::map<Triple, const StanceRecord*>& first_record) {
    std::vector<std::pair<std::size_t, EvalError>> errors;
    for (const auto& t : found) {
      if (gold.contains(t) || optional.contains(t)) continue;
      const StanceRecord& r = *first_record.at(t);
      EvalError e;
      e.kind = EvalError::Kind::false_positive;
      e.passage = passage.id;
      e.actor = t.actor;
      e.issue = t.issue;
      e.stance = t.stance;
      e.sentence = r.evidence;
      e.sentence_number = r.sentence;
      e.rule = r.rule;
      errors.emplace_back(r.span.begin, std::move(e));
    }
    for (const auto& gt : passage.gold) {
      const Triple t{gt.actor, gt.issue, gt.stance};
      if (found.contains(t)) continue;
      // The gold may list a triple twice; report it once.
      const bool listed = std::any_of(errors.begin(), errors.end(), [&](const auto& entry) {
        const EvalError& e = entry.second;
        return e.kind == EvalError::Kind::false_negative && e.actor == t.actor && e.issue == t.issue &&
               e.stance == t.stance;
      });
      if (listed) continue;
      EvalError e;
      e.kind = EvalError::Kind::false_negative;
      e.passage = passage.id;
      e.actor = t.actor;
      e.issue = t.issue;
      e.stance = t.stance;
      e.sentence = gt.evidence;
      e.note = gt.note;
      // A record with the same actor and issue but another stance explains most misses.
      for (const auto& [other, record] : first_record) {
        if (other.actor == t.actor && other.issue == t.issue && !gold.contains(other)) {
          e.rule = record->rule;
          e.found_stance = std::string(to_string(other.stance));
          break;
        }
      }
      errors.emplace_back(position(passage, gt.evidence), std::move(e));
    }
    std::stable_sort(errors.begin(), errors.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& entry : errors) result_.errors.push_back(std::move(entry.second));
  }

  const RulePack& pack_;
  EvalResult result_;
  std::set<std::string> unknown_actors_, unknown_issues_;
};

}  // namespace

EvalResult score(const RulePack& pack, std::span<const GoldPassage> passages,
                 std::span<const std::vector<StanceRecord>> found) {
  Scorer scorer(pack);
  const std::vector<StanceRecord> none;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    scorer.add(passages[i], i < found.size() ? found[i] : none);
  }
  return scorer.finish();
}

EvalResult evaluate(const Engine& engine, std::span<const GoldPassage> passages) {
  std::vector<std::vector<StanceRecord>> found;
  found.reserve(passages.size());
  for (const auto& passage : passages) found.push_back(engine.code(to_article(passage)));
  return score(engine.pack(), passages, found);
}

}  // namespace stance
