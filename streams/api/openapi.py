"""The OpenAPI 3.1 document of the API (`GET /api/openapi.json`), built from the same models the views return."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from streams import activity
from streams.api import query, recent
from streams.api.feed import QUEUE
from streams.api.models import ActivityPage, ApiError, BlogsPage, EntriesPage, History, StoriesPage, TotalsPage
from streams.totals import MAX_CLAIMS

LOCAL = (
    " **Scope:** with several workers, each serves the partitions it owns: a list endpoint answers from this"
    " worker's partitions only (ask every worker, or consume `liveblog.totals`, for all of them); endpoints"
    " naming one key are forwarded to the worker that owns it."
)


def _text_param(name: str, where: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "maxLength": query.MAX_TEXT, "pattern": "^[^|]+$"},
    }


def _metric(required: bool = False) -> dict[str, Any]:
    return {
        "name": "metric",
        "in": "query",
        "required": required,
        "description": "What is counted.",
        "schema": {"type": "string", "enum": list(query.METRICS)},
    }


LIMIT = {
    "name": "limit",
    "in": "query",
    "description": f"Rows per page (default {query.DEFAULT_LIMIT}).",
    "schema": {"type": "integer", "minimum": 1, "maximum": query.MAX_LIMIT},
}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": (
        "`next_cursor` of the previous page: the key of its last row; the page holds the rows after it in key"
        " order (keyset pagination: stable while rows change)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": query.MAX_CURSOR},
}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


#: The path parameter of a blog's endpoints.
BLOG_ID = {
    "name": "blog_id",
    "in": "path",
    "required": True,
    "description": "The blog's id.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def _errors(*codes: int) -> dict[str, Any]:
    why = {
        400: "A parameter is missing, repeated, unknown or out of range.",
        404: "Nothing is held for this key.",
        503: "The worker is not ready (partitions not yet assigned), or the owner of the key cannot be reached.",
    }
    responses = {str(code): _json("#/components/schemas/ApiError", why[code]) for code in codes}
    if 400 in codes:  # the HTTP server itself refuses a request line over 8,190 bytes, in plain text
        responses["400"]["description"] += " A request line over 8,190 bytes is refused in plain text."
        responses["400"]["content"]["text/plain"] = {"schema": {"type": "string"}}
    return responses


def document(version: str = "0.1.0") -> dict[str, Any]:
    _, defs = models_json_schema(
        [
            (m, "serialization")
            for m in (ApiError, TotalsPage, StoriesPage, History, BlogsPage, EntriesPage, ActivityPage)
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas = defs["$defs"]
    filters = [
        _text_param("story", "query", "The story (one event), e.g. `attack/paris/2015-11` or `blog/<blog id>`."),
        _metric(),
        _text_param("subject", "query", "Who is counted, e.g. `people`, `civilians`, `children`."),
        _text_param("place", "query", "Where, e.g. `Ukraine`."),
        _text_param("source", "query", "The row's source (a headline's source is the source it shows)."),
    ]
    totals_page = _json("#/components/schemas/TotalsPage", "A page of rows in key order.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "liveblog-streams totals API",
            "version": version,
            "description": (
                "Running totals of figures read from news live blogs, as the worker holds them in its tables: a"
                " headline per (story, metric, subject, place) with every source's value beside it, each source's"
                " series, their history, the blogs' latest entries, and a live change feed." + LOCAL
            ),
        },
        "paths": {
            "/api/totals": {
                "get": {
                    "operationId": "listTotals",
                    "summary": "Current totals: headline and series rows.",
                    "description": "Rows as on the `liveblog.totals` topic; `updated_at` is when the API derived them."
                    + LOCAL,
                    "parameters": [
                        *filters,
                        {
                            "name": "row",
                            "in": "query",
                            "description": "Only headlines or only per-source series.",
                            "schema": {"type": "string", "enum": list(query.ROWS)},
                        },
                        {
                            "name": "conflict",
                            "in": "query",
                            "description": "Only rows whose sources disagree (`true`) or agree (`false`).",
                            "schema": {"type": "string", "enum": ["true", "false"]},
                        },
                        LIMIT,
                        CURSOR,
                    ],
                    "responses": {"200": totals_page, **_errors(400, 503)},
                }
            },
            "/api/stories": {
                "get": {
                    "operationId": "listStories",
                    "summary": "Stories (one event each) with their headline totals.",
                    "description": "A story links the blogs about one event (`streams.stories`); totals never"
                    " combine across stories." + LOCAL,
                    "parameters": [
                        _text_param("kind", "query", "Only stories of one kind: `attack`, `earthquake`, …, `blog`."),
                        LIMIT,
                        {**CURSOR, "description": "`next_cursor` of the previous page: the last story it held."},
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/StoriesPage", "A page of stories in story order."),
                        **_errors(400, 503),
                    },
                }
            },
            "/api/totals/history": {
                "get": {
                    "operationId": "totalsHistory",
                    "summary": "How a headline and its sources moved over publication time.",
                    "description": (
                        "Derived from the current claims (the `series` table), replayed in publication order with"
                        " the same rules as the live totals: claims withdrawn by a revision are not in it, and a"
                        f" series keeps at most {MAX_CLAIMS} claims. Forwarded to the worker that owns"
                        " the key."
                    ),
                    "parameters": [
                        {**filters[0], "required": True},
                        _metric(required=True),
                        {**filters[2], "required": True},
                        {**filters[3], "required": True},
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/History", "The history."),
                        **_errors(400, 404, 503),
                    },
                }
            },
            "/api/conflicts": {
                "get": {
                    "operationId": "listConflicts",
                    "summary": "Headlines whose sources disagree.",
                    "description": "Same as `/api/totals?row=headline&conflict=true`." + LOCAL,
                    "parameters": [*filters, LIMIT, CURSOR],
                    "responses": {"200": totals_page, **_errors(400, 503)},
                }
            },
            "/api/blogs": {
                "get": {
                    "operationId": "listBlogs",
                    "summary": "Blogs with recent entries.",
                    "description": "Blogs this worker holds recent entries of." + LOCAL,
                    "responses": {
                        "200": _json("#/components/schemas/BlogsPage", "The blogs, by id."),
                        **_errors(400, 503),
                    },
                }
            },
            "/api/blogs/{blog_id}/entries": {
                "get": {
                    "operationId": "listEntries",
                    "summary": "A blog's latest entries with their figures, newest first.",
                    "description": (
                        f"At most {recent.KEEP} per blog, each as its current version. Forwarded to the worker"
                        " that owns the blog."
                    ),
                    "parameters": [
                        BLOG_ID,
                        {
                            "name": "limit",
                            "in": "query",
                            "description": f"Entries (default {recent.KEEP}).",
                            "schema": {"type": "integer", "minimum": 1, "maximum": recent.KEEP},
                        },
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/EntriesPage", "The entries."),
                        **_errors(400, 404, 503),
                    },
                }
            },
            "/api/blogs/{blog_id}/activity": {
                "get": {
                    "operationId": "blogActivity",
                    "summary": "A blog's updates and figures per hour of publication (tumbling event-time windows).",
                    "description": (
                        f"The latest {activity.RETAIN} hours that had updates. Forwarded to the worker that owns the"
                        " blog."
                    ),
                    "parameters": [
                        BLOG_ID,
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/ActivityPage", "The windows, oldest first."),
                        **_errors(400, 404, 503),
                    },
                }
            },
            "/api/stream": {
                "get": {
                    "operationId": "streamChanges",
                    "summary": "Server-Sent Events: totals changes and new entries, as they happen.",
                    "description": (
                        "`event: total` with `{key, row}` (row null when withdrawn; the same key and value as on"
                        " `liveblog.totals`), `event: entry` with an Entry, `event: resync` when this client fell"
                        f" more than {QUEUE} events behind (reload from `/api/totals`), `event: bye` when the"
                        " worker stops. A comment line every 15 s keeps the connection open. Changes of this"
                        " worker's partitions only." + LOCAL
                    ),
                    "responses": {
                        "200": {
                            "description": "An endless event stream.",
                            "content": {"text/event-stream": {"schema": {"type": "string"}}},
                        },
                        **_errors(503),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document.",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
