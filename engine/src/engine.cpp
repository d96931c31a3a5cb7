#include "stance/engine.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "attribution/analysis.hpp"
#include "coding_workspace.hpp"
#include "rules/compiled_pack.hpp"
#include "text/fold.hpp"

namespace stance {
namespace {

// The whitespace-separated words of `text`.
std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t begin = text.find_first_not_of(" \t\r\n\f\v", at);
    if (begin == std::string_view::npos) break;
    std::size_t end = text.find_first_of(" \t\r\n\f\v", begin);
    if (end == std::string_view::npos) end = text.size();
    words.emplace_back(text.substr(begin, end - begin));
    at = end;
  }
  return words;
}

// The pack's `determiners` and `prepositions` as word sequences. Only plain word patterns count:
// a pattern with alternatives, gaps or references names no fixed words to strip.
std::vector<std::vector<std::string>> object_openers(const detail::CompiledPack& pack) {
  std::vector<std::vector<std::string>> result;
  for (const detail::LexEntry& entry : pack.entries) {
    if (entry.kind != detail::EntryKind::grammar ||
        (entry.ref != static_cast<std::int32_t>(rules::GrammarRole::determiner) &&
         entry.ref != static_cast<std::int32_t>(rules::GrammarRole::preposition))) {
      continue;
    }
    if (entry.pattern.find_first_of("()|.@$[]") != std::string::npos) continue;
    std::vector<std::string> words = split_words(text::fold(entry.pattern));
    if (!words.empty()) result.push_back(std::move(words));
  }
  // Longest first, so that a two-word determiner wins over its first word.
  std::stable_sort(result.begin(), result.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return result;
}

}  // namespace

struct Engine::Workspace::Impl {
  detail::CodingWorkspace coding;
};

Engine::Workspace::Workspace() : impl_(std::make_unique<Impl>()) {}
Engine::Workspace::~Workspace() = default;
Engine::Workspace::Workspace(Workspace&&) noexcept = default;
Engine::Workspace& Engine::Workspace::operator=(Workspace&&) noexcept = default;

Engine::Engine(std::shared_ptr<const RulePack> pack) : Engine(std::move(pack), Options{}) {}

Engine::Engine(std::shared_ptr<const RulePack> pack, Options options)
    : pack_(std::move(pack)), options_(options), object_openers_(object_openers(pack_->compiled())) {}

std::vector<StanceRecord> Engine::code(const Article& article) const {
  attribution::Options options;
  options.unknown_objects = options_.unknown_objects;
  options.notes = false;
  attribution::Analysis analysis = attribution::analyze(pack_->compiled(), article, options);
  return std::move(analysis.records);
}

std::vector<StanceRecord> Engine::code(const Article& article, Workspace& workspace) const {
  attribution::Options options;
  options.unknown_objects = options_.unknown_objects;
  options.workspace = &workspace.impl_->coding;
  options.notes = false;
  attribution::Analysis analysis = attribution::analyze(pack_->compiled(), article, options);
  std::vector<StanceRecord> records = std::move(analysis.records);
  workspace.impl_->coding.spare = std::move(analysis);  // its buffers, for the next article
  return records;
}

std::string Engine::object_key(std::string_view object) const {
  const std::vector<std::string> words = split_words(text::fold(object));
  std::size_t first = 0;
  // Repeatedly: "for the", "any such" would leave a determiner in front otherwise.
  for (bool dropped = true; dropped && first < words.size();) {
    dropped = false;
    for (const auto& opener : object_openers_) {
      if (opener.size() > words.size() - first) continue;
      if (std::equal(opener.begin(), opener.end(), words.begin() + static_cast<std::ptrdiff_t>(first))) {
        first += opener.size();
        dropped = true;
        break;
      }
    }
  }
  std::string key;
  for (std::size_t w = first; w < words.size(); ++w) {
    if (!key.empty()) key += ' ';
    key += words[w];
  }
  return key;
}

}  // namespace stance
