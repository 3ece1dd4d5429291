"""The downstream API and the live page, as views on the worker's own Faust web server.

`register_api(pipeline)` adds `/api/*` and the page (`/`, `/static/*`). The views only read tables and hand what
they read to the pure functions of `streams.api.query` and `streams.api.recent`.

Several workers: a table's key lives on the partition of the topic its agent consumes (`heads` and `series`:
`liveblog.claims`, keyed by story|metric|subject|place; `recent`: `liveblog.updates`, keyed by blog id). A
request naming one key is forwarded to the worker owning that partition (`app.router.route_topic_req`, what
`@app.table_route` does, but hashed on the source topic's raw key: `table_route` hashes the table's serialized
key, which is JSON here and would pick the wrong partition). List endpoints serve this worker's own active
partitions, and say so in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web as aioweb
from faust import web
from faust.exceptions import SameNode
from pydantic import BaseModel

from streams import activity, codec
from streams.api import openapi, query, recent
from streams.api.feed import change_feed
from streams.api.models import ActivityPage, ActivityWindow, ApiError, BlogsPage
from streams.metrics import readiness
from streams.routing import partition_of

if TYPE_CHECKING:
    from streams.app import Pipeline

STATIC = Path(__file__).resolve().parents[1] / "static"
#: Seconds between keep-alive comments on `/api/stream`.
KEEPALIVE = 15.0

Handler = Callable[..., Awaitable[web.Response]]


class ApiProblem(Exception):
    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def params_of(request: Any) -> dict[str, list[str]]:
    """Query parameters, each with every value given (so a repeated one can be refused)."""
    return {name: list(request.query.getall(name)) for name in set(request.query.keys())}


def _json(view: web.View, body: BaseModel | dict[str, Any], status: int = 200) -> web.Response:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return view.bytes(codec.dumps(data), content_type="application/json", status=status)


def register_api(pipeline: Pipeline) -> None:
    """Add the API views and the page to the pipeline's app (call from the composition root, web enabled)."""
    app, settings, topics, tables = pipeline.app, pipeline.settings, pipeline.topics, pipeline.tables
    recent_table = getattr(tables, "recent", None)  # added by the wiring; without it the blog endpoints are 503
    feed = change_feed(app)
    app.on_before_shutdown.connect(lambda sender, **kwargs: feed.close())
    index_html = (STATIC / "index.html").read_bytes()

    def local_partitions(topic: Any) -> set[int]:
        name = topic.get_topic_name()
        return {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == name}

    def require_ready() -> None:
        state = readiness(app)
        if not state["ready"]:
            raise ApiProblem(503, "unavailable", f"the worker is not ready: {state}")

    async def forward(view: web.View, request: web.Request, topic: Any, key: str) -> web.Response | None:
        """The owner's response, or None when this worker owns the key (serve it here)."""
        require_ready()
        raw = key.encode()
        if partition_of(raw, settings.partitions) in local_partitions(topic):
            return None
        try:
            response: web.Response = await app.router.route_topic_req(topic, raw, view.web, request)
        except SameNode:
            return None
        except Exception as exc:  # no owner known (rebalancing), or it could not be reached
            raise ApiProblem(503, "unavailable", f"cannot reach the owner of {key!r}: {exc!r}") from exc
        return response

    def owned(topic: Any) -> Callable[[str], bool]:
        mine = local_partitions(topic)
        return lambda key: partition_of(key.encode(), settings.partitions) in mine

    def page(path: str, name: str) -> Callable[[Handler], None]:
        def decorate(handler: Handler) -> None:
            async def guarded(self: web.View, request: web.Request, **kwargs: Any) -> web.Response:
                try:
                    return await handler(self, request, **kwargs)
                except query.BadRequest as exc:
                    return _json(self, ApiError(error="bad_request", detail=str(exc)), 400)
                except query.NotFound as exc:
                    return _json(self, ApiError(error="not_found", detail=str(exc)), 404)
                except ApiProblem as exc:
                    return _json(self, ApiError(error=exc.error, detail=exc.detail), exc.status)

            guarded.__name__ = handler.__name__
            app.page(path, name=name)(guarded)

        return decorate

    def totals_rows(request: web.Request, conflicts_only: bool) -> BaseModel:
        q = query.parse_totals_query(params_of(request), conflicts_only=conflicts_only)
        require_ready()
        mine = owned(topics.claims)
        groups = [(key, heads) for key, heads in list(tables.heads.items()) if mine(key)]
        return query.totals_page(groups, q, datetime.now(UTC))

    @page("/api/totals", "api-totals")
    async def totals(self: web.View, request: web.Request) -> web.Response:
        return _json(self, totals_rows(request, conflicts_only=False))

    @page("/api/stories", "api-stories")
    async def stories(self: web.View, request: web.Request) -> web.Response:
        params = params_of(request)
        query.check_known(params, query.STORIES_PARAMS)
        require_ready()
        mine = owned(topics.claims)
        groups = [(key, heads) for key, heads in list(tables.heads.items()) if mine(key)]
        return _json(self, query.stories_page(groups, params, datetime.now(UTC)))

    @page("/api/conflicts", "api-conflicts")
    async def conflicts(self: web.View, request: web.Request) -> web.Response:
        return _json(self, totals_rows(request, conflicts_only=True))

    @page("/api/totals/history", "api-history")
    async def history(self: web.View, request: web.Request) -> web.Response:
        group = query.parse_group(params_of(request))
        routed = await forward(self, request, topics.claims, group)
        if routed is not None:
            return routed
        heads: Mapping[str, Any] = tables.heads.get(group) or {}
        series_of = {source: tables.series.get(f"{group}|{source}") or {} for source in heads}
        return _json(self, query.history(group, series_of, datetime.now(UTC)))

    def rings() -> Any:
        if recent_table is None:
            raise ApiProblem(503, "unavailable", "this worker does not keep recent entries (no `recent` table)")
        return recent_table

    @page("/api/blogs", "api-blogs")
    async def blogs(self: web.View, request: web.Request) -> web.Response:
        query.check_known(params_of(request), ())
        table = rings()
        require_ready()
        mine = owned(topics.updates)
        return _json(self, BlogsPage(items=recent.blogs((k, v) for k, v in list(table.items()) if mine(k))))

    @page("/api/blogs/{blog_id}/entries", "api-entries")
    async def entries(self: web.View, request: web.Request, blog_id: str) -> web.Response:
        params = params_of(request)
        query.check_known(params, ("limit",))
        limit = query.parse_limit(params, default=recent.KEEP, maximum=recent.KEEP)
        if not 1 <= len(blog_id) <= 200:
            raise query.BadRequest("blog_id must be 1 to 200 characters")
        table = rings()
        routed = await forward(self, request, topics.updates, blog_id)
        if routed is not None:
            return routed
        ring = table.get(blog_id)
        if not ring:
            raise query.NotFound(f"no recent entries of blog {blog_id!r}")
        return _json(self, recent.entries_page(blog_id, ring, limit))

    @page("/api/blogs/{blog_id}/activity", "api-activity")
    async def blog_activity(self: web.View, request: web.Request, blog_id: str) -> web.Response:
        query.check_known(params_of(request), ())
        if not 1 <= len(blog_id) <= 200:
            raise query.BadRequest("blog_id must be 1 to 200 characters")
        routed = await forward(self, request, topics.updates, blog_id)
        if routed is not None:
            return routed
        state = tables.activity.get(blog_id)
        if not state:
            raise query.NotFound(f"no activity of blog {blog_id!r}")
        windows = [ActivityWindow(start=start, **counts) for start, counts in activity.series(state)]
        return _json(self, ActivityPage(blog_id=blog_id, window_seconds=activity.HOUR, items=windows))

    document = openapi.document()

    @page("/api/openapi.json", "api-openapi")
    async def openapi_json(self: web.View, request: web.Request) -> web.Response:
        return _json(self, document)

    @page("/api/stream", "api-stream")
    async def stream(self: web.View, request: web.Request) -> web.Response:
        query.check_known(params_of(request), ())
        client = feed.subscribe()
        if client is None:
            raise ApiProblem(503, "unavailable", "too many clients, or the worker is stopping")
        response = aioweb.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )
        try:
            await response.prepare(request)  # type: ignore[arg-type]
            await response.write(b"retry: 2000\n: connected\n\n")
            while True:
                event = await client.next(KEEPALIVE)
                await response.write(event.encode() if event is not None else b": keep-alive\n\n")
                if event is not None and event.event == "bye":
                    break
            await response.write_eof()
        except ConnectionResetError:
            pass  # the client went away
        finally:
            feed.unsubscribe(client)
        return response  # type: ignore[return-value]

    @page("/", "page")
    async def index(self: web.View, request: web.Request) -> web.Response:
        return self.bytes(index_html, content_type="text/html", headers={"Cache-Control": "no-cache"})

    app.web.add_static("/static/", STATIC)
