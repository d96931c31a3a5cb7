// stance eval's metrics (engine/src/eval): small cases whose counts are worked out by hand.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "stance/eval.hpp"

// Readable failures: doctest prints counts through this.
namespace stance {
inline std::ostream& operator<<(std::ostream& out, const Counts& c) {
  return out << "{tp " << c.tp << ", fp " << c.fp << ", fn " << c.fn << "}";
}
}  // namespace stance

namespace {

namespace fs = std::filesystem;
using stance::Counts;
using stance::EvalError;
using stance::EvalResult;
using stance::GoldPassage;
using stance::GoldTriple;
using stance::Stance;
using stance::StanceRecord;

// A scratch directory removed when the test ends.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("stance-eval-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

// A pack of its own, so that the expected counts do not move when the real packs are tuned:
// two states, two persons of one of them, two issues, one cue per stance.
constexpr const char* kPackYaml = "pack:\n  id: eval-test\n";
constexpr const char* kRulesYaml = R"(actors:
  - {id: russia, kind: state, aliases: [Russia, Moscow]}
  - {id: ukraine, kind: state, aliases: [Ukraine, Kyiv]}
  - {id: putin, gender: male, affiliation: russia, aliases: [Vladimir Putin, Putin]}
  - {id: peskov, gender: male, affiliation: russia, aliases: [Dmitry Peskov, Peskov]}
  - {id: zelenskyy, gender: male, affiliation: ukraine, aliases: [Volodymyr Zelenskyy, Zelenskyy]}
issues:
  - {id: ceasefire, proposition: a ceasefire, cues: [ceasefire, truce]}
  - {id: sanctions, proposition: new sanctions, cues: [sanctions]}
cues:
  - {id: demand.verb, stance: demand, form: verb, patterns: [demand, "call for"]}
  - {id: accept.verb, stance: accept, form: verb, patterns: [accept, welcome]}
  - {id: reject.verb, stance: reject, form: verb, patterns: [reject, "rule out"]}
)";

struct TestPack {
  TempDir dir{"pack"};
  std::shared_ptr<const stance::RulePack> pack;
  TestPack() {
    dir.write("pack.yaml", kPackYaml);
    dir.write("rules.yaml", kRulesYaml);
    auto loaded = stance::RulePack::load(dir.path);
    std::string problems;
    for (const auto& d : loaded.diagnostics) problems += d.format() + "\n";
    REQUIRE_MESSAGE(loaded.pack, problems);
    pack = loaded.pack;
  }
};

GoldTriple gold(std::string actor, std::string issue, Stance stance, std::string evidence = "") {
  GoldTriple t;
  t.actor = std::move(actor);
  t.issue = std::move(issue);
  t.stance = stance;
  t.evidence = std::move(evidence);
  return t;
}

StanceRecord found(std::string actor, std::string issue, Stance stance, std::string rule = "demand.verb",
                   std::size_t sentence = 1) {
  StanceRecord r;
  r.actor = std::move(actor);
  r.issue = std::move(issue);
  r.stance = stance;
  r.rule = std::move(rule);
  r.sentence = sentence;
  r.evidence = "sentence " + std::to_string(sentence);
  return r;
}

GoldPassage passage(std::string id, std::vector<GoldTriple> triples, std::vector<GoldTriple> optional = {}) {
  GoldPassage p;
  p.id = std::move(id);
  p.gold = std::move(triples);
  p.optional = std::move(optional);
  return p;
}

EvalResult score_one(const TestPack& t, const GoldPassage& p, std::vector<StanceRecord> records) {
  const std::vector<GoldPassage> passages{p};
  const std::vector<std::vector<StanceRecord>> coded{std::move(records)};
  return stance::score(*t.pack, passages, coded);
}

constexpr std::size_t D = 0, A = 1, R = 2, N = stance::kNoStance;

}  // namespace

