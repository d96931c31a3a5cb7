// Loading and compiling rule packs: the new keys (roles, opposite, priority, suppresses, example
// dates) land in the compiled pack; diagnostics come in file order; the format's key list.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "rules/compiled_pack.hpp"
#include "rules_helpers.hpp"
#include "stance/engine.hpp"
#include "stance/rule_pack.hpp"

namespace {

using rules_test::TempDir;
using rules_test::write_text;

// A one-file pack in a temp dir.
struct Pack {
  TempDir dir;
  explicit Pack(std::string_view rules) {
    write_text(dir.path() / "pack.yaml", "pack:\n  id: test\n");
    write_text(dir.path() / "rules.yaml", rules);
  }
  stance::RulePack::LoadResult load() const { return stance::RulePack::load(dir.path()); }
  stance::RulePack::LoadResult check() const { return stance::RulePack::check(dir.path()); }
};

std::vector<std::string> messages(const std::vector<stance::Diagnostic>& diagnostics, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(rules_test::replace_all(d.format(), prefix, ""));
  return out;
}

constexpr std::string_view kRoles = R"(actors:
  - id: ukraine
    kind: state
    aliases: [Ukraine]
  - id: shmyhal
    affiliation: ukraine
    aliases: [Shmyhal]
    titles: [Mr]
    roles:
      - {title: Prime Minister, from: 2020-03-04, to: 2025-07-16}
      - {title: the Ukrainian prime minister, to: 2025-07-16, standalone: true}
  - id: svyrydenko
    affiliation: ukraine
    aliases: [Svyrydenko]
    roles:
      - {title: the Ukrainian prime minister, from: 2025-07-17, standalone: true, note: since July}
issues:
  - id: ceasefire
    proposition: a ceasefire
    cues: [ceasefire]
)";

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("roles become title patterns with a validity window on the entry") {
    Pack pack(kRoles);
    auto result = pack.check();
    REQUIRE_MESSAGE(result.pack, (result.diagnostics.empty() ? "" : result.diagnostics.front().format()));
    CHECK(result.diagnostics.empty());  // the shared standalone title has disjoint windows
    const auto& compiled = result.pack->compiled();
    auto find = [&](std::string_view pattern) -> const stance::detail::LexEntry* {
      for (const auto& e : compiled.entries) {
        if (e.pattern == pattern) return &e;
      }
      return nullptr;
    };
    const auto* titled = find("(Prime Minister) (Shmyhal)");
    REQUIRE(titled);
    CHECK(titled->via == stance::detail::ActorVia::titled);
    CHECK(titled->valid_from == "2020-03-04");
    CHECK(titled->valid_to == "2025-07-16");
    CHECK(titled->valid_on("2024-01-01"));
    CHECK_FALSE(titled->valid_on("2025-07-17"));
    CHECK(titled->valid_on(""));
    const auto* plain = find("(Mr) (Shmyhal)");
    REQUIRE(plain);
    CHECK(plain->valid_from.empty());
    CHECK(plain->valid_to.empty());
    // Standalone roles are descriptors of their own, one per actor, each with its window.
    int standalone = 0;
    for (const auto& e : compiled.entries) {
      if (e.pattern != "the Ukrainian prime minister" || e.via != stance::detail::ActorVia::descriptor) continue;
      ++standalone;
      const auto& actor = compiled.actors[static_cast<std::size_t>(e.ref)].id;
      CHECK(actor == (e.valid_to.empty() ? "svyrydenko" : "shmyhal"));
    }
    CHECK(standalone == 2);
  }

  TEST_CASE("a standalone role shared in overlapping windows is an alias collision") {
    std::string rules(kRoles);
    rules = rules_test::replace_all(rules, "{title: the Ukrainian prime minister, from: 2025-07-17",
                                    "{title: the Ukrainian prime minister, from: 2025-07-16");
    Pack pack(rules);
    auto result = pack.check();
    CHECK_FALSE(result.pack);
    const auto got = messages(result.diagnostics, (pack.dir.path() / "").string());
    REQUIRE(got.size() == 1);
    CHECK(got[0] == "rules.yaml:16:17: error: descriptor 'the Ukrainian prime minister' of actor 'svyrydenko' matches the same "
                    "words as descriptor 'the Ukrainian prime minister' of actor 'shmyhal' (rules.yaml:11)");
  }

  TEST_CASE("a misspelt stance or cue form names the allowed words and the nearest one") {
    Pack pack(R"(cues:
  - id: demand.verb
    stance: demnd
    form: nuon
    patterns: [demand]
)");
    auto result = pack.check();
    CHECK_FALSE(result.pack);
    const auto got = messages(result.diagnostics, (pack.dir.path() / "").string());
    REQUIRE(got.size() == 2);
    CHECK(got[0] == "rules.yaml:3:13: error: stance must be demand, accept or reject, not 'demnd' (did you mean 'demand'?)");
    CHECK(got[1] == "rules.yaml:4:11: error: form must be verb, noun, predicate, modal or volition, not 'nuon' (did you mean 'noun'?)");
  }

  TEST_CASE("opposite is stored both ways; priority and suppresses on the cue") {
    Pack pack(R"(issues:
  - id: nato_membership
    proposition: Ukraine joins NATO
    cues: [nato membership]
  - id: nato_renunciation
    proposition: Ukraine renounces NATO membership
    opposite: nato_membership
    cues: [neutrality]
  - id: ceasefire
    proposition: a ceasefire
    cues: [ceasefire]
cues:
  - id: accept.verb
    stance: accept
    patterns: [accept]
  - id: reject.conditional
    stance: reject
    priority: 10
    suppresses: [accept.verb]
    patterns: ["accept ...4 only if"]
)");
    auto result = pack.load();
    REQUIRE(result.pack);
    const auto& compiled = result.pack->compiled();
    CHECK(compiled.opposite == std::vector<std::int32_t>{1, 0, -1});
    CHECK(result.pack->find_issue("nato_membership")->opposite == "nato_renunciation");
    CHECK(result.pack->find_issue("nato_renunciation")->opposite == "nato_membership");
    CHECK(result.pack->find_issue("ceasefire")->opposite.empty());
    REQUIRE(compiled.cues.size() == 2);
    CHECK(compiled.cues[0].priority == 0);
    CHECK(compiled.cues[0].suppresses.empty());
    CHECK(compiled.cues[1].priority == 10);
    CHECK(compiled.cues[1].suppresses == std::vector<std::int32_t>{0});
  }

  TEST_CASE("opposite and suppresses must point elsewhere, and opposites must agree") {
    Pack pack(R"(issues:
  - id: a
    proposition: A
    opposite: b
    cues: [alpha]
  - id: b
    proposition: B
    opposite: c
    cues: [beta]
  - id: c
    proposition: C
    opposite: c
    cues: [gamma]
cues:
  - id: x
    stance: accept
    suppresses: [x]
    patterns: [accept]
)");
    auto result = pack.check();
    CHECK_FALSE(result.pack);
    CHECK(messages(result.diagnostics, (pack.dir.path() / "").string()) ==
          std::vector<std::string>{
              "rules.yaml:4:15: error: issue 'a' is opposite to 'b', but 'b' is opposite to 'c' (rules.yaml:8)",
              "rules.yaml:12:15: error: issue 'c' cannot be opposite to itself",
              "rules.yaml:17:18: error: cue 'x' cannot suppress itself",
          });
  }

  TEST_CASE("record_as_opposite needs an opposite, and only one of the two may use it") {
    Pack pack(R"(issues:
  - id: a
    proposition: A
    record_as_opposite: true
    cues: [alpha]
  - id: b
    proposition: B
    opposite: c
    record_as_opposite: true
    cues: [beta]
  - id: c
    proposition: C
    record_as_opposite: true
    cues: [gamma]
)");
    auto result = pack.check();
    CHECK_FALSE(result.pack);
    CHECK(messages(result.diagnostics, (pack.dir.path() / "").string()) ==
          std::vector<std::string>{
              "rules.yaml:4:25: error: issue 'a' is recorded as its opposite but has no 'opposite'",
              "rules.yaml:9:25: error: issues 'b' and 'c' are each recorded as the other: one of them must be recorded as itself",
          });
  }

  TEST_CASE("a stance on an issue recorded as its opposite is converted onto the opposite") {
    Pack pack(R"(actors:
  - id: north
    kind: state
    aliases: [Northland]
issues:
  - id: joins
    proposition: South joins the alliance
    opposite: stays_out
    record_as_opposite: true
    cues: ["join ...2 alliance"]
  - id: stays_out
    proposition: South stays out of the alliance
    cues: [neutrality]
cues:
  - id: demand.verb
    stance: demand
    patterns: [demand]
  - id: reject.verb
    stance: reject
    patterns: [reject]
  - id: accept.verb
    stance: accept
    patterns: [accept]
)");
    auto result = pack.load();
    REQUIRE(result.pack);
    CHECK(result.pack->find_issue("joins")->record_as_opposite);
    CHECK_FALSE(result.pack->find_issue("stays_out")->record_as_opposite);
    const stance::Engine engine(result.pack);
    auto code = [&](std::string text) {
      stance::Article article;
      article.id = "a";
      article.text = std::move(text);
      std::vector<std::string> out;
      for (const auto& r : engine.code(article)) out.push_back(r.actor + " " + r.issue + " " + std::string(to_string(r.stance)));
      return out;
    };
    CHECK(code("Northland demanded that South join the alliance.") == std::vector<std::string>{"north stays_out reject"});
    CHECK(code("Northland accepted that South may join the alliance.") == std::vector<std::string>{"north stays_out reject"});
    CHECK(code("Northland rejected plans to join the alliance.") == std::vector<std::string>{"north stays_out demand"});
    CHECK(code("Northland demanded neutrality.") == std::vector<std::string>{"north stays_out demand"});
  }

  TEST_CASE("examples keep their date, note and place; expectations as written") {
    Pack pack(R"(actors:
  - id: ukraine
    kind: state
    aliases: [Ukraine]
issues:
  - id: ceasefire
    proposition: a ceasefire
    cues: [ceasefire]
examples:
  - text: Ukraine spoke.
    expect: none
  - text: Ukraine spoke again.
    expect: [ukraine ceasefire accept, ukraine ceasefire demand]
    date: 2025-03-01
    todo: true
    note: why
)");
    auto result = pack.load();
    REQUIRE(result.pack);
    const auto& examples = result.pack->examples();
    REQUIRE(examples.size() == 2);
    CHECK(examples[0].expect_none);
    CHECK(examples[0].line == 10);
    CHECK(examples[0].column == 5);
    CHECK(examples[1].expect == std::vector<std::string>{"ukraine ceasefire accept", "ukraine ceasefire demand"});
    CHECK(examples[1].date == "2025-03-01");
    CHECK(examples[1].todo);
    CHECK(examples[1].note == "why");
  }

  TEST_CASE("load stops at loader errors; check goes on and adds lint, all in file order") {
    Pack pack(R"(issues:
  - id: ceasefire
    proposition: a ceasefire
    cues: [ceasefire, Ceasefires, "talks with @nobody"]
    colour: blue
)");
    const std::string prefix = (pack.dir.path() / "").string();
    CHECK(messages(pack.load().diagnostics, prefix) ==
          std::vector<std::string>{"rules.yaml:5:5: error: unknown key 'colour' in an issue"});
    CHECK(messages(pack.check().diagnostics, prefix) ==
          std::vector<std::string>{
              "rules.yaml:4:23: warning: pattern 'Ceasefires' repeats 'ceasefire' of issue 'ceasefire' (rules.yaml:4) after "
              "folding and stemming; it adds nothing",
              "rules.yaml:4:35: error: unknown actor '@nobody' (column 12 of pattern 'talks with @nobody')",
              "rules.yaml:5:5: error: unknown key 'colour' in an issue",
          });
  }

  TEST_CASE("a bad title is reported once, not once per alias") {
    Pack pack(R"(actors:
  - id: putin
    aliases: [Putin, Vladimir Putin, V. Putin]
    titles: ["(President"]
)");
    const auto got = messages(pack.check().diagnostics, (pack.dir.path() / "").string());
    CHECK(got == std::vector<std::string>{
                     "rules.yaml:2:5: warning: person 'putin' has no affiliation",
                     "rules.yaml:4:14: error: missing ')' (column 11 of pattern '(President')",
                 });
  }

  TEST_CASE("the format's key list names every key the loader accepts") {
    const auto sections = stance::rules::format_keys();
    auto has = [&](std::string_view mapping, std::string_view key) {
      for (const auto& s : sections) {
        if (s.mapping == mapping) return std::find(s.keys.begin(), s.keys.end(), key) != s.keys.end();
      }
      return false;
    };
    CHECK(has("actor", "roles"));
    CHECK(has("role", "standalone"));
    CHECK(has("issue", "opposite"));
    CHECK(has("cue", "priority"));
    CHECK(has("cue", "suppresses"));
    CHECK(has("example", "date"));
    CHECK(has("grammar", "abbreviations"));
    CHECK(has("grammar", "reporting_verbs"));
  }

  TEST_CASE("the default pack loads, and its compiled pack keeps the fields attribution reads") {
    auto result = stance::RulePack::load(stance::default_rules_directory());
    REQUIRE(result.pack);
    const auto& compiled = result.pack->compiled();
    CHECK(compiled.opposite.size() == compiled.issues.size());
    CHECK_FALSE(compiled.cues.empty());
    CHECK(result.files.size() >= 5);
  }
}
