#!/usr/bin/env python3
"""Rewrites fixtures/articles/known-gaps.tsv from what `stance eval` says now.

Lines that still hold keep their reason; gold triples found since are dropped; new disagreements
get the reason "not analysed yet" until someone writes one. Run it after a change that moves
accuracy, read the diff, and explain the new lines before committing.

  tools/update-known-gaps.py [--stance build/stance]
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GAPS = ROOT / "fixtures" / "articles" / "known-gaps.tsv"
HEADER = [
    "# Where the engine and the hand-coded gold of fixtures/articles still disagree:",
    "# article, actor, issue, stance, kind (missing: a gold triple not found; wrong: a triple outside gold and optional), why.",
    "# tests/test_golden.cpp fails when a line here no longer holds (delete it) or a new disagreement appears.",
    "# tools/update-known-gaps.py rewrites it, keeping the reasons of lines that still hold.",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stance", default=str(ROOT / "build" / "stance"))
    args = parser.parse_args()
    result = subprocess.run(
        [args.stance, "eval", "--rules", str(ROOT / "rules" / "ukraine-peace"), "--gold",
         str(ROOT / "fixtures" / "articles"), "--format", "json"],
        capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr)
        return 2
    report = json.loads(result.stdout)
    reasons = {}
    for line in GAPS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        reasons[tuple(fields[:5])] = fields[5] if len(fields) > 5 else "not analysed yet"
    rows = []
    for error in report["errors"]:
        kind = {"fn": "missing", "fp": "wrong"}[error["kind"]]
        key = (error["passage"], error["actor"], error["issue"], error["stance"], kind)
        rows.append(key + (reasons.get(key, "not analysed yet"),))
    rows.sort()
    kept = sum(1 for r in rows if r[:5] in reasons)
    GAPS.write_text("\n".join(HEADER + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    print(f"{len(rows)} line(s): {kept} kept, {len(rows) - kept} new, {len(reasons) - kept} resolved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
