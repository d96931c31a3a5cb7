#pragma once
// The stance matrix: actors x issues x {demand, accept, reject}. A plain sum of records, so
// matrices of disjoint runs add up exactly (merge). Storage is Eigen, kept out of this header.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stance/record.hpp"

namespace stance {

class StanceMatrix {
 public:
  StanceMatrix();
  // `issue_order`: issues listed first, in this order (e.g. the rule pack's order); others after,
  // sorted. Actors are sorted by id.
  explicit StanceMatrix(std::vector<std::string> issue_order);
  StanceMatrix(const StanceMatrix&);
  StanceMatrix(StanceMatrix&&) noexcept;
  StanceMatrix& operator=(const StanceMatrix&);
  StanceMatrix& operator=(StanceMatrix&&) noexcept;
  ~StanceMatrix();

  // Counts the record once, with weight 1 in the count and `confidence` in the weighted sum.
  void add(const StanceRecord& record);
  void add_all(std::span<const StanceRecord> records);
  // Adds every cell of `other` (axes are united).
  void merge(const StanceMatrix& other);

  // Rows are affiliations instead of actors (an actor with no affiliation is its own row).
  [[nodiscard]] StanceMatrix rolled_up_by_affiliation() const;

  [[nodiscard]] const std::vector<std::string>& actors() const;  // row labels, sorted
  [[nodiscard]] const std::vector<std::string>& issues() const;  // column labels
  [[nodiscard]] double count(std::size_t actor, std::size_t issue, Stance stance) const;
  [[nodiscard]] double weight(std::size_t actor, std::size_t issue, Stance stance) const;
  [[nodiscard]] double total() const;  // sum of all counts
  [[nodiscard]] bool empty() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stance
