#!/usr/bin/env python3
"""End-to-end checks of the store verbs: ingest, recode, matrix, history, shifts (docs/store.md).

Uses fixtures/articles (the corpus) and fixtures/store (short dated articles, a revised and a
malformed file, two versions of a small rule pack). fixtures/store/README.md lists what the
engine codes for each fixture; the first check confirms it, so an engine change that alters the
coding fails here with a clear message rather than somewhere in the time logic.

usage: store_cli.py path/to/stance   (run from anywhere)
"""
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

STANCE = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fixtures", "articles")
FIXTURES = os.path.join(ROOT, "fixtures", "store")
TIMELINE = os.path.join(FIXTURES, "timeline.jsonl")

# (article, actor, issue, stance) the engine must code for timeline.jsonl: checked by hand
# against the coding scheme (fixtures/store/README.md).
TIMELINE_CODING = {
    ("tl-01-kyiv-rejects-truce", "zelenskyy", "ceasefire", "reject"),
    ("tl-02-putin-talks", "putin", "direct_talks", "demand"),
    ("tl-03-zelenskyy-again", "zelenskyy", "ceasefire", "reject"),
    ("tl-04-trump-sanctions", "trump", "sanctions", "demand"),
    ("tl-04-trump-sanctions", "putin", "ceasefire", "reject"),
    ("tl-05-zelenskyy-accepts", "zelenskyy", "ceasefire", "accept"),
    ("tl-06-macron-troops", "macron", "foreign_troops", "demand"),
    ("tl-07-zelenskyy-confirms", "zelenskyy", "ceasefire", "accept"),
    ("tl-07-zelenskyy-confirms", "putin", "ceasefire", "reject"),
    ("tl-08-trump-turns", "trump", "sanctions", "reject"),
    ("tl-09-undated-profile", "zelenskyy", "ceasefire", "reject"),
}


def stance(*args, expect=0, stdin=None):
    result = subprocess.run([STANCE, *args], capture_output=True, text=True, input=stdin)
    assert result.returncode == expect, (
        f"stance {' '.join(args)}: exit {result.returncode}, expected {expect}\n"
        f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}")
    return result.stdout, result.stderr


def query(db, sql, *params):
    with sqlite3.connect(db) as c:
        return c.execute(sql, params).fetchall()


def row_counts(db):
    return {table: query(db, f"SELECT count(*) FROM {table}")[0][0] for table in ("articles", "records")}


def matrix_cells(db, *args):
    """{(actor, issue): {stance: count}} from `stance matrix --format csv`, non-zero cells only."""
    out, _ = stance("matrix", "--db", db, "--format", "csv", *args)
    cells = {}
    for row in csv.DictReader(io.StringIO(out)):
        for column, value in row.items():
            if column == "actor" or ":" not in column or not value or float(value) == 0:
                continue
            issue, stance_name = column.split(":")
            cells.setdefault((row["actor"], issue), {})[stance_name] = int(float(value))
    return cells


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_engine_codes_the_timeline_as_documented():
    out, _ = stance("run", "--format", "jsonl", TIMELINE)
    coded = {(r["article"], r["actor"], r["issue"], r["stance"]) for r in jsonl(out)}
    assert coded == TIMELINE_CODING, (
        "the engine's coding of fixtures/store/timeline.jsonl changed; the time checks below "
        f"depend on it.\n  missing: {sorted(TIMELINE_CODING - coded)}\n"
        f"  extra: {sorted(coded - TIMELINE_CODING)}")


def check_ingest_is_idempotent(tmp):
    db = os.path.join(tmp, "corpus.db")
    _, first_log = stance("ingest", "--db", db, CORPUS)
    first = row_counts(db)
    articles = len([name for name in os.listdir(CORPUS) if name.endswith((".txt", ".md"))])
    assert first["articles"] == articles and first["records"] > 0, (first, articles)
    _, second_log = stance("ingest", "--db", db, CORPUS)
    assert row_counts(db) == first, (row_counts(db), first)
    assert f"{articles} unchanged" in second_log and "0 added" in second_log, second_log
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    runs = query(db, "SELECT kind, added, unchanged, finished_at IS NOT NULL FROM runs ORDER BY run_id")
    assert runs == [("ingest", articles, 0, 1), ("ingest", 0, articles, 1)], runs
    assert query(db, "PRAGMA journal_mode") == [("wal",)]
    # The stored archive gives what `stance run` gives on the same articles (records in date
    # order rather than file order).
    stored, _ = stance("matrix", "--db", db, "--format", "csv")
    direct, _ = stance("run", "--format", "csv", CORPUS)
    assert stored == direct, "matrix --db and run give different matrices"
    stored, _ = stance("matrix", "--db", db, "--format", "jsonl")
    direct, _ = stance("run", "--format", "jsonl", CORPUS)
    assert sorted(stored.splitlines()) == sorted(direct.splitlines()), "different records"
    print(f"  corpus ingested twice: {first['articles']} articles, {first['records']} records both times")
    print(f"  {first_log.strip()}")


