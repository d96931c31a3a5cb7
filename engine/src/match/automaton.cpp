#include "match/automaton.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <mutex>

#include "core/hash.hpp"
#include "text/fold.hpp"
#include "text/tokenizer.hpp"

namespace stance::match {

// Scratches for callers that bring none: taken and given back around each call, so at most one per
// thread that is matching at the same time, each kept for the automaton's life.
struct Automaton::ScratchPool {
  std::mutex mutex;
  std::vector<std::unique_ptr<MatchScratch>> idle;

  std::unique_ptr<MatchScratch> take() {
    {
      const std::lock_guard lock(mutex);
      if (!idle.empty()) {
        auto scratch = std::move(idle.back());
        idle.pop_back();
        return scratch;
      }
    }
    return std::make_unique<MatchScratch>();
  }
  void give_back(std::unique_ptr<MatchScratch> scratch) {
    const std::lock_guard lock(mutex);
    idle.push_back(std::move(scratch));
  }
};

Automaton::Automaton() : pool_(std::make_unique<ScratchPool>()) {}
Automaton::~Automaton() = default;
Automaton::Automaton(Automaton&&) noexcept = default;
Automaton& Automaton::operator=(Automaton&&) noexcept = default;

std::int32_t Automaton::new_state(Op op, std::int32_t arg) {
  states_.push_back({op, arg, -1, -1});
  return static_cast<std::int32_t>(states_.size() - 1);
}

bool Automaton::regex_matches(std::int32_t regex, const text::Token& token) const {
  const RegexBounds& bounds = regex_bounds_[static_cast<std::size_t>(regex)];
  if (bounds.known && (token.folded() < bounds.min || token.folded() > bounds.max)) return false;
  return RE2::FullMatch(token.folded(), *regexes_[static_cast<std::size_t>(regex)]);
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
      Automaton::RegexBounds bounds;
      // An empty max means "no upper bound" here (RE2 gives up on, e.g., a leading ".*").
      bounds.known = compiled->PossibleMatchRange(&bounds.min, &bounds.max, 16) && !bounds.max.empty();
      if (bounds.known) {
        // min <= s <= max bounds s's first byte by theirs (no token is empty, so s has one).
        bounds.first_min = bounds.min.empty() ? 0 : static_cast<unsigned char>(bounds.min[0]);
        bounds.first_max = static_cast<unsigned char>(bounds.max[0]);
      }
      a_.regex_bounds_.push_back(std::move(bounds));
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
      for (const auto& t : doc.tokens) words.push_back({t.folded(), t.kind == text::TokenKind::word});
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
    regex_bounds_.resize(regexes_.size());
  };
  if (!fragment) {
    roll_back();
    return compiler.error();
  }
  const std::int32_t accept = new_state(Op::accept, entry);
  compiler.patch(*fragment, accept);
  // A pattern must start with a concrete token or mention, and must consume something.
  std::vector<std::int32_t> first;
  // The pattern's states are the ones added since `mark`, and its edges never leave them.
  std::vector<std::uint32_t> seen(states_.size() - mark, 0);
  closure(fragment->start, first, seen, 1, static_cast<std::int32_t>(mark));
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

void Automaton::closure(std::int32_t state, std::vector<std::int32_t>& out, std::vector<std::uint32_t>& visited,
                        std::uint32_t mark, std::int32_t base) const {
  // Depth-first, out before out2: the order in which matches of alternatives are reported.
  std::vector<std::int32_t> stack{state};
  while (!stack.empty()) {
    const std::int32_t cur = stack.back();
    stack.pop_back();
    if (cur < 0) continue;
    std::uint32_t& seen = visited[static_cast<std::size_t>(cur - base)];
    if (seen == mark) continue;
    seen = mark;
    const State& st = states_[static_cast<std::size_t>(cur)];
    if (st.op == Op::split) {
      stack.push_back(st.out2);
      stack.push_back(st.out);
    } else {
      out.push_back(cur);
    }
  }
}

void Automaton::FirstIndex::build(std::unordered_map<std::int32_t, std::vector<std::int32_t>>& lists) {
  std::int32_t largest = -1;
  for (const auto& [key, list] : lists) largest = std::max(largest, key);
  by_key.assign(static_cast<std::size_t>(largest + 1), {});
  states.clear();
  // Keys in ascending order so that the flat layout does not depend on hash order.
  for (std::int32_t key = 0; key <= largest; ++key) {
    const auto found = lists.find(key);
    if (found == lists.end()) continue;
    by_key[static_cast<std::size_t>(key)] = {static_cast<std::uint32_t>(states.size()),
                                             static_cast<std::uint32_t>(found->second.size())};
    states.insert(states.end(), found->second.begin(), found->second.end());
  }
}

void Automaton::finish() {
  std::unordered_map<std::int32_t, std::vector<std::int32_t>> form, stem, actor, member;
  std::vector<std::uint32_t> seen(states_.size(), 0);
  std::uint32_t mark = 0;
  std::vector<std::int32_t> first;
  for (std::int32_t start : starts_) {
    first.clear();
    closure(start, first, seen, ++mark);
    for (std::int32_t s : first) {
      const State& st = states_[static_cast<std::size_t>(s)];
      switch (st.op) {
        case Op::form: form[st.arg].push_back(s); break;
        case Op::stem: stem[st.arg].push_back(s); break;
        case Op::actor:
          if (st.arg < 0) any_actor_.push_back(s);
          else actor[st.arg].push_back(s);
          break;
        case Op::member: member[st.arg].push_back(s); break;
        case Op::regex: regex_first_.push_back(s); break;
        default: break;
      }
    }
  }
  regex_first_bytes_ = {};
  for (const std::int32_t s : regex_first_) {
    const RegexBounds& bounds = regex_bounds_[static_cast<std::size_t>(states_[static_cast<std::size_t>(s)].arg)];
    for (unsigned byte = bounds.first_min; byte <= bounds.first_max; ++byte) {
      regex_first_bytes_[byte >> 6U] |= std::uint64_t{1} << (byte & 63U);
    }
  }
  by_form_.build(form);
  by_stem_.build(stem);
  by_actor_.build(actor);
  by_member_.build(member);

  // The closure of every state, so that the matcher never walks split chains (a gap "...12" is a
  // chain of twelve) at run time.
  closure_of_.assign(states_.size(), {});
  closure_states_.clear();
  std::fill(seen.begin(), seen.end(), 0);
  mark = 0;
  for (std::size_t s = 0; s < states_.size(); ++s) {
    const auto offset = static_cast<std::uint32_t>(closure_states_.size());
    closure(static_cast<std::int32_t>(s), closure_states_, seen, ++mark);
    closure_of_[s] = {offset, static_cast<std::uint32_t>(closure_states_.size()) - offset};
  }
  identity_ = std::make_shared<const int>(0);
}

// ---- matching: a lazy DFA over the NFA --------------------------------------------------------
//
// find_all runs one simulation per start token p (every match needs its own start). The NFA
// states alive at a position form a set; the same sets recur from sentence to sentence, so each
// set is interned once as a DFA state and each step from it, keyed by (DFA state, form id, stem
// id), is computed once and then found in a hash table. The cost of a step is one lookup, however
// many patterns the set holds: after "the", a pack whose aliases start with "the" forty times over
// holds one DFA state, not forty threads.
//
// Two things are not keyed by ids and stay outside the cached steps: regex edges (a DFA state
// holding one computes its steps every time, with the per-call regex memo), and mention edges
// (@actor, $member), which consume a whole layer-1 span and land further on; their targets wait on
// the agenda as NFA states and are merged with what else arrives at that position.

namespace {

constexpr std::uint64_t kNoKey = ~std::uint64_t{0};
constexpr std::int32_t kDead = 0;                       // the DFA state of the empty set
constexpr std::uint64_t kIdLimit = (std::uint64_t{1} << 21U) - 1;  // form/stem ids in a key
constexpr std::uint64_t kStartKey = (std::uint64_t{1} << 22U) - 1;  // "before the first token"
// In place of a DFA state: a start by ids joined by one mention (the rest of the key says which).
constexpr std::uint64_t kMentionStartKey = kStartKey - 1;
constexpr std::uint64_t kMentionKeyLimit = std::uint64_t{1} << 20U;  // DFA states and refs in such a key
// In place of a DFA state: a DFA state (20 bits) merged with the closure of one NFA state (22 bits).
constexpr std::uint64_t kMergeKey = kStartKey - 2;
constexpr std::uint64_t kMergeStateLimit = std::uint64_t{1} << 22U;
// Bounds on a scratch's cache; past them it starts afresh before the next call (RE2 does the same),
// so memory stays bounded whatever the text.
constexpr std::size_t kMaxDfaStates = std::size_t{1} << 16U;
constexpr std::size_t kMaxListedStates = std::size_t{1} << 22U;
constexpr std::size_t kMaxTransitions = std::size_t{1} << 19U;

std::uint64_t mix(std::uint64_t key) { return core::mix64(key); }  // spreads keys over the table

std::uint64_t hash_set(std::span<const std::int32_t> states) {
  std::uint64_t h = states.size();
  for (const std::int32_t s : states) h = mix(h ^ static_cast<std::uint32_t>(s));
  return h;
}

}  // namespace

struct MatchScratch::Impl {
  struct DfaState {
    std::uint32_t nfa = 0, nfa_count = 0;        // its NFA states, sorted, in nfa_lists
    std::uint32_t accept = 0, accept_count = 0;  // entries of its accepting states, in accepts
    std::uint32_t mention = 0, mention_count = 0;  // its @actor / $member states, in mention_states
    // The ids its form and stem states take, as bits (id mod 64): a token with neither bit set is
    // taken by none of them, so its step is known without a lookup. Most steps are such misses:
    // a phrase that began at a common word seldom goes on.
    std::uint64_t form_bits = 0, stem_bits = 0;
    std::int32_t by_gap = -1;  // the step on a token only its gap states take; -1: not yet known
    bool gap = false;    // holds an "any" state (a gap)
    bool regex = false;  // holds a regex state: its steps depend on the text, not only on ids
  };
  struct Transition {
    std::uint64_t key = kNoKey;
    std::int32_t next = kDead;
  };

