#pragma once
// Renderers: one function per output format. Data goes to `out`; nothing here writes to stderr.
// docs/output.md describes every format.
#include <cstddef>
#include <map>
#include <ostream>
#include <span>
#include <string>

#include "stance/matrix.hpp"
#include "stance/record.hpp"

namespace stance {

struct TableOptions {
  bool color = false;       // ANSI colour (the CLI sets it only when stdout is a TTY)
  std::size_t width = 100;  // terminal columns available
  const char* row_label = "actor";
};

// What a report says about the run besides the records, and the labels it may show.
struct ReportContext {
  std::string title = "Stance report";
  std::string rules;                                      // rule pack id
  std::size_t articles = 0;                               // articles read
  std::map<std::string, std::string> issue_propositions;  // issue id -> one-line definition
  std::map<std::string, std::string> actor_names;         // actor id -> display name
  std::string generated;  // free text, e.g. the command line; empty to leave out
};

// --- record-level formats -------------------------------------------------------------------

// One JSON object per record, fields exactly: article, sentence, span, actor, affiliation, issue,
// stance, confidence, rule, evidence.
void write_jsonl(std::ostream& out, std::span<const StanceRecord> records);

// The DNA-style event list: one CSV row per record (statement) with id, time, actor, affiliation,
// issue, qualifier, agreement, confidence, span, sentence, rule, counted, source, document, text.
void write_events_csv(std::ostream& out, const Analysis& analysis);

// --- matrix formats ---------------------------------------------------------------------------

// The matrix as CSV: one row per actor, columns "<issue>:<stance>" with counts.
void write_csv(std::ostream& out, const StanceMatrix& matrix);
// The same per window, with leading window_start, window_end columns when there are windows.
void write_csv(std::ostream& out, const Analysis& analysis);
// Tidy CSV: one row per (window, row, issue, stance) with a non-zero count:
// window_start, window_end, <actor|affiliation>, issue, stance, count, weight, net, contested.
void write_csv_long(std::ostream& out, const Analysis& analysis);

// {"records": [...], "matrix": {"rows": [...], "issues": [...], "cells": [...]}}
void write_json(std::ostream& out, std::span<const StanceRecord> records,
                const StanceMatrix& matrix);
// The full analysis: records, matrix with per-cell evidence, windows, agreement, polarisation,
// coalitions, shifts.
void write_json(std::ostream& out, const Analysis& analysis, const ReportContext& context);

// A readable grid with a legend.
void write_table(std::ostream& out, const StanceMatrix& matrix, const TableOptions& options);
// The grid of the whole selection, or one grid per window.
void write_table(std::ostream& out, const Analysis& analysis, const TableOptions& options);

// Markdown: summary, matrix, agreement, polarisation, coalitions, shifts, evidence per cell.
void write_markdown(std::ostream& out, const Analysis& analysis, const ReportContext& context);

// GraphML: the actor-issue bipartite graph, edges weighted by the signed net position.
void write_graphml(std::ostream& out, const Analysis& analysis, const ReportContext& context);

// One self-contained HTML page (inline CSS, JS and SVG; no network): heatmap with evidence on
// click, per-actor timelines, the agreement matrix, polarisation and shifts. Opening it with the
// URL hash #selftest clicks the first cell and writes the result into #selftest-result.
void write_html(std::ostream& out, const Analysis& analysis, const ReportContext& context);

}  // namespace stance