TEST_SUITE("eval") {
TEST_CASE("counts give precision, recall and F1; nothing to find and nothing found scores 1") {
  CHECK(Counts{3, 1, 2}.precision() == doctest::Approx(0.75));
  CHECK(Counts{3, 1, 2}.recall() == doctest::Approx(0.6));
  CHECK(Counts{3, 1, 2}.f1() == doctest::Approx(6.0 / 9.0));  // 2PR/(P+R) = 0.9/1.35
  CHECK(Counts{}.f1() == 1.0);
  CHECK(Counts{0, 2, 0}.precision() == 0.0);
  CHECK(Counts{0, 2, 0}.recall() == 1.0);
  CHECK(Counts{0, 2, 0}.f1() == 0.0);
  CHECK(Counts{0, 0, 2}.f1() == 0.0);
}

TEST_CASE("perfect match, coded by the engine") {
  const TestPack t;
  const stance::Engine engine(t.pack);
  GoldPassage p = passage("p1", {gold("putin", "ceasefire", Stance::reject, "Putin rejected the truce."),
                                 gold("zelenskyy", "sanctions", Stance::demand)});
  p.text = "Putin rejected the truce. Zelenskyy called for sanctions.";
  const std::vector<GoldPassage> passages{p};
  const EvalResult r = stance::evaluate(engine, passages);
  CHECK(r.passages == 1);
  CHECK(r.gold_triples == 2);
  CHECK(r.found_triples == 2);
  CHECK(r.strict.overall == Counts{2, 0, 0});
  CHECK(r.affiliation.overall == Counts{2, 0, 0});
  CHECK(r.strict.overall.f1() == 1.0);
  CHECK(r.errors.empty());
  CHECK(r.confusion[R][R] == 1);
  CHECK(r.confusion[D][D] == 1);
}

TEST_CASE("one false positive") {
  const TestPack t;
  const auto r = score_one(t, passage("p", {gold("putin", "ceasefire", Stance::reject)}),
                           {found("putin", "ceasefire", Stance::reject, "reject.verb", 1),
                            found("ukraine", "sanctions", Stance::demand, "demand.verb", 3)});
  CHECK(r.strict.overall == Counts{1, 1, 0});
  CHECK(r.strict.overall.precision() == doctest::Approx(0.5));
  CHECK(r.strict.overall.recall() == 1.0);
  CHECK(r.strict.overall.f1() == doctest::Approx(2.0 / 3.0));
  CHECK(r.strict.by_issue.at("sanctions") == Counts{0, 1, 0});
  CHECK(r.strict.by_issue.at("ceasefire") == Counts{1, 0, 0});
  CHECK(r.strict.by_stance[D] == Counts{0, 1, 0});
  CHECK(r.strict.by_stance[R] == Counts{1, 0, 0});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].kind == EvalError::Kind::false_positive);
  CHECK(r.errors[0].passage == "p");
  CHECK(r.errors[0].actor == "ukraine");
  CHECK(r.errors[0].rule == "demand.verb");
  CHECK(r.errors[0].sentence == "sentence 3");
  CHECK(r.errors[0].sentence_number == 3);
  CHECK(r.confusion[N][D] == 1);
}

TEST_CASE("one false negative") {
  const TestPack t;
  GoldPassage p = passage("p", {gold("putin", "ceasefire", Stance::reject, "Putin rejected the truce."),
                                gold("zelenskyy", "ceasefire", Stance::accept, "Zelenskyy welcomed it.")});
  p.gold[1].note = "it = the truce";
  const auto r = score_one(t, p, {found("putin", "ceasefire", Stance::reject)});
  CHECK(r.strict.overall == Counts{1, 0, 1});
  CHECK(r.strict.overall.precision() == 1.0);
  CHECK(r.strict.overall.recall() == doctest::Approx(0.5));
  CHECK(r.strict.by_stance[A] == Counts{0, 0, 1});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].kind == EvalError::Kind::false_negative);
  CHECK(r.errors[0].actor == "zelenskyy");
  CHECK(r.errors[0].sentence == "Zelenskyy welcomed it.");
  CHECK(r.errors[0].note == "it = the truce");
  CHECK(r.errors[0].found_stance.empty());
  CHECK(r.confusion[A][N] == 1);
}

