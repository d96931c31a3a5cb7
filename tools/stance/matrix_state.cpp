#include "matrix_state.hpp"

#include <nlohmann/json.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

#include "report/counts.hpp"
#include "report/format.hpp"

namespace stance::cli {
namespace {

using report_internal::printable;
using report_internal::write_wide_header;
using report_internal::write_wide_rows;

constexpr Stance kStances[] = {Stance::demand, Stance::accept, Stance::reject};
constexpr double kMillion = 1e6;

std::int64_t millionths(double weight) { return std::llround(weight * kMillion); }

nlohmann::ordered_json filter_json(const RecordFilter& filter) {
  nlohmann::ordered_json json;
  json["actors"] = filter.actors;
  json["issues"] = filter.issues;
  json["sources"] = filter.sources;
  json["since"] = filter.since;
  json["until"] = filter.until;
  return json;
}

bool same_filter(const RecordFilter& a, const RecordFilter& b) {
  return a.actors == b.actors && a.issues == b.issues && a.sources == b.sources && a.since == b.since &&
         a.until == b.until;
}

// A field of a partial-state document, with an error that says which.
const nlohmann::json& field(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) {
    throw std::runtime_error(std::string("missing field '") + name + "'");
  }
  return object.at(name);
}

std::string string_field(const nlohmann::json& object, const char* name) {
  const auto& value = field(object, name);
  if (!value.is_string()) throw std::runtime_error(std::string("field '") + name + "' is not a string");
  return value.get<std::string>();
}

std::vector<std::string> strings_field(const nlohmann::json& object, const char* name) {
  const auto& value = field(object, name);
  if (!value.is_array() || !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
    throw std::runtime_error(std::string("field '") + name + "' is not a list of strings");
  }
  return value.get<std::vector<std::string>>();
}

std::int64_t count_field(const nlohmann::json& object, const char* name) {
  const auto& value = field(object, name);
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
    throw std::runtime_error(std::string("field '") + name + "' is not a whole number >= 0");
  }
  return value.get<std::int64_t>();
}

std::string range_text(const DateRange& range) {
  return range.first == range.last ? range.first : range.first + " .. " + range.last;
}


}  // namespace

// ---- the state ------------------------------------------------------------------------------

std::size_t MatrixState::KeyHash::operator()(const Key& key) const {
  std::size_t h = std::hash<std::int64_t>{}(key.day);
  for (const std::size_t part : {std::size_t{key.actor}, std::size_t{key.affiliation}, std::size_t{key.issue},
                                 std::size_t{key.stance}}) {
    h ^= part + 0x9E3779B97F4A7C15ULL + (h << 6U) + (h >> 2U);
  }
  // splitmix64's finaliser: the index masks the low bits, which the combining above leaves weak.
  h = (h ^ (h >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27U)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31U);
}

MatrixState::MatrixState(StateIdentity identity) : identity_(std::move(identity)) {}

std::uint32_t MatrixState::intern(const std::string& text) {
  const auto [found, inserted] = label_ids_.try_emplace(text, static_cast<std::uint32_t>(labels_.size()));
  if (inserted) labels_.push_back(text);
  return found->second;
}

void MatrixState::add(const Key& key, std::int64_t count, std::int64_t weight) {
  if ((cells_.size() + 1) * 2 > index_.size()) grow_index();
  const std::size_t mask = index_.size() - 1;
  std::size_t i = KeyHash{}(key) & mask;
  for (; index_[i] != 0; i = (i + 1) & mask) {
    Cell& cell = cells_[index_[i] - 1];
    if (cell.first == key) {
      cell.second.count += count;
      cell.second.weight += weight;
      return;
    }
  }
  if (cells_.size() >= UINT32_MAX - 1) throw std::runtime_error("more than 4 billion matrix cells");
  cells_.emplace_back(key, Sums{count, weight});
  index_[i] = static_cast<std::uint32_t>(cells_.size());
}

void MatrixState::grow_index() {
  index_.assign(index_.empty() ? 1024 : index_.size() * 2, 0);
  const std::size_t mask = index_.size() - 1;
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    std::size_t i = KeyHash{}(cells_[c].first) & mask;
    while (index_[i] != 0) i = (i + 1) & mask;
    index_[i] = static_cast<std::uint32_t>(c + 1);
  }
}

