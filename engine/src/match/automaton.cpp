#include "match/automaton.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "text/fold.hpp"
#include "text/tokenizer.hpp"

namespace stance::match {

std::int32_t Vocabulary::intern(std::string_view word) {
  auto found = ids_.find(std::string(word));
  if (found != ids_.end()) return found->second;
  const auto id = static_cast<std::int32_t>(words_.size());
  words_.emplace_back(word);
  ids_.emplace(std::string(word), id);
  return id;
}

std::int32_t Vocabulary::find(std::string_view word) const {
  auto found = ids_.find(std::string(word));
  return found == ids_.end() ? -1 : found->second;
}

std::int32_t Automaton::new_state(Op op, std::int32_t arg) {
  states_.push_back({op, arg, -1, -1});
  return static_cast<std::int32_t>(states_.size() - 1);
}

bool Automaton::regex_matches(std::int32_t regex, const text::Token& token) const {
  return RE2::FullMatch(token.folded, *regexes_[static_cast<std::size_t>(regex)]);
}

// Thompson construction by recursive descent over the pattern text. Each fragment also carries its
// canonical text (PatternFacts::canonical), built as it is parsed so that it can never disagree
// with what was compiled.
class PatternCompiler {
 public:
  PatternCompiler(Automaton& automaton, std::string_view pattern, const PatternContext& context)
      : a_(automaton), p_(pattern), ctx_(context) {}

  struct Fragment {
    std::int32_t start = -1;
    std::vector<std::pair<std::int32_t, bool>> outs;  // (state, is out2) left dangling
    std::string canonical;
    int trailing_gap = 0;
  };

  std::optional<Fragment> compile() {
    auto f = alternation();
    if (!f) return std::nullopt;
    skip_space();
    if (pos_ < p_.size()) return fail("unexpected '" + std::string(1, p_[pos_]) + "'");
    return f;
  }

  void patch(const Fragment& f, std::int32_t target) {
    for (auto [state, second] : f.outs) {
      (second ? a_.states_[static_cast<std::size_t>(state)].out2 : a_.states_[static_cast<std::size_t>(state)].out) = target;
    }
  }

  const std::string& error() const { return error_; }
  int widest_gap() const { return widest_gap_; }
  int total_gap() const { return total_gap_; }
  bool uses_member() const { return uses_member_; }
  // Regexes this pattern added to the automaton's table (removed again if the pattern fails).
  const std::vector<std::string>& new_regexes() const { return new_regexes_; }

 private:
  // Deep enough for any hand-written pattern; stops runaway recursion on garbage input.
  static constexpr int kMaxDepth = 64;

  std::optional<Fragment> fail(std::string message) {
    if (error_.empty()) error_ = message + " (column " + std::to_string(pos_ + 1) + " of pattern '" + std::string(p_) + "')";
    return std::nullopt;
  }

  void skip_space() {
    while (pos_ < p_.size() && (p_[pos_] == ' ' || p_[pos_] == '\t' || p_[pos_] == '\n' || p_[pos_] == '\r')) ++pos_;
  }

  void append(Fragment& result, const Fragment& next) {
    patch(result, next.start);
    result.outs = next.outs;
    result.canonical += ' ';
    result.canonical += next.canonical;
    result.trailing_gap = next.trailing_gap;
  }

  std::optional<Fragment> alternation() {
    auto first = sequence();
    if (!first) return std::nullopt;
    skip_space();
    if (pos_ >= p_.size() || p_[pos_] != '|') return first;
    std::vector<Fragment> options{*first};
    while (pos_ < p_.size() && p_[pos_] == '|') {
      ++pos_;
      auto next = sequence();
      if (!next) return std::nullopt;
      options.push_back(*next);
      skip_space();
    }
    std::vector<std::string> texts;
    int trailing = 0;
    for (const auto& o : options) {
      texts.push_back(o.canonical);
      trailing = std::max(trailing, o.trailing_gap);
    }
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    std::string canonical;
    for (const auto& t : texts) canonical += (canonical.empty() ? "(" : " | ") + t;
    canonical += ")";
    // Chain of splits: split(o1, split(o2, ...)).
    Fragment result = options.back();
    for (std::size_t i = options.size() - 1; i-- > 0;) {
      const std::int32_t s = a_.new_state(Automaton::Op::split, -1);
      a_.states_[static_cast<std::size_t>(s)].out = options[i].start;
      a_.states_[static_cast<std::size_t>(s)].out2 = result.start;
      Fragment merged{s, options[i].outs, {}, 0};
      merged.outs.insert(merged.outs.end(), result.outs.begin(), result.outs.end());
      result = merged;
    }
    result.canonical = texts.size() == 1 ? texts.front() : canonical;
    result.trailing_gap = trailing;
    return result;
  }

