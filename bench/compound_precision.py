"""Measure the compound splitter on hand-labelled words from the corpus.

Usage: python bench/compound_precision.py [--json OUT]

Precision: of the words the splitter splits, the share split into the right parts.
Recall: of the real compounds, the share split into the right parts. Expected parts are
passed through the same lemmatizer, so "rekenen" and "reken-" compare alike.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.analysis import compound_splitter  # noqa: E402
from indexer.analysis.lemmas import default_lemmatizer  # noqa: E402
from indexer.vocab import fold_diacritics  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "compounds.tsv"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    lem, split = default_lemmatizer(), compound_splitter().split

    def term(word: str) -> str:
        return fold_diacritics(lem.term(lem.lemma(word.lower())))

    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, parts = line.split("\t")
        expected = () if parts.strip() == "-" else tuple(sorted(term(p) for p in parts.split()))
        got = tuple(sorted(split(term(word))))
        rows.append((word, expected, got))
    compounds = [r for r in rows if r[1]]
    wholes = [r for r in rows if not r[1]]
    made = [r for r in rows if r[2]]
    right = [r for r in made if r[2] == r[1]]
    result = {
        "words": len(rows), "compounds": len(compounds), "non_compounds": len(wholes),
        "precision": round(len(right) / len(made), 3) if made else None,
        "recall": round(len(right) / len(compounds), 3) if compounds else None,
        "non_compounds_kept_whole": round(sum(1 for r in wholes if not r[2]) / len(wholes), 3),
        "errors": [{"word": w, "expected": list(e), "got": list(g)} for w, e, g in rows if e != g],
    }
    print(f"{result['words']} words ({result['compounds']} compounds, {result['non_compounds']} not): "
          f"precision {result['precision']:.1%}, recall {result['recall']:.1%}, "
          f"non-compounds kept whole {result['non_compounds_kept_whole']:.1%}")
    for e in result["errors"]:
        print(f"  {e['word']}: expected {' '.join(e['expected']) or '-'}, got {' '.join(e['got']) or '-'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