void MatrixState::add_article(std::span<const StanceRecord> records) {
  ++articles_;
  // Article mode, as Analysis counts: the first mention of a triple stands for all of them,
  // weighted by the firmest one. Every record of an article has the article's date.
  std::map<std::tuple<std::string_view, std::string_view, Stance>, std::size_t> first;
  std::vector<double> weight(records.size());
  std::vector<bool> counted(records.size(), true);
  for (std::size_t i = 0; i < records.size(); ++i) {
    weight[i] = records[i].confidence;
    if (identity_.count != CountMode::article) continue;
    const auto [found, inserted] = first.try_emplace({records[i].actor, records[i].issue, records[i].stance}, i);
    if (inserted) continue;
    counted[i] = false;
    weight[found->second] = std::max(weight[found->second], records[i].confidence);
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const StanceRecord& record = records[i];
    const auto day = day_number(record.date);
    if (!day) ++undated_records_;
    if (!counted[i]) continue;
    Key key;
    key.day = day ? *day : kUndated;
    key.actor = intern(record.actor);
    key.affiliation = intern(record.affiliation.empty() ? record.actor : record.affiliation);
    key.issue = intern(record.issue);
    key.stance = static_cast<std::uint8_t>(record.stance);
    add(key, 1, millionths(weight[i]));
  }
}

std::optional<std::string> MatrixState::incompatibility(const MatrixState& other) const {
  const StateIdentity& a = identity_;
  const StateIdentity& b = other.identity_;
  if (a.fingerprint != b.fingerprint) {
    return "it was coded with other rules (pack '" + b.pack_id + "', fingerprint " + b.fingerprint +
           ") than the first partial (pack '" + a.pack_id + "', fingerprint " + a.fingerprint +
           "); code every shard with the same rule pack";
  }
  if (a.count != b.count) {
    return "it counts once per " + std::string(to_string(b.count)) + ", the first partial once per " +
           std::string(to_string(a.count)) + "; run every shard with the same --count";
  }
  if (!same_filter(a.filter, b.filter)) {
    return "it was made with other filters (--actor, --issue, --source, --since, --until) than the first "
           "partial; run every shard with the same ones";
  }
  if (a.issue_order != b.issue_order) return "its issue order differs from the first partial's";
  return std::nullopt;
}

void MatrixState::merge(const MatrixState& other) {
  articles_ += other.articles_;
  undated_records_ += other.undated_records_;
  for (const auto& [key, sums] : other.cells_) {
    Key mine = key;
    mine.actor = intern(other.labels_[key.actor]);
    mine.affiliation = intern(other.labels_[key.affiliation]);
    mine.issue = intern(other.labels_[key.issue]);
    add(mine, sums.count, sums.weight);
  }
}

std::vector<const MatrixState::Cell*> MatrixState::sorted_cells() const {
  std::vector<const Cell*> cells;
  cells.reserve(cells_.size());
  for (const Cell& cell : cells_) cells.push_back(&cell);
  std::sort(cells.begin(), cells.end(), [this](const Cell* a, const Cell* b) {
    const Key& x = a->first;
    const Key& y = b->first;
    if (x.day != y.day) return x.day < y.day;
    if (x.actor != y.actor) return labels_[x.actor] < labels_[y.actor];
    if (x.affiliation != y.affiliation) return labels_[x.affiliation] < labels_[y.affiliation];
    if (x.issue != y.issue) return labels_[x.issue] < labels_[y.issue];
    return x.stance < y.stance;
  });
  return cells;
}

namespace {

// The entries of a partial state are arrays in this order: objects would repeat every key on
// every one of possibly millions of entries.
const std::vector<std::string> kEntryColumns = {"date", "actor", "affiliation", "issue", "stance", "count",
                                                "weight"};

}  // namespace

void MatrixState::write(std::ostream& out) const {
  nlohmann::ordered_json header;
  header["format"] = kFormat;
  header["version"] = kVersion;
  header["pack"] = {{"id", identity_.pack_id}, {"fingerprint", identity_.fingerprint}};
  header["count"] = std::string(to_string(identity_.count));
  header["filter"] = filter_json(identity_.filter);
  header["issue_order"] = identity_.issue_order;
  header["articles"] = articles_;
  header["undated_records"] = undated_records_;
  header["entry_columns"] = kEntryColumns;
  std::string text = header.dump();
  text.pop_back();  // the closing brace: the entries follow, written one at a time
  out << text << ",\"entries\":[";
  std::vector<std::string> quoted(labels_.size());  // each label escaped once
  for (std::size_t i = 0; i < labels_.size(); ++i) quoted[i] = nlohmann::json(labels_[i]).dump();
  bool first = true;
  for (const Cell* cell : sorted_cells()) {
    const Key& key = cell->first;
    out << (first ? "[\"" : ",[\"") << (key.day == kUndated ? std::string() : iso_date(key.day)) << "\","
        << quoted[key.actor] << ',' << quoted[key.affiliation] << ',' << quoted[key.issue] << ",\""
        << to_string(static_cast<Stance>(key.stance)) << "\"," << cell->second.count << ','
        << nlohmann::json(static_cast<double>(cell->second.weight) / kMillion).dump() << ']';
    first = false;
  }
  out << "]}\n";
}

