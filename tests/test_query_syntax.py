"""Small items of the query language: punctuation alone, NOT, and digits that are not ASCII."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("query", ["???", "*:*", "%", "AND", "-- !!"])
def test_punctuation_alone_finds_nothing_rather_than_everything(client, query):
    data = client.get("/api/search", query_string={"q": query}).get_json()
    assert data["total"] == 0 and data["results"] == []


def test_punctuation_alone_on_the_results_page_says_nothing_was_found(client):
    text = client.get("/zoeken?q=%3F%3F%3F").get_data(as_text=True)
    assert "Niets gevonden" in text


def test_an_empty_query_still_lists_everything(client):
    assert client.get("/api/search?q=").get_json()["total"] == 9


def test_upper_case_not_excludes_the_next_word(client):
    with_word = {r["id"] for r in client.get("/api/search?q=leerlingen").get_json()["results"]}
    without = {r["id"] for r in client.get("/api/search", query_string={"q": "leerlingen NOT rekenangst"})
               .get_json()["results"]}
    assert "themas/rekenen" in with_word
    assert "themas/rekenen" not in without and without
    same = {r["id"] for r in client.get("/api/search", query_string={"q": "leerlingen -rekenangst"})
            .get_json()["results"]}
    assert without == same


def test_not_excludes_a_phrase_and_lower_case_not_is_a_word(client):
    data = client.get("/api/search", query_string={"q": 'leerlingen NOT "begrijpend lezen"'}).get_json()
    assert "themas/woordenschat" not in {r["id"] for r in data["results"]}


@pytest.mark.parametrize("url,parameter", [
    ("/api/search?q=lezen&page=%EF%BC%92", "page"),                    # page=２ (full-width)
    ("/api/search?q=lezen&per_page=%EF%BC%91%EF%BC%90", "per_page"),   # per_page=１０
    ("/api/search?min_bewijskracht=%EF%BC%93", "min_bewijskracht"),    # ３
    ("/api/search?bewijskracht=%D9%A3", "bewijskracht"),               # Arabic-Indic three
    ("/api/search?q=lezen&page=1_0", "page"),
    ("/api/suggest?q=lez&limit=%EF%BC%95", "limit"),                   # limit=５
])
def test_digits_other_than_ascii_are_refused_in_numeric_parameters(client, url, parameter):
    r = client.get(url)
    assert r.status_code == 400
    assert r.get_json()["error"]["parameter"] == parameter


def test_full_width_digits_in_a_query_become_no_filter(client):
    ascii_digits = client.get("/api/search", query_string={"q": "huiswerk groep 8"}).get_json()
    full_width = client.get("/api/search", query_string={"q": "huiswerk groep \uff18"}).get_json()
    assert [i["filter"] for i in ascii_digits["interpreted"]] == ["sector"]
    assert full_width["interpreted"] == []


def test_full_width_digits_are_no_answer_number():
    from indexer import vocab

    assert vocab.kr_number("KR.123") == "KR.123"
    assert vocab.kr_number("KR.\uff11\uff12\uff13") is None
