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
  // Attribution does not take a workspace yet (docs/scale.md, "Workspaces"): meanwhile each
  // automaton lends its own pooled scratch per thread, and the stemmer is still made per article.
  (void)workspace.impl_->coding;
  return code(article);
}

}  // namespace stance