def check_time_queries(tmp):
    db = os.path.join(tmp, "timeline.db")
    stance("ingest", "--db", db, TIMELINE)
    assert row_counts(db) == {"articles": 9, "records": 11}, row_counts(db)

    # history: oldest first (undated first), the shift marked on the day Zelenskyy turned.
    out, _ = stance("history", "--db", db, "--actor", "zelenskyy", "--issue", "ceasefire",
                    "--format", "jsonl")
    timeline = [(r["date"], r["stance"], r["article"], r["shift"]) for r in jsonl(out)]
    assert timeline == [
        ("", "reject", "tl-09-undated-profile", False),
        ("2025-01-14", "reject", "tl-01-kyiv-rejects-truce", False),
        ("2025-02-25", "reject", "tl-03-zelenskyy-again", False),
        ("2025-04-08", "accept", "tl-05-zelenskyy-accepts", True),
        ("2025-06-17", "accept", "tl-07-zelenskyy-confirms", False),
    ], timeline
    assert all(r["evidence"] and r["source"] for r in jsonl(out))
    text, _ = stance("history", "--db", db, "--actor", "zelenskyy", "--issue", "ceasefire")
    assert "Zelenskyy accepted the ceasefire proposal." in text, text
    shift_lines = [line for line in text.splitlines() if "shift:" in line]
    assert len(shift_lines) == 1 and "2025-04-08" in shift_lines[0], text
    assert "was reject on 2025-02-25" in shift_lines[0], shift_lines
    out, _ = stance("history", "--db", db, "--actor", "zelenskyy", "--issue", "ceasefire",
                    "--since", "2025-02-01", "--until", "2025-04-30", "--format", "jsonl")
    assert [r["date"] for r in jsonl(out)] == ["2025-02-25", "2025-04-08"]
    out, err = stance("history", "--db", db, "--actor", "nobody", "--issue", "ceasefire")
    assert out == "" and "no stance" in err

    # --as-of: the latest position on or before the date.
    assert matrix_cells(db, "--as-of", "2025-01-31") == {("zelenskyy", "ceasefire"): {"reject": 1}}
    as_of_march = matrix_cells(db, "--as-of", "2025-03-31")
    assert as_of_march[("zelenskyy", "ceasefire")] == {"reject": 1}, as_of_march
    assert as_of_march[("trump", "sanctions")] == {"demand": 1}, as_of_march
    as_of_april = matrix_cells(db, "--as-of", "2025-04-30")
    assert as_of_april[("zelenskyy", "ceasefire")] == {"accept": 1}, as_of_april
    as_of_august = matrix_cells(db, "--as-of", "2025-08-01")
    assert as_of_august[("trump", "sanctions")] == {"reject": 1}, as_of_august
    assert as_of_august[("zelenskyy", "ceasefire")] == {"accept": 1}, as_of_august
    assert as_of_august[("putin", "ceasefire")] == {"reject": 1}, as_of_august  # 06-17 only
    # --until: the counts up to the date; undated articles only without date bounds.
    assert matrix_cells(db, "--until", "2025-04-30")[("zelenskyy", "ceasefire")] == \
        {"reject": 2, "accept": 1}
    assert matrix_cells(db)[("zelenskyy", "ceasefire")] == {"reject": 3, "accept": 2}
    assert matrix_cells(db, "--since", "2025-05-01") == {
        ("macron", "foreign_troops"): {"demand": 1}, ("zelenskyy", "ceasefire"): {"accept": 1},
        ("putin", "ceasefire"): {"reject": 1}, ("trump", "sanctions"): {"reject": 1}}
    out, _ = stance("matrix", "--db", db, "--as-of", "2025-04-30", "--format", "json")
    shown = {(r["article"], r["actor"]) for r in json.loads(out)["records"]}
    assert ("tl-05-zelenskyy-accepts", "zelenskyy") in shown and \
        ("tl-03-zelenskyy-again", "zelenskyy") not in shown, shown
    out, _ = stance("matrix", "--db", db, "--as-of", "2025-04-30")
    assert "latest positions as of 2025-04-30" in out, out
    out, _ = stance("matrix", "--db", db, "--by", "affiliation", "--format", "csv")
    rows = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert rows == {"france", "russia", "ukraine", "united_states"}, out

    # shifts: who changed side since a date, with the evidence on both sides.
    out, _ = stance("shifts", "--db", db, "--since", "2025-04-01", "--format", "jsonl")
    shifts = {(s["actor"], s["issue"]): s for s in jsonl(out)}
    assert set(shifts) == {("zelenskyy", "ceasefire"), ("trump", "sanctions")}, set(shifts)
    z = shifts[("zelenskyy", "ceasefire")]
    assert (z["before"]["date"], z["before"]["stance"], z["after"]["date"], z["after"]["stance"]) == \
        ("2025-02-25", "reject", "2025-04-08", "accept"), z
    assert z["before"]["evidence"][0]["evidence"] == "Zelenskyy again rejected a ceasefire, calling it a trap."
    assert z["after"]["evidence"][0]["article"] == "tl-05-zelenskyy-accepts"
    t = shifts[("trump", "sanctions")]
    assert (t["before"]["polarity"], t["after"]["polarity"]) == ("for", "against"), t
    out, _ = stance("shifts", "--db", db, "--since", "2025-07-01", "--format", "jsonl")
    assert [(s["actor"], s["issue"]) for s in jsonl(out)] == [("trump", "sanctions")]
    out, _ = stance("shifts", "--db", db, "--since", "2025-04-01", "--until", "2025-06-30")
    assert out.startswith("1 shift(s) since 2025-04-01 up to 2025-06-30"), out
    assert "zelenskyy on ceasefire: reject (2025-02-25) -> accept (2025-04-08)" in out, out
    print("  history, --as-of, --since/--until and shifts agree with the hand-checked timeline")
    return db


