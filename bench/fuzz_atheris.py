"""Coverage-guided fuzzing of the page parser and the query parser with atheris (a longer run).

Usage: python bench/fuzz_atheris.py parser|query [-max_total_time=600] [-runs=N]

Any exception other than a PageError (for pages) stops the run with the input that caused
it; libFuzzer prints how many inputs it tried ("#N ... exec/s"). Needs: pip install -c constraints.txt -e '.[fuzz]'.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from indexer.parse import PageError, parse_page
    from indexer.search.query import parse_user_query


def fuzz_parser(data: bytes) -> None:
    with contextlib.suppress(PageError):
        parse_page(data, "themas/fuzz.html")


def fuzz_query(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(2000)
    parse_user_query(text)


def main() -> None:
    target = sys.argv.pop(1) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "parser"
    atheris.Setup(sys.argv, {"parser": fuzz_parser, "query": fuzz_query}[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
