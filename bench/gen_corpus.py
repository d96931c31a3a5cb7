#!/usr/bin/env python3
"""News-like corpora of any size, and synthetic rule packs with many actor aliases, for benchmarks.

    gen_corpus.py corpus --size 100M [--seed 7] [--names 20000] > /tmp/corpus.jsonl
    gen_corpus.py pack --names 20000 [--seed 7] --out /tmp/pack-20k

`corpus` writes JSONL articles (id, date, source, title, text) until the article texts add up to
--size bytes. Each article mixes sentences of the fixture corpus (fixtures/articles) with sentences
from a template bank whose placeholders are filled from the rule pack: actor names and aliases,
issue cue phrases and places (rules/ukraine-peace, or --rules). With --names N, some actor slots
take one of N invented names: the same names `pack --names N` turns into actors, so that a
synthetic pack finds them while the default pack sees unknown capitalised words. Everything
follows from --seed: the same arguments give the same bytes.

`pack` writes a rule pack that includes the default pack (absolute path) and adds N invented
actors, one alias each, affiliated with the default pack's states.

Needs python3-yaml (Debian) for reading the rule pack.
"""
import argparse
import datetime
import glob
import json
import os
import random
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_RULES = os.path.join(ROOT, "rules", "ukraine-peace")
FIXTURES = os.path.join(ROOT, "fixtures", "articles")

# {actor} and {actor2}: actor names; {issue}: an issue's cue phrase; {place}: an issue member;
# {day}: a weekday. Written for this generator: stance verbs, reported speech, quotes, negation,
# conditions and plain filler, in the proportions of wire copy.
TEMPLATES = [
    "{actor} said on {day} that {issue} was the only way forward.",
    "{actor} demanded {issue} before any further talks.",
    "{actor} rejected {issue}, calling the idea a trap.",
    "{actor} told reporters that {actor2} was ready to accept {issue}.",
    "In a statement, {actor} called for {issue} and urged {actor2} to respond.",
    "{actor} welcomed the proposal for {issue}, according to officials in {place}.",
    "\u201cWe will never accept {issue},\u201d {actor} said.",
    "\u201cThere can be no {issue} without guarantees,\u201d {actor} told a news conference on {day}.",
    "{actor} did not rule out {issue}, but said {actor2} had to move first.",
    "{actor} insisted on {issue} as a condition for signing.",
    "According to {actor}, {actor2} opposes {issue}.",
    "{actor} has repeatedly refused to discuss {issue}.",
    "If {actor2} agrees to {issue}, {actor} would consider a meeting, a spokesman said.",
    "{actor} and {actor2} met in {place} on {day} but made no announcement.",
    "Officials in {place} said the talks had stalled over {issue}.",
    "{actor} supports {issue}, his office said in a statement.",
    "Asked whether {actor} would back {issue}, the spokesman declined to comment.",
    "{actor2} is expected to travel to {place} next week.",
    "The meeting lasted about three hours, a person familiar with the talks said.",
    "Markets in Europe edged higher after the announcement.",
    "Analysts cautioned that similar pledges had collapsed within days in the past.",
    "The talks are due to resume after the weekend.",
    "Neither side released a written summary of the discussions.",
    "Diplomats described the atmosphere as businesslike but tense.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SOURCES = ["Wire Service", "Daily Ledger", "Evening Courier", "Hudson Review", "Capital Times"]
SYLLABLES = ["ka", "ro", "vin", "da", "mel", "tor", "si", "lan", "bre", "ko", "ta", "mir", "zel", "no",
             "vas", "pe", "gor", "li", "dan", "sha", "vel", "tri", "mon", "ra", "bek", "zo", "fen", "ul"]


def plain(phrase):
    """A cue that is only words (no alternatives, gaps, mentions or regexes)."""
    return isinstance(phrase, str) and re.fullmatch(r"[A-Za-z][A-Za-z' -]*[A-Za-z]", phrase) is not None


def load_pack(directory):
    actors, issues, places = [], [], []
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
        for actor in data.get("actors", []) or []:
            names = [actor.get("name")] + list(actor.get("aliases") or [])
            actors.extend(n for n in names if isinstance(n, str) and n[:1].isupper())
        for issue in data.get("issues", []) or []:
            issues.extend(c for c in issue.get("cues") or [] if plain(c) and " " in c)
            places.extend(m for m in issue.get("members") or [] if isinstance(m, str) and m[:1].isupper())
    if not actors or not issues:
        sys.exit("gen_corpus: %s has no actors or no plain multi-word issue cues" % directory)
    return sorted(set(actors)), sorted(set(issues)), sorted(set(places)) or ["Geneva"]


def invented_names(count, seed):
    """`count` distinct two-word names, the same for the same seed."""
    rng = random.Random("names-%d" % seed)
    names, seen = [], set()
    while len(names) < count:
        first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        name = first + " " + last
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def fixture_sentences():
    sentences = []
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.txt")) + glob.glob(os.path.join(FIXTURES, "*.md"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.startswith("---\n"):
            text = text[4:].split("\n---\n", 1)[-1]
        for paragraph in text.split("\n"):
            for sentence in re.split(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])", paragraph.strip()):
                if len(sentence) > 30:
                    sentences.append(sentence)
    return sentences


