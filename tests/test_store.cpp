// The persistent store: content hashes, schema and migrations, idempotent and versioned storage,
// atomic batches, queries, concurrency with another connection, positions over time, and what a
// re-coding changes. End-to-end CLI checks live in tests/scripts/store_*.py.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "temp_dir.hpp"
#include "stance/store.hpp"
#include "store/sha256.hpp"

namespace {

namespace fs = std::filesystem;
using stance::Article;
using stance::CodedArticle;
using stance::OpenMode;
using stance::Stance;
using stance::StanceRecord;
using stance::StoreOutcome;

using stance::testing::TempDir;

std::string sha256(std::string_view bytes) {
  stance::store::Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

Article article(std::string id, std::string date, std::string text) {
  Article a;
  a.id = std::move(id);
  a.date = std::move(date);
  a.source = "Test Wire";
  a.title = "title of " + a.id;
  a.text = std::move(text);
  a.origin = "test.jsonl:1";
  return a;
}

StanceRecord record(const Article& in, std::string actor, std::string issue, Stance stance,
                    std::size_t sentence = 1) {
  StanceRecord r;
  r.article = in.id;
  r.sentence = sentence;
  r.span = {0, in.text.size()};
  r.actor = std::move(actor);
  r.affiliation = r.actor + "_side";
  r.issue = std::move(issue);
  r.stance = stance;
  r.confidence = 0.8;
  r.rule = std::string(stance::to_string(stance)) + ".verb";
  r.evidence = in.text;
  r.cue_span = {1, 3};
  r.date = in.date;
  r.source = in.source;
  return r;
}

CodedArticle coded(Article in, std::vector<StanceRecord> records) {
  CodedArticle c;
  c.content_hash = stance::content_hash(in);
  c.article = std::move(in);
  c.records = std::move(records);
  return c;
}

// A record with only what positions() and the diff look at.
StanceRecord dated(std::string date, std::string actor, std::string issue, Stance stance,
                   std::string article_id = "a") {
  StanceRecord r;
  r.article = std::move(article_id);
  r.date = std::move(date);
  r.actor = std::move(actor);
  r.issue = std::move(issue);
  r.stance = stance;
  r.sentence = 1;
  return r;
}

std::int64_t start_run(stance::Store& store, std::string fingerprint = "fp1") {
  stance::RunInfo info;
  info.rules_id = "test-pack";
  info.rules_fingerprint = std::move(fingerprint);
  info.rules_directory = "rules/test";
  info.issue_order = {"ceasefire", "sanctions"};
  info.arguments = "ingest test";
  return store.begin_run(info);
}

// Runs one statement on a raw connection, failing the test on error.
void raw_exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  INFO(sql << ": " << (error ? error : ""));
  sqlite3_free(error);
  REQUIRE(code == SQLITE_OK);
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("sha256 matches the FIPS 180-4 examples") {
    CHECK(sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // Across block boundaries, fed in uneven pieces.
    stance::store::Sha256 hash;
    const std::string a(1001, 'a');
    for (int i = 0; i < 1000; ++i) hash.update(std::string_view(a).substr(0, i % 2 ? 999 : 1001));
    CHECK(hash.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  TEST_CASE("content_hash covers the content, not the id or where it was read") {
    const Article base = article("a1", "2025-01-01", "Body text.");
    const std::string hash = stance::content_hash(base);
    CHECK(hash.size() == 64);
    Article moved = base;
    moved.id = "other-id";
    moved.origin = "elsewhere.txt";
    CHECK(stance::content_hash(moved) == hash);
    for (std::string Article::*field :
         {&Article::date, &Article::source, &Article::url, &Article::title, &Article::text}) {
      Article changed = base;
      changed.*field += "x";
      CHECK(stance::content_hash(changed) != hash);
    }
    // Bytes moved from one field to the next are a different article.
    Article left = base, right = base;
    left.title = "ab";
    left.text = "c";
    right.title = "a";
    right.text = "bc";
    CHECK(stance::content_hash(left) != stance::content_hash(right));
  }

  TEST_CASE("is_iso_date accepts real days only") {
    CHECK(stance::is_iso_date("2025-02-28"));
    CHECK(stance::is_iso_date("2024-02-29"));
    CHECK_FALSE(stance::is_iso_date("2025-02-29"));
    CHECK_FALSE(stance::is_iso_date("2025-13-01"));
    CHECK_FALSE(stance::is_iso_date("2025-1-01"));
    CHECK_FALSE(stance::is_iso_date("2025-01-01T00:00"));
    CHECK_FALSE(stance::is_iso_date(""));
  }

  TEST_CASE("opening creates a versioned store and refuses what is not one") {
    const TempDir dir;
    const fs::path path = dir.file("s.db");
    {
      auto store = stance::open_sqlite_store(path, OpenMode::create);
      CHECK(store->schema_version() == stance::kStoreSchemaVersion);
      CHECK(store->summary().articles == 0);
    }
    {
      // Reopening migrates nothing and keeps the content.
      auto store = stance::open_sqlite_store(path, OpenMode::existing);
      start_run(*store);
      CHECK(store->summary().runs == 1);
    }
    CHECK(stance::open_sqlite_store(path, OpenMode::existing)->summary().runs == 1);

    SUBCASE("a missing file is not created by a query") {
      const fs::path missing = dir.file("missing.db");
      CHECK_THROWS_AS((void)stance::open_sqlite_store(missing, OpenMode::existing), stance::StoreError);
      CHECK_FALSE(fs::exists(missing));
    }
    SUBCASE("a file that is not SQLite") {
      const fs::path junk = dir.file("junk.db");
      std::ofstream(junk) << "this is not a database, just some text that is long enough";
      CHECK_THROWS_AS((void)stance::open_sqlite_store(junk, OpenMode::create), stance::StoreError);
    }
    SUBCASE("another application's SQLite database") {
      const fs::path foreign = dir.file("foreign.db");
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(foreign.string().c_str(), &db) == SQLITE_OK);
      raw_exec(db, "CREATE TABLE customers (name TEXT)");
      sqlite3_close(db);
      try {
        (void)stance::open_sqlite_store(foreign, OpenMode::create);
        FAIL("expected StoreError");
      } catch (const stance::StoreError& error) {
        CHECK(std::string(error.what()).find("not a stance store") != std::string::npos);
      }
    }
    SUBCASE("a store from a newer stance") {
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(path.string().c_str(), &db) == SQLITE_OK);
      raw_exec(db, "PRAGMA user_version = 99");
      sqlite3_close(db);
      try {
        (void)stance::open_sqlite_store(path, OpenMode::existing);
        FAIL("expected StoreError");
      } catch (const stance::StoreError& error) {
        CHECK(std::string(error.what()).find("newer") != std::string::npos);
      }
    }
  }

  TEST_CASE("storing is idempotent and a changed article becomes a new version") {
    const TempDir dir;
    auto store = stance::open_sqlite_store(dir.file("s.db"), OpenMode::create);
    const auto run = start_run(*store);
    const Article a1 = article("a1", "2025-01-10", "Zelenskyy rejected a ceasefire.");
    const Article a2 = article("a2", "2025-02-10", "Putin called for talks.");
    std::vector<CodedArticle> batch{coded(a1, {record(a1, "zelenskyy", "ceasefire", Stance::reject)}),
                                    coded(a2, {record(a2, "putin", "direct_talks", Stance::demand)})};

    auto first = store->store_articles(run, "fp1", batch);
    REQUIRE(first.size() == 2);
    CHECK(first[0].outcome == StoreOutcome::added);
    CHECK(first[0].current.version == 1);
    CHECK(first[0].current.rules_fingerprint == "fp1");
    CHECK_FALSE(first[0].previous.has_value());

    auto second = store->store_articles(run, "fp1", batch);
    CHECK(second[0].outcome == StoreOutcome::unchanged);
    CHECK(second[1].outcome == StoreOutcome::unchanged);
    auto summary = store->summary();
    CHECK(summary.articles == 2);
    CHECK(summary.versions == 2);
    CHECK(summary.records == 2);

    Article revised = a1;
    revised.text = "Zelenskyy accepted a ceasefire.";
    revised.origin = "later.jsonl:3";
    const std::vector<CodedArticle> update{
        coded(revised, {record(revised, "zelenskyy", "ceasefire", Stance::accept)})};
    auto third = store->store_articles(run, "fp1", update);
    REQUIRE(third.size() == 1);
    CHECK(third[0].outcome == StoreOutcome::versioned);
    CHECK(third[0].current.version == 2);
    CHECK(third[0].current.origin == "later.jsonl:3");
    REQUIRE(third[0].previous.has_value());
    CHECK(third[0].previous->version == 1);
    CHECK(third[0].previous->origin == "test.jsonl:1");

    summary = store->summary();
    CHECK(summary.articles == 2);
    CHECK(summary.versions == 3);
    CHECK(summary.records == 2);  // only current versions count
    // Queries see the current version only.
    const auto records = store->records({.actor = "zelenskyy"});
    REQUIRE(records.size() == 1);
    CHECK(records[0].stance == Stance::accept);

    const std::vector<std::string> ids{"a1", "a2", "unknown"};
    const auto versions = store->current_versions(ids);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].id == "a1");
    CHECK(versions[0].version == 2);
    CHECK(versions[0].content_hash == stance::content_hash(revised));

    store->finish_run(run, {.unchanged = 5, .skipped = 1});
    const auto runs = store->runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].counts.added == 2);
    CHECK(runs[0].counts.versioned == 1);
    CHECK(runs[0].counts.unchanged == 2 + 5);
    CHECK(runs[0].counts.records == 3);
    CHECK(runs[0].counts.skipped == 1);
    CHECK_FALSE(runs[0].finished_at.empty());
    CHECK(runs[0].info.issue_order == std::vector<std::string>{"ceasefire", "sanctions"});
    CHECK(store->issue_order() == std::vector<std::string>{"ceasefire", "sanctions"});
  }

  TEST_CASE("records come back as they went in, with their article's date and source") {
    const TempDir dir;
    auto store = stance::open_sqlite_store(dir.file("s.db"), OpenMode::create);
    const auto run = start_run(*store);
    Article a = article("a1", "2025-03-01", "Trump said Putin wants a ceasefire. Second sentence.");
    a.text += " \xE2\x80\x9C" "Curly\xE2\x80\x9D";  // UTF-8 survives
    StanceRecord r = record(a, "putin", "ceasefire", Stance::demand, 1);
    r.reported_by = "trump";
    r.span = {0, 36};
    r.evidence = a.text.substr(0, 36);
    const StanceRecord second = record(a, "trump", "sanctions", Stance::reject, 2);
    store->store_articles(run, "fp1", std::vector{coded(a, {r, second})});

    const auto back = store->records({});
    REQUIRE(back.size() == 2);
    CHECK(back[0].article == "a1");
    CHECK(back[0].sentence == 1);
    CHECK(back[0].span == r.span);
    CHECK(back[0].cue_span == r.cue_span);
    CHECK(back[0].actor == "putin");
    CHECK(back[0].affiliation == "putin_side");
    CHECK(back[0].issue == "ceasefire");
    CHECK(back[0].stance == Stance::demand);
    CHECK(back[0].confidence == doctest::Approx(0.8));
    CHECK(back[0].rule == "demand.verb");
    CHECK(back[0].evidence == r.evidence);
    CHECK(back[0].reported_by == "trump");
    CHECK(back[0].date == "2025-03-01");
    CHECK(back[0].source == "Test Wire");
    CHECK(back[1].sentence == 2);

    const auto loaded = store->load_articles(store->articles_to_recode(""));
    REQUIRE(loaded.size() == 1);
    CHECK(loaded[0].article.text == a.text);
    CHECK(loaded[0].article.title == a.title);
    CHECK(loaded[0].records.size() == 2);
  }

  TEST_CASE("a batch that fails is stored not at all") {
    const TempDir dir;
    auto store = stance::open_sqlite_store(dir.file("s.db"), OpenMode::create);
    const auto run = start_run(*store);
    const Article good = article("good", "2025-01-01", "Fine.");
    const Article bad = article("bad", "2025-01-02", "Broken.");
    StanceRecord broken = record(bad, "x", "y", Stance::demand);
    broken.stance = static_cast<Stance>(7);  // the schema's CHECK refuses it mid-batch
    const std::vector<CodedArticle> batch{coded(good, {record(good, "a", "b", Stance::accept)}),
                                          coded(bad, {broken})};
    CHECK_THROWS_AS(store->store_articles(run, "fp1", batch), stance::StoreError);
    const auto summary = store->summary();
    CHECK(summary.versions == 0);
    CHECK(summary.records == 0);
    CHECK(store->runs()[0].counts.added == 0);
    // The store is still usable afterwards.
    store->store_articles(run, "fp1", std::vector{batch[0]});
    CHECK(store->summary().articles == 1);
  }

  TEST_CASE("queries select by inclusive dates, actor and issue, in date order") {
    const TempDir dir;
    auto store = stance::open_sqlite_store(dir.file("s.db"), OpenMode::create);
    const auto run = start_run(*store);
    const Article jan = article("jan", "2025-01-31", "x");
    const Article feb = article("feb", "2025-02-01", "x");
    const Article mar = article("mar", "2025-03-15", "x");
    const Article undated = article("undated", "", "x");
    // Stored out of date order on purpose.
    store->store_articles(run, "fp1",
                          std::vector{coded(mar, {record(mar, "z", "ceasefire", Stance::accept)}),
                                      coded(undated, {record(undated, "z", "ceasefire", Stance::reject)}),
                                      coded(jan, {record(jan, "z", "ceasefire", Stance::reject),
                                                  record(jan, "p", "sanctions", Stance::demand, 2)}),
                                      coded(feb, {record(feb, "z", "ceasefire", Stance::reject)})});
    auto articles_of = [&](const stance::RecordQuery& query) {
      std::vector<std::string> ids;
      for (const auto& r : store->records(query)) ids.push_back(r.article);
      return ids;
    };
    using Ids = std::vector<std::string>;
    CHECK(articles_of({}) == Ids{"undated", "jan", "jan", "feb", "mar"});
    CHECK(articles_of({.since = "2025-02-01"}) == Ids{"feb", "mar"});
    CHECK(articles_of({.until = "2025-02-01"}) == Ids{"jan", "jan", "feb"});
    CHECK(articles_of({.since = "2025-02-01", .until = "2025-02-01"}) == Ids{"feb"});
    CHECK(articles_of({.actor = "p"}) == Ids{"jan"});
    CHECK(articles_of({.actor = "z", .issue = "ceasefire"}) ==
          Ids{"undated", "jan", "feb", "mar"});
    CHECK(articles_of({.issue = "nothing"}).empty());
    CHECK(store->article_count({}) == 4);
    CHECK(store->article_count({.since = "2025-02-01"}) == 2);
    CHECK(store->article_count({.until = "2025-02-01"}) == 2);
    CHECK(store->article_count({.since = "2025-02-01", .until = "2025-03-01"}) == 1);

    const auto cells = store->cell_counts();
    std::size_t z_rejects = 0;
    for (const auto& cell : cells) {
      if (cell.actor == "z" && cell.stance == Stance::reject) z_rejects = cell.count;
    }
    CHECK(z_rejects == 3);
  }

  TEST_CASE("recode replaces the codings of articles coded with other rules") {
    const TempDir dir;
    auto store = stance::open_sqlite_store(dir.file("s.db"), OpenMode::create);
    const auto run = start_run(*store, "old");
    const Article a = article("a", "2025-01-01", "x");
    const Article b = article("b", "2025-01-02", "y");
    store->store_articles(run, "old", std::vector{coded(a, {record(a, "z", "ceasefire", Stance::reject)})});
    store->store_articles(run, "new", std::vector{coded(b, {})});

    CHECK(store->articles_to_recode("new").size() == 1);
    CHECK(store->articles_to_recode("").size() == 2);
    auto loaded = store->load_articles(store->articles_to_recode("new"));
    REQUIRE(loaded.size() == 1);
    CHECK(loaded[0].version.id == "a");
    CHECK(loaded[0].version.rules_fingerprint == "old");

    const auto recode_run = start_run(*store, "new");
    store->replace_codings(recode_run, "new",
                           std::vector{stance::Recoding{loaded[0].version.key,
                                                        {record(a, "z", "ceasefire", Stance::accept),
                                                         record(a, "p", "ceasefire", Stance::demand)}}});
    CHECK(store->articles_to_recode("new").empty());
    const auto records = store->records({});
    REQUIRE(records.size() == 2);
    CHECK(records[0].stance == Stance::accept);
    CHECK(records[1].actor == "p");
    const auto runs = store->runs();
    CHECK(runs.back().counts.recoded == 1);
    CHECK(runs.back().counts.records == 2);
    const auto summary = store->summary();
    REQUIRE(summary.codings.size() == 1);
    CHECK(summary.codings[0] == std::pair<std::string, std::size_t>{"new", 2});
    CHECK(store->codings() == summary.codings);
  }

  TEST_CASE("readers go on while another process writes, and writers queue") {
    const TempDir dir;
    const fs::path path = dir.file("s.db");
    auto reader = stance::open_sqlite_store(path, OpenMode::create);
    const auto run = start_run(*reader);
    const Article a = article("a", "2025-01-01", "x");
    reader->store_articles(run, "fp1", std::vector{coded(a, {record(a, "z", "ceasefire", Stance::reject)})});

    auto writer = stance::open_sqlite_store(path, OpenMode::existing, {.busy_timeout_ms = 100});
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.string().c_str(), &other) == SQLITE_OK);
    // Another process mid-ingest: holds the write lock with uncommitted rows.
    raw_exec(other, "BEGIN IMMEDIATE");
    raw_exec(other,
             "INSERT INTO runs (kind, started_at, engine_version, rules_id, rules_fingerprint, "
             "rules_directory, issue_order, arguments) VALUES ('ingest', 'now', 'x', 'x', 'x', "
             "'x', '', 'x')");

    CHECK(reader->records({}).size() == 1);  // not blocked, and sees only committed data
    CHECK(reader->summary().runs == 1);
    const Article b = article("b", "2025-01-02", "y");
    try {
      writer->store_articles(run, "fp1", std::vector{coded(b, {})});
      FAIL("expected the busy timeout to expire");
    } catch (const stance::StoreError& error) {
      CHECK(std::string(error.what()).find("locked") != std::string::npos);
    }
    raw_exec(other, "COMMIT");
    sqlite3_close(other);
    writer->store_articles(run, "fp1", std::vector{coded(b, {})});
    CHECK(reader->summary().articles == 2);
    CHECK(reader->summary().runs == 2);
  }

  TEST_CASE("a read snapshot keeps one view while others commit") {
    const TempDir dir;
    const fs::path path = dir.file("s.db");
    auto writer = stance::open_sqlite_store(path, OpenMode::create);
    auto reader = stance::open_sqlite_store(path, OpenMode::existing);
    const auto run = start_run(*writer);
    const Article a = article("a", "2025-01-01", "x");
    const Article b = article("b", "2025-01-02", "y");
    writer->store_articles(run, "fp1", std::vector{coded(a, {})});
    {
      const auto snapshot = reader->read_snapshot();
      CHECK(reader->summary().articles == 1);
      writer->store_articles(run, "fp1", std::vector{coded(b, {})});
      CHECK(reader->summary().articles == 1);
    }
    CHECK(reader->summary().articles == 2);
  }

  TEST_CASE("positions group a day's stances; the latest ones make the as-of matrix") {
    const std::vector<StanceRecord> records{
        dated("", "z", "ceasefire", Stance::accept, "undated"),
        dated("2025-01-10", "z", "ceasefire", Stance::reject, "j1"),
        dated("2025-02-10", "z", "ceasefire", Stance::reject, "f1"),
        dated("2025-02-10", "p", "talks", Stance::demand, "f1"),
        dated("2025-04-01", "z", "ceasefire", Stance::accept, "a1"),
        dated("2025-04-01", "z", "ceasefire", Stance::demand, "a2"),
    };
    const auto timeline = stance::positions(records);
    REQUIRE(timeline.size() == 2);
    const auto& z = timeline.at({"z", "ceasefire"});
    REQUIRE(z.size() == 3);  // the undated record has no place in time
    CHECK(z[0].date == "2025-01-10");
    CHECK(stance::stance_set_name(z[2].stances) == "demand+accept");
    CHECK(z[2].evidence.size() == 2);
    CHECK(stance::polarity(z[0].stances) == "against");
    CHECK(stance::polarity(z[2].stances) == "for");

    const auto latest = stance::latest_positions(records);
    REQUIRE(latest.size() == 3);
    CHECK(latest[0].actor == "p");
    CHECK(latest[1].article == "a1");
    CHECK(latest[2].article == "a2");

    // As of a date: the caller selects records up to it first.
    const auto as_of_march = stance::latest_positions(std::span(records).first(4));
    REQUIRE(as_of_march.size() == 2);
    CHECK(as_of_march[1].article == "f1");
    CHECK(as_of_march[1].stance == Stance::reject);
  }

  TEST_CASE("position changes: sides by default, any change on request, since inclusive") {
    const std::vector<StanceRecord> records{
        dated("2025-01-10", "z", "ceasefire", Stance::reject, "j1"),
        dated("2025-03-01", "z", "ceasefire", Stance::accept, "m1"),
        dated("2025-04-01", "z", "ceasefire", Stance::demand, "a1"),
        dated("2025-05-01", "z", "ceasefire", Stance::reject, "y1"),
        dated("2025-05-01", "z", "ceasefire", Stance::accept, "y2"),
        dated("2025-02-01", "t", "sanctions", Stance::demand, "f1"),
    };
    auto changes = stance::position_changes(records, "2025-03-01", false);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].actor == "z");
    CHECK(changes[0].before.date == "2025-01-10");
    CHECK(changes[0].after.date == "2025-03-01");
    CHECK(changes[0].before.evidence.at(0).article == "j1");
    CHECK(changes[0].after.evidence.at(0).article == "m1");
    CHECK(changes[1].before.date == "2025-04-01");  // for -> mixed
    CHECK(stance::polarity(changes[1].after.stances) == "mixed");

    CHECK(stance::position_changes(records, "2025-03-02", false).size() == 1);
    CHECK(stance::position_changes(records, "2025-03-02", true).size() == 2);  // accept -> demand
    CHECK(stance::position_changes(records, "2025-06-01", true).empty());
  }

  TEST_CASE("a re-coding's diff: gained, lost, flipped, recounted against the whole archive") {
    // The archive before: z rejects a ceasefire in two articles, p demands talks in one, q
    // accepts sanctions in one.
    const StanceRecord z1 = dated("2025-01-01", "z", "ceasefire", Stance::reject, "a1");
    const StanceRecord z2 = dated("2025-01-02", "z", "ceasefire", Stance::reject, "a2");
    const StanceRecord p1 = dated("2025-01-01", "p", "talks", Stance::demand, "a1");
    const StanceRecord q1 = dated("2025-01-03", "q", "sanctions", Stance::accept, "a3");
    const std::vector<stance::CellCount> archive{{"z", "ceasefire", Stance::reject, 2},
                                                 {"p", "talks", Stance::demand, 1},
                                                 {"q", "sanctions", Stance::accept, 1}};
    stance::CodingDiffBuilder builder(archive);
    // a1: z's record is gone (but a2 still supports the cell), p now accepts, n is new.
    StanceRecord p1_accept = p1;
    p1_accept.stance = Stance::accept;
    StanceRecord n1 = dated("2025-01-01", "n", "talks", Stance::demand, "a1");
    builder.add(std::vector{z1, p1}, std::vector{p1_accept, n1});
    // a3: q's record is lost; a2: same record, other rule (altered, no cell change).
    builder.add(std::vector{q1}, {});
    StanceRecord z2_altered = z2;
    z2_altered.rule = "reject.other";
    builder.add(std::vector{z2}, std::vector{z2_altered});
    const auto diff = builder.finish();

    CHECK(diff.articles == 3);
    CHECK(diff.articles_changed == 3);
    CHECK(diff.records_before == 4);
    CHECK(diff.records_after == 3);
    CHECK(diff.records_removed == 3);
    CHECK(diff.records_added == 2);
    CHECK(diff.records_altered == 1);
    REQUIRE(diff.cells.size() == 4);
    // Ordered by actor, issue.
    CHECK(diff.cells[0].actor == "n");
    CHECK(diff.cells[0].kind == stance::CellChangeKind::gained);
    CHECK(diff.cells[1].actor == "p");
    CHECK(diff.cells[1].kind == stance::CellChangeKind::flipped);
    CHECK(diff.cells[1].removed.size() == 1);
    CHECK(diff.cells[1].added.size() == 1);
    CHECK(diff.cells[2].actor == "q");
    CHECK(diff.cells[2].kind == stance::CellChangeKind::lost);
    CHECK(diff.cells[3].actor == "z");
    CHECK(diff.cells[3].kind == stance::CellChangeKind::recounted);  // R2 -> R1: a2 still says it
    CHECK(diff.cells[3].after[static_cast<std::size_t>(Stance::reject)] == 1);
    CHECK(diff.count(stance::CellChangeKind::gained) == 1);
    CHECK(diff.count(stance::CellChangeKind::lost) == 1);
  }
}
