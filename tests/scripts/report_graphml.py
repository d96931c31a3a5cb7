#!/usr/bin/env python3
"""GraphML output of the fixture corpus: valid XML that a GraphML reader loads (docs/output.md).

Parses the file with the standard library's XML parser, then loads it with networkx (Debian's
python3-networkx) and checks it against `--format json` of the same run: one actor node per
matrix row, one issue node per column, one edge per non-empty cell whose weight is the cell's
net position, typed attributes, and a bipartite graph. Done for rows by actor and by
affiliation.

usage: report_graphml.py path/to/stance [--rules DIR]
exit: 0 pass, 1 fail, 77 skipped (no networkx)
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fixtures", "articles")
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def stance(binary, rules, by, fmt, path):
    run = subprocess.run([binary, "run", *rules, "--by", by, "--format", fmt, "-o", path, CORPUS],
                         capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        fail("stance run --by %s --format %s exited %d: %s" % (by, fmt, run.returncode, run.stderr))


def check(networkx, binary, rules, by, work):
    graph_path = os.path.join(work, by + ".graphml")
    json_path = os.path.join(work, by + ".json")
    stance(binary, rules, by, "graphml", graph_path)
    stance(binary, rules, by, "json", json_path)
    with open(json_path, encoding="utf-8") as file:
        matrix = json.load(file)["matrix"]

    root = ElementTree.parse(graph_path).getroot()  # raises on malformed XML
    if root.tag != GRAPHML_NS + "graphml":
        fail("root element is %s, not graphml" % root.tag)

    graph = networkx.read_graphml(graph_path)
    actors = ["%s:%s" % (by, row) for row in matrix["rows"]]
    issues = ["issue:" + issue for issue in matrix["issues"]]
    if sorted(graph.nodes) != sorted(actors + issues):
        fail("nodes %s differ from the matrix axes" % sorted(graph.nodes))
    for node in actors:
        if graph.nodes[node]["type"] != by:
            fail("%s has type %r" % (node, graph.nodes[node]["type"]))
    for node in issues:
        if graph.nodes[node]["type"] != "issue":
            fail("%s has type %r" % (node, graph.nodes[node]["type"]))
        if not isinstance(graph.nodes[node]["records"], int):
            fail("node attribute 'records' is not read as an int")
    if graph.number_of_edges() != len(matrix["cells"]):
        fail("%d edges for %d cells" % (graph.number_of_edges(), len(matrix["cells"])))
    for cell in matrix["cells"]:
        source, target = "%s:%s" % (by, cell["actor"]), "issue:" + cell["issue"]
        if not graph.has_edge(source, target):
            fail("no edge for %s x %s" % (cell["actor"], cell["issue"]))
        edge = graph.edges[source, target]
        if not isinstance(edge["weight"], float) or abs(edge["weight"] - cell["net"]) > 1e-3:
            fail("edge %s-%s weight %r, net %r" % (source, target, edge["weight"], cell["net"]))
        if not -1.0 <= edge["weight"] <= 1.0:
            fail("weight outside [-1, 1]")
        counts = (edge["demand"], edge["accept"], edge["reject"])
        if counts != (cell["demand"], cell["accept"], cell["reject"]):
            fail("edge counts %s, cell counts %s" % (counts, cell))
        if edge["contested"] is not cell["contested"]:
            fail("contested %r vs %r" % (edge["contested"], cell["contested"]))
        if [int(i) for i in edge["evidence"].split()] != cell["evidence"]:
            fail("edge evidence %r vs %r" % (edge["evidence"], cell["evidence"]))
    if graph.number_of_edges() and not networkx.is_bipartite(graph):
        fail("the actor-issue graph is not bipartite")
    print("%s: %d nodes, %d edges, valid GraphML" % (by, graph.number_of_nodes(), graph.number_of_edges()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stance")
    parser.add_argument("--rules")
    args = parser.parse_args()
    try:
        import networkx
    except ImportError:
        print("SKIP: networkx not installed (apt-get install python3-networkx)")
        return 77
    rules = ["--rules", args.rules] if args.rules else []
    work = tempfile.mkdtemp(prefix="stance-report-graphml-")
    try:
        for by in ("actor", "affiliation"):
            check(networkx, os.path.abspath(args.stance), rules, by, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