  std::optional<Fragment> sequence() {
    std::optional<Fragment> result;
    while (true) {
      skip_space();
      if (pos_ >= p_.size() || p_[pos_] == '|' || p_[pos_] == ')') break;
      auto item = optional_item();
      if (!item) return std::nullopt;
      if (!result) result = item;
      else append(*result, *item);
    }
    if (!result) return fail("empty alternative");
    return result;
  }

  std::optional<Fragment> optional_item() {
    auto atom_fragment = atom();
    if (!atom_fragment) return std::nullopt;
    if (pos_ < p_.size() && p_[pos_] == '?') {
      ++pos_;
      const std::int32_t s = a_.new_state(Automaton::Op::split, -1);
      a_.states_[static_cast<std::size_t>(s)].out = atom_fragment->start;
      Fragment f{s, atom_fragment->outs, "(" + atom_fragment->canonical + ")?", atom_fragment->trailing_gap};
      f.outs.push_back({s, true});
      return f;
    }
    return atom_fragment;
  }

  static bool is_delimiter(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '|';
  }

  std::optional<Fragment> atom() {
    const char c = p_[pos_];
    if (c == '(') {
      if (++depth_ > kMaxDepth) return fail("parentheses nested too deeply");
      ++pos_;
      auto inner = alternation();
      if (!inner) return std::nullopt;
      skip_space();
      if (pos_ >= p_.size() || p_[pos_] != ')') return fail("missing ')'");
      ++pos_;
      --depth_;
      return inner;
    }
    if (c == '/') return regex();
    // Read a chunk up to a delimiter; a trailing '?' (before a delimiter or the end) is the
    // optional marker, not part of the chunk.
    std::size_t end = pos_;
    while (end < p_.size() && !is_delimiter(p_[end])) ++end;
    std::string_view chunk = p_.substr(pos_, end - pos_);
    if (chunk.size() > 1 && chunk.back() == '?') chunk.remove_suffix(1);
    // pos_ stays on the chunk while it is compiled, so that errors point at its first character.
    auto fragment = chunk_fragment(chunk);
    pos_ += chunk.size();
    return fragment;
  }

  // "/regex/": one token whose folded form the expression matches as a whole. Inside, "\/" is a
  // slash; everything else is RE2 syntax, spaces and "|" included.
  std::optional<Fragment> regex() {
    const std::size_t open = pos_;
    std::size_t close = open + 1;
    std::string expression;
    while (close < p_.size() && p_[close] != '/') {
      if (p_[close] == '\\' && close + 1 < p_.size() && p_[close + 1] == '/') {
        expression += '/';
        close += 2;
        continue;
      }
      if (p_[close] == '\\' && close + 1 < p_.size()) expression += p_[close++];
      expression += p_[close++];
    }
    if (close >= p_.size()) return fail("regex has no closing '/'");
    if (expression.empty()) return fail("empty regex '//'");
    const std::string shown(p_.substr(open, close + 1 - open));
    pos_ = close + 1;
    if (pos_ < p_.size() && p_[pos_] != '?' && !is_delimiter(p_[pos_])) {
      return fail("a regex must be followed by a space, '?', '|' or ')'");
    }
    std::int32_t id = -1;
    if (auto found = a_.regex_ids_.find(expression); found != a_.regex_ids_.end()) {
      id = found->second;
    } else {
      RE2::Options options;
      options.set_log_errors(false);
      // Tokens are matched in their folded form; ignoring case lets authors write either case.
      options.set_case_sensitive(false);
      auto compiled = std::make_shared<const RE2>(expression, options);
      if (!compiled->ok()) {
        pos_ = open;
        return fail("invalid regex " + shown + ": " + compiled->error());
      }
      std::string min, max;
      if (compiled->PossibleMatchRange(&min, &max, 8) && max.empty()) {
        pos_ = open;
        return fail("regex " + shown + " can only match an empty string, and no token is empty, so it never matches");
      }
      id = static_cast<std::int32_t>(a_.regexes_.size());
      a_.regexes_.push_back(std::move(compiled));
      a_.regex_ids_.emplace(expression, id);
      new_regexes_.push_back(expression);
    }
    auto f = single(Automaton::Op::regex, id);
    f->canonical = "/" + expression + "/";
    return f;
  }