def check_new_content_is_versioned(db):
    _, err = stance("ingest", "--db", db, os.path.join(FIXTURES, "timeline-revised.jsonl"))
    assert "tl-05-zelenskyy-accepts" in err and "differs from the stored version 1" in err, err
    assert "version 2" in err, err
    assert "1 added, 1 new version(s), 1 unchanged" in err, err
    versions = query(db, "SELECT version, is_current, title FROM articles "
                         "WHERE id = 'tl-05-zelenskyy-accepts' ORDER BY version")
    assert versions == [(1, 0, "Zelenskyy accepts the truce"),
                        (2, 1, "Zelenskyy accepts the truce (corrected)")], versions
    out, _ = stance("history", "--db", db, "--actor", "zelenskyy", "--issue", "ceasefire",
                    "--format", "jsonl")
    april = [r["evidence"] for r in jsonl(out) if r["date"] == "2025-04-08"]
    assert april == ["Zelenskyy accepted the ceasefire proposal on Tuesday."], april
    print("  the same id with new text was reported and kept as version 2")


def check_malformed_lines(tmp):
    db = os.path.join(tmp, "malformed.db")
    _, err = stance("ingest", "--db", db, os.path.join(FIXTURES, "malformed.jsonl"), expect=1)
    assert "malformed.jsonl:2:" in err, err
    ids = [row[0] for row in query(db, "SELECT id FROM articles ORDER BY id")]
    assert ids == ["mf-1", "mf-3"], ids
    assert query(db, "SELECT added, skipped FROM runs") == [(2, 1)]
    print("  a malformed JSONL line was reported by line number and the rest stored (exit 1)")


