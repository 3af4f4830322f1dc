"""Settings: the README's defaults, and each KENNISBANK_* variable read into its setting."""

import os
import re
from pathlib import Path

import pytest

from indexer import Settings, SettingsError
from indexer.settings import VARIABLES


def test_defaults_are_the_readmes():
    s = Settings.from_env({})
    assert s == Settings()
    assert s.index_dir == Path("data/index") and s.sources == (Path("corpus"),)
    assert s.synonyms == Path("corpus/synoniemen.txt") and s.query_log == Path("data/zoeklog.sqlite3")
    assert s.base_url == "https://kennisbank.example.nl/"
    assert (s.host, s.port, s.workers) == ("127.0.0.1", 8000, 2)
    assert s.admin_token is None and s.secret_key is None
    assert s.result_cache == 2048 and s.ratelimit_enabled and s.trusted_proxies == 0
    assert (s.rate_limit_api, s.rate_limit_pages, s.rate_limit_editor, s.rate_limit_login) == (
        "120 per minute", "240 per minute", "10 per minute", "5 per minute")
    assert s.request_log and s.session_cookie_secure


def test_the_variables_read_are_the_readmes():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration")[1].split("Other limits")[0]
    names = set(re.findall(r"`(KENNISBANK_[A-Z_]+)`", table))
    # The table shortens the rate limits to `_PAGES`, `_EDITOR`, `_LOGIN`.
    names |= {"KENNISBANK_RATE_LIMIT" + short for short in re.findall(r"`(_[A-Z]+)`", table)}
    assert names == set(VARIABLES)


def test_variables_set_their_settings():
    s = Settings.from_env({
        "KENNISBANK_INDEX_DIR": "/srv/ix", "KENNISBANK_SOURCES": os.pathsep.join(["/a", "", "/b"]),
        "KENNISBANK_SYNONYMS": "", "KENNISBANK_QUERY_LOG": "", "KENNISBANK_ADMIN_TOKEN": "123",
        "KENNISBANK_RESULT_CACHE": "0", "KENNISBANK_RATELIMIT_ENABLED": "false", "KENNISBANK_RATE_LIMIT_LOGIN": "2/minute",
        "KENNISBANK_TRUSTED_PROXIES": "1", "KENNISBANK_REQUEST_LOG": "0", "KENNISBANK_SESSION_COOKIE_SECURE": "False",
        "KENNISBANK_PORT": "8001", "KENNISBANK_WORKERS": "4", "KENNISBANK_REQUIRE_BROWSER": "1",
    })
    assert s.index_dir == Path("/srv/ix") and s.sources == (Path("/a"), Path("/b"))
    # An empty file setting turns it off.
    assert s.synonyms is None and s.query_log is None
    # A token of digits stays text.
    assert s.admin_token == "123"
    assert s.result_cache == 0 and not s.ratelimit_enabled and s.rate_limit_login == "2/minute"
    assert s.trusted_proxies == 1 and not s.request_log and not s.session_cookie_secure
    assert (s.port, s.workers) == (8001, 4)


@pytest.mark.parametrize("name, value", [("KENNISBANK_PORT", "achtduizend"), ("KENNISBANK_REQUEST_LOG", "misschien")])
def test_a_value_that_does_not_parse_names_its_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_take_strings_and_never_show_secrets():
    s = Settings(index_dir="ix", sources=["a", "b"], synonyms="", admin_token="geheim", secret_key="sleutel")
    assert s.index_dir == Path("ix") and s.sources == (Path("a"), Path("b")) and s.synonyms is None
    assert "geheim" not in repr(s) and "sleutel" not in repr(s)