MatrixState MatrixState::read(std::string_view document) {
  MatrixState state(StateIdentity{});
  // Entries are added as the parser finishes each one and then dropped from the document, so a
  // partial of millions of entries never exists as JSON in memory.
  std::string top_key;
  std::size_t entry = 0;
  const auto take = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (depth == 1 && event == nlohmann::json::parse_event_t::key) top_key = parsed.get<std::string>();
    if (depth != 2 || top_key != "entries" || event != nlohmann::json::parse_event_t::array_end) return true;
    ++entry;
    try {
      if (!parsed.is_array() || parsed.size() != kEntryColumns.size()) {
        throw std::runtime_error("not a list of " + std::to_string(kEntryColumns.size()) + " values");
      }
      for (std::size_t i = 0; i < 5; ++i) {
        if (!parsed[i].is_string()) throw std::runtime_error(kEntryColumns[i] + " is not a string");
      }
      Key key;
      const auto& date = parsed[0].get_ref<const std::string&>();
      const auto day = day_number(date);
      if (!date.empty() && !day) throw std::runtime_error("date '" + date + "' is not YYYY-MM-DD");
      key.day = day ? *day : kUndated;
      key.actor = state.intern(parsed[1].get_ref<const std::string&>());
      key.affiliation = state.intern(parsed[2].get_ref<const std::string&>());
      key.issue = state.intern(parsed[3].get_ref<const std::string&>());
      const auto& stance_name = parsed[4].get_ref<const std::string&>();
      const auto stance = parse_stance(stance_name);
      if (!stance) throw std::runtime_error("stance '" + stance_name + "' is not demand, accept or reject");
      key.stance = static_cast<std::uint8_t>(*stance);
      if (!parsed[5].is_number_integer() || parsed[5].get<std::int64_t>() < 1) {
        throw std::runtime_error("count is not a whole number >= 1");
      }
      if (!parsed[6].is_number() || parsed[6].get<double>() < 0) throw std::runtime_error("weight is not a number >= 0");
      state.add(key, parsed[5].get<std::int64_t>(), millionths(parsed[6].get<double>()));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("entry " + std::to_string(entry) + ": " + e.what());
    }
    return false;  // keep no entry in the parsed document
  };
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(document.begin(), document.end(), take);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(std::string("not JSON: ") + e.what());
  }
  if (!json.is_object() || !json.contains("format") || json.at("format") != kFormat) {
    throw std::runtime_error("not a stance partial state (no \"format\": \"" + std::string(kFormat) + "\")");
  }
  const auto version = count_field(json, "version");
  if (version != kVersion) {
    throw std::runtime_error("partial state version " + std::to_string(version) + ", this stance reads version " +
                             std::to_string(kVersion));
  }
  if (strings_field(json, "entry_columns") != kEntryColumns) throw std::runtime_error("unexpected entry_columns");
  if (!json.contains("entries")) throw std::runtime_error("missing field 'entries'");
  StateIdentity& identity = state.identity_;
  const auto& pack = field(json, "pack");
  identity.pack_id = string_field(pack, "id");
  identity.fingerprint = string_field(pack, "fingerprint");
  const std::string count = string_field(json, "count");
  if (count != "article" && count != "mention") throw std::runtime_error("count is '" + count + "', not article or mention");
  identity.count = count == "mention" ? CountMode::mention : CountMode::article;
  const auto& filter = field(json, "filter");
  identity.filter.actors = strings_field(filter, "actors");
  identity.filter.issues = strings_field(filter, "issues");
  identity.filter.sources = strings_field(filter, "sources");
  identity.filter.since = string_field(filter, "since");
  identity.filter.until = string_field(filter, "until");
  identity.issue_order = strings_field(json, "issue_order");
  state.articles_ = static_cast<std::size_t>(count_field(json, "articles"));
  state.undated_records_ = static_cast<std::size_t>(count_field(json, "undated_records"));
  return state;
}

// ---- views ----------------------------------------------------------------------------------