def check_recode(tmp):
    db = os.path.join(tmp, "recode.db")
    before = os.path.join(FIXTURES, "rules-before")
    after = os.path.join(FIXTURES, "rules-after")
    recode_jsonl = os.path.join(FIXTURES, "recode.jsonl")
    stance("ingest", "--db", db, "--rules", before, recode_jsonl)
    stored = query(db, "SELECT a.id, r.actor, r.stance FROM records r JOIN articles a "
                       "USING (article_key) ORDER BY a.id")
    assert stored == [("rc-1-frobnicate", "testonia", "reject"),
                      ("rc-2-widgetstan", "widgetstan", "demand"),
                      ("rc-4-zelenskyy", "zelenskyy", "reject")], stored

    # --dry-run: the report, and nothing written.
    out, _ = stance("recode", "--db", db, "--rules", after, "--dry-run", "--format", "json")
    report = json.loads(out)
    assert report["applied"] is False
    assert report["cells"] == {"gained": 1, "lost": 1, "flipped": 1, "recounted": 0}, report["cells"]
    changes = {(c["actor"], c["change"]) for c in report["changes"]}
    assert changes == {("gadgetland", "gained"), ("widgetstan", "lost"), ("testonia", "flipped")}
    flipped = next(c for c in report["changes"] if c["change"] == "flipped")
    assert flipped["before"]["reject"] == 1 and flipped["after"]["accept"] == 1, flipped
    assert flipped["removed"][0]["evidence"] == "Testonia frobnicated the ceasefire."
    assert report["records"]["before"] == 3 and report["records"]["after"] == 3
    text, _ = stance("recode", "--db", db, "--rules", after, "--dry-run")
    assert "cells: 1 gained, 1 lost, 1 flipped, 0 recounted" in text, text
    assert "dry run: nothing written" in text, text
    assert query(db, "SELECT a.id, r.actor, r.stance FROM records r JOIN articles a "
                     "USING (article_key) ORDER BY a.id") == stored
    assert query(db, "SELECT count(*) FROM runs") == [(1,)]

    # An ingest with the new rules warns that the archive was coded with others.
    _, err = stance("ingest", "--db", db, "--rules", after, recode_jsonl)
    assert "coded with other rules" in err, err

    # Applying: the new coding replaces the old, and a second recode has nothing to do.
    text, _ = stance("recode", "--db", db, "--rules", after)
    assert "applied: 4 article(s)" in text, text
    assert query(db, "SELECT a.id, r.actor, r.stance FROM records r JOIN articles a "
                     "USING (article_key) ORDER BY a.id") == [
        ("rc-1-frobnicate", "testonia", "accept"), ("rc-3-gadgetland", "gadgetland", "demand"),
        ("rc-4-zelenskyy", "zelenskyy", "reject")]
    fingerprints = query(db, "SELECT DISTINCT rules_fingerprint FROM articles")
    recode_run = query(db, "SELECT rules_fingerprint, recoded, records FROM runs WHERE kind = 'recode'")
    assert len(fingerprints) == 1 and recode_run == [(fingerprints[0][0], 4, 3)], (fingerprints, recode_run)
    text, _ = stance("recode", "--db", db, "--rules", after)
    assert text.startswith("nothing to recode"), text
    out, _ = stance("recode", "--db", db, "--rules", after, "--all", "--format", "json")
    assert json.loads(out)["articles"] == 4 and json.loads(out)["cells"]["flipped"] == 0
    print("  recode --dry-run reported 1 gained, 1 lost, 1 flipped and wrote nothing; recode applied it")


def check_errors_and_stdin(tmp):
    missing = os.path.join(tmp, "missing.db")
    _, err = stance("matrix", "--db", missing, expect=2)
    assert "no such store" in err, err
    assert not os.path.exists(missing)
    stance("history", "--db", missing, "--actor", "x", expect=2)
    stance("shifts", "--db", missing, "--since", "2025-01-01", expect=2)
    stance("recode", "--db", missing, expect=2)
    db = os.path.join(tmp, "stdin.db")
    _, err = stance("ingest", "--db", db, "-", stdin=open(TIMELINE, encoding="utf-8").read())
    assert "9 added" in err, err
    _, err = stance("matrix", "--db", db, "--as-of", "2025-02-30", expect=2)
    assert "YYYY-MM-DD" in err, err
    stance("matrix", "--db", db, "--as-of", "2025-02-28", "--until", "2025-03-01", expect=2)
    stance("history", "--db", db, expect=2)  # --actor is required
    stance("shifts", "--db", db, expect=2)   # --since is required
    stance("ingest", "--db", db, expect=2)   # no paths
    not_a_store = os.path.join(tmp, "notes.db")
    with open(not_a_store, "w") as f:
        f.write("plain text, not SQLite at all, long enough to have a header\n" * 4)
    _, err = stance("ingest", "--db", not_a_store, TIMELINE, expect=2)
    assert "not a database" in err or "not a stance store" in err, err
    print("  usage and store errors exit 2; a mistyped --db creates nothing; stdin ingests")


def main():
    check_engine_codes_the_timeline_as_documented()
    with tempfile.TemporaryDirectory(prefix="stance_store_cli_") as tmp:
        check_ingest_is_idempotent(tmp)
        db = check_time_queries(tmp)
        check_new_content_is_versioned(db)
        check_malformed_lines(tmp)
        check_recode(tmp)
        check_errors_and_stdin(tmp)
    print("store_cli: ok")


if __name__ == "__main__":
    main()
