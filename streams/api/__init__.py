"""Downstream: the totals API, the change feed and the live page, served by the worker (`LIVEBLOG_WEB_ENABLED`).

- `register_api(pipeline)` (`streams.api.views`): the views, on Faust's web server;
- `change_feed(app)` (`streams.api.feed`): what the totals and ledger agents publish to, for `/api/stream`;
- `streams.api.recent`: each blog's latest entries (the `recent` table), pure functions;
- `streams.api.query`: validation, filtering, pagination and history, pure functions;
- `streams.api.openapi`: the OpenAPI 3.1 document.
"""

from streams.api.feed import ChangeFeed, change_feed

__all__ = ["ChangeFeed", "change_feed"]
