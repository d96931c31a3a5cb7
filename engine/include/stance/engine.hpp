#pragma once
// The engine: codes articles with a compiled rule pack. Immutable after construction; `code` may
// be called from many threads at once.
#include <memory>
#include <vector>

#include "stance/article.hpp"
#include "stance/record.hpp"
#include "stance/rule_pack.hpp"

namespace stance {

class Engine {
 public:
  explicit Engine(std::shared_ptr<const RulePack> pack);

  // Every stance record the article yields, in text order.
  [[nodiscard]] std::vector<StanceRecord> code(const Article& article) const;

  [[nodiscard]] const RulePack& pack() const { return *pack_; }

 private:
  std::shared_ptr<const RulePack> pack_;
};

}  // namespace stance
