#include "unknown_objects.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <ostream>

namespace stance::cli {
namespace {

// Display width of UTF-8 text in code points: good enough to line up columns of words.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void pad(std::ostream& out, const std::string& text, std::size_t to) {
  out << text;
  for (std::size_t w = width(text); w < to; ++w) out << ' ';
}

// "velsk demand, harlan reject (2)": who took which stance, most records first.
std::string stances_text(const UnknownObject& object) {
  std::vector<std::pair<std::pair<std::string, Stance>, std::size_t>> stances(object.stances.begin(),
                                                                              object.stances.end());
  std::stable_sort(stances.begin(), stances.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (const auto& [holder_stance, count] : stances) {
    if (!text.empty()) text += ", ";
    text += holder_stance.first;
    text += ' ';
    text += to_string(holder_stance.second);
    if (count > 1) text += " (" + std::to_string(count) + ")";
  }
  return text;
}

std::string example_text(const UnknownObject& object) {
  return object.example_article + ":" + std::to_string(object.example_sentence);
}

}  // namespace

void UnknownObjects::add(const StanceRecord& record) {
  if (!is_unknown_object(record)) return;
  std::string key = engine_.object_key(record.object);
  // An object of determiners only ("rejected this") still needs a row of its own.
  if (key.empty()) key = record.object;
  auto [found, inserted] = object_index_.try_emplace(key, objects_.size());
  if (inserted) {
    UnknownObject object;
    object.object = key;
    object.example_article = record.article;
    object.example_sentence = record.sentence;
    object.example_words = record.object;
    objects_.push_back(std::move(object));
  }
  UnknownObject& object = objects_[found->second];
  ++object.count;
  const std::string& holder = rows_ == RowKind::affiliation ? record.affiliation : record.actor;
  ++object.stances[{holder, record.stance}];
  ++records_;
}

std::vector<UnknownObject> UnknownObjects::ranked() const {
  std::vector<UnknownObject> ranked = objects_;
  std::sort(ranked.begin(), ranked.end(), [](const UnknownObject& a, const UnknownObject& b) {
    return a.count != b.count ? a.count > b.count : a.object < b.object;
  });
  return ranked;
}

void UnknownObjects::write_table(std::ostream& out, std::size_t top) const {
  const std::vector<UnknownObject> ranked = this->ranked();
  out << "unknown objects: " << records_ << " record(s) on " << ranked.size()
      << " object(s) that no issue of the pack names\n";
  if (ranked.empty()) return;
  const std::size_t shown = top == 0 ? ranked.size() : std::min(top, ranked.size());

  const std::string headers[] = {"count", "object", "stances", "example"};
  std::vector<std::array<std::string, 4>> rows;
  for (std::size_t k = 0; k < shown; ++k) {
    rows.push_back({std::to_string(ranked[k].count), ranked[k].object, stances_text(ranked[k]),
                    example_text(ranked[k])});
  }
  std::array<std::size_t, 4> widths{};
  for (std::size_t c = 0; c < 4; ++c) {
    widths[c] = width(headers[c]);
    for (const auto& row : rows) widths[c] = std::max(widths[c], width(row[c]));
  }
  auto line = [&](const std::array<std::string, 4>& cells) {
    // The count is right-aligned like every number in the matrix table; the last column is not
    // padded, so lines carry no trailing blanks.
    for (std::size_t w = width(cells[0]); w < widths[0]; ++w) out << ' ';
    out << cells[0] << "  ";
    pad(out, cells[1], widths[1]);
    out << "  ";
    pad(out, cells[2], widths[2]);
    out << "  " << cells[3] << '\n';
  };
  line({headers[0], headers[1], headers[2], headers[3]});
  for (const auto& row : rows) line(row);
  if (shown < ranked.size()) {
    out << "... " << ranked.size() - shown << " more object(s) (--unknown-top 0 lists them all)\n";
  }
}

nlohmann::ordered_json UnknownObjects::to_json() const {
  auto objects = nlohmann::ordered_json::array();
  for (const UnknownObject& object : ranked()) {
    nlohmann::ordered_json json;
    json["object"] = object.object;
    json["count"] = object.count;
    auto stances = nlohmann::ordered_json::array();
    for (const auto& [holder_stance, count] : object.stances) {
      nlohmann::ordered_json stance;
      stance[rows_ == RowKind::affiliation ? "affiliation" : "actor"] = holder_stance.first;
      stance["stance"] = std::string(to_string(holder_stance.second));
      stance["count"] = count;
      stances.push_back(std::move(stance));
    }
    json["stances"] = std::move(stances);
    nlohmann::ordered_json example;
    example["article"] = object.example_article;
    example["sentence"] = object.example_sentence;
    example["words"] = object.example_words;
    json["example"] = std::move(example);
    objects.push_back(std::move(json));
  }
  return objects;
}

}  // namespace stance::cli
