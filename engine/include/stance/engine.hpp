#pragma once
// The engine: codes articles with a compiled rule pack. Immutable after construction; `code` may
// be called from many threads at once.
#include <memory>
#include <string>
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

  // A readable account of how each sentence was coded: tokens, mentions, statements, the cues
  // that yielded nothing and why. `sentence` (1-based) limits it to one sentence.
  [[nodiscard]] std::string explain(const Article& article, std::size_t sentence = 0) const;

  [[nodiscard]] const RulePack& pack() const { return *pack_; }

 private:
  std::shared_ptr<const RulePack> pack_;
};

}  // namespace stance
