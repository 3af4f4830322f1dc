"""Dutch lemmas: the spaCy pipeline and the lemmatizer it runs when no trained model is installed.

Without a tagger a lemmatizer sees single words, so it cannot tell the noun
"werken" from the verb. What matters most for search is that the forms teachers type
and the forms pages use meet on one lemma; the fallbacks below handle the words a
dictionary lookup misses: compounds ("woordenschatlessen") and corrections for this
domain's vocabulary.
"""

from __future__ import annotations

import functools
import math

import simplemma
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from wordfreq import get_frequency_dict

from .datafiles import read_pairs

TRAINED_MODEL = "nl_core_news_sm"

#: Bump when the lemmatizer's output changes, so old indexes are refused, not misread.
LEMMATIZER_VERSION = "4"

# Compound heads: a tail shorter than this is too likely an accidental word ("ling").
MIN_TAIL = 4
MIN_HEAD = 3
COMMON_ZIPF = 3.0
DIMINUTIVE_BASE_ZIPF = 3.5


def _clean(lemma: str) -> str:
    # The dictionary writes some separable verbs with an underscore: "samen_werken".
    return lemma.lower().replace("_", "")


class Lemmatizer:
    """Lemmatize single lower-cased Dutch words: fixes, then dictionary, then compound head."""

    def __init__(self, fixes: dict[str, str] | None = None):
        self.fixes = read_pairs("lemma_fixes.tsv") if fixes is None else fixes
        self.freqs = get_frequency_dict("nl", wordlist="best")
        # The cache is per instance and bounded: the vocabulary of a corpus is small
        # next to its token count, so nearly every lookup after the first page is a hit.
        self.lemma = functools.lru_cache(maxsize=500_000)(self._single)
        self.term = functools.lru_cache(maxsize=500_000)(self._term)

    def known(self, word: str) -> bool:
        return word in self.fixes or simplemma.is_known(word, lang="nl")

    def zipf(self, word: str) -> float:
        """Return the word's frequency on the Zipf scale (3 = once per million words)."""
        f = self.freqs.get(word, 0.0)
        return math.log10(f * 1e9) if f > 0 else 0.0

    def _term(self, lemma: str) -> str:
        """Return the index term for a lemma: one term for every member of a word family.

        A lookup table without parts of speech maps "leren" to the noun "leer" and
        "leer" back to the verb "leren", or "lessen" to "les" and "les" to "lessen".
        Search needs each such family to meet on one term, so the chain of lookups is
        followed to its end and a circle is settled on its longest member.
        """
        second = self._single(lemma)
        if second == lemma:
            return self._undiminish(lemma)
        third = self._single(second)
        if third == second:
            return self._undiminish(second)
        return max({lemma, second, third}, key=lambda w: (len(w), w))

    def _undiminish(self, lemma: str) -> str:
        """Return the noun a diminutive is made of, so "groepjes" meets "groep".

        Only where that noun is a common word: "meisje" and "koekje" stay as they are.
        """
        if len(lemma) < 6 or not lemma.endswith("je"):
            return lemma
        for suffix in ("etje", "tje", "pje", "je"):
            if lemma.endswith(suffix):
                base = lemma[: -len(suffix)]
                if suffix == "etje" and len(base) > 2 and base[-1] == base[-2]:
                    base = base[:-1]  # balletje -> bal
                if len(base) >= 3 and self.zipf(base) >= DIMINUTIVE_BASE_ZIPF and self.zipf(base) > self.zipf(lemma):
                    return base
        return lemma

    def _single(self, word: str) -> str:
        """Return the lemma of a lower-cased word: fixes, dictionary, then the fallbacks."""
        if word in self.fixes:
            return self.fixes[word]
        if simplemma.is_known(word, lang="nl"):
            return _clean(simplemma.lemmatize(word, lang="nl"))
        if word.endswith(("'s", "’s")):  # thema's, foto's
            return self._single(word[:-2])
        if not word.isalpha():
            return word
        # A common word the dictionary lacks ("management") is most likely a base form.
        if self.zipf(word) >= COMMON_ZIPF:
            return word
        # Unknown word: Dutch compounds inflect on their last part, so lemmatize the
        # longest known tail and keep the head ("woordenschatlessen" -> "...les").
        for i in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
            tail, head = word[i:], word[:i]
            if self.known(tail) and (self.known(head) or self.zipf(head) >= COMMON_ZIPF):
                return head + self._single(tail)
        return self._adjective(word) or _clean(simplemma.lemmatize(word, lang="nl"))

    def _adjective(self, word: str) -> str | None:
        """Undo the inflection -e of an unknown adjective: "intensieve" -> "intensief"."""
        for suffix, base in _ADJECTIVE_ENDINGS:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                stem = word[: -len(suffix)] + base
                if self.known(stem) or suffix in _PRODUCTIVE:
                    return stem
        return None


# Inflected adjective endings and their base form. The productive ones (-ische,
# -aanse, -ieve) are taken even for words the dictionary lacks ("oostendse" excepted).
_ADJECTIVE_ENDINGS = (
    ("ische", "isch"), ("aanse", "aans"), ("ieve", "ief"), ("ese", "ees"),
    ("ve", "f"), ("ze", "s"), ("se", "s"), ("e", ""),
)
_PRODUCTIVE = {"ische", "aanse", "ieve"}


@functools.cache
def default_lemmatizer() -> Lemmatizer:
    """Return the shared lemmatizer, so its cache serves every pipeline in the process."""
    return Lemmatizer()


@Language.factory("kb_lemmatizer")
def make_kb_lemmatizer(nlp: Language, name: str) -> KbLemmatizer:
    return KbLemmatizer(default_lemmatizer())


class KbLemmatizer:
    """spaCy component that sets ``token.lemma_``; with a trained model it only applies fixes."""

    def __init__(self, lemmatizer: Lemmatizer, only_fixes: bool = False):
        self.lemmatizer = lemmatizer
        self.only_fixes = only_fixes

    def __call__(self, doc: Doc) -> Doc:
        fixes = self.lemmatizer.fixes
        for token in doc:
            word = token.lower_
            if self.only_fixes:
                if word in fixes:
                    token.lemma_ = fixes[word]
            else:
                token.lemma_ = self.lemmatizer.lemma(word)
        return doc


def trained_model_installed() -> bool:
    """Tell whether the trained pipeline nl_core_news_sm can be loaded."""
    return spacy.util.is_package(TRAINED_MODEL)


@functools.cache
def load_pipeline(use_trained: bool | None = None) -> tuple[Language, str]:
    """Return the Dutch spaCy pipeline and the name that identifies its lemmas.

    :param use_trained: True or False to force a choice; None uses the trained model
        when it is installed.
    """
    if use_trained is None:
        use_trained = trained_model_installed()
    if use_trained:
        # The parser and NER cost most of the time and add nothing to lemmas.
        nlp = spacy.load(TRAINED_MODEL, exclude=["parser", "ner"])
        nlp.add_pipe("kb_lemmatizer", last=True)
        nlp.get_pipe("kb_lemmatizer").only_fixes = True
        name = f"{TRAINED_MODEL}-{nlp.meta.get('version', '?')}"
    else:
        nlp = spacy.blank("nl")
        nlp.add_pipe("kb_lemmatizer")
        name = f"spacy-blank-nl+simplemma-{simplemma.__version__}"
    return nlp, f"{name}+kb{LEMMATIZER_VERSION}"
