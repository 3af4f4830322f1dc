"""Searches from many threads of one process give the same answers as one thread alone.

Whoosh's readers seek and read one file object each; a reader shared between request
threads (as one gthread worker has) returned wrong totals and CorruptIndexError.
"""

import threading

import pytest

from indexer import SearchEngine, SearchRequest

pytestmark = pytest.mark.slow

QUERIES = ['"begrijpend lezen"', '"feedback geven"', "leerlingen lezen", "rekenen groep 5", '"de leerling"',
           "huiswerk", "woordenschat kleuters", '"in de klas"', "pesten aanpak", "ouders betrekken", "toets*",
           '"het onderzoek"', "metacognitie", "zittenblijven doubleren", "klassenmanagement regels"]


def answer(engine, q):
    r = engine.search(SearchRequest(q=q, per_page=20))
    return r.total, [(h.id, h.snippet) for h in r.results]


def test_eight_threads_agree_with_one(corpus_index):
    import sys

    expected = {q: answer(SearchEngine(corpus_index), q) for q in QUERIES}
    # A fresh engine without a result cache: every search reads postings and positions.
    engine = SearchEngine(corpus_index)
    errors, wrong = [], []

    def worker(offset):
        try:
            for i in range(150):
                q = QUERIES[(offset + i) % len(QUERIES)]
                got = answer(engine, q)
                if got != expected[q]:
                    wrong.append(q)
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    # Switch threads as often as the interpreter can, so a race that needs a switch
    # between a seek and a read shows up in seconds instead of hours.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and wrong == []
