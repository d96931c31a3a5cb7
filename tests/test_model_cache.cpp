// The rule cache (rules/model_cache.hpp): a cached load gives exactly the model and the pack of a
// parse, for every pack in the tree; damaged, stale or colliding entries are parsed again; files
// with problems are never cached; a cache that cannot be written changes nothing; the environment
// picks the directory. ctest turns the cache off (STANCE_CACHE_DIR=off): each test here turns it
// on in a directory of its own.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rules/model.hpp"
#include "rules/model_cache.hpp"
#include "rules_helpers.hpp"
#include "stance/rule_pack.hpp"

namespace {

namespace fs = std::filesystem;
using rules_test::read_text;
using rules_test::run_stance;
using rules_test::source_dir;
using rules_test::TempDir;
using rules_test::write_text;
using stance::ModelCacheOptions;
using stance::rules::load_model;
using stance::rules::ModelLoad;

// Every file cached, whatever its size.
ModelCacheOptions cache_in(const fs::path& directory) {
  ModelCacheOptions options;
  options.directory = directory;
  options.min_file_bytes = 0;
  options.build = "test";
  return options;
}

std::vector<std::string> formatted(const std::vector<stance::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.format());
  return out;
}

std::vector<fs::path> entries(const fs::path& directory) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every pack in the tree: the shipped ones and the fixtures' (the broken ones included).
std::vector<fs::path> all_packs() {
  std::vector<fs::path> out;
  for (const fs::path& root : {source_dir() / "rules", source_dir() / "fixtures" / "rules-doc",
                              source_dir() / "fixtures" / "rules-test", source_dir() / "fixtures" / "rules-bad"}) {
    for (const auto& entry : fs::directory_iterator(root)) {
      if (entry.is_directory() && fs::exists(entry.path() / "pack.yaml")) out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_same_model(const ModelLoad& cached, const ModelLoad& parsed) {
  CHECK(formatted(cached.diagnostics) == formatted(parsed.diagnostics));
  const auto& a = cached.model;
  const auto& b = parsed.model;
  // Field by field first, so that a failure names the part that differs.
  CHECK(a.id == b.id);
  CHECK(a.description == b.description);
  CHECK(a.actors == b.actors);
  CHECK(a.issues == b.issues);
  CHECK(a.cues == b.cues);
  CHECK(a.grammar == b.grammar);
  CHECK(a.abbreviations == b.abbreviations);
  CHECK(a.examples == b.examples);
  CHECK(a.files == b.files);
  CHECK(a.shown_files == b.shown_files);
  CHECK(a == b);
}

void check_same_pack(const stance::RulePack::LoadResult& cached, const stance::RulePack::LoadResult& parsed) {
  CHECK(formatted(cached.diagnostics) == formatted(parsed.diagnostics));
  CHECK(cached.files == parsed.files);
  REQUIRE((cached.pack != nullptr) == (parsed.pack != nullptr));
  if (!parsed.pack) return;
  const auto& a = *cached.pack;
  const auto& b = *parsed.pack;
  CHECK(a.id() == b.id());
  CHECK(a.fingerprint() == b.fingerprint());
  REQUIRE(a.actors().size() == b.actors().size());
  for (std::size_t i = 0; i < a.actors().size(); ++i) {
    const auto& x = a.actors()[i];
    const auto& y = b.actors()[i];
    CHECK(std::tie(x.id, x.name, x.kind, x.affiliation, x.gender) == std::tie(y.id, y.name, y.kind, y.affiliation, y.gender));
  }
  REQUIRE(a.issues().size() == b.issues().size());
  for (std::size_t i = 0; i < a.issues().size(); ++i) {
    const auto& x = a.issues()[i];
    const auto& y = b.issues()[i];
    CHECK(std::tie(x.id, x.proposition, x.opposite, x.record_as_opposite) ==
          std::tie(y.id, y.proposition, y.opposite, y.record_as_opposite));
  }
  REQUIRE(a.examples().size() == b.examples().size());
  for (std::size_t i = 0; i < a.examples().size(); ++i) {
    const auto& x = a.examples()[i];
    const auto& y = b.examples()[i];
    CHECK(std::tie(x.file, x.line, x.column, x.text, x.expect, x.expect_none, x.todo, x.note, x.date) ==
          std::tie(y.file, y.line, y.column, y.text, y.expect, y.expect_none, y.todo, y.note, y.date));
  }
}

// A pack whose one rule file is over the default threshold, and which fills every field the
// format has (the documentation packs do too; this one is big).
std::string big_rules(int actors, std::string_view first_name = "Alpha") {
  std::string yaml = "actors:\n";
  for (int i = 0; i < actors; ++i) {
    const std::string n = std::to_string(i);
    yaml += "  - id: person_" + n + "\n    name: " + std::string(i == 0 ? first_name : "Person") + " " + n +
            "\n    kind: person\n    gender: " + (i % 2 ? "male" : "female") +
            "\n    affiliation: northland\n    aliases: [Person" + n + ", \"P. " + n + "\"]\n";
    if (i % 50 == 0) {
      yaml += "    titles: [envoy]\n    descriptors: [the envoy " + n + "]\n    adjectives: [Personal" + n +
              "]\n    roles:\n      - title: minister " + n + "\n        from: 2024-01-0" + std::to_string(1 + i % 9) +
              "\n        to: 2025-12-31\n        standalone: true\n        note: a role\n";
    }
  }
  yaml += "  - id: northland\n    kind: state\n    aliases: [Northland]\n"
          "  - id: both_sides\n    kind: group\n    aliases: [both sides]\n    represents: [northland, person_1]\n"
          "issues:\n"
          "  - id: truce\n    proposition: a truce\n    members: [Kent]\n    cues: [truce, ceasefire]\n"
          "    holder_cues:\n      - sides: [northland]\n        patterns: [the pause]\n        note: theirs\n"
          "    opposite: war\n"
          "  - id: war\n    proposition: more war\n    cues: [war]\n    opposite: truce\n    record_as_opposite: false\n"
          "cues:\n"
          "  - id: demand.verb\n    stance: demand\n    form: verb\n    patterns: [demand, call for]\n    priority: -2\n"
          "  - id: reject.noun\n    stance: reject\n    form: noun\n    patterns: [rejection]\n    priority: 3\n"
          "    suppresses: [demand.verb]\n    note: wins\n"
          "grammar:\n  negators: [not, never]\n  reporting_verbs: [say]\n  abbreviations: [Gen., \"Dr.\"]\n"
          "examples:\n"
          "  - text: Person0 demands a truce.\n    expect: [person_0 truce demand]\n    date: 2025-01-02\n"
          "  - text: Nothing here.\n    expect: none\n    todo: true\n    note: a note\n";
  return yaml;
}

struct BigPack {
  TempDir dir;
  explicit BigPack(int actors = 2000) {
    write_text(dir.path() / "pack.yaml", "pack:\n  id: big\n");
    write_text(dir.path() / "rules.yaml", big_rules(actors));
  }
  [[nodiscard]] fs::path rules() const { return dir.path() / "rules.yaml"; }
};

// The one entry a cache directory holds.
fs::path only_entry(const fs::path& cache) {
  const auto found = entries(cache);
  REQUIRE(found.size() == 1);
  return found.front();
}

}  // namespace

TEST_SUITE("model_cache") {
  TEST_CASE("a cached load gives exactly the parsed model and pack, for every pack in the tree") {
    const auto packs = all_packs();
    CHECK(packs.size() >= 30);
    for (const auto& pack : packs) {
      CAPTURE(pack.string());
      TempDir cache;
      const auto options = cache_in(cache.path());
      const ModelLoad parsed = load_model(pack);  // no cache
      const ModelLoad first = load_model(pack, options);
      check_same_model(first, parsed);
      // Every rule file read without problems has an entry; pack.yaml files never do.
      std::size_t clean = 0;
      for (std::size_t i = 0; i < parsed.model.files.size(); ++i) {
        const std::string& shown = parsed.model.shown_files[i];
        const bool has_problem = std::any_of(parsed.diagnostics.begin(), parsed.diagnostics.end(),
                                             [&](const stance::Diagnostic& d) { return d.file == shown; });
        clean += parsed.model.files[i].filename() != "pack.yaml" && !has_problem;
      }
      CHECK(entries(cache.path()).size() == clean);
      const ModelLoad second = load_model(pack, options);
      check_same_model(second, parsed);
      check_same_pack(stance::RulePack::check(pack, options), stance::RulePack::check(pack, ModelCacheOptions{}));
      check_same_pack(stance::RulePack::load(pack, options), stance::RulePack::load(pack, ModelCacheOptions{}));
    }
  }

  TEST_CASE("a big rule file round-trips every field, and the entry is what a load uses") {
    const BigPack pack;
    TempDir cache;
    ModelCacheOptions options = cache_in(cache.path());
    options.min_file_bytes = stance::kModelCacheMinFileBytes;
    REQUIRE(fs::file_size(pack.rules()) >= stance::kModelCacheMinFileBytes);
    const ModelLoad parsed = load_model(pack.dir.path());
    REQUIRE(parsed.diagnostics.empty());
    check_same_model(load_model(pack.dir.path(), options), parsed);
    const fs::path entry = only_entry(cache.path());
    check_same_model(load_model(pack.dir.path(), options), parsed);
    const auto plain = stance::RulePack::load(pack.dir.path(), ModelCacheOptions{});
    REQUIRE(plain.pack);
    check_same_pack(stance::RulePack::load(pack.dir.path(), options), plain);

    // A hit is taken from the entry, not from the file: an entry for the same bytes that says
    // something else is believed (this is what the whole-bytes comparison makes safe).
    const std::string shown = parsed.model.shown_files.back();
    const std::string bytes = read_text(pack.rules());
    const stance::rules::ModelCache model_cache(options);
    CHECK(model_cache.entry_path(shown, bytes) == entry);
    auto found = model_cache.find(shown, bytes);
    REQUIRE(found);
    stance::rules::RuleFileModel forged = *found;
    forged.actors.front().name = "Forged";
    model_cache.store(shown, bytes, forged);
    CHECK(only_entry(cache.path()) == entry);
    CHECK(load_model(pack.dir.path(), options).model.actors.front().name == "Forged");

    // Another shown name or another build is another entry.
    CHECK_FALSE(model_cache.find(shown + "x", bytes));
    ModelCacheOptions other_build = options;
    other_build.build = "another";
    CHECK_FALSE(stance::rules::ModelCache(other_build).find(shown, bytes));
    // Below the threshold nothing is looked up or written.
    ModelCacheOptions high = options;
    high.min_file_bytes = bytes.size() + 1;
    CHECK(load_model(pack.dir.path(), high).model.actors.front().name == "Alpha 0");
  }

  TEST_CASE("a damaged entry is parsed again and rewritten") {
    const BigPack pack(300);
    TempDir cache;
    const auto options = cache_in(cache.path());
    const ModelLoad parsed = load_model(pack.dir.path());
    (void)load_model(pack.dir.path(), options);
    const fs::path entry = only_entry(cache.path());
    const std::string good = read_text(entry);
    REQUIRE(good.size() > 1000);

    struct Damage {
      std::string name;
      std::string bytes;
    };
    std::vector<Damage> damages;
    damages.push_back({"empty", ""});
    damages.push_back({"header only", good.substr(0, 24)});
    damages.push_back({"truncated by half", good.substr(0, good.size() / 2)});
    damages.push_back({"last byte missing", good.substr(0, good.size() - 1)});
    damages.push_back({"a byte more", good + "x"});
    damages.push_back({"not an entry", "hello, world\n"});
    for (std::size_t at : {std::size_t{0}, std::size_t{8}, std::size_t{12}, std::size_t{16}, std::size_t{30},
                           good.size() / 3, good.size() / 2, good.size() - 40, good.size() - 1}) {
      std::string flipped = good;
      flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
      damages.push_back({"byte " + std::to_string(at) + " flipped", flipped});
    }
    std::string other_version = good;
    other_version[8] = static_cast<char>(other_version[8] + 1);  // the u32 format version
    damages.push_back({"another format version", other_version});

    for (const auto& damage : damages) {
      CAPTURE(damage.name);
      write_text(entry, damage.bytes);
      check_same_model(load_model(pack.dir.path(), options), parsed);
      CHECK(read_text(entry) == good);  // written again, whole
      CHECK(entries(cache.path()).size() == 1);
    }
    // An entry that is a directory cannot be read or replaced: the pack still loads.
    fs::remove(entry);
    fs::create_directories(entry / "sub");
    check_same_model(load_model(pack.dir.path(), options), parsed);
  }

  TEST_CASE("a damaged payload decodes to nothing or to something, never to a crash") {
    // The checksum stops damage before decoding; the decoder must still hold without it.
    const fs::path pack = source_dir() / "fixtures" / "rules-doc" / "roles";
    const ModelLoad parsed = load_model(pack);
    REQUIRE(parsed.diagnostics.empty());
    stance::rules::RuleFileModel model;
    model.actors = parsed.model.actors;
    model.issues = parsed.model.issues;
    model.cues = parsed.model.cues;
    model.grammar = parsed.model.grammar;
    model.examples = parsed.model.examples;
    model.abbreviations = {"Gen.", "Dr."};
    const std::string payload = stance::rules::encode_model(model);
    REQUIRE(payload.size() > 100);
    const auto decoded = stance::rules::decode_model(payload);
    REQUIRE(decoded);
    CHECK(decoded->actors == model.actors);
    CHECK(decoded->issues == model.issues);
    CHECK(decoded->cues == model.cues);
    CHECK(decoded->grammar == model.grammar);
    CHECK(decoded->abbreviations == model.abbreviations);
    CHECK(decoded->examples == model.examples);
    std::size_t rejected = 0;
    for (std::size_t size = 0; size < payload.size(); ++size) {
      rejected += !stance::rules::decode_model(payload.substr(0, size));
    }
    CHECK(rejected == payload.size());  // every cut is seen
    CHECK_FALSE(stance::rules::decode_model(payload + '\0'));
    for (std::size_t at = 0; at < payload.size(); ++at) {
      for (const unsigned char flip : {0x01, 0x80, 0xFF}) {
        std::string damaged = payload;
        damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ flip);
        (void)stance::rules::decode_model(damaged);
      }
    }
  }

  TEST_CASE("an entry of other bytes under the same name is never used") {
    // What a hash collision would look like: the entry of file A where file B's entry belongs.
    TempDir cache;
    const auto options = cache_in(cache.path());
    const stance::rules::ModelCache model_cache(options);
    const BigPack pack(200);
    const ModelLoad a = load_model(pack.dir.path(), options);
    const std::string shown = a.model.shown_files.back();
    const fs::path entry_a = model_cache.entry_path(shown, read_text(pack.rules()));
    REQUIRE(fs::exists(entry_a));
    const std::string a_entry = read_text(entry_a);

    write_text(pack.rules(), big_rules(200, "Beta"));
    const std::string b_bytes = read_text(pack.rules());
    const fs::path entry_b = model_cache.entry_path(shown, b_bytes);
    REQUIRE(entry_b != entry_a);
    fs::remove_all(cache.path());
    write_text(entry_b, a_entry);
    CHECK_FALSE(model_cache.find(shown, b_bytes));
    const ModelLoad b = load_model(pack.dir.path(), options);
    CHECK(b.model.actors.front().name == "Beta 0");
    check_same_model(b, load_model(pack.dir.path()));
  }

  TEST_CASE("a rule file changed after caching is parsed again; its old entry goes") {
    const BigPack pack(300);
    TempDir cache;
    const auto options = cache_in(cache.path());
    CHECK(load_model(pack.dir.path(), options).model.actors.front().name == "Alpha 0");
    const fs::path old_entry = only_entry(cache.path());
    write_text(pack.rules(), big_rules(300, "Gamma"));
    const ModelLoad changed = load_model(pack.dir.path(), options);
    CHECK(changed.model.actors.front().name == "Gamma 0");
    check_same_model(changed, load_model(pack.dir.path()));
    // The newer version replaced the older one.
    const fs::path new_entry = only_entry(cache.path());
    CHECK(new_entry != old_entry);
    CHECK(load_model(pack.dir.path(), options).model.actors.front().name == "Gamma 0");
    // Back to the first bytes: parsed again (the old entry is gone), and cached again.
    write_text(pack.rules(), big_rules(300));
    CHECK(load_model(pack.dir.path(), options).model.actors.front().name == "Alpha 0");
    CHECK(only_entry(cache.path()) == old_entry);
  }

  TEST_CASE("a rule file with problems is never cached and reports them every time") {
    TempDir cache;
    const auto options = cache_in(cache.path());
    TempDir dir;
    write_text(dir.path() / "pack.yaml", "pack:\n  id: broken\n");
    // A YAML syntax error on line 3, and a file of valid YAML with an unknown key.
    write_text(dir.path() / "a.yaml", "actors:\n  - id: one\n    aliases: [One\n");
    write_text(dir.path() / "b.yaml", "actors:\n  - id: two\n    alias: [Two]\n");
    write_text(dir.path() / "c.yaml", "actors:\n  - id: three\n    aliases: [Three]\n");
    const ModelLoad parsed = load_model(dir.path());
    const auto messages = formatted(parsed.diagnostics);
    REQUIRE(messages.size() >= 2);
    const std::string a = (dir.path() / "a.yaml").string();
    const std::string b = (dir.path() / "b.yaml").string();
    CHECK(messages[0].starts_with(a + ":4:1: error: YAML syntax"));
    CHECK(std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
      return m.starts_with(b + ":3:5: error: unknown key 'alias'");
    }));
    for (int run = 0; run < 2; ++run) {
      CAPTURE(run);
      check_same_model(load_model(dir.path(), options), parsed);
      // Only c.yaml, the clean file, has an entry.
      const auto found = entries(cache.path());
      REQUIRE(found.size() == 1);
      CHECK(fs::file_size(found.front()) > fs::file_size(dir.path() / "c.yaml"));
    }
    const auto loaded = stance::RulePack::load(dir.path(), options);
    CHECK_FALSE(loaded.pack);
    CHECK(formatted(loaded.diagnostics).front().starts_with(a + ":4:1: error: YAML syntax"));
  }

  TEST_CASE("a cache that cannot be created or written changes nothing") {
    const BigPack pack(300);
    const ModelLoad parsed = load_model(pack.dir.path());
    TempDir dir;
    const std::string file = dir.write("a-file", "not a directory\n");
    // Under a regular file: cannot be created, even by root.
    check_same_model(load_model(pack.dir.path(), cache_in(fs::path(file) / "cache")), parsed);
    // The cache path is a file itself.
    check_same_model(load_model(pack.dir.path(), cache_in(file)), parsed);
    CHECK(read_text(file) == "not a directory\n");
    const auto loaded = stance::RulePack::load(pack.dir.path(), cache_in(fs::path(file) / "cache"));
    CHECK(loaded.pack);
    CHECK(loaded.diagnostics.empty());
  }

  TEST_CASE("concurrent loads through one cache directory all see whole entries") {
    const BigPack pack(1000);
    TempDir cache;
    const auto options = cache_in(cache.path());
    const ModelLoad parsed = load_model(pack.dir.path());
    for (int round = 0; round < 2; ++round) {  // all miss and write, then all hit
      std::vector<std::optional<ModelLoad>> results(4);
      std::vector<std::thread> threads;
      for (auto& result : results) threads.emplace_back([&] { result = load_model(pack.dir.path(), options); });
      for (auto& t : threads) t.join();
      for (const auto& result : results) check_same_model(*result, parsed);
      only_entry(cache.path());  // and no temporary file left behind
    }
  }

  TEST_CASE("the cache directory comes from the environment") {
    struct Saved {
      std::string name;
      std::optional<std::string> value;
    };
    std::vector<Saved> saved;
    for (const char* name : {"STANCE_CACHE_DIR", "XDG_CACHE_HOME", "HOME"}) {
      const char* value = std::getenv(name);
      saved.push_back({name, value ? std::optional<std::string>(value) : std::nullopt});
    }
    auto directory = [] { return stance::default_model_cache_options().directory; };
    ::setenv("HOME", "/home/someone", 1);
    ::unsetenv("XDG_CACHE_HOME");
    ::unsetenv("STANCE_CACHE_DIR");
    CHECK(directory() == fs::path("/home/someone/.cache/stance"));
    ::setenv("XDG_CACHE_HOME", "/var/cache/someone", 1);
    CHECK(directory() == fs::path("/var/cache/someone/stance"));
    ::setenv("XDG_CACHE_HOME", "relative/cache", 1);  // not absolute: ignored, as XDG says
    CHECK(directory() == fs::path("/home/someone/.cache/stance"));
    ::setenv("STANCE_CACHE_DIR", "/tmp/somewhere", 1);
    CHECK(directory() == fs::path("/tmp/somewhere"));
    ::setenv("STANCE_CACHE_DIR", "off", 1);
    CHECK(directory().empty());
    ::setenv("STANCE_CACHE_DIR", "", 1);
    CHECK(directory().empty());
    ::unsetenv("STANCE_CACHE_DIR");
    ::unsetenv("XDG_CACHE_HOME");
    ::unsetenv("HOME");
    CHECK(directory().empty());
    const auto options = stance::default_model_cache_options();
    CHECK(options.min_file_bytes == stance::kModelCacheMinFileBytes);
    CHECK_FALSE(options.build.empty());  // the test binary's path, size and time
    for (const auto& s : saved) {
      if (s.value) ::setenv(s.name.c_str(), s.value->c_str(), 1);
      else ::unsetenv(s.name.c_str());
    }
  }

  TEST_CASE("stance check and run use $STANCE_CACHE_DIR and print the same with and without it") {
    const BigPack pack;
    TempDir cache;
    const std::string rules = " --rules '" + pack.dir.path().string() + "'";
    const auto off = run_stance("check" + rules, "STANCE_CACHE_DIR=off ");
    REQUIRE(off.exit_code == 0);
    CHECK(entries(cache.path()).empty());
    const std::string on = "STANCE_CACHE_DIR='" + cache.path().string() + "' ";
    for (int run = 0; run < 2; ++run) {
      CAPTURE(run);
      const auto checked = run_stance("check" + rules, on);
      CHECK(checked.exit_code == 0);
      CHECK(checked.output == off.output);
      CHECK(entries(cache.path()).size() == 1);
    }
    const std::string article = " '" + (source_dir() / "fixtures" / "articles" / "alaska-summit-invitation.txt").string() + "'";
    const auto plain = run_stance("run --format jsonl" + rules + article, "STANCE_CACHE_DIR=off ");
    const auto cached = run_stance("run --format jsonl" + rules + article, on);
    CHECK(plain.exit_code == cached.exit_code);
    CHECK(plain.output == cached.output);
    // -v says where the model came from.
    const auto verbose = run_stance("-v check" + rules, on);
    CHECK(verbose.output.find("rule cache: ") != std::string::npos);
  }
}
