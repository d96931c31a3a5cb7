#pragma once
// The engine: codes articles with a compiled rule pack. Immutable after construction; `code` may
// be called from many threads at once (each thread with its own Workspace, if it uses one).
#include <memory>
#include <string>
#include <vector>

#include "stance/article.hpp"
#include "stance/record.hpp"
#include "stance/rule_pack.hpp"

namespace stance {

class Engine {
 public:
  // What one thread reuses from article to article so that coding allocates and recomputes
  // little: the stemmer and its cache, the matchers' scratch and their lazily built DFAs. Bounded
  // in size whatever the corpus. Make one per worker thread; never use one on two threads at once.
  // Any engine may use any workspace (it notices a different pack and starts afresh).
  class Workspace {
   public:
    Workspace();
    ~Workspace();
    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

   private:
    friend class Engine;
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  explicit Engine(std::shared_ptr<const RulePack> pack);

  // Every stance record the article yields, in text order.
  [[nodiscard]] std::vector<StanceRecord> code(const Article& article) const;
  // The same, reusing `workspace` (the fast way to code many articles on one thread).
  [[nodiscard]] std::vector<StanceRecord> code(const Article& article, Workspace& workspace) const;

  // A readable account of how each sentence was coded: tokens, mentions, statements, the cues
  // that yielded nothing and why. `sentence` (1-based) limits it to one sentence.
  [[nodiscard]] std::string explain(const Article& article, std::size_t sentence = 0) const;

  [[nodiscard]] const RulePack& pack() const { return *pack_; }

 private:
  std::shared_ptr<const RulePack> pack_;
};

}  // namespace stance