  std::optional<Fragment> single(Automaton::Op op, std::int32_t arg) {
    const std::int32_t s = a_.new_state(op, arg);
    return Fragment{s, {{s, false}}, {}, 0};
  }

  std::optional<Fragment> chunk_fragment(std::string_view chunk) {
    const bool ascii_ellipsis = chunk.starts_with("...");
    if (ascii_ellipsis || chunk.starts_with("\xE2\x80\xA6")) {
      std::string_view digits = chunk.substr(ascii_ellipsis ? 3 : 3);
      if (digits.empty()) {
        return fail("gap '" + std::string(chunk) + "' has no width: write '...N' with N from 1 to " +
                    std::to_string(Automaton::kMaxGap) + " (or '=" + std::string(chunk) + "' for the punctuation itself)");
      }
      int n = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 1) return fail("gap needs a number of tokens, as in '...3'");
      if (n > Automaton::kMaxGap) {
        return fail("gap of " + std::to_string(n) + " tokens is too wide (at most " + std::to_string(Automaton::kMaxGap) + ")");
      }
      return gap(n);
    }
    if (chunk.front() == '@') {
      const std::string id(chunk.substr(1));
      if (id == "actor") {
        auto f = single(Automaton::Op::actor, -1);
        f->canonical = "@actor";
        return f;
      }
      if (!ctx_.actor_ids) return fail("actor references are not allowed here");
      auto found = ctx_.actor_ids->find(id);
      if (found == ctx_.actor_ids->end()) return fail("unknown actor '@" + id + "'" + suggest_actor(id));
      auto f = single(Automaton::Op::actor, found->second);
      f->canonical = "@" + id;
      return f;
    }
    if (chunk.front() == '$') {
      if (chunk != "$member") return fail("unknown slot '" + std::string(chunk) + "' (only $member)");
      if (ctx_.member_issue < 0) return fail("$member is only allowed in an issue's cues");
      uses_member_ = true;
      auto f = single(Automaton::Op::member, ctx_.member_issue);
      f->canonical = "$member";
      return f;
    }
    bool use_stems = ctx_.stems_by_default;
    if (chunk.front() == '=' && chunk.size() > 1) { use_stems = false; chunk.remove_prefix(1); }
    else if (chunk.front() == '~' && chunk.size() > 1) { use_stems = true; chunk.remove_prefix(1); }
    // Literal words go through the document tokenizer so that they split exactly as text does.
    std::vector<std::pair<std::string, bool>> words;  // folded, is word
    const bool clitic = chunk.front() == '\'' || chunk.starts_with("\xE2\x80\x99");
    if (clitic) {
      words.push_back({text::fold(chunk), false});
    } else {
      text::Document doc;
      text::tokenize(chunk, *ctx_.stemmer, doc);
      for (const auto& t : doc.tokens) words.push_back({t.folded, t.kind == text::TokenKind::word});
    }
    if (words.empty()) return fail("'" + std::string(chunk) + "' holds no word");
    std::optional<Fragment> result;
    for (const auto& [folded, is_word] : words) {
      std::optional<Fragment> f;
      if (use_stems && is_word) {
        const std::string stem(ctx_.stemmer->stem(folded));
        f = single(Automaton::Op::stem, ctx_.vocabulary->intern(stem));
        f->canonical = "~" + stem;
      } else {
        f = single(Automaton::Op::form, ctx_.vocabulary->intern(folded));
        f->canonical = "=" + folded;
      }
      if (!result) result = f;
      else append(*result, *f);
    }
    return result;
  }