  // The DFA cache, valid for the automaton whose identity is `owner`.
  std::shared_ptr<const int> owner;
  std::vector<DfaState> dfa;
  std::vector<std::int32_t> nfa_lists, accepts, mention_states;
  std::vector<std::int32_t> sets;  // open addressing over DFA ids by hash of their NFA set; -1 free
  std::size_t set_count = 0;
  std::vector<Transition> transitions;  // open addressing by key
  std::size_t transition_count = 0;
  // The state after the first token of a start whose patterns are chosen by the token's form id
  // alone (after_form) or its stem id alone (after_stem); -1 not yet known. Most starts are one of
  // these (a grammar word), and an array indexed by the pack's ids is cheaper than hashing. Sized
  // by the automaton's first-token index, so bounded by the pack, never by the text.
  std::vector<std::int32_t> after_form, after_stem;
  // The same for starts chosen by both ids at once, by form id, with the stem id it was found for
  // (a form nearly always has the one stem, but the key must be the pair).
  struct AfterBoth {
    std::int32_t stem = -1;
    std::int32_t next = -1;
  };
  std::vector<AfterBoth> after_both;
  // By vocabulary id: bit 0 set when patterns start with that form id, bit 1 when they start with
  // that stem id; one entry past the end, 0, for ids the index does not reach (and -1). The scan
  // over every token of the text asks it twice, with neither a bounds branch nor two Range loads.
  std::vector<std::uint8_t> first_kind;
  // Automaton::regex_first_bytes_ a byte each: one load per token instead of a shift and a mask.
  std::array<std::uint8_t, 256> regex_first_byte{};

