#include "match/automaton.hpp"

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

// Thompson construction by recursive descent over the pattern text.
class PatternCompiler {
 public:
  PatternCompiler(Automaton& automaton, std::string_view pattern, const PatternContext& context)
      : a_(automaton), p_(pattern), ctx_(context) {}

  struct Fragment {
    std::int32_t start = -1;
    std::vector<std::pair<std::int32_t, bool>> outs;  // (state, is out2) left dangling
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

 private:
  std::optional<Fragment> fail(std::string message) {
    if (error_.empty()) error_ = message + " at column " + std::to_string(pos_ + 1) + " of pattern '" + std::string(p_) + "'";
    return std::nullopt;
  }

  void skip_space() {
    while (pos_ < p_.size() && (p_[pos_] == ' ' || p_[pos_] == '\t')) ++pos_;
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
    // Chain of splits: split(o1, split(o2, ...)).
    Fragment result = options.back();
    for (std::size_t i = options.size() - 1; i-- > 0;) {
      const std::int32_t s = a_.new_state(Automaton::Op::split, -1);
      a_.states_[static_cast<std::size_t>(s)].out = options[i].start;
      a_.states_[static_cast<std::size_t>(s)].out2 = result.start;
      Fragment merged{s, options[i].outs};
      merged.outs.insert(merged.outs.end(), result.outs.begin(), result.outs.end());
      result = merged;
    }
    return result;
  }

  std::optional<Fragment> sequence() {
    std::optional<Fragment> result;
    while (true) {
      skip_space();
      if (pos_ >= p_.size() || p_[pos_] == '|' || p_[pos_] == ')') break;
      auto item = optional_item();
      if (!item) return std::nullopt;
      if (!result) {
        result = item;
      } else {
        patch(*result, item->start);
        result->outs = item->outs;
      }
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
      Fragment f{s, atom_fragment->outs};
      f.outs.push_back({s, true});
      return f;
    }
    return atom_fragment;
  }

  static bool is_delimiter(char c) { return c == ' ' || c == '\t' || c == '(' || c == ')' || c == '|'; }

  std::optional<Fragment> atom() {
    const char c = p_[pos_];
    if (c == '(') {
      ++pos_;
      auto inner = alternation();
      if (!inner) return std::nullopt;
      skip_space();
      if (pos_ >= p_.size() || p_[pos_] != ')') return fail("missing ')'");
      ++pos_;
      return inner;
    }
    // Read a chunk up to a delimiter; a trailing '?' (before a delimiter or the end) is the
    // optional marker, not part of the chunk.
    std::size_t end = pos_;
    while (end < p_.size() && !is_delimiter(p_[end])) ++end;
    std::string_view chunk = p_.substr(pos_, end - pos_);
    if (chunk.size() > 1 && chunk.back() == '?') chunk.remove_suffix(1);
    pos_ += chunk.size();
    return chunk_fragment(chunk);
  }

  std::optional<Fragment> single(Automaton::Op op, std::int32_t arg) {
    const std::int32_t s = a_.new_state(op, arg);
    return Fragment{s, {{s, false}}};
  }

  std::optional<Fragment> chunk_fragment(std::string_view chunk) {
    if (chunk.starts_with("...") || chunk.starts_with("\xE2\x80\xA6")) {
      const std::size_t skip = chunk.starts_with("...") ? 3 : 3;
      std::string_view digits = chunk.substr(skip);
      if (!digits.empty()) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 1) return fail("gap needs a number of tokens, as in '...3'");
        if (n > 12) return fail("gap of " + std::to_string(n) + " tokens is too wide (at most 12)");
        return gap(n);
      }
    }
    if (chunk.front() == '@') {
      const std::string id(chunk.substr(1));
      if (id == "actor") return single(Automaton::Op::actor, -1);
      if (!ctx_.actor_ids) return fail("actor references are not allowed here");
      auto found = ctx_.actor_ids->find(id);
      if (found == ctx_.actor_ids->end()) return fail("unknown actor '@" + id + "'");
      return single(Automaton::Op::actor, found->second);
    }
    if (chunk.front() == '$') {
      if (chunk != "$member") return fail("unknown slot '" + std::string(chunk) + "' (only $member)");
      if (ctx_.member_issue < 0) return fail("$member is only allowed in an issue's cues");
      return single(Automaton::Op::member, ctx_.member_issue);
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
        f = single(Automaton::Op::stem, ctx_.vocabulary->intern(ctx_.stemmer->stem(folded)));
      } else {
        f = single(Automaton::Op::form, ctx_.vocabulary->intern(folded));
      }
      if (!result) result = f;
      else {
        patch(*result, f->start);
        result->outs = f->outs;
      }
    }
    return result;
  }

  std::optional<Fragment> gap(int n) {
    // n optional "any" tokens in a row.
    std::optional<Fragment> result;
    for (int i = 0; i < n; ++i) {
      const std::int32_t any = a_.new_state(Automaton::Op::any, -1);
      const std::int32_t s = a_.new_state(Automaton::Op::split, -1);
      a_.states_[static_cast<std::size_t>(s)].out = any;
      Fragment f{s, {{any, false}, {s, true}}};
      if (!result) result = f;
      else {
        patch(*result, f.start);
        result->outs = f.outs;
      }
    }
    return result;
  }

  Automaton& a_;
  std::string_view p_;
  const PatternContext& ctx_;
  std::size_t pos_ = 0;
  std::string error_;
};

std::optional<std::string> Automaton::add(std::string_view pattern, std::int32_t entry, const PatternContext& context) {
  const std::size_t mark = states_.size();
  PatternCompiler compiler(*this, pattern, context);
  auto fragment = compiler.compile();
  if (!fragment) {
    states_.resize(mark);
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
      states_.resize(mark);
      return std::string(op == Op::accept ? "pattern can match nothing" : "pattern cannot start with a gap") +
             ": '" + std::string(pattern) + "'";
    }
  }
  starts_.push_back(fragment->start);
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
  std::vector<std::uint8_t> seen(states_.size(), 0);
  std::vector<std::int32_t> expanded;

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
    (void)seen;
  }
}

}  // namespace stance::match
