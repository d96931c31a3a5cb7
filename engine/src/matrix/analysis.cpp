// Record selection, duplicate handling and time slicing: from coded records to the matrices and
// views the reports show, keeping every cell's records.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "stance/matrix.hpp"

namespace stance {

// ---------------------------------------------------------------------------------------------
// Dates

namespace {

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<long> day_number(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  // Only a time part may follow the date.
  if (iso.size() > 10 && iso[10] != 'T' && iso[10] != ' ') return std::nullopt;
  const auto year = digits(iso.substr(0, 4));
  const auto month = digits(iso.substr(5, 2));
  const auto day = digits(iso.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return static_cast<long>(std::chrono::sys_days(date).time_since_epoch().count());
}

std::string iso_date(long day) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<int> parse_days(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int unit = 1;
  if (text.back() == 'd' || text.back() == 'w') {
    unit = text.back() == 'w' ? 7 : 1;
    text.remove_suffix(1);
  }
  // A window of more than about 270 years is a typo, and keeps the product far from overflow.
  if (text.empty() || text.size() > 5) return std::nullopt;
  const auto value = digits(text);
  if (!value || *value < 1) return std::nullopt;
  return *value * unit;
}

std::vector<DateRange> make_windows(long first, long last, int length, int step) {
  std::vector<DateRange> windows;
  if (length < 1 || last < first) return windows;
  if (step < 1) step = length;
  for (long start = first;; start += step) {
    const long end = start + length - 1;
    windows.push_back({iso_date(start), iso_date(end)});
    if (end >= last) break;
  }
  return windows;
}

// ---------------------------------------------------------------------------------------------
// Options

std::string_view to_string(CountMode mode) {
  return mode == CountMode::article ? "article" : "mention";
}

std::string_view to_string(RowKind rows) {
  return rows == RowKind::affiliation ? "affiliation" : "actor";
}

namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

long bound_day(const std::string& date, const char* what) {
  const auto day = day_number(date);
  if (!day) {
    throw std::invalid_argument(std::string(what) + ": not an ISO date (YYYY-MM-DD): " + date);
  }
  return *day;
}

}  // namespace

bool RecordFilter::keeps(const StanceRecord& record) const {
  if (!actors.empty() && !listed(actors, record.actor) && !listed(actors, record.affiliation)) {
    return false;
  }
  if (!issues.empty() && !listed(issues, record.issue)) return false;
  if (!sources.empty() && !listed(sources, record.source)) return false;
  if (since.empty() && until.empty()) return true;
  const auto day = day_number(record.date);
  if (!day) return false;
  if (!since.empty() && *day < bound_day(since, "since")) return false;
  if (!until.empty() && *day > bound_day(until, "until")) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Slices

std::span<const std::size_t> Slice::evidence(std::size_t row, std::size_t issue) const {
  const std::size_t cell = row * matrix.issues().size() + issue;
  const auto [begin, end] = std::equal_range(cell_of_.begin(), cell_of_.end(), cell);
  const auto offset = static_cast<std::size_t>(begin - cell_of_.begin());
  return std::span(record_of_).subspan(offset, static_cast<std::size_t>(end - begin));
}

const std::string& Analysis::row_of(const StanceRecord& record) const {
  if (options_.rows == RowKind::affiliation && !record.affiliation.empty()) {
    return record.affiliation;
  }
  return record.actor;
}

Slice Analysis::make_slice(const std::vector<std::size_t>& members, DateRange range) const {
  const auto build = [&](const std::vector<std::size_t>& chosen) {
    StanceMatrix matrix(options_.issue_order);
    for (const std::size_t index : chosen) {
      if (!counted_[index]) continue;
      StanceRecord contribution = records_[index];
      contribution.confidence = counted_weight_[index];
      matrix.add(contribution);
    }
    return options_.rows == RowKind::affiliation ? matrix.rolled_up_by_affiliation() : matrix;
  };

  Slice slice;
  slice.range = std::move(range);
  slice.matrix = build(members);
  std::vector<std::size_t> kept = members;
  if (options_.min_count > 0.0) {
    // Dropping a thin cell drops its records, so its evidence and every view agree with the
    // matrix; rebuilding (rather than zeroing cells) also drops rows and columns left empty.
    const StanceMatrix& full = slice.matrix;
    std::erase_if(kept, [&](std::size_t index) {
      const StanceRecord& record = records_[index];
      const std::size_t row = *full.find_actor(row_of(record));
      const std::size_t issue = *full.find_issue(record.issue);
      return full.cell(row, issue).total_count() < options_.min_count;
    });
    slice.matrix = build(kept);
  }

  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  pairs.reserve(kept.size());
  const std::size_t issues = slice.matrix.issues().size();
  for (const std::size_t index : kept) {
    const StanceRecord& record = records_[index];
    const std::size_t row = *slice.matrix.find_actor(row_of(record));
    const std::size_t issue = *slice.matrix.find_issue(record.issue);
    pairs.emplace_back(row * issues + issue, index);
  }
  std::sort(pairs.begin(), pairs.end());
  slice.cell_of_.reserve(pairs.size());
  slice.record_of_.reserve(pairs.size());
  for (const auto& [cell, index] : pairs) {
    slice.cell_of_.push_back(cell);
    slice.record_of_.push_back(index);
  }
  slice.record_count_ = kept.size();
  return slice;
}

Analysis::Analysis(std::vector<StanceRecord> records, AnalysisOptions options)
    : options_(std::move(options)) {
  // Bad bounds are a usage error, even when no record would have reached the check.
  if (!options_.filter.since.empty()) (void)bound_day(options_.filter.since, "since");
  if (!options_.filter.until.empty()) (void)bound_day(options_.filter.until, "until");
  if (options_.window.length_days < 0 || options_.window.step_days < 0) {
    throw std::invalid_argument("window and step must be positive");
  }

  for (StanceRecord& record : records) {
    if (options_.filter.keeps(record)) records_.push_back(std::move(record));
  }
  // Chronological, so evidence lists and event lists read as a story; undated records last.
  std::vector<std::optional<long>> days;
  days.reserve(records_.size());
  for (const StanceRecord& record : records_) days.push_back(day_number(record.date));
  std::vector<std::size_t> order(records_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(!days[a].has_value(), days[a].value_or(0)) <
           std::pair(!days[b].has_value(), days[b].value_or(0));
  });
  {
    std::vector<StanceRecord> sorted;
    std::vector<std::optional<long>> sorted_days;
    sorted.reserve(records_.size());
    sorted_days.reserve(records_.size());
    for (const std::size_t index : order) {
      sorted.push_back(std::move(records_[index]));
      sorted_days.push_back(days[index]);
    }
    records_ = std::move(sorted);
    days = std::move(sorted_days);
  }

  // Duplicates: in article mode the first mention of a triple in an article stands for all of
  // them, weighted by the firmest (highest-confidence) mention.
  counted_.assign(records_.size(), true);
  counted_weight_.resize(records_.size());
  for (std::size_t i = 0; i < records_.size(); ++i) counted_weight_[i] = records_[i].confidence;
  if (options_.count == CountMode::article) {
    std::map<std::tuple<std::string_view, std::string_view, std::string_view, Stance>, std::size_t>
        first;
    for (std::size_t i = 0; i < records_.size(); ++i) {
      const StanceRecord& record = records_[i];
      const auto [found, inserted] =
          first.try_emplace({record.article, record.actor, record.issue, record.stance}, i);
      if (inserted) continue;
      counted_[i] = false;
      counted_weight_[found->second] = std::max(counted_weight_[found->second], record.confidence);
    }
  }

  std::optional<long> first_day;
  std::optional<long> last_day;
  std::vector<std::size_t> all(records_.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (const auto& day : days) {
    if (!day) {
      ++undated_;
      continue;
    }
    first_day = first_day ? std::min(*first_day, *day) : *day;
    last_day = last_day ? std::max(*last_day, *day) : *day;
  }
  if (first_day) dates_ = {iso_date(*first_day), iso_date(*last_day)};

  overall_ = make_slice(all, {});

  // Windows span the requested range (or the data's), so an empty window says "nothing in this
  // period" rather than being silently skipped.
  if (options_.window.length_days > 0) {
    const std::optional<long> from =
        options_.filter.since.empty() ? first_day : day_number(options_.filter.since);
    const std::optional<long> to =
        options_.filter.until.empty() ? last_day : day_number(options_.filter.until);
    if (from && to) {
      for (DateRange& range :
           make_windows(*from, *to, options_.window.length_days, options_.window.step_days)) {
        const long begin = *day_number(range.first);
        const long end = *day_number(range.last);
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < records_.size(); ++i) {
          if (days[i] && *days[i] >= begin && *days[i] <= end) members.push_back(i);
        }
        windows_.push_back(make_slice(members, std::move(range)));
      }
    }
  }

  agreement_ = agreement_matrix(overall_.matrix);
  polarisation_ = issue_polarisation(overall_.matrix);
  coalitions_ = stance::coalitions(agreement_, options_.coalition_threshold);

  if (!windows_.empty()) {
    shifts_ = position_shifts(windows_);
  } else {
    // Without windows, each distinct date is a moment of its own: a shift is a change from the
    // side an actor last took.
    // One day at a time: a year of days would otherwise be a year of matrices held at once.
    PositionShiftTracker tracker;
    std::size_t i = 0;
    while (i < records_.size() && days[i]) {
      std::vector<std::size_t> members;
      const long day = *days[i];
      for (; i < records_.size() && days[i] && *days[i] == day; ++i) members.push_back(i);
      tracker.add(make_slice(members, {iso_date(day), iso_date(day)}));
    }
    shifts_ = tracker.take_shifts();
  }
}

}  // namespace stance
