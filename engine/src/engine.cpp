#include "stance/engine.hpp"

#include "attribution/analysis.hpp"
#include "rules/compiled_pack.hpp"

namespace stance {

Engine::Engine(std::shared_ptr<const RulePack> pack) : pack_(std::move(pack)) {}

std::vector<StanceRecord> Engine::code(const Article& article) const {
  attribution::Analysis analysis = attribution::analyze(pack_->compiled(), article);
  return std::move(analysis.records);
}

}  // namespace stance
