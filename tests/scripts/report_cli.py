#!/usr/bin/env python3
"""`stance run` output options end to end on the fixture corpus (docs/output.md).

Checks relations rather than exact numbers, so rule-pack changes do not break it: every format
parses; the formats agree with each other (csv, csv-long, events, json); filters keep only what
they name; --min-count drops thin cells; --count mention never counts less than article;
windows partition the dated records; bad options are usage errors (exit 2).

usage: report_cli.py path/to/stance [--rules DIR]
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fixtures", "articles")
STANCE = None
RULES = []
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message)


def run(*args, expect=0):
    result = subprocess.run([STANCE, "run", *RULES, *args, CORPUS], capture_output=True, timeout=60)
    check(result.returncode == expect,
          "stance run %s exited %d, expected %d: %s"
          % (" ".join(args), result.returncode, expect, result.stderr.decode(errors="replace")[-500:]))
    return result.stdout.decode("utf-8")


def as_json(*args):
    return json.loads(run("--format", "json", *args))


def cell_total(cell):
    return cell["demand"] + cell["accept"] + cell["reject"]


def main():
    global STANCE, RULES
    parser = argparse.ArgumentParser()
    parser.add_argument("stance")
    parser.add_argument("--rules")
    args = parser.parse_args()
    STANCE = os.path.abspath(args.stance)
    RULES = ["--rules", args.rules] if args.rules else []

    full = as_json()
    cells = full["matrix"]["cells"]
    records = full["records"]
    check(len(cells) > 0, "the corpus gives no cells")
    total = sum(cell_total(cell) for cell in cells)

    # Every cell is traceable: its evidence ids name records of that actor and issue, and the
    # counted ones add up to the cell's counts.
    for cell in cells:
        ids = cell["evidence"]
        check(all(records[i - 1]["actor"] == cell["actor"] and records[i - 1]["issue"] == cell["issue"]
                  for i in ids), "evidence of %s x %s names other cells" % (cell["actor"], cell["issue"]))
        counted = [records[i - 1] for i in ids if records[i - 1]["counted"]]
        for stance in ("demand", "accept", "reject"):
            check(sum(1 for r in counted if r["stance"] == stance) == cell[stance],
                  "%s x %s: counted %s records differ from the count" % (cell["actor"], cell["issue"], stance))
        check(-1 <= cell["net"] <= 1, "net outside [-1, 1]")
        check(cell["contested"] == ((cell["demand"] + cell["accept"]) > 0 and cell["reject"] > 0),
              "contested flag wrong for %s x %s" % (cell["actor"], cell["issue"]))

    # csv (wide): one row per actor, counts equal to the json's.
    wide = list(csv.reader(io.StringIO(run("--format", "csv"), newline="")))
    check(wide[0][0] == "actor", "csv header starts with %r" % wide[0][0])
    check(len(wide) - 1 == len(full["matrix"]["rows"]), "csv rows differ from the matrix rows")
    check(sum(int(v) for row in wide[1:] for v in row[1:]) == total, "csv counts differ from json")

    # csv-long: tidy rows, the same total.
    long_rows = list(csv.DictReader(io.StringIO(run("--format", "csv-long"), newline="")))
    check(sum(int(r["count"]) for r in long_rows) == total, "csv-long counts differ from json")
    check(all(r["stance"] in ("demand", "accept", "reject") for r in long_rows), "csv-long stances")

    # events: one row per record, same order and ids as the json.
    events = list(csv.DictReader(io.StringIO(run("--format", "events"), newline="")))
    check(len(events) == len(records), "events rows %d, records %d" % (len(events), len(records)))
    check(all(int(e["id"]) == r["id"] and e["text"] == r["evidence"] and e["document"] == r["article"]
              for e, r in zip(events, records)), "events differ from json records")
    check(all(e["agreement"] == ("0" if e["qualifier"] == "reject" else "1") for e in events),
          "events agreement column")

    # md, graphml, html, table, jsonl: they parse or at least look like themselves.
    check(run("--format", "md").startswith("# "), "md does not start with a title")
    ElementTree.fromstring(run("--format", "graphml").encode("utf-8"))
    page = run("--format", "html")
    check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), "html document")
    table = run("--no-color")
    check("Legend:" in table and "\x1b[" not in table, "table legend / no colour in a pipe")
    jsonl = run("--format", "jsonl").splitlines()
    check(len(jsonl) >= len(records), "jsonl has fewer lines than records")

    # --count mention counts every record; article never more.
    mention = as_json("--count", "mention")
    check(sum(cell_total(c) for c in mention["matrix"]["cells"]) == len(mention["records"]),
          "mention counts every record")
    check(sum(cell_total(c) for c in mention["matrix"]["cells"]) >= total, "mention >= article")
    check(all(r["counted"] for r in mention["records"]), "mention: every record counted")

    # Filters.
    actor = cells[0]["actor"]
    issue = cells[0]["issue"]
    only_actor = as_json("--actor", actor)
    check(set(only_actor["matrix"]["rows"]) <= {actor} | {r["actor"] for r in records if r["affiliation"] == actor},
          "--actor kept other actors")
    only_issue = as_json("--issue", issue)
    check(only_issue["matrix"]["issues"] == [issue], "--issue kept other issues")
    source = next(r["source"] for r in records if r["source"])
    only_source = as_json("--source", source)
    check(only_source["records"] and all(r["source"] == source for r in only_source["records"]),
          "--source kept other sources")
    dates = sorted(r["date"] for r in records if r["date"])
    middle = dates[len(dates) // 2]
    since = as_json("--since", middle)
    check(all(r["date"] >= middle for r in since["records"]), "--since kept earlier records")
    until = as_json("--until", middle)
    check(all(r["date"] and r["date"] <= middle for r in until["records"]), "--until kept later/undated")
    thick = as_json("--min-count", "2")
    check(all(cell_total(c) >= 2 for c in thick["matrix"]["cells"]), "--min-count kept thin cells")
    check(len(thick["matrix"]["cells"]) == sum(1 for c in cells if cell_total(c) >= 2),
          "--min-count dropped thick cells")

    # Windows: adjacent windows partition the dated records.
    windowed = as_json("--window", "30d")
    windows = windowed["windows"]
    check(len(windows) > 1, "30-day windows over the corpus: more than one")
    dated_total = sum(1 for r in windowed["records"] if r["date"] and r["counted"])
    in_windows = sum(cell_total(c) for w in windows for c in w["matrix"]["cells"])
    check(in_windows == dated_total, "windows hold %d counted records, %d dated" % (in_windows, dated_total))
    check(all(a["last"] < b["first"] for a, b in zip(windows, windows[1:])), "windows overlap")
    sliding = as_json("--window", "30d", "--step", "7d")["windows"]
    check(len(sliding) > len(windows), "a 7-day step gives more windows")
    check("window_start" in run("--format", "csv", "--window", "2w").splitlines()[0], "windowed csv header")
    check("Window " in run("--window", "30d"), "windowed table")

    # --by affiliation in the views.
    by_affiliation = as_json("--by", "affiliation")
    check(by_affiliation["run"]["options"]["rows"] == "affiliation", "rows option")
    check(sum(cell_total(c) for c in by_affiliation["matrix"]["cells"]) == total, "roll-up keeps the total")

    # Usage errors.
    for bad in (["--window", "0d"], ["--window", "1m"], ["--step", "7d"], ["--since", "2025-02-30"],
                ["--count", "sentence"], ["--format", "xlsx"], ["--min-count", "-1"]):
        run(*bad, expect=2)

    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("ok: %d cells, %d records, %d windows" % (len(cells), len(records), len(windows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
