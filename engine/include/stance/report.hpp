#pragma once
// Renderers: one function per output format. Data goes to `out`; nothing here writes to stderr.
#include <ostream>
#include <span>

#include "stance/matrix.hpp"
#include "stance/record.hpp"

namespace stance {

struct TableOptions {
  bool color = false;      // ANSI colour (the CLI sets it only when stdout is a TTY)
  std::size_t width = 100; // terminal columns available
  const char* row_label = "actor";
};

// One JSON object per record, fields exactly: article, sentence, span, actor, affiliation, issue,
// stance, confidence, rule, evidence.
void write_jsonl(std::ostream& out, std::span<const StanceRecord> records);
// The matrix as CSV: one row per actor, columns "<issue>:<stance>" with counts.
void write_csv(std::ostream& out, const StanceMatrix& matrix);
// {"records": [...], "matrix": {"rows": [...], "issues": [...], "cells": [...]}}
void write_json(std::ostream& out, std::span<const StanceRecord> records, const StanceMatrix& matrix);
// A readable grid with a legend.
void write_table(std::ostream& out, const StanceMatrix& matrix, const TableOptions& options);

}  // namespace stance