def parse_size(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)B?", text.upper())
    if not match:
        raise argparse.ArgumentTypeError("expected a size like 100M or 1G, got %r" % text)
    return int(float(match.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2)])


def corpus(args):
    rng = random.Random(args.seed)
    actors, issues, places = load_pack(args.rules)
    names = invented_names(args.names, args.seed) if args.names else []
    borrowed = fixture_sentences()
    start = datetime.date(2025, 1, 1)
    out = sys.stdout
    written, n = 0, 0

    def actor():
        return rng.choice(names) if names and rng.random() < 0.15 else rng.choice(actors)

    while written < args.size:
        paragraphs, sentences = [], []
        for _ in range(rng.randint(6, 28)):
            if rng.random() < 0.5:
                sentences.append(rng.choice(borrowed))
            else:
                first = actor()
                second = actor()
                sentences.append(rng.choice(TEMPLATES).format(
                    actor=first, actor2=second if second != first else rng.choice(actors),
                    issue=rng.choice(issues), place=rng.choice(places), day=rng.choice(DAYS)))
            if rng.random() < 0.35:
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        text = "\n\n".join(paragraphs)
        date = start + datetime.timedelta(days=rng.randrange(365))
        article = {"id": "gen-%08d" % n, "date": date.isoformat(), "source": rng.choice(SOURCES),
                   "title": text[:60].split("\n")[0], "text": text}
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        written += len(text.encode("utf-8"))
        n += 1
    print("gen_corpus: %d articles, %d bytes of text" % (n, written), file=sys.stderr)


def pack(args):
    os.makedirs(args.out, exist_ok=True)
    states = ["russia", "ukraine", "united_states", "eu", "france", "germany", "uk"]
    with open(os.path.join(args.out, "pack.yaml"), "w", encoding="utf-8") as f:
        f.write("# Generated by bench/gen_corpus.py pack: the default pack and %d invented actors.\n" % args.names)
        f.write("pack:\n  id: synthetic-%d\n  description: default pack plus %d invented actor aliases\n"
                "  include: [%s]\n" % (args.names, args.names, json.dumps(os.path.abspath(args.rules))))
    with open(os.path.join(args.out, "actors.yaml"), "w", encoding="utf-8") as f:
        f.write("actors:\n")
        for i, name in enumerate(invented_names(args.names, args.seed)):
            f.write("  - id: invented_%05d\n    name: %s\n    kind: person\n    affiliation: %s\n"
                    "    aliases: [%s]\n" % (i, name, states[i % len(states)], name))
    print("gen_corpus: pack with %d invented actors in %s" % (args.names, args.out), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus", help="JSONL articles on stdout")
    c.add_argument("--size", type=parse_size, required=True, help="bytes of article text (100M, 1G)")
    c.add_argument("--seed", type=int, default=7)
    c.add_argument("--names", type=int, default=0, help="invented names that some actor slots take")
    c.add_argument("--rules", default=DEFAULT_RULES)
    p = sub.add_parser("pack", help="a rule pack with N invented actors")
    p.add_argument("--names", type=int, required=True)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--rules", default=DEFAULT_RULES, help="the pack to include")
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    corpus(args) if args.command == "corpus" else pack(args)


if __name__ == "__main__":
    main()
