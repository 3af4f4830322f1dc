"""The JSON API: result shape, every 400 and 404, and agreement with its OpenAPI document."""

import jsonschema
import pytest

from webapp.openapi import openapi_document

from conftest import TEST_SETTINGS

SPEC = openapi_document()


def validate(data, schema_name):
    """Check a response body against a schema of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    jsonschema.Draft202012Validator(schema).validate(data)


def response_schema(path, status):
    ref = SPEC["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]


@pytest.mark.parametrize("url", [
    "/api/search?q=feedback",
    "/api/search?q=leerling&sector=po&sector=vo&type=kennisrotonde&sort=date&page=1&per_page=2",
    "/api/search",
    "/api/search?q=xyzzyqq",
    "/api/search?q=feeback",
    "/api/search?min_bewijskracht=3&sort=bewijskracht&bewijskracht=4&bewijskracht=5",
    "/api/search?type=interventie&sort=impact&date_from=2020-01-01&date_to=2026-12-31",
])
def test_search_responses_match_the_openapi_document(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.is_json
    validate(r.get_json(), response_schema("/api/search", 200))


def test_search_result_object(client):
    data = client.get("/api/search?q=feedback").get_json()
    assert data["query"] == "feedback" and data["total"] == 1 and data["page"] == 1 and data["per_page"] == 10
    hit = data["results"][0]
    assert (hit["title"], hit["type"], hit["impact"], hit["kosten"], hit["bewijskracht"]) == ("Feedback", "interventie", 6, 1, 4)
    assert hit["themes"] == [{"label": "Feedback", "slug": "feedback"}, {"label": "Formatief handelen", "slug": "formatief-handelen"}]
    assert set(data["facets"]) == {"type", "thema", "sector", "bewijskracht"}


def test_search_reports_how_it_understood_the_query(client):
    data = client.get("/api/search?q=feeback").get_json()
    assert (data["query"], data["query_used"], data["corrected"]) == ("feeback", "feedback", True)
    hit = data["results"][0]
    assert hit["matched"] == ["feedback"]
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["Feedback", "feedback"]
    data = client.get("/api/search?q=huiswerk+basisschool").get_json()
    assert data["interpreted"] == [{"words": "basisschool", "filter": "sector", "values": ["po"], "minimum": None, "maximum": None,
                                    "label": "Primair onderwijs", "kept_as_text": False}]
    assert client.get("/api/search?q=ventilatie+feedback").get_json()["no_good_match"] is True
    assert client.get("/api/search?q=feedback").get_json()["no_good_match"] is False


@pytest.mark.parametrize("url, parameter", [("/api/search?skip=kleur", "skip"), ("/api/search?correct=misschien", "correct")])
def test_interpretation_parameters_are_checked(client, url, parameter):
    r = client.get(url)
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == parameter


def test_empty_query_browses_newest_first_with_facets(client):
    data = client.get("/api/search").get_json()
    assert data["total"] == 9
    dates = [h["modified"] for h in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(fv["count"] for fv in data["facets"]["type"]) == 9


@pytest.mark.parametrize("url, path", [
    ("/api/documents/interventies/feedback", "/api/documents/{id}"),
    ("/api/suggest?q=feed", "/api/suggest"),
    ("/api/facets", "/api/facets"),
    ("/healthz", "/healthz"),
])
def test_other_endpoints_match_the_openapi_document(client, url, path):
    r = client.get(url)
    assert r.status_code == 200
    validate(r.get_json(), response_schema(path, 200))


def test_health_reports_documents_and_analyzer(client):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["documents"] == 9 and data["analyzer"]


@pytest.mark.parametrize("url, parameter", [
    ("/api/search?page=0", "page"),
    ("/api/search?page=abc", "page"),
    ("/api/search?per_page=1000", "per_page"),
    ("/api/search?per_page=0", "per_page"),
    ("/api/search?sort=xyz", "sort"),
    ("/api/search?sector=universiteit", "sector"),
    ("/api/search?type=blog", "type"),
    ("/api/search?bewijskracht=9", "bewijskracht"),
    ("/api/search?bewijskracht=hoog", "bewijskracht"),
    ("/api/search?min_bewijskracht=9", "min_bewijskracht"),
    ("/api/search?q=a&q=b", "q"),
    ("/api/search?sort=date&sort=impact", "sort"),
    ("/api/search?page=1&page=2", "page"),
    ("/api/search?date_from=gisteren", "date_from"),
    ("/api/search?onbekend=1", "onbekend"),
    ("/api/suggest?limit=0", "limit"),
    ("/api/suggest?q=a&q=b", "q"),
    ("/api/facets?x=1", "x"),
])
def test_invalid_parameters_get_400_naming_the_parameter(client, url, parameter):
    r = client.get(url)
    assert r.status_code == 400 and r.is_json
    error = r.get_json()["error"]
    assert error["code"] == "invalid_parameter" and error["parameter"] == parameter
    assert parameter in error["message"] or error.get("allowed")
    validate(r.get_json(), "Error")


def test_an_empty_date_range_finds_nothing_rather_than_failing(client):
    data = client.get("/api/search?date_from=2025-01-01&date_to=2024-01-01").get_json()
    assert data["total"] == 0 and data["results"] == []


def test_invalid_sector_lists_the_allowed_values(client):
    error = client.get("/api/search?sector=universiteit").get_json()["error"]
    assert error["allowed"] == ["vve", "po", "so", "vo", "mbo", "ho"]


@pytest.mark.parametrize("url", ["/api/documents/bestaat/niet", "/api/nergens"])
def test_unknown_ids_and_paths_get_a_json_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and r.is_json
    validate(r.get_json(), "Error")


def test_wrong_method_is_json_too(client):
    r = client.post("/api/search")
    assert r.status_code == 405 and r.get_json()["error"]["code"]


def test_no_index_is_a_503_not_a_traceback(tmp_path):
    from webapp import create_app

    client = create_app(TEST_SETTINGS, index_dir=tmp_path, synonyms=None).test_client()
    r = client.get("/api/search?q=x")
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "index_unavailable"
    page = client.get("/zoeken?q=x")
    assert page.status_code == 503 and b"Traceback" not in page.data and b"niet beschikbaar" in page.data


def test_openapi_document_is_served_and_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/documents/{id}", "/api/suggest", "/api/facets", "/api/export",
                                  "/healthz", "/api/vragen"}
    jsonschema.Draft202012Validator.check_schema({"components": spec["components"]})


def test_json_is_utf8_not_escaped(client):
    r = client.get("/api/search?q=coordinatie")
    assert "Coördinatie".encode() in r.data