TEST_CASE("triples are sets per passage") {
  const TestPack t;
  // The gold lists the triple twice and the engine finds it in two sentences: one TP.
  const auto r = score_one(t,
                           passage("p", {gold("putin", "ceasefire", Stance::reject),
                                         gold("putin", "ceasefire", Stance::reject)}),
                           {found("putin", "ceasefire", Stance::reject, "reject.verb", 1),
                            found("putin", "ceasefire", Stance::reject, "reject.verb", 4)});
  CHECK(r.gold_triples == 1);
  CHECK(r.found_triples == 1);
  CHECK(r.strict.overall == Counts{1, 0, 0});
  // ... but the same triple in two passages counts twice.
  const std::vector<GoldPassage> two{passage("a", {gold("putin", "ceasefire", Stance::reject)}),
                                     passage("b", {gold("putin", "ceasefire", Stance::reject)})};
  const std::vector<std::vector<StanceRecord>> coded{{found("putin", "ceasefire", Stance::reject)}, {}};
  const auto both = stance::score(*t.pack, two, coded);
  CHECK(both.strict.overall == Counts{1, 0, 1});
  REQUIRE(both.errors.size() == 1);
  CHECK(both.errors[0].passage == "b");
}

TEST_CASE("optional triples: found is neither TP nor FP, missed is not FN") {
  const TestPack t;
  const auto p = passage("p", {gold("putin", "ceasefire", Stance::reject)},
                         {gold("peskov", "ceasefire", Stance::reject), gold("russia", "sanctions", Stance::reject)});
  const auto r = score_one(t, p,
                           {found("putin", "ceasefire", Stance::reject),
                            found("peskov", "ceasefire", Stance::reject)});
  CHECK(r.optional_triples == 2);
  CHECK(r.optional_found == 1);
  CHECK(r.strict.overall == Counts{1, 0, 0});
  CHECK(r.errors.empty());
  // An optional triple that is also gold is gold.
  const auto both = passage("q", {gold("putin", "ceasefire", Stance::reject)}, {gold("putin", "ceasefire", Stance::reject)});
  const auto missed = score_one(t, both, {});
  CHECK(missed.optional_triples == 0);
  CHECK(missed.strict.overall == Counts{0, 0, 1});
  // A found optional triple stays out of the confusion matrix.
  std::size_t total = 0;
  for (const auto& row : r.confusion) {
    for (std::size_t cell : row) total += cell;
  }
  CHECK(total == 1);
}

TEST_CASE("roll-up to affiliation") {
  const TestPack t;
  // Gold names Putin, the engine found Peskov: wrong person, right side.
  const auto r = score_one(t,
                           passage("p", {gold("putin", "ceasefire", Stance::reject),
                                         gold("ukraine", "sanctions", Stance::demand)}),
                           {found("peskov", "ceasefire", Stance::reject),
                            found("zelenskyy", "sanctions", Stance::demand),
                            found("zelenskyy", "ceasefire", Stance::accept)});
  CHECK(r.strict.overall == Counts{0, 3, 2});
  CHECK(r.affiliation.overall == Counts{2, 1, 0});  // (ukraine ceasefire accept) stays wrong
  CHECK(r.affiliation.by_issue.at("ceasefire") == Counts{1, 1, 0});
  CHECK(r.affiliation.by_stance[A] == Counts{0, 1, 0});

  // Two persons of one side with the same stance are one triple once rolled up; an optional
  // person rolls up to an optional collective.
  const auto s = score_one(t,
                           passage("q", {gold("putin", "ceasefire", Stance::reject),
                                         gold("peskov", "ceasefire", Stance::reject)},
                                   {gold("zelenskyy", "ceasefire", Stance::accept)}),
                           {found("russia", "ceasefire", Stance::reject), found("ukraine", "ceasefire", Stance::accept)});
  CHECK(s.strict.overall == Counts{0, 2, 2});  // the optional is zelenskyy, not ukraine
  CHECK(s.affiliation.overall == Counts{1, 0, 0});

  // An actor the pack does not know rolls up to itself, and is reported.
  const auto u = score_one(t, passage("u", {gold("nobody", "ceasefire", Stance::demand)}), {});
  CHECK(u.affiliation.overall == Counts{0, 0, 1});
  CHECK(u.unknown_actors == std::vector<std::string>{"nobody"});
  CHECK(u.unknown_issues.empty());
}