  std::string suggest_actor(const std::string& id) const {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& [candidate, index] : *ctx_.actor_ids) {
      (void)index;
      const std::size_t d = edit_distance(id, candidate);
      if (d < best_distance || (d == best_distance && !best.empty() && candidate < best)) {
        best_distance = d;
        best = candidate;
      }
    }
    return best.empty() ? "" : " (did you mean '@" + best + "'?)";
  }

  static std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  }

  std::optional<Fragment> gap(int n) {
    widest_gap_ = std::max(widest_gap_, n);
    total_gap_ += n;
    // n optional "any" tokens in a row.
    std::optional<Fragment> result;
    for (int i = 0; i < n; ++i) {
      const std::int32_t any = a_.new_state(Automaton::Op::any, -1);
      const std::int32_t s = a_.new_state(Automaton::Op::split, -1);
      a_.states_[static_cast<std::size_t>(s)].out = any;
      Fragment f{s, {{any, false}, {s, true}}, {}, 0};
      if (!result) {
        result = f;
      } else {
        patch(*result, f.start);
        result->outs = f.outs;
      }
    }
    result->canonical = "..." + std::to_string(n);
    result->trailing_gap = n;
    return result;
  }

  Automaton& a_;
  std::string_view p_;
  const PatternContext& ctx_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int widest_gap_ = 0;
  int total_gap_ = 0;
  bool uses_member_ = false;
  std::vector<std::string> new_regexes_;
  std::string error_;
};

std::optional<std::string> Automaton::add(std::string_view pattern, std::int32_t entry, const PatternContext& context,
                                          PatternFacts* facts) {
  const std::size_t mark = states_.size();
  PatternCompiler compiler(*this, pattern, context);
  auto fragment = compiler.compile();
  auto roll_back = [&] {
    states_.resize(mark);
    for (const auto& expression : compiler.new_regexes()) regex_ids_.erase(expression);
    regexes_.resize(regexes_.size() - compiler.new_regexes().size());
  };
  if (!fragment) {
    roll_back();
    return compiler.error();
  }
  const std::int32_t accept = new_state(Op::accept, entry);
  compiler.patch(*fragment, accept);
  // A pattern must start with a concrete token or mention, and must consume something.
  std::vector<std::int32_t> first;
  std::vector<std::uint8_t> seen(states_.size(), 0);
  closure(fragment->start, first, seen);
  for (std::int32_t s : first) {
    const Op op = states_[static_cast<std::size_t>(s)].op;
    if (op == Op::accept || op == Op::any) {
      roll_back();
      return std::string(op == Op::accept ? "pattern can match nothing" : "pattern cannot start with a gap") +
             ": '" + std::string(pattern) + "'";
    }
  }
  starts_.push_back(fragment->start);
  if (facts) {
    facts->canonical = fragment->canonical;
    facts->widest_gap = compiler.widest_gap();
    facts->total_gap = compiler.total_gap();
    facts->trailing_gap = fragment->trailing_gap;
    facts->uses_member = compiler.uses_member();
  }
  return std::nullopt;
}

void Automaton::closure(std::int32_t state, std::vector<std::int32_t>& out, std::vector<std::uint8_t>& seen) const {
  if (state < 0 || seen[static_cast<std::size_t>(state)]) return;
  seen[static_cast<std::size_t>(state)] = 1;
  const State& s = states_[static_cast<std::size_t>(state)];
  if (s.op == Op::split) {
    closure(s.out, out, seen);
    closure(s.out2, out, seen);
    return;
  }
  out.push_back(state);
}

void Automaton::finish() {
  std::vector<std::uint8_t> seen(states_.size(), 0);
  for (std::int32_t start : starts_) {
    std::vector<std::int32_t> first;
    std::fill(seen.begin(), seen.end(), 0);
    closure(start, first, seen);
    for (std::int32_t s : first) {
      const State& st = states_[static_cast<std::size_t>(s)];
      switch (st.op) {
        case Op::form: by_form_[st.arg].push_back(s); break;
        case Op::stem: by_stem_[st.arg].push_back(s); break;
        case Op::actor:
          if (st.arg < 0) any_actor_.push_back(s);
          else by_actor_[st.arg].push_back(s);
          break;
        case Op::member: by_member_[st.arg].push_back(s); break;
        case Op::regex: regex_first_.push_back(s); break;
        default: break;
      }
    }
  }
}

