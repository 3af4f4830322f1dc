"""The OpenAPI 3 description of the JSON API; the tests check real responses against it."""

from __future__ import annotations

from indexer import vocab
from indexer.results import INTERPRETED
from indexer.search import MAX_FILTER_VALUES, MAX_PAGE, MAX_PER_PAGE, SORTS

_nullable_int = {"type": ["integer", "null"]}
_nullable_str = {"type": ["string", "null"]}


def _array_param(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name, "in": "query", "required": False, "description": description,
        "style": "form", "explode": True, "schema": {"type": "array", "items": schema, "maxItems": MAX_FILTER_VALUES},
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def openapi_document() -> dict:
    hit = {
        "type": "object",
        "required": ["id", "url", "title", "type", "summary", "snippet", "highlights", "themes", "sectors",
                     "bewijskracht", "impact", "kosten", "modified", "score", "matched"],
        "properties": {
            "id": {"type": "string"},
            "url": {"type": "string"},
            "title": {"type": "string"},
            "type": {"type": "string", "enum": list(vocab.TYPES)},
            "summary": {"type": "string"},
            "snippet": {"type": "string", "description": "Platte tekst rond de gevonden woorden (geen HTML)."},
            "highlights": {"type": "array", "description": "[begin, eind) tekenposities in snippet van de gevonden woorden.",
                           "items": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2}},
            "matched": {"type": "array", "items": {"type": "string"},
                        "description": "De woorden uit de zoekvraag (zoals getypt) die deze pagina bevat."},
            "themes": {"type": "array", "items": {"$ref": "#/components/schemas/Theme"}},
            "sectors": {"type": "array", "items": {"type": "string", "enum": list(vocab.SECTORS)}},
            "bewijskracht": {"type": ["integer", "null"], "minimum": 0, "maximum": 5},
            "impact": _nullable_int,
            "kosten": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "modified": {"type": ["string", "null"], "format": "date"},
            "score": {"type": ["number", "null"]},
        },
    }
    facet_value = {
        "type": "object",
        "required": ["value", "label", "count", "selected"],
        "properties": {
            "value": {"type": "string"}, "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0}, "selected": {"type": "boolean"},
        },
    }
    facets = {
        "type": "object",
        "required": ["type", "thema", "sector", "bewijskracht"],
        "properties": {name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                       for name in ("type", "thema", "sector", "bewijskracht")},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kennisbank API",
            "version": "1.0.0",
            "description": "Zoeken in de kennisbank over onderwijsonderzoek: themapagina's, leidraden, "
                           "interventies en Kennisrotonde-antwoorden.",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "Zoeken met filters, sortering en paginering",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"},
                     "description": 'Zoekvraag: woorden (alle), "exacte zin", -uitsluiten, voorvoegsel*. Leeg: alles, nieuwste eerst.'},
                    _array_param("type", {"type": "string", "enum": list(vocab.TYPES)}, "Inhoudstype (herhaalbaar, OF)."),
                    _array_param("thema", {"type": "string"}, "Thema-slug (herhaalbaar, OF)."),
                    _array_param("sector", {"type": "string", "enum": list(vocab.SECTORS)}, "Sector (herhaalbaar, OF)."),
                    _array_param("bewijskracht", {"type": "integer", "minimum": 0, "maximum": 5}, "Bewijskracht (herhaalbaar, OF)."),
                    {"name": "min_bewijskracht", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 5}},
                    {"name": "date_from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "date_to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}},
                    _array_param("skip", {"type": "string", "enum": [*INTERPRETED, "all"]},
                                 "Filters die niet uit de zoekwoorden gelezen worden (herhaalbaar; all: geen)."),
                    {"name": "correct", "in": "query", "schema": {"type": "string", "enum": ["0", "1", "true", "false", "ja", "nee"],
                     "default": "1"}, "description": "0: zoek de woorden zoals getypt, zonder spellingverbetering."},
                ],
                "responses": {"200": _ok("SearchResult"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/api/documents/{id}": {"get": {
                "summary": "Eén pagina met gerelateerde pagina's",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _ok("Document"), "404": _error("Onbekend id"), "503": _error("Geen index")},
            }},
            "/api/suggest": {"get": {
                "summary": "Aanvullingen terwijl iemand typt (titels en thema's)",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 20, "default": 8}},
                ],
                "responses": {"200": _ok("Suggestions"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/api/facets": {"get": {
                "summary": "Alle facetwaarden met aantallen",
                "responses": {"200": _ok("Facets"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/healthz": {"get": {
                "summary": "Status voor load balancers",
                "responses": {"200": _ok("Health"), "503": _error("Geen index")},
            }},
        },
        "components": {"schemas": {
            "Theme": {"type": "object", "required": ["label", "slug"],
                      "properties": {"label": {"type": "string"}, "slug": {"type": "string"}}},
            "Hit": hit,
            "FacetValue": facet_value,
            "Facets": facets,
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "page", "per_page", "results", "facets", "suggestion", "relaxed",
                             "query_used", "corrected", "interpreted", "expanded", "no_good_match"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    "facets": {"$ref": "#/components/schemas/Facets"},
                    "suggestion": _nullable_str,
                    "relaxed": {"type": "boolean"},
                    "sort": {"type": "string", "enum": list(SORTS)},
                    "query_used": {"type": "string", "description": "De zoekvraag waarvoor de resultaten gelden: "
                                   "zoals getypt, of de spellingverbetering ervan (dan is corrected true)."},
                    "corrected": {"type": "boolean"},
                    "interpreted": {"type": "array", "items": {"$ref": "#/components/schemas/Interpretation"}},
                    "expanded": {"type": "array", "items": {
                        "type": "object", "required": ["word", "added"],
                        "properties": {"word": {"type": "string"}, "added": {"type": "array", "items": {"type": "string"}}}}},
                    "no_good_match": {"type": "boolean", "description": "Geen pagina bevat de meeste informatieve "
                                      "woorden van de vraag: de resultaten zijn gedeeltelijke treffers."},
                },
            },
            "Interpretation": {
                "type": "object", "required": ["words", "filter", "values", "min", "max", "label", "kept_as_text"],
                "properties": {
                    "words": {"type": "string"}, "filter": {"type": "string", "enum": list(INTERPRETED)},
                    "values": {"type": "array", "items": {"type": "string"}},
                    "min": _nullable_int, "max": _nullable_int, "label": {"type": "string"},
                    "kept_as_text": {"type": "boolean"},
                },
            },
            "Related": {"type": "object", "required": ["id", "title", "type"],
                        "properties": {"id": {"type": "string"}, "url": _nullable_str,
                                       "title": {"type": "string"}, "type": {"type": "string"}}},
            "Document": {
                "type": "object",
                "required": ["id", "url", "title", "type", "summary", "body", "headings", "themes", "sectors", "related"],
                "properties": {
                    **{k: v for k, v in hit["properties"].items() if k not in ("snippet", "highlights", "score", "matched")},
                    "body": {"type": "string"},
                    "headings": {"type": "array", "items": {"type": "string"}},
                    "short_answer": {"type": "string"},
                    "issued": {"type": ["string", "null"], "format": "date"},
                    "related": {"type": "array", "items": {"$ref": "#/components/schemas/Related"}},
                },
            },
            "Suggestions": {
                "type": "object", "required": ["query", "suggestions"],
                "properties": {"query": {"type": "string"}, "suggestions": {"type": "array", "items": {
                    "type": "object", "required": ["label", "kind", "id"],
                    "properties": {"label": {"type": "string"}, "kind": {"type": "string"}, "id": _nullable_str},
                }}},
            },
            "Health": {
                "type": "object", "required": ["status", "documents", "analyzer", "build"],
                "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]}, "documents": {"type": "integer"},
                               "analyzer": {"type": "string"}, "build": {"type": "string"}, "built": _nullable_str,
                               "error": {"type": "string", "description": "Waarom een nieuwere index niet geopend kon worden."}},
            },
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "parameter": {"type": "string"}, "allowed": {"type": "array"},
                }}},
            },
        }},
    }
