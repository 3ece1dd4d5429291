"""The API's response bodies (pydantic), from which `streams.api.openapi` builds the OpenAPI document."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas import Figure, Kind, Qualifier, TotalsRow


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ApiError(_Body):
    """Why a request was refused."""

    error: str = Field(description="A stable code: bad_request, not_found, unavailable.")
    detail: str = Field(description="What was wrong, for a person.")


class TotalsPage(_Body):
    """One page of totals rows, in key order."""

    items: list[TotalsRow]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    limit: int


class HistoryPoint(_Body):
    """A value as it stood from `time` (the publication time of the claim that set it) until the next point."""

    time: datetime
    value: float | None
    value_low: float | None = None
    value_high: float | None = None
    qualifier: Qualifier
    source: str
    entry_id: str


class StoryTotals(_Body):
    """A story (one event: one blog or several) and its headline per (metric, subject, place)."""

    story: str = Field(description="e.g. `attack/paris/2015-11`; `blog/<blog id>` for a blog linked to no other.")
    headlines: list[TotalsRow] = Field(description="Headline rows, in key order.")


class StoriesPage(_Body):
    """One page of stories, in story order."""

    items: list[StoryTotals]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    limit: int


class History(_Body):
    """How a headline (and each of its sources) moved over publication time, derived from the current claims."""

    key: str = Field(description="story|metric|subject|place")
    story: str
    metric: str
    subject: str
    place: str
    unit: str
    headline: list[HistoryPoint] = Field(description="The headline's value each time it changed.")
    sources: dict[str, list[HistoryPoint]] = Field(description="Each source's value each time it changed.")


class Blog(_Body):
    """A live blog this worker holds recent entries of."""

    blog_id: str
    title: str | None
    outlet: str | None
    entries: int = Field(ge=0, description="Recent entries kept (at most `streams.api.recent.KEEP`).")
    latest: datetime | None = Field(description="Publication time of the newest entry kept.")


class BlogsPage(_Body):
    items: list[Blog]


class Entry(_Body):
    """A recent entry, as deduplicated (its current version), with the figures read from it."""

    blog_id: str
    entry_id: str
    revision: int
    kind: Kind
    published: datetime
    updated: datetime | None = None
    headline: str | None = None
    body: str = Field(description="The entry's text (cut at `streams.api.recent.BODY_CHARS` characters).")
    url: str | None = None
    outlet: str | None = None
    figures: list[Figure]


class EntriesPage(_Body):
    blog_id: str
    items: list[Entry] = Field(description="Newest first.")


class ActivityWindow(_Body):
    start: datetime = Field(description="Start of the hour (UTC) in event time: when the entries were published.")
    updates: int = Field(ge=0, description="Entry versions published in the hour (new entries and revisions).")
    figures: int = Field(ge=0, description="Figures those versions state.")


class ActivityPage(_Body):
    blog_id: str
    window_seconds: int = Field(description="Width of each tumbling window.")
    items: list[ActivityWindow] = Field(description="Oldest first; hours without updates are absent.")
