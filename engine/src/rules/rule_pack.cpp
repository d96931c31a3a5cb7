#include "stance/rule_pack.hpp"

#include <cstdlib>

#include "rules/compiled_pack.hpp"

namespace stance {

RulePack::RulePack(std::shared_ptr<const detail::CompiledPack> compiled) : compiled_(std::move(compiled)) {}

RulePack::LoadResult RulePack::load(const std::filesystem::path& directory) {
  LoadResult result;
  rules::ModelLoad model = rules::load_model(directory);
  result.diagnostics = std::move(model.diagnostics);
  if (has_errors(result.diagnostics)) return result;
  detail::CompileResult compiled = detail::compile(std::move(model.model));
  result.diagnostics.insert(result.diagnostics.end(), compiled.diagnostics.begin(), compiled.diagnostics.end());
  if (has_errors(result.diagnostics)) return result;
  result.pack = std::make_shared<const RulePack>(std::move(compiled.pack));
  return result;
}

const std::vector<ActorInfo>& RulePack::actors() const { return compiled_->actors; }
const std::vector<IssueInfo>& RulePack::issues() const { return compiled_->issues; }
std::string RulePack::id() const { return compiled_->id; }
std::string RulePack::fingerprint() const { return compiled_->fingerprint; }

const ActorInfo* RulePack::find_actor(std::string_view id) const {
  auto found = compiled_->actor_index.find(std::string(id));
  return found == compiled_->actor_index.end() ? nullptr : &compiled_->actors[static_cast<std::size_t>(found->second)];
}

std::filesystem::path default_rules_directory() {
  if (const char* env = std::getenv("STANCE_RULES"); env && *env) return env;
  return std::filesystem::path(STANCE_SOURCE_DIR) / "rules" / "ukraine-peace";
}

std::string Diagnostic::format() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += severity == Severity::error ? ": error: " : ": warning: ";
  out += message;
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::error) return true;
  }
  return false;
}

}  // namespace stance