TEST_CASE("stance confusion pairs a missed stance with a wrong one for the same actor and issue") {
  const TestPack t;
  const auto p = passage("p", {gold("putin", "ceasefire", Stance::demand), gold("zelenskyy", "sanctions", Stance::demand),
                               gold("ukraine", "ceasefire", Stance::accept), gold("russia", "sanctions", Stance::reject),
                               gold("russia", "sanctions", Stance::accept)});
  const auto r = score_one(t, p,
                           {found("putin", "ceasefire", Stance::accept, "accept.verb"),  // demand -> accept
                            found("ukraine", "ceasefire", Stance::accept),              // match
                            found("russia", "sanctions", Stance::demand),               // accept -> demand ...
                            found("peskov", "sanctions", Stance::reject)});             // none -> reject
  // russia/sanctions: gold {accept, reject}, found {demand}: accept pairs with demand, reject has none.
  CHECK(r.confusion[D][A] == 1);
  CHECK(r.confusion[A][A] == 1);
  CHECK(r.confusion[A][D] == 1);
  CHECK(r.confusion[R][N] == 1);
  CHECK(r.confusion[D][N] == 1);  // zelenskyy sanctions
  CHECK(r.confusion[N][R] == 1);  // peskov sanctions
  std::size_t total = 0;
  for (const auto& row : r.confusion) {
    for (std::size_t cell : row) total += cell;
  }
  CHECK(total == 6);
  CHECK(r.strict.overall == Counts{1, 3, 4});
  // The FN for putin says what was found instead.
  bool seen = false;
  for (const auto& e : r.errors) {
    if (e.kind == EvalError::Kind::false_negative && e.actor == "putin") {
      seen = true;
      CHECK(e.found_stance == "accept");
      CHECK(e.rule == "accept.verb");
    }
  }
  CHECK(seen);
}

TEST_CASE("empty gold") {
  const TestPack t;
  const auto none = stance::score(*t.pack, std::span<const GoldPassage>{}, std::span<const std::vector<StanceRecord>>{});
  CHECK(none.passages == 0);
  CHECK(none.strict.overall == Counts{});
  CHECK(none.strict.overall.f1() == 1.0);
  CHECK(none.strict.by_issue.empty());
  // A passage whose gold says "nothing here": silence is right, anything found is an FP.
  const auto quiet = score_one(t, passage("p", {}), {});
  CHECK(quiet.strict.overall == Counts{});
  CHECK(quiet.strict.overall.f1() == 1.0);
  const auto noisy = score_one(t, passage("p", {}), {found("putin", "ceasefire", Stance::demand)});
  CHECK(noisy.strict.overall == Counts{0, 1, 0});
  CHECK(noisy.strict.overall.precision() == 0.0);
  CHECK(noisy.strict.overall.f1() == 0.0);
}