void Automaton::find_all(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                         const EntityIndex* entities, std::vector<AutomatonMatch>& out) const {
  if (begin >= end) return;
  const std::size_t width = end - begin + 1;
  // agenda[k]: states waiting to consume token begin+k (or to accept at that position).
  std::vector<std::vector<std::int32_t>> agenda(width);
  std::vector<std::uint32_t> stamp(states_.size(), 0);  // dedupe (position, state)
  std::uint32_t generation = 0;
  std::vector<std::int32_t> expanded;
  // Regex results per (regex, token), computed on first use; empty when the layer has no regex.
  std::vector<std::int8_t> regex_memo(regexes_.empty() ? 0 : regexes_.size() * width, -1);
  auto regex_at = [&](std::int32_t regex, std::uint32_t q) {
    std::int8_t& known = regex_memo[static_cast<std::size_t>(regex) * width + (q - begin)];
    if (known < 0) known = regex_matches(regex, tokens[q]) ? 1 : 0;
    return known == 1;
  };

  auto push = [&](std::uint32_t position, std::int32_t state) {
    if (state < 0 || position > end) return;
    agenda[position - begin].push_back(state);
  };
  auto lookup = [](const auto& index, std::int32_t key) -> const std::vector<std::int32_t>* {
    if (key < 0) return nullptr;
    auto it = index.find(key);
    return it == index.end() ? nullptr : &it->second;
  };

  for (std::uint32_t p = begin; p < end; ++p) {
    const text::Token& t = tokens[p];
    bool any_start = false;
    auto seed = [&](const std::vector<std::int32_t>* states) {
      if (!states) return;
      for (std::int32_t s : *states) { push(p, s); any_start = true; }
    };
    seed(lookup(by_form_, t.form_id));
    seed(lookup(by_stem_, t.stem_id));
    if (entities) {
      for (std::uint32_t m : entities->starting_at[p]) {
        const EntitySpan& e = entities->spans[m];
        if (e.is_actor) { seed(lookup(by_actor_, e.ref)); seed(&any_actor_); }
        else seed(lookup(by_member_, e.ref));
      }
    }
    if (!regex_first_.empty()) {
      for (std::int32_t s : regex_first_) {
        if (regex_at(states_[static_cast<std::size_t>(s)].arg, p)) { push(p, s); any_start = true; }
      }
    }
    if (!any_start) continue;
    std::uint32_t last_used = p;
    for (std::uint32_t q = p; q <= end && q <= last_used; ++q) {
      auto& pending = agenda[q - begin];
      if (pending.empty()) continue;
      ++generation;
      // Expand epsilon closures, dedupe, then step.
      expanded.clear();
      for (std::int32_t s : pending) {
        std::vector<std::int32_t> stack{s};
        while (!stack.empty()) {
          const std::int32_t cur = stack.back();
          stack.pop_back();
          if (cur < 0 || stamp[static_cast<std::size_t>(cur)] == generation) continue;
          stamp[static_cast<std::size_t>(cur)] = generation;
          const State& st = states_[static_cast<std::size_t>(cur)];
          if (st.op == Op::split) {
            stack.push_back(st.out2);
            stack.push_back(st.out);
          } else {
            expanded.push_back(cur);
          }
        }
      }
      pending.clear();
      for (std::int32_t s : expanded) {
        const State& st = states_[static_cast<std::size_t>(s)];
        if (st.op == Op::accept) {
          if (q > p) out.push_back({st.arg, p, q});
          continue;
        }
        if (q >= end) continue;
        const text::Token& tok = tokens[q];
        switch (st.op) {
          case Op::form: if (tok.form_id == st.arg) { push(q + 1, st.out); last_used = std::max(last_used, q + 1); } break;
          case Op::stem: if (tok.stem_id == st.arg) { push(q + 1, st.out); last_used = std::max(last_used, q + 1); } break;
          case Op::any: push(q + 1, st.out); last_used = std::max(last_used, q + 1); break;
          case Op::regex: if (regex_at(st.arg, q)) { push(q + 1, st.out); last_used = std::max(last_used, q + 1); } break;
          case Op::actor:
          case Op::member:
            if (entities) {
              for (std::uint32_t m : entities->starting_at[q]) {
                const EntitySpan& e = entities->spans[m];
                const bool fits = st.op == Op::actor ? (e.is_actor && (st.arg < 0 || e.ref == st.arg))
                                                     : (!e.is_actor && e.ref == st.arg);
                if (fits) { push(e.end, st.out); last_used = std::max(last_used, e.end); }
              }
            }
            break;
          default: break;
        }
      }
    }
  }
}

