// Positions over time and the effect of a re-coding: plain functions of records, so they work the
// same over any store.
#include <algorithm>
#include <numeric>
#include <tuple>

#include "stance/store.hpp"

namespace stance {
namespace {

using CellKey = std::pair<std::string, std::string>;  // (actor, issue)

std::size_t index_of(Stance stance) { return static_cast<std::size_t>(stance); }


std::size_t total(const StanceCounts& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::size_t{0});
}

StanceSet present(const StanceCounts& counts) {
  StanceSet stances{};
  for (std::size_t i = 0; i < kStanceCount; ++i) stances[i] = counts[i] > 0;
  return stances;
}

// What makes two codings of one article "the same record"; span, rule and confidence may differ.
auto identity(const StanceRecord& record) {
  return std::tie(record.sentence, record.actor, record.issue, record.stance, record.reported_by);
}

bool same_details(const StanceRecord& a, const StanceRecord& b) {
  return a.span == b.span && a.cue_span == b.cue_span && a.rule == b.rule &&
         a.confidence == b.confidence && a.affiliation == b.affiliation && a.evidence == b.evidence;
}

}  // namespace

std::string_view polarity(const StanceSet& stances) {
  const bool against = stances[index_of(Stance::reject)];
  const bool in_favour = stances[index_of(Stance::demand)] || stances[index_of(Stance::accept)];
  if (against && in_favour) return "mixed";
  if (against) return "against";
  if (in_favour) return "for";
  return "none";
}

std::string stance_set_name(const StanceSet& stances) {
  std::string name;
  for (std::size_t i = 0; i < kStanceCount; ++i) {
    if (!stances[i]) continue;
    if (!name.empty()) name += '+';
    name += to_string(static_cast<Stance>(i));
  }
  return name.empty() ? "none" : name;
}

std::map<std::pair<std::string, std::string>, std::vector<Position>> positions(
    std::span<const StanceRecord> records) {
  // Stable by date, so records of one day keep the store's article and text order.
  std::vector<const StanceRecord*> dated;
  for (const StanceRecord& record : records) {
    if (!record.date.empty()) dated.push_back(&record);
  }
  std::stable_sort(dated.begin(), dated.end(),
                   [](const StanceRecord* a, const StanceRecord* b) { return a->date < b->date; });
  std::map<CellKey, std::vector<Position>> timeline;
  for (const StanceRecord* record : dated) {
    auto& history = timeline[{record->actor, record->issue}];
    if (history.empty() || history.back().date != record->date) {
      history.push_back(Position{record->date, {}, {}});
    }
    history.back().stances[index_of(record->stance)] = true;
    history.back().evidence.push_back(*record);
  }
  return timeline;
}

std::vector<StanceRecord> latest_positions(std::span<const StanceRecord> records) {
  std::vector<StanceRecord> latest;
  for (auto& [cell, history] : positions(records)) {
    auto& evidence = history.back().evidence;
    latest.insert(latest.end(), std::make_move_iterator(evidence.begin()),
                  std::make_move_iterator(evidence.end()));
  }
  return latest;
}

std::vector<PositionChange> position_changes(std::span<const StanceRecord> records,
                                             std::string_view since, bool any_change) {
  std::vector<PositionChange> changes;
  for (auto& [cell, history] : positions(records)) {
    for (std::size_t i = 1; i < history.size(); ++i) {
      const Position& before = history[i - 1];
      const Position& after = history[i];
      if (after.date < since) continue;
      const bool changed = any_change ? before.stances != after.stances
                                      : polarity(before.stances) != polarity(after.stances);
      if (changed) changes.push_back({cell.first, cell.second, before, after});
    }
  }
  return changes;
}

std::string_view to_string(CellChangeKind kind) {
  switch (kind) {
    case CellChangeKind::gained: return "gained";
    case CellChangeKind::lost: return "lost";
    case CellChangeKind::flipped: return "flipped";
    case CellChangeKind::recounted: return "recounted";
  }
  return "changed";
}

std::size_t CodingDiff::count(CellChangeKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      cells.begin(), cells.end(), [kind](const CellChange& cell) { return cell.kind == kind; }));
}

CodingDiffBuilder::CodingDiffBuilder(std::span<const CellCount> archive) {
  for (const CellCount& count : archive) {
    Cell& cell = cells_[{count.actor, count.issue}];
    cell.before[index_of(count.stance)] += count.count;
    cell.after[index_of(count.stance)] += count.count;
  }
}

void CodingDiffBuilder::add(std::span<const StanceRecord> before,
                            std::span<const StanceRecord> after) {
  ++totals_.articles;
  totals_.records_before += before.size();
  totals_.records_after += after.size();
  std::vector<bool> matched(before.size(), false);
  bool changed = false;
  for (const StanceRecord& fresh : after) {
    bool found = false;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (matched[i] || identity(before[i]) != identity(fresh)) continue;
      matched[i] = found = true;
      if (!same_details(before[i], fresh)) {
        ++totals_.records_altered;
        changed = true;
      }
      break;
    }
    if (found) continue;
    Cell& cell = cells_[{fresh.actor, fresh.issue}];
    ++cell.after[index_of(fresh.stance)];
    cell.added.push_back(fresh);
    ++totals_.records_added;
    changed = true;
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (matched[i]) continue;
    Cell& cell = cells_[{before[i].actor, before[i].issue}];
    // The archive counts include these records; an archive that does not is the caller's bug,
    // and saturating keeps it from wrapping around.
    std::size_t& count = cell.after[index_of(before[i].stance)];
    if (count > 0) --count;
    cell.removed.push_back(before[i]);
    ++totals_.records_removed;
    changed = true;
  }
  if (changed) ++totals_.articles_changed;
}

CodingDiff CodingDiffBuilder::finish() const {
  CodingDiff diff = totals_;
  for (const auto& [key, cell] : cells_) {
    if (cell.before == cell.after) continue;
    CellChangeKind kind = CellChangeKind::recounted;
    if (total(cell.before) == 0) {
      kind = CellChangeKind::gained;
    } else if (total(cell.after) == 0) {
      kind = CellChangeKind::lost;
    } else if (present(cell.before) != present(cell.after)) {
      kind = CellChangeKind::flipped;
    }
    diff.cells.push_back({key.first, key.second, kind, cell.before, cell.after, cell.removed, cell.added});
  }
  return diff;
}

}  // namespace stance
