"""Measure lemma accuracy on the UD Dutch dev sets and the speed of the Dutch analysis.

Usage: python bench/lemma_accuracy.py [--ud DIR] [--json OUT]

Accuracy counts content words (NOUN, VERB, ADJ) whose lemma, lower-cased and with the
treebank's compound underscores removed, equals the gold lemma. Separable verbs whose
particle stands elsewhere ("spoorde ... aan" -> "aansporen") cannot be got right by any
word-level lemmatizer; they count as errors for every candidate alike.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTENT = {"NOUN", "VERB", "ADJ"}


def read_conllu(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        rows.append((cols[1], cols[2].replace("_", "").lower(), cols[3]))
    return rows


def candidates():
    """Yield (name, function from a word to its lemma) for each lemmatizer measured."""
    import simplemma
    import spacy

    from indexer.analysis.lemmas import Lemmatizer

    yield "identity (lower-cased word)", str.lower
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    yield "spaCy lookup tables (spacy-lookups-data)", lambda w: nlp(w)[0].lemma_.lower()
    yield "simplemma", lambda w: simplemma.lemmatize(w.lower(), lang="nl").lower()
    ours = Lemmatizer()
    yield "kennisbank lemma (simplemma + fallbacks + fixes)", lambda w: ours.lemma(w.lower())
    no_fixes = Lemmatizer(fixes={})
    yield "kennisbank lemma without domain fixes", lambda w: no_fixes.lemma(w.lower())
    # The index term settles the lookup table's circles (leren -> leer -> leren) on one
    # member, so it can differ from the gold lemma where the lemma itself was right.
    yield "kennisbank index term (circles settled)", lambda w: ours.term(ours.lemma(w.lower()))


def accuracy(fn, rows) -> float:
    hits = sum(fn(form) == gold for form, gold, _ in rows)
    return hits / len(rows)


def analyzer_speed(texts: list[str]) -> tuple[float, int]:
    """Return tokens per second of the full analysis chain over the given texts."""
    from indexer.analysis import DutchAnalyzer

    analyzer = DutchAnalyzer()
    for _ in analyzer(texts[0]):  # load the pipeline outside the timing
        pass
    n = 0
    start = time.perf_counter()
    for text in texts:
        for _ in analyzer(text):
            n += 1
    return n / (time.perf_counter() - start), n


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ud", type=Path, default=ROOT.parent / "shared" / "data" / "ud-dutch")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    files = sorted(args.ud.glob("*.conllu"))
    if not files:
        sys.exit(f"no .conllu files in {args.ud}")
    results = {"sets": {}, "analyzer": {}}
    print(f"{'lemmatizer':50} " + " ".join(f"{f.stem[:22]:>24}" for f in files))
    per_set = {f.stem: [r for r in read_conllu(f) if r[2] in CONTENT] for f in files}
    for name, fn in candidates():
        row = {stem: accuracy(fn, rows) for stem, rows in per_set.items()}
        results["sets"][name] = row
        print(f"{name:50} " + " ".join(f"{v:24.1%}" for v in row.values()))
    print("content words:", {k: len(v) for k, v in per_set.items()})

    sentences = []
    for f in files:
        words = [r[0] for r in read_conllu(f)]
        sentences += [" ".join(words[i:i + 20]) for i in range(0, len(words), 20)]
    speed, n = analyzer_speed(sentences)
    results["analyzer"] = {"tokens": n, "tokens_per_second": round(speed)}
    print(f"analysis chain (tokenize, lemmatize, fold, stop words, compounds): {speed:,.0f} tokens/s over {n:,} tokens")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
