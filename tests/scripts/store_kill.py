#!/usr/bin/env python3
"""Crash safety and concurrency of `stance ingest` (docs/store.md, "Transactions").

Starts an ingest of a generated JSONL corpus, reads the store with `stance matrix` and
`stance history` while it runs, kills it with SIGKILL after it has committed a few batches, and
checks that the store passes PRAGMA integrity_check and holds only whole articles (each with
exactly the records `stance run` gives it). A second ingest must then store the rest and skip
what the first one committed.

usage: store_kill.py path/to/stance
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

STANCE = os.path.abspath(sys.argv[1])
ARTICLES = 12000
BATCH = 20

HOLDERS = ["Zelenskyy", "Putin", "Donald Trump", "Emmanuel Macron", "Keir Starmer", "Sergey Lavrov"]
STANCES = ["rejected", "accepted", "called for", "demanded"]
OBJECTS = ["a ceasefire", "new sanctions on Russia", "direct talks with Ukraine",
           "a comprehensive peace deal", "security guarantees for Ukraine"]
FILLER = ("Officials met in the capital on {day} and spoke to reporters for an hour. "
          "The talks covered prisoners, energy and grain, according to people familiar with them. "
          "Markets in the region were calm and trading volumes were close to their average. ")


def generate(path):
    """Articles of a few sentences each, with stance sentences the default pack codes."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(ARTICLES):
            holder = HOLDERS[i % len(HOLDERS)]
            verb = STANCES[(i // len(HOLDERS)) % len(STANCES)]
            obj = OBJECTS[(i // 7) % len(OBJECTS)]
            other = HOLDERS[(i + 2) % len(HOLDERS)]
            text = (f"{holder} {verb} {obj}. " + FILLER.format(day=f"day {i}") +
                    f"{other} {STANCES[i % len(STANCES)]} {OBJECTS[i % len(OBJECTS)]}.\n")
            month, day = 1 + i % 12, 1 + i % 28
            out.write(json.dumps({"id": f"gen-{i:05d}", "date": f"2025-{month:02d}-{day:02d}",
                                  "source": "Generated Wire", "title": f"Generated {i}",
                                  "text": text}) + "\n")


def expected_records(corpus):
    """What `stance run` codes for each article: the store must hold exactly this per article."""
    run = subprocess.run([STANCE, "run", "--format", "jsonl", corpus], capture_output=True,
                         text=True, check=True)
    expected = defaultdict(list)
    for line in run.stdout.splitlines():
        r = json.loads(line)
        expected[r["article"]].append((r["sentence"], r["actor"], r["issue"], r["stance"]))
    return expected


def stored_records(db):
    with sqlite3.connect(db) as c:
        ids = [row[0] for row in c.execute("SELECT id FROM articles WHERE is_current = 1")]
        stored = defaultdict(list)
        for row in c.execute("SELECT a.id, r.sentence, r.actor, r.issue, r.stance FROM records r "
                             "JOIN articles a USING (article_key) ORDER BY a.id, r.ordinal"):
            stored[row[0]].append(tuple(row[1:]))
    return ids, stored


def check_whole(db, expected):
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == [], "dangling references"
    ids, stored = stored_records(db)
    for article_id in ids:
        assert stored.get(article_id, []) == expected.get(article_id, []), \
            f"{article_id}: stored records differ from `stance run`: " \
            f"{stored.get(article_id)} != {expected.get(article_id)}"
    orphans = set(stored) - set(ids)
    assert not orphans, f"records of articles not stored: {sorted(orphans)[:5]}"
    return len(ids)


def committed(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def main():
    with tempfile.TemporaryDirectory(prefix="stance_store_kill_") as tmp:
        corpus = os.path.join(tmp, "corpus.jsonl")
        db = os.path.join(tmp, "kill.db")
        generate(corpus)
        expected = expected_records(corpus)
        assert sum(len(v) for v in expected.values()) >= ARTICLES, "the corpus should code"

        ingest = subprocess.Popen([STANCE, "ingest", "--db", db, "--batch", str(BATCH), "--jobs", "1",
                                   corpus], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        # Well into the run, many batches committed, yet far from done.
        while committed(db) < ARTICLES // 6:
            assert ingest.poll() is None, "ingest ended before it could be killed: raise ARTICLES"
            assert time.monotonic() < deadline, "ingest committed nothing in 30 s"
            time.sleep(0.005)

        # Readers while the writer runs: WAL lets them read the committed batches at once.
        start = time.monotonic()
        matrix = subprocess.run([STANCE, "matrix", "--db", db, "--format", "csv"],
                                capture_output=True, text=True)
        history = subprocess.run([STANCE, "history", "--db", db, "--actor", "zelenskyy",
                                  "--issue", "ceasefire", "--format", "jsonl"],
                                 capture_output=True, text=True)
        reading = time.monotonic() - start
        assert matrix.returncode == 0, matrix.stderr
        assert history.returncode == 0, history.stderr
        assert matrix.stdout.startswith("actor,"), matrix.stdout[:200]
        still_running = ingest.poll() is None
        assert still_running, "ingest ended while the readers ran: raise ARTICLES"

        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
        assert ingest.returncode == -signal.SIGKILL

        stored = check_whole(db, expected)
        assert 0 < stored < ARTICLES, stored
        with sqlite3.connect(db) as c:
            runs = c.execute("SELECT finished_at, added FROM runs").fetchall()
        assert len(runs) == 1 and runs[0][0] is None, runs  # the killed run never finished
        assert runs[0][1] == stored, f"run counts {runs[0][1]} != stored articles {stored}"
        print(f"killed after {stored} of {ARTICLES} articles; readers took {reading:.2f} s "
              f"while it ran; store intact")

        start = time.monotonic()
        again = subprocess.run([STANCE, "ingest", "--db", db, corpus], capture_output=True, text=True)
        seconds = time.monotonic() - start
        assert again.returncode == 0, again.stderr
        assert f"{ARTICLES - stored} added" in again.stderr, again.stderr
        assert f"{stored} unchanged" in again.stderr, again.stderr
        assert check_whole(db, expected) == ARTICLES
        with sqlite3.connect(db) as c:
            assert c.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
            records = c.execute("SELECT count(*) FROM records").fetchone()[0]
            finished = [row[0] for row in c.execute("SELECT finished_at FROM runs ORDER BY run_id")]
        assert finished[0] is None and finished[1] is not None, finished
        assert records == sum(len(v) for v in expected.values())
        print(f"second ingest stored the other {ARTICLES - stored} in {seconds:.2f} s; "
              f"{ARTICLES} articles, {records} records")

        # Two writers at once on a fresh store: they queue on the lock, and an article the other
        # one stored meanwhile counts as unchanged, never as a second copy or a new version.
        part = os.path.join(tmp, "part.jsonl")
        with open(corpus, encoding="utf-8") as src, open(part, "w", encoding="utf-8") as out:
            out.writelines(line for _, line in zip(range(ARTICLES // 6), src))
        shared = os.path.join(tmp, "shared.db")
        writers = [subprocess.Popen([STANCE, "ingest", "--db", shared, "--batch", str(BATCH), part],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        for writer in writers:
            _, err = writer.communicate(timeout=60)
            assert writer.returncode == 0, err
        with sqlite3.connect(shared) as c:
            versions = c.execute("SELECT count(*), max(version) FROM articles").fetchone()
            added = c.execute("SELECT sum(added), sum(versioned) FROM runs").fetchone()
        assert versions == (ARTICLES // 6, 1), versions
        assert added == (ARTICLES // 6, 0), added
        assert check_whole(shared, expected) == ARTICLES // 6
        print(f"two concurrent ingests of {ARTICLES // 6} articles stored each once")


if __name__ == "__main__":
    main()
    print("store_kill: ok")