void Automaton::find_near(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                          const EntityIndex* entities, std::vector<NearMatch>& out) const {
  if (begin >= end) return;
  // A thread through the NFA that may spend one edit. `exact`: it has matched a token as written
  // (a gap's tokens do not count), so that a one-word pattern never "nearly" matches any word.
  struct Thread {
    std::int32_t state = -1;
    bool edited = false;
    bool exact = false;
    NearMatch::Edit edit = NearMatch::Edit::changed;
    std::uint32_t token = 0;
    std::uint16_t exact_tokens = 0;  // a match mostly made of gap is no near miss worth showing
    std::uint16_t gap_tokens = 0;
  };
  const std::size_t width = end - begin + 1;
  std::vector<std::vector<Thread>> agenda(width);
  // Dedupe (position, state, edited, exact): the first thread to get there keeps its edit.
  std::vector<std::uint32_t> stamp(states_.size() * 4, 0);
  std::uint32_t generation = 0;
  std::vector<Thread> expanded;
  std::vector<Thread> stack;

  for (std::uint32_t p = begin; p < end; ++p) {
    for (std::int32_t s : starts_) agenda[p - begin].push_back({s, false, false, NearMatch::Edit::changed, 0, 0, 0});
    std::uint32_t last_used = p;
    auto push = [&](std::uint32_t position, Thread thread) {
      if (thread.state < 0 || position > end) return;
      agenda[position - begin].push_back(thread);
      last_used = std::max(last_used, position);
    };
    for (std::uint32_t q = p; q <= end && q <= last_used; ++q) {
      auto& pending = agenda[q - begin];
      if (pending.empty()) continue;
      ++generation;
      expanded.clear();
      for (const Thread& seed : pending) {
        stack.assign(1, seed);
        while (!stack.empty()) {
          Thread cur = stack.back();
          stack.pop_back();
          if (cur.state < 0) continue;
          const std::size_t key = static_cast<std::size_t>(cur.state) * 4 + (cur.edited ? 2 : 0) + (cur.exact ? 1 : 0);
          if (stamp[key] == generation) continue;
          stamp[key] = generation;
          const State& st = states_[static_cast<std::size_t>(cur.state)];
          if (st.op == Op::split) {
            Thread second = cur;
            second.state = st.out2;
            stack.push_back(second);
            cur.state = st.out;
            stack.push_back(cur);
          } else {
            expanded.push_back(cur);
          }
        }
      }
      pending.clear();
      for (const Thread& th : expanded) {
        const State& st = states_[static_cast<std::size_t>(th.state)];
        if (st.op == Op::accept) {
          if (q > p && th.edited && th.exact && th.exact_tokens >= th.gap_tokens) out.push_back({st.arg, p, q, th.edit, th.token});
          continue;
        }
        if (q >= end) continue;
        const text::Token& tok = tokens[q];
        Thread next = th;
        next.state = st.out;
        bool matched = false;
        switch (st.op) {
          case Op::form: matched = tok.form_id == st.arg; break;
          case Op::stem: matched = tok.stem_id == st.arg; break;
          case Op::regex: matched = regex_matches(st.arg, tok); break;
          case Op::any:  // a gap takes any token: nothing to edit
            ++next.gap_tokens;
            push(q + 1, next);
            continue;
          case Op::actor:
          case Op::member:
            if (entities) {
              for (std::uint32_t m : entities->starting_at[q]) {
                const EntitySpan& e = entities->spans[m];
                const bool fits = st.op == Op::actor ? (e.is_actor && (st.arg < 0 || e.ref == st.arg))
                                                     : (!e.is_actor && e.ref == st.arg);
                if (fits) {
                  Thread mention = next;
                  mention.exact = true;
                  ++mention.exact_tokens;
                  push(e.end, mention);
                  matched = true;
                }
              }
            }
            if (matched) continue;
            break;
          default: continue;
        }
        if (matched) {
          next.exact = true;
          ++next.exact_tokens;
          push(q + 1, next);
          continue;
        }
        if (th.edited) continue;
        // One edit: this token stands where the pattern wants another ...
        Thread changed = next;
        changed.edited = true;
        changed.edit = NearMatch::Edit::changed;
        changed.token = q;
        push(q + 1, changed);
        // ... or it is one token too many inside the match (never before its first token).
        if (q > p) {
          Thread dropped = th;
          dropped.edited = true;
          dropped.edit = NearMatch::Edit::dropped;
          dropped.token = q;
          push(q + 1, dropped);
        }
      }
    }
  }
}

}  // namespace stance::match