TEST_CASE("read_gold reads JSON Lines, *.gold.json files and directories, and reports bad passages") {
  const TempDir dir("gold");
  const std::string a =
      R"({"id": "a", "date": "2025-05-12", "text": "Putin rejected the truce.", "gold": [{"actor": "putin", "issue": "ceasefire", "stance": "reject", "evidence": "Putin rejected the truce."}], "optional": []})";
  const std::string b = R"({"id": "b", "text": "Nothing.", "gold": []})";
  const std::string bad_stance =
      R"({"id": "c", "text": "x", "gold": [{"actor": "putin", "issue": "ceasefire", "stance": "maybe"}]})";
  dir.write("corpus.jsonl", a + "\n\n" + b + "\n{not json\n" + bad_stance + "\n" + a + "\n");
  dir.write("one.gold.json", "{\n  \"id\": \"d\",\n  \"text\": \"Kyiv welcomed the truce.\",\n  \"gold\": []\n}\n");
  dir.write("two.gold.json", R"({"id": "e", "text": "t", "gold": [], "optional": [{"actor": "ukraine", "issue": "ceasefire", "stance": "accept"}]})");
  dir.write("notes.txt", "not gold");

  const auto lines = stance::read_gold({(dir.path / "corpus.jsonl").string()});
  REQUIRE(lines.passages.size() == 2);
  CHECK(lines.passages[0].id == "a");
  CHECK(lines.passages[0].date == "2025-05-12");
  CHECK(lines.passages[0].gold.size() == 1);
  CHECK(lines.passages[0].gold[0].stance == Stance::reject);
  CHECK(lines.passages[0].origin.ends_with("corpus.jsonl:1"));
  CHECK(lines.passages[1].id == "b");
  REQUIRE(lines.errors.size() == 3);  // bad JSON, bad stance, duplicate id
  CHECK(lines.errors[0].line == 4);
  CHECK(lines.errors[1].line == 5);
  CHECK(lines.errors[1].message.find("maybe") != std::string::npos);
  CHECK(lines.errors[2].message.find("duplicate") != std::string::npos);

  // A directory gives its gold files only (not .jsonl or .txt), sorted by name.
  const auto folder = stance::read_gold({dir.path.string()});
  CHECK(folder.errors.empty());
  REQUIRE(folder.passages.size() == 2);
  CHECK(folder.passages[0].id == "d");  // pretty-printed over several lines
  CHECK(folder.passages[1].id == "e");
  CHECK(folder.passages[1].optional.size() == 1);

  const auto missing = stance::read_gold({(dir.path / "absent.jsonl").string()});
  CHECK(missing.passages.empty());
  CHECK(missing.errors.size() == 1);

  const auto article = stance::to_article(lines.passages[0]);
  CHECK(article.id == "a");
  CHECK(article.text == "Putin rejected the truce.");
  CHECK(article.date == "2025-05-12");
}

TEST_CASE("stance eval exits 1 below --min-f1 and 0 otherwise") {
  const TestPack t;
  const TempDir dir("cli");
  dir.write("half.gold.json",
            R"({"id": "h", "text": "Putin rejected the truce. Zelenskyy welcomed the sanctions.", "gold": [{"actor": "putin", "issue": "ceasefire", "stance": "reject"}, {"actor": "zelenskyy", "issue": "sanctions", "stance": "demand"}]})");
  const std::string base = std::string("'") + STANCE_BINARY + "' eval --rules '" + t.dir.path.string() +
                           "' --gold '" + dir.path.string() + "' >'" + (dir.path / "out").string() + "' 2>/dev/null";
  auto status = [](const std::string& command) {
    const int raw = std::system(command.c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  };
  // One TP, one FP (zelenskyy sanctions accept), one FN (... demand): F1 = 2/4 = 0.5.
  CHECK(status(base) == 0);
  CHECK(status(base + " --min-f1 0.5") == 0);
  CHECK(status(base + " --min-f1 0.6") == 1);
  std::ifstream out(dir.path / "out");
  const std::string table((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  CHECK(table.find("overall") != std::string::npos);
  CHECK(status(std::string("'") + STANCE_BINARY + "' eval --rules '" + t.dir.path.string() +
               "' --gold '" + (dir.path / "absent").string() + "' 2>/dev/null >/dev/null") == 2);
}
}