  // Per call.
  std::vector<std::vector<std::int32_t>> raw_at;  // position -> NFA states (not yet closed) mention edges led to
  std::size_t pending_raw = 0;  // how many of raw_at are not empty: while 0, no position needs looking at
  std::vector<std::int32_t> building;  // the NFA set being built
  std::vector<std::uint32_t> in_building;  // NFA state -> generation when it joined `building`
  std::uint32_t generation = 0;
  std::vector<std::uint32_t> regex_memo;  // (regex, position) -> call << 1 | matched
  std::uint32_t call = 0;

  void reset(const std::shared_ptr<const int>& identity) {
    owner = identity;
    dfa.assign(1, DfaState{});  // kDead
    nfa_lists.clear();
    accepts.clear();
    mention_states.clear();
    sets.assign(1024, -1);
    set_count = 0;
    transitions.assign(4096, Transition{});
    transition_count = 0;
    after_form.clear();
    after_stem.clear();
    after_both.clear();
    first_kind.clear();
  }

  [[nodiscard]] bool oversized() const {
    return dfa.size() > kMaxDfaStates || nfa_lists.size() > kMaxListedStates || transition_count > kMaxTransitions;
  }

  [[nodiscard]] std::span<const std::int32_t> nfa_of(std::int32_t d) const {
    const DfaState& state = dfa[static_cast<std::size_t>(d)];
    return {nfa_lists.data() + state.nfa, state.nfa_count};
  }

  // A cheaper spread than mix() for the step table, looked up at every step of every simulation:
  // the high half (DFA state, top of the form id) folded onto the low half, then one multiply whose
  // upper 32 bits depend on every bit of that (the mask keeps the low bits of the result).
  static std::size_t slot_of(std::uint64_t key) {
    return static_cast<std::size_t>(((key ^ (key >> 32U)) * 0x9E3779B97F4A7C15ULL) >> 32U);
  }

  [[nodiscard, gnu::always_inline]] std::int32_t find_transition(std::uint64_t key) const {
    const std::size_t mask = transitions.size() - 1;
    for (std::size_t i = slot_of(key) & mask;; i = (i + 1) & mask) {
      if (transitions[i].key == key) return transitions[i].next;
      if (transitions[i].key == kNoKey) return -1;
    }
  }

