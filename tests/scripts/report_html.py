#!/usr/bin/env python3
"""The HTML report of the fixture corpus, rendered in headless Chromium (docs/output.md).

1. `stance run fixtures/articles --format html` and `--format json` (the reference numbers).
2. Chromium loads report.html#selftest and dumps the DOM: the page's self-test has clicked the
   first heatmap cell and written what it saw into #selftest-result. Checked here: the heatmap
   has exactly one cell per actor x issue with data (the json's cells), and the click showed
   that cell's evidence sentences, in order.
3. A screenshot with the busiest cell opened (default: a temporary file; --screenshot PATH to
   keep it, e.g. docs/images/report.png for the README).

Chromium runs with the network closed and a fresh profile; the page's Content-Security-Policy
forbids every fetch, and any "Refused to load" complaint fails the test.

usage: report_html.py path/to/stance [--screenshot PATH] [--rules DIR]
exit: 0 pass, 1 fail, 77 skipped (no chromium)
"""
import argparse
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fixtures", "articles")
WIDTH, HEIGHT = 1400, 1000
TIMEOUT = 40  # seconds per chromium run; both together stay well under ctest's 60


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, profile, *args):
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile,
        # Console messages on stderr, so a script error in the page fails the test.
        "--enable-logging=stderr", "--v=0", *args,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("chromium did not finish within %d s: %s" % (TIMEOUT, " ".join(command)))
    if result.returncode != 0:
        fail("chromium exited %d: %s" % (result.returncode, result.stderr[-2000:]))
    if "Refused to" in result.stderr:
        fail("the page tried to load something: " + result.stderr[-2000:])
    if "Uncaught" in result.stderr:
        fail("a script error in the page: " + result.stderr[-2000:])
    return result.stdout


def png_size(path):
    with open(path, "rb") as file:
        head = file.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    return struct.unpack(">II", head[16:24])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stance")
    parser.add_argument("--screenshot")
    parser.add_argument("--rules")
    args = parser.parse_args()

    browser = find_chromium()
    if not browser:
        print("SKIP: chromium not found (apt-get install chromium)")
        return 77

    work = tempfile.mkdtemp(prefix="stance-report-html-")
    try:
        page = os.path.join(work, "report.html")
        reference = os.path.join(work, "report.json")
        rules = ["--rules", args.rules] if args.rules else []
        for fmt, path in (("html", page), ("json", reference)):
            run = subprocess.run(
                [os.path.abspath(args.stance), "run", *rules, "--format", fmt, "-o", path,
                 "--title", "Stance report: fixture corpus", CORPUS],
                capture_output=True, text=True, timeout=60)
            if run.returncode != 0:
                fail("stance run --format %s exited %d: %s" % (fmt, run.returncode, run.stderr))
        with open(reference, encoding="utf-8") as file:
            data = json.load(file)
        cells = data["matrix"]["cells"]
        records = data["records"]
        if not cells:
            fail("the fixture corpus gave no cells; nothing to check")

        # --- the self-test, read back from the dumped DOM -----------------------------------
        dom = chromium(browser, os.path.join(work, "profile-dom"), "--dump-dom",
                       "file://" + page + "#selftest")
        found = re.search(r'<pre id="selftest-result">(.*?)</pre>', dom, re.S)
        if not found or not found.group(1).strip():
            fail("no self-test result in the dumped DOM (did the script run?)")
        result = json.loads(html.unescape(found.group(1)))
        print("self-test:", json.dumps({k: v for k, v in result.items() if k != "clicked"}))

        # One heatmap cell per actor x issue with data: the DOM's cells are the json's cells.
        heatmap = dom[dom.index('<svg id="heatmap"'):]
        heatmap = heatmap[:heatmap.index("</svg>")]
        dom_cells = re.findall(r'<g class="cell[^"]*" data-cell="\d+" data-row="([^"]*)" '
                               r'data-issue="([^"]*)"', heatmap)
        dom_pairs = [(html.unescape(row), html.unescape(issue)) for row, issue in dom_cells]
        json_pairs = [(cell["actor"], cell["issue"]) for cell in cells]
        if dom_pairs != json_pairs:
            fail("heatmap cells differ from the matrix: %s vs %s" % (dom_pairs, json_pairs))
        if len(set(dom_pairs)) != len(dom_pairs):
            fail("a heatmap cell is drawn twice")
        rows, issues = data["matrix"]["rows"], data["matrix"]["issues"]
        empty = len(re.findall(r'<rect class="empty"', heatmap))
        if empty + len(dom_pairs) != len(rows) * len(issues):
            fail("grid is not rows x issues: %d cells + %d empty != %d x %d"
                 % (len(dom_pairs), empty, len(rows), len(issues)))
        if result["cells"] != len(cells) or result["expected_cells"] != len(cells):
            fail("self-test counted %d cells, the matrix has %d" % (result["cells"], len(cells)))

        # The click showed the first cell's evidence, every sentence, in order.
        clicked = result.get("clicked") or fail("the self-test clicked nothing")
        first = cells[0]
        expected = [records[i - 1]["evidence"] for i in first["evidence"]]
        if (clicked["row"], clicked["issue"]) != (first["actor"], first["issue"]):
            fail("clicked %s x %s, expected %s x %s"
                 % (clicked["row"], clicked["issue"], first["actor"], first["issue"]))
        if clicked["texts"] != expected:
            fail("evidence shown %r, expected %r" % (clicked["texts"], expected))
        if first["actor"] not in clicked["heading"] or first["issue"] not in clicked["heading"]:
            fail("evidence panel heading %r does not name the cell" % clicked["heading"])
        if not result["ok"]:
            fail("the page's own self-test failed: %s" % json.dumps(result))
        print("clicked %s x %s: %d evidence sentence(s) shown"
              % (first["actor"], first["issue"], len(expected)))

        # --- the screenshot, with the busiest cell open ---------------------------------------
        # Among the rows the window shows, so the selected cell is in the picture.
        visible = [k for k, cell in enumerate(cells) if rows.index(cell["actor"]) < 20] or list(range(len(cells)))
        busiest = max(visible, key=lambda k: (cells[k]["contested"], len(cells[k]["evidence"]), -k))
        shot = os.path.abspath(args.screenshot) if args.screenshot else os.path.join(work, "report.png")
        os.makedirs(os.path.dirname(shot), exist_ok=True)
        chromium(browser, os.path.join(work, "profile-shot"), "--window-size=%d,%d" % (WIDTH, HEIGHT),
                 "--screenshot=" + shot, "file://%s#cell=%d" % (page, busiest))
        if png_size(shot) != (WIDTH, HEIGHT):
            fail("screenshot is %dx%d, expected %dx%d" % (*png_size(shot), WIDTH, HEIGHT))
        # A blank page compresses to a few kilobytes; the heatmap and text do not.
        if os.path.getsize(shot) < 30000:
            fail("screenshot looks blank (%d bytes)" % os.path.getsize(shot))
        print("screenshot: %s (%s x %s open)" % (shot, cells[busiest]["actor"], cells[busiest]["issue"]))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
