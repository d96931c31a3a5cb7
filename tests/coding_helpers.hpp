#pragma once
// Shared by the accuracy tests: the default pack, triples, and set comparison.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "stance/engine.hpp"

namespace stance::testing {

using Triple = std::tuple<std::string, std::string, std::string>;  // actor, issue, stance

inline std::filesystem::path source_dir() { return STANCE_SOURCE_DIR; }

inline std::shared_ptr<const RulePack> default_pack() {
  static const std::shared_ptr<const RulePack> pack = [] {
    auto result = RulePack::load(source_dir() / "rules" / "ukraine-peace");
    for (const auto& d : result.diagnostics) {
      if (d.severity == Severity::error) throw std::runtime_error(d.format());
    }
    return result.pack;
  }();
  return pack;
}

inline std::set<Triple> triples(const std::vector<StanceRecord>& records) {
  std::set<Triple> out;
  for (const auto& r : records) out.emplace(r.actor, r.issue, std::string(to_string(r.stance)));
  return out;
}

inline std::set<Triple> triples(const nlohmann::json& list) {
  std::set<Triple> out;
  if (!list.is_array()) return out;
  for (const auto& t : list) out.emplace(t.at("actor"), t.at("issue"), t.at("stance"));
  return out;
}

inline std::string describe(const std::set<Triple>& set) {
  std::string out;
  for (const auto& [a, i, s] : set) out += "(" + a + " " + i + " " + s + ") ";
  return out.empty() ? "none" : out;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace stance::testing