  void add_transition(std::uint64_t key, std::int32_t next) {
    if ((transition_count + 1) * 2 > transitions.size()) {
      std::vector<Transition> old(transitions.size() * 2);
      old.swap(transitions);
      transition_count = 0;
      for (const Transition& t : old) {
        if (t.key != kNoKey) add_transition(t.key, t.next);
      }
    }
    const std::size_t mask = transitions.size() - 1;
    std::size_t i = slot_of(key) & mask;
    while (transitions[i].key != kNoKey) i = (i + 1) & mask;
    transitions[i] = {key, next};
    ++transition_count;
  }

  void begin_set(std::size_t nfa_states) {
    if (in_building.size() < nfa_states) {
      in_building.assign(nfa_states, 0);
      generation = 0;
    }
    if (++generation == 0) {  // wrapped: old marks could look current
      std::fill(in_building.begin(), in_building.end(), 0);
      generation = 1;
    }
    building.clear();
  }

  void add_to_set(std::int32_t state) {
    std::uint32_t& mark = in_building[static_cast<std::size_t>(state)];
    if (mark == generation) return;
    mark = generation;
    building.push_back(state);
  }
};

MatchScratch::MatchScratch() : impl_(std::make_unique<Impl>()) {}
MatchScratch::~MatchScratch() = default;
MatchScratch::MatchScratch(MatchScratch&&) noexcept = default;
MatchScratch& MatchScratch::operator=(MatchScratch&&) noexcept = default;
std::size_t MatchScratch::dfa_states() const { return impl_->dfa.size(); }
std::size_t MatchScratch::dfa_transitions() const { return impl_->transition_count; }

// One find_all call: the automaton, the scratch and the sentence.
class Automaton::Simulation {
 public:
  using Impl = MatchScratch::Impl;

  Simulation(const Automaton& automaton, Impl& scratch, const std::vector<text::Token>& tokens,
             std::uint32_t begin, std::uint32_t end, const EntityIndex* entities)
      : a_(automaton), s_(scratch), tokens_(tokens), begin_(begin), end_(end), entities_(entities) {
    if (s_.owner != a_.identity_ || s_.dfa.empty() || s_.oversized()) s_.reset(a_.identity_);
    if (s_.after_form.size() != a_.by_form_.by_key.size()) s_.after_form.assign(a_.by_form_.by_key.size(), -1);
    if (s_.after_stem.size() != a_.by_stem_.by_key.size()) s_.after_stem.assign(a_.by_stem_.by_key.size(), -1);
    if (s_.after_both.size() != a_.by_form_.by_key.size()) s_.after_both.assign(a_.by_form_.by_key.size(), {});
    if (s_.first_kind.empty()) build_first_kind();
    const std::size_t width = end_ - begin_ + 1;
    if (s_.raw_at.size() < width) s_.raw_at.resize(width);
    // Left over only when a call was cut short by an exception.
    if (s_.pending_raw != 0) {
      for (auto& raw : s_.raw_at) raw.clear();
      s_.pending_raw = 0;
    }
    if (!a_.regexes_.empty()) {
      const std::size_t cells = a_.regexes_.size() * width;
      if (s_.regex_memo.size() < cells) s_.regex_memo.resize(cells, 0);
      if (++s_.call > (UINT32_MAX >> 1U)) {  // the call number must fit beside the result bit
        std::fill(s_.regex_memo.begin(), s_.regex_memo.end(), 0);
        s_.call = 1;
      }
    }
  }

  void run(std::vector<AutomatonMatch>& out) {
    // Which per-token tests the scan needs is known per call: one loop each, without the others.
    const bool mentions = entities_ != nullptr;
    const bool regexes = !a_.regex_first_.empty();
    if (mentions) {
      if (regexes) scan<true, true>(out);
      else scan<true, false>(out);
    } else {
      if (regexes) scan<false, true>(out);
      else scan<false, false>(out);
    }
  }

 private:
  void build_first_kind() {
    const std::size_t n = std::max(a_.by_form_.by_key.size(), a_.by_stem_.by_key.size());
    s_.first_kind.assign(n + 1, 0);
    for (std::size_t id = 0; id < a_.by_form_.by_key.size(); ++id) {
      if (a_.by_form_.by_key[id].count != 0) s_.first_kind[id] |= 1U;
    }
    for (std::size_t id = 0; id < a_.by_stem_.by_key.size(); ++id) {
      if (a_.by_stem_.by_key[id].count != 0) s_.first_kind[id] |= 2U;
    }
    for (unsigned byte = 0; byte < 256; ++byte) {
      s_.regex_first_byte[byte] = static_cast<std::uint8_t>((a_.regex_first_bytes_[byte >> 6U] >> (byte & 63U)) & 1U);
    }
  }

