"""The one loader of the analysis' data files (indexer/analysis/data/): word lists and pairs."""

from __future__ import annotations

from importlib import resources


def _lines(name: str):
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def read_words(name: str) -> frozenset[str]:
    """Read a list of words, one a line; # starts a comment."""
    return frozenset(_lines(name))


def read_pairs(name: str) -> dict[str, str]:
    """Read tab-separated pairs (form, lemma), one a line; # starts a comment."""
    pairs = {}
    for line in _lines(name):
        form, value = line.split("\t")
        pairs[form.strip()] = value.strip()
    return pairs