namespace {

using CellRange = std::span<const MatrixState::Cell* const>;

// One slice of the state, as Analysis::make_slice builds it from the counted records: a matrix
// of the chosen rows, without the cells thinner than min_count.
Slice make_slice(const MatrixState& state, CellRange cells, const ViewOptions& options, DateRange range) {
  // The cells summed by (row, issue, stance) label numbers: sorted in a flat list rather than
  // gathered in a map, whose nodes cost four times the sums over a big state.
  struct Sum {
    std::uint32_t row = 0, issue = 0;
    std::uint8_t stance = 0;
    std::int64_t count = 0, weight = 0;
  };
  std::vector<Sum> sums;
  sums.reserve(cells.size());
  for (const MatrixState::Cell* cell : cells) {
    const auto& key = cell->first;
    const std::uint32_t row = options.rows == RowKind::affiliation ? key.affiliation : key.actor;
    sums.push_back({row, key.issue, key.stance, cell->second.count, cell->second.weight});
  }
  auto key_of = [](const Sum& x) { return std::tuple(x.row, x.issue, x.stance); };
  std::sort(sums.begin(), sums.end(), [&](const Sum& a, const Sum& b) { return key_of(a) < key_of(b); });
  std::size_t kept = 0;
  for (const Sum& x : sums) {
    if (kept > 0 && key_of(sums[kept - 1]) == key_of(x)) {
      sums[kept - 1].count += x.count;
      sums[kept - 1].weight += x.weight;
    } else {
      sums[kept++] = x;
    }
  }
  sums.resize(kept);
  if (options.min_count > 0.0) {
    // A (row, issue) pair's stances are adjacent: drop the pairs whose total count is too thin.
    std::size_t out = 0;
    for (std::size_t first = 0; first < sums.size();) {
      std::size_t last = first;
      std::int64_t total = 0;
      for (; last < sums.size() && sums[last].row == sums[first].row && sums[last].issue == sums[first].issue; ++last) {
        total += sums[last].count;
      }
      if (static_cast<double>(total) >= options.min_count) {
        for (std::size_t k = first; k < last; ++k) sums[out++] = sums[k];
      }
      first = last;
    }
    sums.resize(out);
  }
  Slice slice;
  slice.range = std::move(range);
  slice.matrix = StanceMatrix(state.identity().issue_order);
  for (const Sum& x : sums) {
    slice.matrix.add_entry({false, state.label(x.row), state.label(x.issue), static_cast<Stance>(x.stance),
                            static_cast<double>(x.count), static_cast<double>(x.weight) / kMillion});
  }
  return slice;
}

// The cells of days [first, last], from cells sorted by day.
CellRange days_between(CellRange cells, std::int64_t first, std::int64_t last) {
  const auto begin = std::lower_bound(cells.begin(), cells.end(), first,
                                      [](const MatrixState::Cell* c, std::int64_t day) { return c->first.day < day; });
  const auto end = std::upper_bound(begin, cells.end(), last,
                                    [](std::int64_t day, const MatrixState::Cell* c) { return day < c->first.day; });
  return cells.subspan(static_cast<std::size_t>(begin - cells.begin()), static_cast<std::size_t>(end - begin));
}

}  // namespace

MatrixViews make_views(const MatrixState& state, const ViewOptions& options) {
  const StateIdentity& identity = state.identity();
  const std::vector<const MatrixState::Cell*> sorted = state.sorted_cells();
  const CellRange all(sorted);
  MatrixViews views;
  views.rows = options.rows;
  views.windowed = options.window.length_days > 0;
  views.overall = make_slice(state, all, options, {}).matrix;

  // Undated cells sort first; the dated ones follow in day order.
  const CellRange dated = days_between(all, MatrixState::kUndated + 1, INT64_MAX);
  if (views.windowed) {
    std::optional<long> first_day, last_day;
    if (!dated.empty()) {
      first_day = static_cast<long>(dated.front()->first.day);
      last_day = static_cast<long>(dated.back()->first.day);
    }
    const auto from = identity.filter.since.empty() ? first_day : day_number(identity.filter.since);
    const auto to = identity.filter.until.empty() ? last_day : day_number(identity.filter.until);
    if (from && to) {
      for (DateRange& range : make_windows(*from, *to, options.window.length_days, options.window.step_days)) {
        const CellRange cells = days_between(dated, *day_number(range.first), *day_number(range.last));
        views.windows.push_back(make_slice(state, cells, options, std::move(range)));
      }
    }
  }
  return views;
}