  template <bool kMentions, bool kRegexes>
  void scan(std::vector<AutomatonMatch>& out) {
    // Looked at for every token: kept in locals, which the stores of the loop cannot be taken to change.
    const std::vector<std::uint32_t>* starting_at = kMentions ? entities_->starting_at.data() : nullptr;
    const std::uint8_t* kinds = s_.first_kind.data();
    const auto outside = static_cast<std::uint32_t>(s_.first_kind.size() - 1);
    const std::uint8_t* regex_bytes = s_.regex_first_byte.data();
    const text::Token* t = tokens_.data() + begin_;
    for (std::uint32_t p = begin_; p < end_; ++p, ++t) {
      const bool mentions = kMentions && !starting_at[p].empty();
      const bool regexes = kRegexes && first_regex_at(p, regex_bytes);
      if (!mentions && !regexes) {
        // -1 and ids past the index land on the trailing 0.
        const unsigned kind = (kinds[std::min(static_cast<std::uint32_t>(t->form_id), outside)] & 1U) |
                              (kinds[std::min(static_cast<std::uint32_t>(t->stem_id), outside)] & 2U);
        if (kind == 0) continue;  // nothing can start here: the common case, decided without hashing
        // No mention edge can land on p (none is pending), so the simulation may begin after p's
        // token: the start state holds only form and stem states, accepts nothing at p and has no
        // mention edges.
        if (s_.pending_raw == 0) {
          const std::int32_t second = after_first(p, kind);
          if (second != kDead && !settled(p, second, out)) simulate(p, p + 1, second, out);
          continue;
        }
      }
      const std::int32_t first = start(p, mentions, regexes);
      if (first != kDead) simulate(p, p, first, out);
    }
  }

  // simulate(p, p + 1, d) when its first step is known to end it (as after most first tokens: a
  // phrase that began at a common word seldom goes on): reports d's accepts and returns true,
  // without the call. False, having done nothing, when it cannot tell cheaply.
  [[gnu::always_inline]] bool settled(std::uint32_t p, std::int32_t d, std::vector<AutomatonMatch>& out) {
    const std::uint32_t q = p + 1;
    const Impl::DfaState& state = s_.dfa[static_cast<std::size_t>(d)];
    if (q < end_) {
      if (state.regex || state.gap) return false;
      // A mention edge goes on only where a mention starts (most tokens start none).
      if (state.mention_count != 0 && mention_starts_at(q)) return false;
      const text::Token& t = tokens_[q];
      if (((state.form_bits & bit(t.form_id)) | (state.stem_bits & bit(t.stem_id))) != 0) return false;
    }
    const std::int32_t* accepts = s_.accepts.data();
    for (std::uint32_t k = state.accept; k < state.accept + state.accept_count; ++k) out.push_back({accepts[k], p, q});
    return true;
  }

  [[nodiscard]] bool mention_starts_at(std::uint32_t q) const { return entities_ && !entities_->starting_at[q].empty(); }

  static bool keyable(std::int32_t id) { return static_cast<std::uint64_t>(id + 1) < kIdLimit; }
  static std::uint64_t key(std::uint64_t dfa, const text::Token& t) {
    return (dfa << 42U) | (static_cast<std::uint64_t>(t.form_id + 1) << 21U) | static_cast<std::uint64_t>(t.stem_id + 1);
  }
  static std::uint64_t bit(std::int32_t id) { return std::uint64_t{1} << (static_cast<std::uint32_t>(id) & 63U); }

  // Runs the matches that start at p from position q, where DFA state d (or kDead) has arrived.
  void simulate(std::uint32_t p, std::uint32_t q, std::int32_t d, std::vector<AutomatonMatch>& out) {
    std::uint32_t last_used = q;
    for (;; ++q) {
      if (s_.pending_raw != 0) {
        std::vector<std::int32_t>& raw = s_.raw_at[q - begin_];
        if (!raw.empty()) {
          d = merge(d, raw);
          raw.clear();
          --s_.pending_raw;
        }
      }
      std::int32_t next = kDead;
      if (d > kDead) {
        const Impl::DfaState& state = s_.dfa[static_cast<std::size_t>(d)];
        if (q > p && state.accept_count != 0) {
          const std::uint32_t accept_end = state.accept + state.accept_count;
          const std::int32_t* accepts = s_.accepts.data();
          for (std::uint32_t k = state.accept; k < accept_end; ++k) out.push_back({accepts[k], p, q});
        }
        if (q < end_) {
          const std::uint32_t mention = state.mention;  // read before step() may grow s_.dfa
          const std::uint32_t mention_count = state.mention_count;
          next = step(d, q);
          if (next != kDead) last_used = std::max(last_used, q + 1);
          if (mention_count != 0 && mention_starts_at(q)) {
            follow_mentions(mention, mention_count, q, last_used);
          }
        }
      }
      if (q >= last_used) return;
      d = next;
    }
  }

