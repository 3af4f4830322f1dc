"""Schemathesis against /api/openapi.json on the running app: every response matches the schema, no 500s."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer import InvalidParameter, SearchRequest
from indexer.results import MAX_RESULTS
from webapp import create_app

from conftest import SAMPLE_PAGES, TEST_SETTINGS, write_pages

# Hundreds of generated requests: CI runs it, the inner loop skips it.
pytestmark = pytest.mark.slow

CASES = {"n": 0}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from indexer import build_index

    base = tmp_path_factory.mktemp("schemathesis")
    src = write_pages(base / "src", SAMPLE_PAGES)
    build_index([src], base / "ix")
    app = create_app(TEST_SETTINGS, index_dir=base / "ix", synonyms=None, query_log=base / "log.sqlite3",
                     request_log=False, ratelimit_enabled=False)
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def within_budget(query: dict | None) -> bool:
    """Return whether a search stays within the limits JSON Schema cannot state (a 400 by design).

    page x per_page, and the words and phrases in q, are documented in the parameters'
    descriptions and x- keywords.
    """
    query = query or {}
    page, per_page, q = query.get("page", 1), query.get("per_page", 10), query.get("q", "")
    if isinstance(page, int) and isinstance(per_page, int) and page * per_page > MAX_RESULTS:
        return False
    try:
        SearchRequest(q=q if isinstance(q, str) else "").validate()
    except InvalidParameter:
        return False
    return True


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("path", ["/api/search", "/api/documents/{id}", "/api/suggest", "/api/facets", "/healthz"])
def test_api_conforms_to_its_openapi_document(api_schema, path):
    operation = next(op for op in operations(api_schema) if op.path == path)

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        assume(path != "/api/search" or within_budget(case.query))
        CASES["n"] += 1
        case.call_and_validate()

    check()
