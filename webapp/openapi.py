"""The OpenAPI 3 description of the JSON API, generated from the request and result types.

Only the paths, their summaries and the few shapes that are not search types are written
here; the tests check real responses against the document.
"""

from __future__ import annotations

import dataclasses
import typing

from indexer.contract import field_schema, type_schema
from indexer.opendata import CSV_FIELDS, FORMATS, LICENCE, LICENCE_URL, Record
from indexer.questions import Question, QuestionRequest
from indexer.results import Document, Health, SearchRequest, SearchResult, Suggestions, SuggestRequest


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _parameters(request_type) -> list[dict]:
    """Return the query parameters of a request type: one per field, lists repeatable."""
    refs: dict = {}
    hints = typing.get_type_hints(request_type)
    out = []
    for f in dataclasses.fields(request_type):
        schema = field_schema(f, hints[f.name], refs)
        description = schema.pop("description", "")
        if schema.get("type") == "array":
            param = {"style": "form", "explode": True}
        else:
            # Optional values are simply left out of a query string.
            if isinstance(schema.get("type"), list):
                schema["type"] = [t for t in schema["type"] if t != "null"][0]
            if f.default is not dataclasses.MISSING and f.default is not None:
                schema["default"] = f.default
            param = {}
        out.append({"name": f.name, "in": "query", "required": False, "description": description, **param,
                    "schema": schema})
    return out


def openapi_document() -> dict:
    schemas: dict = {}
    type_schema(SearchResult, schemas)
    type_schema(Record, schemas)
    for shape in (Document, Suggestions, Health):
        type_schema(shape, schemas)
    type_schema(QuestionRequest, schemas)
    type_schema(Question, schemas)
    # In a request only the fields without a default are required.
    schemas["QuestionRequest"]["required"] = [f.name for f in dataclasses.fields(QuestionRequest)
                                              if f.default is dataclasses.MISSING]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kennisbank API",
            "version": "1.0.0",
            "description": "Zoeken in de kennisbank over onderwijsonderzoek: themapagina's, leidraden, "
                           "interventies en Kennisrotonde-antwoorden. Schema's en parameters volgen uit de "
                           "typen in indexer/results.py.",
            "license": {"name": f"Gegevens (/api/export): {LICENCE}", "url": LICENCE_URL},
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "Zoeken met filters, sortering en paginering",
                "parameters": _parameters(SearchRequest),
                "responses": {"200": _ok("SearchResult"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/api/documents/{id}": {"get": {
                "summary": "Eén pagina met gerelateerde pagina's",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _ok("Document"), "404": _error("Onbekend id"), "503": _error("Geen index")},
            }},
            "/api/suggest": {"get": {
                "summary": "Aanvullingen terwijl iemand typt (titels en thema's)",
                "parameters": _parameters(SuggestRequest),
                "responses": {"200": _ok("Suggestions"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/api/facets": {"get": {
                "summary": "Alle facetwaarden met aantallen",
                "responses": {"200": _ok("Facets"), "400": _error("Ongeldige parameter"), "503": _error("Geen index")},
            }},
            "/api/export": {"get": {
                "summary": "Open data: elke pagina met metadata en tekst",
                "description": "format=jsonl (standaard): één Record per regel (JSON Lines), op id gesorteerd, "
                               "uit één build van de index. format=csv: de metadata zonder tekst, in de kolommen "
                               f"{', '.join(CSV_FIELDS)}; UTF-8 met BOM, ';' als scheidingsteken, lijsten met '|'. "
                               f"Licentie van de gegevens: {LICENCE}.",
                "parameters": [{"name": "format", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": list(FORMATS), "default": "jsonl"}}],
                "responses": {
                    "200": {"description": "OK", "content": {
                        "application/jsonl": {"schema": {"$ref": "#/components/schemas/Record"},
                                              "description": "Eén Record per regel."},
                        "text/csv": {"schema": {"type": "string"}},
                    }},
                    "400": _error("Ongeldige parameter"), "503": _error("Geen index"),
                },
            }},
            "/api/vragen": {
                "post": {
                    "summary": "Een vraag aan de Kennisrotonde stellen (zelfde controles en limiet als het formulier)",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/QuestionRequest"}}}},
                    "responses": {"201": {"description": "Ontvangen", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["referentie"], "properties": {"referentie": {"type": "string"}}}}}},
                        "400": _error("Ongeldig veld; parameter noemt het veld"), "429": _error("Te veel vragen")},
                },
                "get": {
                    "summary": "De vragenlijst voor de redactie (alleen met het beheertoken)",
                    "security": [{"bearer": []}],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["vragen"], "properties": {"vragen": {
                            "type": "array", "items": {"$ref": "#/components/schemas/Question"}}}}}}},
                        "401": _error("Geen of een ongeldig token")},
                },
            },
            "/healthz": {"get": {
                "summary": "Status voor load balancers",
                "responses": {"200": _ok("Health"), "503": _error("Geen index")},
            }},
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": {
            **schemas,
            "Facets": schemas["SearchResult"]["properties"]["facets"],
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "parameter": {"type": "string"}, "allowed": {"type": "array"},
                }}},
            },
        }},
    }