  // Puts the targets of the mention edges of DFA state d (its mention states [mention, +count))
  // that the mentions starting at q take where those mentions end.
  void follow_mentions(std::uint32_t mention, std::uint32_t count, std::uint32_t q, std::uint32_t& last_used) {
    for (std::uint32_t k = mention; k < mention + count; ++k) {
      const State& st = a_.states_[static_cast<std::size_t>(s_.mention_states[k])];
      if (st.out < 0) continue;
      for (const std::uint32_t m : entities_->starting_at[q]) {
        const EntitySpan& e = entities_->spans[m];
        const bool fits = st.op == Op::actor ? (e.is_actor && (st.arg < 0 || e.ref == st.arg))
                                             : (!e.is_actor && e.ref == st.arg);
        if (!fits || e.end > end_) continue;
        std::vector<std::int32_t>& raw = s_.raw_at[e.end - begin_];
        if (raw.empty()) ++s_.pending_raw;  // before the push, which may throw: too high is harmless
        raw.push_back(st.out);
        last_used = std::max(last_used, e.end);
      }
    }
  }

  bool regex_at(std::int32_t regex, std::uint32_t q) {
    // Most tokens are refused by their first byte (a number pattern against words), before the memo
    // or a call: a regex that may start a pattern is asked about every token of the text.
    const RegexBounds& bounds = a_.regex_bounds_[static_cast<std::size_t>(regex)];
    const unsigned char first = tokens_[q].folded_first;
    if (first < bounds.first_min || first > bounds.first_max) return false;
    const std::size_t width = end_ - begin_ + 1;
    std::uint32_t& known = s_.regex_memo[static_cast<std::size_t>(regex) * width + (q - begin_)];
    if ((known >> 1U) != s_.call) known = (s_.call << 1U) | (a_.regex_matches(regex, tokens_[q]) ? 1U : 0U);
    return (known & 1U) != 0;
  }

  // Whether a regex a pattern may start with matches token p (memoised, so start() asks again
  // for free).
  // `bytes`: the scratch's regex_first_byte, as the caller keeps it at hand.
  bool first_regex_at(std::uint32_t p, const std::uint8_t* bytes) {
    // One test for all of them refuses most tokens, which every such regex would refuse in turn.
    if (bytes[tokens_[p].folded_first] == 0) return false;
    for (const std::int32_t s : a_.regex_first_) {
      if (regex_at(a_.states_[static_cast<std::size_t>(s)].arg, p)) return true;
    }
    return false;
  }

  void add_closure(std::int32_t state) {
    if (state < 0) return;
    const Range r = a_.closure_of_[static_cast<std::size_t>(state)];
    for (std::uint32_t k = r.offset; k < r.offset + r.count; ++k) s_.add_to_set(a_.closure_states_[k]);
  }

  // The DFA state holding exactly the NFA states in s_.building (sorted here).
  std::int32_t intern() {
    auto& set = s_.building;
    if (set.empty()) return kDead;
    std::sort(set.begin(), set.end());
    const std::size_t mask = s_.sets.size() - 1;
    std::size_t i = hash_set(set) & mask;
    for (; s_.sets[i] >= 0; i = (i + 1) & mask) {
      const auto known = s_.nfa_of(s_.sets[i]);
      if (known.size() == set.size() && std::equal(known.begin(), known.end(), set.begin())) return s_.sets[i];
    }
    const auto id = static_cast<std::int32_t>(s_.dfa.size());
    Impl::DfaState state;
    state.nfa = static_cast<std::uint32_t>(s_.nfa_lists.size());
    state.nfa_count = static_cast<std::uint32_t>(set.size());
    s_.nfa_lists.insert(s_.nfa_lists.end(), set.begin(), set.end());
    state.accept = static_cast<std::uint32_t>(s_.accepts.size());
    state.mention = static_cast<std::uint32_t>(s_.mention_states.size());
    for (const std::int32_t n : set) {
      const State& st = a_.states_[static_cast<std::size_t>(n)];
      switch (st.op) {
        case Op::accept: s_.accepts.push_back(st.arg); break;
        case Op::actor:
        case Op::member: s_.mention_states.push_back(n); break;
        case Op::regex: state.regex = true; break;
        case Op::form: state.form_bits |= bit(st.arg); break;
        case Op::stem: state.stem_bits |= bit(st.arg); break;
        case Op::any: state.gap = true; break;
        case Op::split: break;
      }
    }
    state.accept_count = static_cast<std::uint32_t>(s_.accepts.size()) - state.accept;
    state.mention_count = static_cast<std::uint32_t>(s_.mention_states.size()) - state.mention;
    s_.dfa.push_back(state);
    s_.sets[i] = id;
    if (++s_.set_count * 2 > s_.sets.size()) rehash_sets();
    return id;
  }

