#include "rules/yaml_depth.hpp"

#include <vector>

namespace stance::rules {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_break(char c) { return c == '\n' || c == '\r'; }

class DepthScanner {
 public:
  DepthScanner(std::string_view yaml, int limit) : yaml_(yaml), limit_(limit) {}

  std::optional<NestingProblem> scan() {
    while (pos_ < yaml_.size() && !problem_) scan_line();
    return problem_;
  }

 private:
  char at(std::size_t i) const { return i < yaml_.size() ? yaml_[i] : '\n'; }

  void enter(std::size_t i, int depth) {
    if (depth > limit_ && !problem_) {
      problem_ = NestingProblem{line_, static_cast<int>(i - line_start_) + 1, depth};
    }
  }

  [[nodiscard]] int depth() const {
    return static_cast<int>(indents_.size()) + flow_depth_;
  }

  void next_line(std::size_t& i) {
    while (i < yaml_.size() && yaml_[i] != '\n') ++i;
    if (i < yaml_.size()) ++i;
    ++line_;
    line_start_ = i;
  }

  void scan_line() {
    std::size_t i = pos_;
    {
      std::size_t indent = 0;
      while (at(i) == ' ') {
        ++i;
        ++indent;
      }
      while (is_blank(at(i))) ++i;
      if (is_break(at(i)) || at(i) == '#') {  // blank or comment line
        next_line(i);
        pos_ = i;
        return;
      }
      if (block_scalar_indent_ >= 0) {
        // The lines of a | or > block scalar are text, however they look.
        if (static_cast<int>(indent) > block_scalar_indent_) {
          next_line(i);
          pos_ = i;
          return;
        }
        block_scalar_indent_ = -1;
      }
      // "--- [" starts a document whose first node may be a flow collection.
      if (indent == 0 && (yaml_.substr(i, 3) == "---" || yaml_.substr(i, 3) == "...") &&
          (is_blank(at(i + 3)) || is_break(at(i + 3)))) {
        i += 3;
      }
      if (flow_depth_ == 0) {
        while (!indents_.empty() && indents_.back() > indent) indents_.pop_back();
        if (indents_.empty() || indents_.back() < indent) indents_.push_back(indent);
        enter(i, depth());
        // Compact nesting on one line: "- - - x", "? - x", "- key: - x" is invalid but costs
        // nothing to count.
        while ((at(i) == '-' || at(i) == '?') && (is_blank(at(i + 1)) || is_break(at(i + 1)))) {
          ++i;
          while (is_blank(at(i))) ++i;
          if (is_break(at(i)) || at(i) == '#') break;
          indents_.push_back(i - line_start_);
          enter(i, depth());
        }
      }
    }
    scan_rest_of_line(i);
    pos_ = i;
  }

  // From `i` to the end of the line: flow brackets, quoted scalars, comments, block scalars.
  void scan_rest_of_line(std::size_t& i) {
    bool token_start = true;  // a quote here opens a quoted scalar; elsewhere it is a letter
    while (i < yaml_.size() && yaml_[i] != '\n' && !problem_) {
      const char c = yaml_[i];
      if (c == '#' && (i == line_start_ || is_blank(yaml_[i - 1]))) {
        next_line(i);
        return;
      }
      if (token_start && (c == '"' || c == '\'')) {
        // A quoted scalar that goes on past the line is scanned as if it ended there: its next
        // lines then count as structure, which can only over-count the depth.
        skip_quoted(i, c);
        token_start = false;
        continue;
      }
      if (token_start && (c == '|' || c == '>') && flow_depth_ == 0) {
        block_scalar_indent_ = indents_.empty() ? 0 : static_cast<int>(indents_.back());
        next_line(i);
        return;
      }
      if (c == '[' || c == '{') {
        // In block context a bracket opens a collection only where a value starts; inside a flow
        // collection, plain scalars cannot hold one, so every bracket counts.
        if (flow_depth_ > 0 || token_start) {
          ++flow_depth_;
          enter(i, depth());
          token_start = true;
        }
        ++i;
        continue;
      }
      if ((c == ']' || c == '}') && flow_depth_ > 0) {
        --flow_depth_;
        ++i;
        token_start = false;
        continue;
      }
      if (c == ',' && flow_depth_ > 0) {
        ++i;
        token_start = true;
        continue;
      }
      // Where a value may start, as yaml-cpp's scanner sees it: after ": " (":[" in a flow), and
      // after "- " or "? " only where a token starts anyway (in a plain scalar they are text).
      const char next = at(i + 1);
      const bool ends_here = is_blank(next) || is_break(next);
      const bool flow_indicator =
          next == ',' || next == '[' || next == ']' || next == '{' || next == '}';
      if ((c == ':' && (ends_here || (flow_depth_ > 0 && flow_indicator))) ||
          ((c == '-' || c == '?') && token_start && ends_here)) {
        ++i;
        token_start = true;
        continue;
      }
      if (is_blank(c)) {
        ++i;
        continue;
      }
      // '&anchor', '!tag' and '*alias' come before a value without ending its start.
      if ((c == '&' || c == '!') && token_start) {
        while (i < yaml_.size() && !is_blank(yaml_[i]) && !is_break(yaml_[i])) ++i;
        continue;
      }
      token_start = false;
      ++i;
    }
    if (i < yaml_.size()) ++i;  // the '\n'
    ++line_;
    line_start_ = i;
  }

  // From the opening quote at `i` to just past the closing one, or to the end of the line.
  void skip_quoted(std::size_t& i, char quote) {
    ++i;
    while (i < yaml_.size() && yaml_[i] != '\n') {
      const char c = yaml_[i];
      if (quote == '"' && c == '\\' && at(i + 1) != '\n') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (quote == '\'' && at(i + 1) == '\'') {  // '' is an escaped quote
          i += 2;
          continue;
        }
        ++i;
        return;
      }
      ++i;
    }
  }

  std::string_view yaml_;
  int limit_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::vector<std::size_t> indents_;  // columns of the open block levels
  int flow_depth_ = 0;
  int block_scalar_indent_ = -1;  // column of the node that opened a | or >, or -1
  std::optional<NestingProblem> problem_;
};

}  // namespace

std::optional<NestingProblem> find_deep_nesting(std::string_view yaml, int limit) {
  return DepthScanner(yaml, limit).scan();
}

}  // namespace stance::rules
