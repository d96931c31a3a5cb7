#!/usr/bin/env python3
"""Sharded runs and parallel runs end to end (docs/scale.md).

The fixture corpus is split into three shards; each is coded with `stance run --emit partial` and
`stance merge` must print exactly what one run over the whole corpus prints (table, csv, csv-long
and the partial state itself, with view options); partials of other rules or count modes are
refused with exit 2; JSONL on stdin shards the same way (the Hadoop/Spark/Slurm map step);
`-j 1` and `-j 2` print the same bytes.

usage: scale_cli.py path/to/stance
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fixtures", "articles")
TRADE = os.path.join(ROOT, "rules", "trade-dispute")
STANCE = None
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message)


def stance(*args, stdin=None, expect=0):
    result = subprocess.run([STANCE, *args], input=stdin, capture_output=True, timeout=120)
    check(result.returncode == expect, "stance %s exited %d, expected %d: %s"
          % (" ".join(args), result.returncode, expect, result.stderr.decode(errors="replace")[-400:]))
    return result


def main():
    global STANCE
    STANCE = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="stance-scale-")
    try:
        articles = sorted(name for name in os.listdir(CORPUS) if name.endswith((".txt", ".md")))
        check(len(articles) >= 9, "too few fixture articles to shard")
        shards = []
        for k in range(3):
            shard = os.path.join(work, "shard%d" % k)
            os.mkdir(shard)
            for name in articles[k::3]:  # interleaved: every shard spans the whole date range
                shutil.copy(os.path.join(CORPUS, name), shard)
            shards.append(shard)

        for count in ("article", "mention"):
            partials = []
            for k, shard in enumerate(shards):
                path = os.path.join(work, "%s-%d.partial" % (count, k))
                stance("run", "--count", count, "--emit", "partial", "-o", path, shard)
                partials.append(path)
            whole = stance("run", "--count", count, "--emit", "partial", CORPUS).stdout
            merged = stance("merge", "--format", "partial", *partials).stdout
            check(merged == whole, "count %s: merged partial differs from the single run's" % count)
            reverse = stance("merge", "--format", "partial", *reversed(partials)).stdout
            check(reverse == whole, "count %s: merge depends on the order of the partials" % count)
            for view in ([], ["--by", "affiliation"], ["--window", "30d"], ["--window", "14d", "--step", "7d"],
                         ["--min-count", "2"]):
                for fmt in ("table", "csv", "csv-long"):
                    single = stance("run", "--count", count, "--format", fmt, *view, CORPUS).stdout
                    reduced = stance("merge", "--format", fmt, *view, *partials).stdout
                    check(single == reduced and len(single) > 0,
                          "count %s, %s %s: merge differs from the single run" % (count, fmt, " ".join(view)))

        # The partial state is one JSON line naming its rules, count mode and issue order.
        state = json.loads(stance("run", "--emit", "partial", shards[0]).stdout)
        for key in ("format", "version", "pack", "count", "issue_order", "entries", "articles"):
            check(key in state, "partial state lacks %r" % key)
        check(state["format"] == "stance-partial" and state["count"] == "article", "partial state header")

        # Refused: another count mode, another rule pack. Exit 2 with the reason.
        article = os.path.join(work, "article-0.partial")
        mention = os.path.join(work, "mention-1.partial")
        refused = stance("merge", article, mention, expect=2)
        check(b"--count" in refused.stderr, "count-mode refusal does not say why: %r" % refused.stderr)
        trade = os.path.join(work, "trade.partial")
        stance("run", "--rules", TRADE, "--emit", "partial", "-o", trade, shards[1])
        refused = stance("merge", article, trade, expect=2)
        check(b"same rule pack" in refused.stderr, "pack refusal does not say why: %r" % refused.stderr)
        stance("run", "--emit", "partial", "--format", "csv", shards[0], expect=2)

        # The map step on JSONL from stdin, as Hadoop Streaming, RDD.pipe or a Slurm array runs it;
        # the reduce step reads the partials, one a line, from stdin.
        lines = []
        for name in articles:
            with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
                text = f.read()
            meta, body = {}, text
            if text.startswith("---\n"):
                header, body = text[4:].split("\n---\n", 1)
                for line in header.splitlines():
                    key, _, value = line.partition(":")
                    meta[key.strip()] = value.strip()
            lines.append(json.dumps({"id": meta.get("id", os.path.splitext(name)[0]), "date": meta.get("date", ""),
                                     "source": meta.get("source", ""), "title": meta.get("title", ""),
                                     "text": body}))
        mapped = b""
        for k in range(3):
            chunk = ("\n".join(lines[k::3]) + "\n").encode("utf-8")
            mapped += stance("run", "--emit", "partial", "-", stdin=chunk).stdout
        everything = ("\n".join(lines) + "\n").encode("utf-8")
        single = stance("run", "--format", "csv", "-", stdin=everything).stdout
        reduced = stance("merge", "--format", "csv", "-", stdin=mapped).stdout
        check(single == reduced, "JSONL shards on stdin: merge differs from the single run")

        # Any number of jobs, the same bytes.
        for fmt in ("jsonl", "csv", "table"):
            one = stance("run", "-j", "1", "--format", fmt, CORPUS).stdout
            two = stance("run", "-j", "2", "--format", fmt, CORPUS).stdout
            many = stance("run", "-j", "7", "--format", fmt, CORPUS).stdout
            check(one == two == many and len(one) > 0, "%s differs between -j 1, -j 2 and -j 7" % fmt)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
