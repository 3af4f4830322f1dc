"""Split Dutch compounds into their parts, so "onderwijs in rekenen" finds "rekenonderwijs".

The test for a split is the one of Koehn and Knight (2003): split a word when its
parts are, on average, more common than the whole. A lexicalized word such as
"leerling" is more common than "leer" and "ling" together, so it stays whole; a
productive compound such as "rekenonderwijs" is rarer than "rekenen" and "onderwijs".
Word frequencies come from wordfreq's Dutch list, which installs with the package.
"""

from __future__ import annotations

import functools

from .datafiles import read_words
from .lemmas import Lemmatizer
from .stopwords import STOP_WORDS

MIN_PART = 3
MIN_TAIL = 3
MIN_WORD = 7
# A part rarer than this (Zipf scale, 3 = once per million words) is not trusted.
MIN_PART_ZIPF = 2.5
# Short strings turn up inside longer words by chance ("ave-rechts", "deco-deren"), so a
# part of fewer than SHORT_PART letters must be a common word.
SHORT_PART = 5
MIN_SHORT_PART_ZIPF = 4.0
# A word the dictionary knows and that is this common (Zipf) may be a word of its own that
# only looks like two ("goedkoop" is not "goed" + "kopen"): see _same_word.
LEXICAL_ZIPF = 3.0
#: Linking elements between the parts: "ontwikkeling-s-land", "boek-en-kast".
LINKS = ("s", "en", "e", "")

# Prepositions and prefixes make derived words, not compounds: "onder-wijs", "voor-beeld".
NOT_HEADS = frozenset(
    ["aan", "af", "be", "bij", "door", "ge", "her", "in", "mee", "na", "om", "on", "ont", "op", "over", "te", "toe", "uit", "ver", "voor", "weg", "onder", "achter", "tegen", "terug", "samen", "wel", "zelf", "niet", "inter"]
)
# Suffixes that are also words: "beheer-sing", "leer-ling" are derivations, not compounds.
NOT_TAILS = frozenset(
    ["sing", "ling", "lingen", "heid", "heden", "schap", "schappen", "baar", "lijk", "lijke", "isch", "ische", "tjes", "eren", "deren", "end", "ende"]
)


def _trusted(part: str, zipf: float) -> bool:
    return zipf >= (MIN_SHORT_PART_ZIPF if len(part) < SHORT_PART else MIN_PART_ZIPF)


def _same_word(surface: str, lemma: str) -> bool:
    """Return whether a lemma is the surface form itself or an inflection of it (genoten, genote)."""
    short, long = sorted((surface, lemma), key=len)
    return long.startswith(short) and len(long) - len(short) <= 2


class CompoundSplitter:
    """Find the parts of a Dutch compound, each reduced to its lemma."""

    def __init__(self, lemmatizer: Lemmatizer):
        self.lemmatizer = lemmatizer
        self.zipf = lemmatizer.zipf
        self.keep_whole = read_words("keep_whole.txt")
        self.split = functools.lru_cache(maxsize=200_000)(self._split)

    def _split(self, word: str) -> tuple[str, ...]:
        """Return the lemmas of the parts of ``word``, or () when it is not a compound."""
        if len(word) < MIN_WORD or word in self.keep_whole or not word.isalpha():
            return ()
        lexical = self.zipf(word) >= LEXICAL_ZIPF and self.lemmatizer.known(word)
        best: tuple[float, tuple[str, ...]] | None = None
        for i in range(MIN_PART, len(word) - MIN_TAIL + 1):
            tail = word[i:]
            tail_zipf = self.zipf(tail)
            if not _trusted(tail, tail_zipf) or tail in NOT_TAILS or tail in STOP_WORDS:
                continue
            tail_lemma = self.lemmatizer.term(self.lemmatizer.lemma(tail))
            for head, head_zipf, head_form in self._heads(word[:i]):
                # A common dictionary word is split only into parts that keep their own
                # form: "school|jaar" is, but "goed|koop" would make "koop" the verb
                # "kopen", and "vers|toren" would make "vers" the verb "verversen".
                if lexical and not (head_form == word[:i] and _same_word(head_form, head) and _same_word(tail, tail_lemma)):
                    continue
                score = (head_zipf + tail_zipf) / 2
                if best is None or score > best[0]:
                    best = (score, (head, tail_lemma))
        if best is None or best[0] <= self.zipf(word):
            return ()
        head, tail = best[1]
        # A head can be a compound itself: "woordenschat|onderwijs". Only shorter heads
        # are split again, so the recursion ends.
        inner = self.split(head) if len(head) < len(word) else ()
        return (*(inner or (head,)), tail)

    def _heads(self, head: str):
        """Yield the head without its linking element, as a lemma, with its frequency."""
        if head in NOT_HEADS:
            return
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) < MIN_PART:
                continue
            # A verb stem as head ("reken-") counts as its infinitive ("rekenen").
            for form in (stem, stem + "en"):
                zipf = self.zipf(form)
                if _trusted(form, zipf) and form not in NOT_HEADS:
                    yield self.lemmatizer.term(self.lemmatizer.lemma(form)), zipf, form