  void rehash_sets() {
    std::vector<std::int32_t> sets(s_.sets.size() * 2, -1);
    const std::size_t mask = sets.size() - 1;
    for (std::size_t d = 1; d < s_.dfa.size(); ++d) {
      std::size_t i = hash_set(s_.nfa_of(static_cast<std::int32_t>(d))) & mask;
      while (sets[i] >= 0) i = (i + 1) & mask;
      sets[i] = static_cast<std::int32_t>(d);
    }
    s_.sets.swap(sets);
  }

  // The states that begin matches at token p: by the token's form and stem (cached), plus the
  // mentions that start there and the regexes that match it.
  std::int32_t start(std::uint32_t p, bool mentions, bool regexes) {
    const text::Token& t = tokens_[p];
    std::int32_t by_ids = kDead;
    const bool cached = keyable(t.form_id) && keyable(t.stem_id);
    if (cached) by_ids = s_.find_transition(key(kStartKey, t));
    if (!cached || by_ids < 0) {
      s_.begin_set(a_.states_.size());
      for (const std::int32_t s : a_.by_form_.at(t.form_id)) s_.add_to_set(s);
      for (const std::int32_t s : a_.by_stem_.at(t.stem_id)) s_.add_to_set(s);
      by_ids = intern();
      if (cached) s_.add_transition(key(kStartKey, t), by_ids);
    }
    // Only ids: the set is by_ids' own (interning the same sorted set again gives the same state).
    if (!mentions && !regexes) return by_ids;
    // One mention and no regex, as where most actors are named: the set depends on by_ids and the
    // mention's kind and ref alone, so it is interned once and then looked up (sorting and hashing
    // the set each time cost more than the rest of the start).
    if (mentions && !regexes && entities_->starting_at[p].size() == 1) {
      const EntitySpan& e = entities_->spans[entities_->starting_at[p][0]];
      if (static_cast<std::uint64_t>(by_ids) < kMentionKeyLimit && e.ref >= 0 &&
          static_cast<std::uint64_t>(e.ref) < kMentionKeyLimit) {
        const std::uint64_t k = (kMentionStartKey << 42U) | (static_cast<std::uint64_t>(by_ids) << 21U) |
                                (static_cast<std::uint64_t>(e.is_actor ? 1U : 0U) << 20U) |
                                static_cast<std::uint64_t>(e.ref);
        std::int32_t known = s_.find_transition(k);
        if (known < 0) {
          known = joined(p, by_ids, mentions, regexes);
          s_.add_transition(k, known);
        }
        return known;
      }
    }
    return joined(p, by_ids, mentions, regexes);
  }

  // start() past its ids: the set of by_ids with the mentions and the regexes at p.
  std::int32_t joined(std::uint32_t p, std::int32_t by_ids, bool mentions, bool regexes) {
    s_.begin_set(a_.states_.size());
    if (by_ids != kDead) {
      for (const std::int32_t s : s_.nfa_of(by_ids)) s_.add_to_set(s);
    }
    if (mentions) {
      for (const std::uint32_t m : entities_->starting_at[p]) {
        const EntitySpan& e = entities_->spans[m];
        if (e.is_actor) {
          for (const std::int32_t s : a_.by_actor_.at(e.ref)) s_.add_to_set(s);
          for (const std::int32_t s : a_.any_actor_) s_.add_to_set(s);
        } else {
          for (const std::int32_t s : a_.by_member_.at(e.ref)) s_.add_to_set(s);
        }
      }
    }
    if (regexes) {
      for (const std::int32_t s : a_.regex_first_) {
        if (regex_at(a_.states_[static_cast<std::size_t>(s)].arg, p)) s_.add_to_set(s);
      }
    }
    return intern();
  }

  // The state after token p of the matches that start there by the token's ids alone (no
  // mention, no regex): what start() and then step() give, mostly found in an array.
  // `kind`: bit 0, patterns start with p's form id; bit 1, with its stem id.
  [[gnu::always_inline]] std::int32_t after_first(std::uint32_t p, unsigned kind) {
    const text::Token& t = tokens_[p];
    std::int32_t known = -1;
    if (kind == 1U) {
      known = s_.after_form[static_cast<std::size_t>(t.form_id)];
    } else if (kind == 2U) {
      known = s_.after_stem[static_cast<std::size_t>(t.stem_id)];
    } else {
      const Impl::AfterBoth& both = s_.after_both[static_cast<std::size_t>(t.form_id)];
      if (both.stem == t.stem_id) known = both.next;
    }
    return known >= 0 ? known : looked_up_after_first(p, kind);
  }

  [[gnu::noinline]] std::int32_t looked_up_after_first(std::uint32_t p, unsigned kind) {
    const text::Token& t = tokens_[p];
    const std::int32_t next = step(start(p, false, false), p);
    if (kind == 1U) {
      s_.after_form[static_cast<std::size_t>(t.form_id)] = next;
    } else if (kind == 2U) {
      s_.after_stem[static_cast<std::size_t>(t.stem_id)] = next;
    } else {
      s_.after_both[static_cast<std::size_t>(t.form_id)] = {t.stem_id, next};
    }
    return next;
  }