void for_each_shift(const MatrixState& state, const ViewOptions& options, const MatrixViews& views,
                    const std::function<void(const PositionShift&)>& visit) {
  PositionShiftTracker tracker([&visit](PositionShift&& shift) { visit(shift); });
  if (views.windowed) {
    for (const Slice& window : views.windows) tracker.add(window);
    return;
  }
  // Each distinct date is a moment of its own, as Analysis does without windows; one day's matrix
  // at a time.
  const std::vector<const MatrixState::Cell*> sorted = state.sorted_cells();
  const CellRange dated = days_between(CellRange(sorted), MatrixState::kUndated + 1, INT64_MAX);
  for (std::size_t i = 0; i < dated.size();) {
    const std::int64_t day = dated[i]->first.day;
    const CellRange cells = days_between(dated.subspan(i), day, day);
    const std::string date = iso_date(static_cast<long>(day));
    tracker.add(make_slice(state, cells, options, {date, date}));
    i += cells.size();
  }
}

// ---- renderers: the Analysis-based writers of engine/src/report, over views -----------------

void write_views_table(std::ostream& out, const MatrixState& state, const ViewOptions& view,
                       const MatrixViews& views, const TableOptions& options) {
  if (!views.windowed) {
    write_table(out, views.overall, options);
  } else if (views.windows.empty()) {
    out << "no dated stance records\n";
  } else {
    bool first = true;
    for (const Slice& window : views.windows) {
      if (!first) out << '\n';
      first = false;
      out << "Window " << range_text(window.range) << "\n\n";
      write_table(out, window.matrix, options);
    }
  }
  const auto stance_text = [&](const std::optional<Stance>& stance) {
    // The table's colours: demand green, accept cyan, reject red, mixed yellow.
    const std::string text = stance ? std::string(to_string(*stance)) : "mixed";
    if (!options.color) return text;
    const char* colour = !stance                         ? "\x1b[33m"
                         : *stance == Stance::demand     ? "\x1b[32m"
                         : *stance == Stance::accept     ? "\x1b[36m"
                                                         : "\x1b[31m";
    return colour + text + "\x1b[0m";
  };
  bool first_shift = true;
  for_each_shift(state, view, views, [&](const PositionShift& shift) {
    if (first_shift) out << "Shifts:\n";
    first_shift = false;
    out << "  " << printable(shift.row) << " on " << printable(shift.issue) << ": " << stance_text(shift.from_stance)
        << " (" << range_text(shift.from) << ") -> " << stance_text(shift.to_stance) << " (" << range_text(shift.to)
        << ")\n";
  });
}

namespace {

constexpr std::string_view kLineEnd = "\r\n";  // RFC 4180, as the csv writers

}  // namespace

void write_views_csv(std::ostream& out, const MatrixViews& views) {
  const std::string_view row_label = to_string(views.rows);
  const auto& issues = views.overall.issues();
  if (!views.windowed) {
    write_wide_header(out, row_label, issues, false);
    write_wide_rows(out, views.overall, issues, nullptr);
    return;
  }
  write_wide_header(out, row_label, issues, true);
  for (const Slice& window : views.windows) write_wide_rows(out, window.matrix, issues, &window.range);
}

void write_views_csv_long(std::ostream& out, const MatrixViews& views) {
  report_internal::write_long_header(out, views.rows);
  if (!views.windowed) {
    report_internal::write_long_rows(out, views.overall, DateRange{});
  } else {
    for (const Slice& window : views.windows) report_internal::write_long_rows(out, window.matrix, window.range);
  }
}

bool is_matrix_format(std::string_view format) {
  return format == "table" || format == "csv" || format == "csv-long";
}

namespace {

// $COLUMNS when set (the user's explicit choice), else the terminal's width, else 100.
std::size_t terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    try {
      const auto width = static_cast<std::size_t>(std::stoul(columns));
      if (width > 0) return width;
    } catch (...) {
    }
  }
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 100;
}

}  // namespace

TableOptions table_options_for(bool to_file, bool no_color, RowKind rows) {
  TableOptions table;
  table.color = !to_file && !no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  table.width = terminal_width();
  table.row_label = rows == RowKind::affiliation ? "affiliation" : "actor";
  return table;
}

void write_matrix_report(std::ostream& out, std::string_view format, const MatrixState& state,
                         const ViewOptions& view, const TableOptions& table) {
  const MatrixViews views = make_views(state, view);
  if (format == "csv") {
    write_views_csv(out, views);
  } else if (format == "csv-long") {
    write_views_csv_long(out, views);
  } else {
    out << "stance matrix: " << state.articles() << " article(s), rules " << state.identity().pack_id
        << ", counted once per " << to_string(state.identity().count) << "\n\n";
    write_views_table(out, state, view, views, table);
  }
}

}  // namespace stance::cli
