#pragma once
// The engine: codes articles with a compiled rule pack. Immutable after construction; `code` may
// be called from many threads at once (each thread with its own Workspace, if it uses one).
#include <memory>
#include <string>
#include <string_view>
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

  // What to code beyond the pack's actor x issue x stance records.
  struct Options {
    // Also emit a record for a stance whose holder is known but whose object no issue of the
    // pack names: issue "?", StanceRecord::object holding the object's words, confidence 0.5.
    // Off by default because such records are not part of the coding scheme; rule authors turn
    // it on (stance run --unknown) to find the issues their pack is missing.
    bool unknown_objects = false;
  };

  explicit Engine(std::shared_ptr<const RulePack> pack);
  Engine(std::shared_ptr<const RulePack> pack, Options options);

  // Every stance record the article yields, in text order.
  [[nodiscard]] std::vector<StanceRecord> code(const Article& article) const;
  // The same, reusing `workspace` (the fast way to code many articles on one thread).
  [[nodiscard]] std::vector<StanceRecord> code(const Article& article, Workspace& workspace) const;

  // A readable account of how each sentence was coded: tokens, mentions, statements, the cues
  // that yielded nothing and why. `sentence` (1-based) limits it to one sentence.
  [[nodiscard]] std::string explain(const Article& article, std::size_t sentence = 0) const;

  [[nodiscard]] const RulePack& pack() const { return *pack_; }
  [[nodiscard]] const Options& options() const { return options_; }

  // The form under which unknown objects (StanceRecord::object) are grouped and shown: folded
  // like the matcher folds (case, diacritics, curly apostrophes), whitespace collapsed, and the
  // leading words of the pack's `determiners` and `prepositions` grammar lists dropped, so that
  // "a Westland request", "the Westland request" and (after a noun cue: "a demand for") "for the
  // Westland request" are one object. Empty when nothing is left.
  [[nodiscard]] std::string object_key(std::string_view object) const;

 private:
  std::shared_ptr<const RulePack> pack_;
  Options options_;
  // What object_key drops from the front: the pack's determiners and prepositions, folded, each
  // as its words (an entry may be several words), longest first.
  std::vector<std::vector<std::string>> object_openers_;
};

}  // namespace stance
