#include "stance/engine.hpp"

#include "attribution/analysis.hpp"
#include "coding_workspace.hpp"
#include "rules/compiled_pack.hpp"

namespace stance {

struct Engine::Workspace::Impl {
  detail::CodingWorkspace coding;
};

Engine::Workspace::Workspace() : impl_(std::make_unique<Impl>()) {}
Engine::Workspace::~Workspace() = default;
Engine::Workspace::Workspace(Workspace&&) noexcept = default;
Engine::Workspace& Engine::Workspace::operator=(Workspace&&) noexcept = default;

Engine::Engine(std::shared_ptr<const RulePack> pack) : pack_(std::move(pack)) {}

std::vector<StanceRecord> Engine::code(const Article& article) const {
  attribution::Analysis analysis = attribution::analyze(pack_->compiled(), article);
  return std::move(analysis.records);
}

std::vector<StanceRecord> Engine::code(const Article& article, Workspace& workspace) const {
  attribution::Options options;
  options.workspace = &workspace.impl_->coding;
  attribution::Analysis analysis = attribution::analyze(pack_->compiled(), article, options);
  return std::move(analysis.records);
}

}  // namespace stance