  // Where DFA state d (not kDead) goes on token q (mention edges aside). What is known already is
  // found inline (on the path of every step); the rest is apart, so that the callers' loops stay small.
  [[gnu::always_inline]] std::int32_t step(std::int32_t d, std::uint32_t q) {
    const text::Token& t = tokens_[q];
    const Impl::DfaState& state = s_.dfa[static_cast<std::size_t>(d)];
    if (state.regex) return computed_step(d, q, false);
    if (((state.form_bits & bit(t.form_id)) | (state.stem_bits & bit(t.stem_id))) == 0) {
      // Only gap states can take this token, as they take any other such token: one answer for all.
      if (!state.gap) return kDead;
      if (state.by_gap >= 0) return state.by_gap;
      const std::int32_t next = successor(d, q);
      s_.dfa[static_cast<std::size_t>(d)].by_gap = next;
      return next;
    }
    if (!keyable(t.form_id) || !keyable(t.stem_id)) return computed_step(d, q, false);
    const std::int32_t known = s_.find_transition(key(static_cast<std::uint64_t>(d), t));
    return known >= 0 ? known : computed_step(d, q, true);
  }

  // step() when not known: from the NFA, and kept when `cached`.
  [[gnu::noinline]] std::int32_t computed_step(std::int32_t d, std::uint32_t q, bool cached) {
    const std::int32_t next = successor(d, q);
    if (cached) s_.add_transition(key(static_cast<std::uint64_t>(d), tokens_[q]), next);
    return next;
  }

  // step() computed from the NFA.
  std::int32_t successor(std::int32_t d, std::uint32_t q) {
    const text::Token& t = tokens_[q];
    s_.begin_set(a_.states_.size());
    const auto nfa = s_.nfa_of(d);
    for (std::size_t k = 0; k < nfa.size(); ++k) {
      const State& st = a_.states_[static_cast<std::size_t>(nfa[k])];
      bool consumed = false;
      switch (st.op) {
        case Op::form: consumed = t.form_id == st.arg; break;
        case Op::stem: consumed = t.stem_id == st.arg; break;
        case Op::any: consumed = true; break;
        case Op::regex: consumed = regex_at(st.arg, q); break;
        default: break;
      }
      if (consumed) add_closure(st.out);
    }
    return intern();
  }

  // The DFA state for d's NFA states together with the closures of `raw`. Mostly one mention has
  // landed, and the same one on the same state again and again (an actor named before a verb), so
  // that case is kept among the steps instead of being sorted and hashed each time.
  std::int32_t merge(std::int32_t d, const std::vector<std::int32_t>& raw) {
    if (raw.size() == 1 && static_cast<std::uint64_t>(d) < kMentionKeyLimit &&
        static_cast<std::uint64_t>(raw[0]) < kMergeStateLimit) {
      const std::uint64_t k =
          (kMergeKey << 42U) | (static_cast<std::uint64_t>(d) << 22U) | static_cast<std::uint64_t>(raw[0]);
      std::int32_t known = s_.find_transition(k);
      if (known < 0) {
        known = merged(d, raw);
        s_.add_transition(k, known);
      }
      return known;
    }
    return merged(d, raw);
  }

  std::int32_t merged(std::int32_t d, const std::vector<std::int32_t>& raw) {
    s_.begin_set(a_.states_.size());
    if (d > kDead) {
      for (const std::int32_t s : s_.nfa_of(d)) s_.add_to_set(s);
    }
    for (const std::int32_t r : raw) add_closure(r);
    return intern();
  }

  const Automaton& a_;
  Impl& s_;
  const std::vector<text::Token>& tokens_;
  std::uint32_t begin_;
  std::uint32_t end_;
  const EntityIndex* entities_;
};

void Automaton::find_all(const std::vector<text::Token>& tokens, std::uint32_t begin, std::uint32_t end,
                         const EntityIndex* entities, std::vector<AutomatonMatch>& out,
                         MatchScratch* scratch) const {
  if (begin >= end) return;
  if (scratch) {
    Simulation(*this, *scratch->impl_, tokens, begin, end, entities).run(out);
    return;
  }
  auto pooled = pool_->take();
  // Not given back when an exception (std::bad_alloc in a regex) cut the call short.
  struct Return {
    ScratchPool& pool;
    std::unique_ptr<MatchScratch>& scratch;
    int exceptions = std::uncaught_exceptions();
    ~Return() {
      if (std::uncaught_exceptions() == exceptions) pool.give_back(std::move(scratch));
    }
  } give_back{*pool_, pooled};
  Simulation(*this, *pooled->impl_, tokens, begin, end, entities).run(out);
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
