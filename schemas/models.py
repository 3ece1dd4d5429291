"""Pydantic v2 models for every topic's value.

These are the contracts between stages and with downstream services; `schemas/json/*.schema.json`
is generated from them (`python -m schemas.generate`) and a test fails when the two drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["entry", "summary", "caption"]
Metric = Literal[
    "killed",
    "injured",
    "casualties",
    "refugees",
    "internally_displaced",
    "remaining",
    "missing",
    "evacuated",
    "aid",
]
Qualifier = Literal["exact", "at_least", "at_most", "approx", "range"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RawUpdate(_Frozen):
    """One live-blog entry, summary bullet or photo caption, as published (topic `liveblog.updates`)."""

    blog_id: str = Field(min_length=1, max_length=200, description="Stable id of the live blog; the Kafka key.")
    entry_id: str = Field(min_length=1, max_length=200, description="Stable id of the entry within the blog.")
    revision: int = Field(default=1, ge=1, description="1 for the first version, higher for edits.")
    published: datetime = Field(description="When the entry was first published (timezone-aware).")
    updated: datetime | None = Field(default=None, description="When the entry was last modified, if ever.")
    kind: Kind = "entry"
    headline: str | None = None
    body: str = ""
    url: str | None = None
    outlet: str | None = None
    position: int = Field(default=0, ge=0, description="Order on the page (0 = first).")
    blog_title: str | None = None
    day_known: bool = Field(
        default=True,
        description="False when the source gives only a time of day and no date: `published` then carries that "
        "time on a placeholder day (2000-01-01) and must not be read as a date.",
    )


class Figure(_Frozen):
    """A figure reported in an update: what is counted, how many, where, by whom, as of when."""

    entry_id: str
    kind: Kind
    metric: Metric
    value: float | None = Field(default=None, description="The value; None for a range.")
    value_low: float | None = None
    value_high: float | None = None
    qualifier: Qualifier = "exact"
    vague: bool = Field(default=False, description="'hundreds', 'tens of thousands': never enters a total.")
    subject: str = "people"
    unit: str = Field(default="people", description="'people', or an ISO 4217 code for aid.")
    place: str | None = None
    source: str | None = None
    as_of: str | None = Field(default=None, description="ISO date the figure refers to, when stated.")
    other_event: bool = Field(
        default=False,
        description="About another time or event, given for context ('the 2005 bombings killed 52', 'last "
        "year's quake'): never enters the story's current total.",
    )
    restated: bool = Field(
        default=False,
        description="Named as already known ('the four million who have fled', 'the newly announced $500 "
        "million'): a mention of a figure reported elsewhere, not a claim of its own; never a series.",
    )
    revised_down: bool = Field(
        default=False,
        description="Stated as a downward revision or correction of an earlier figure ('revised down to 96', "
        "'lowered the death toll to 64 from 71', 'corrected to 19'): for a cumulative metric it replaces the "
        "series' larger figures published before it.",
    )
    text: str = Field(description="The exact span of text the figure was read from.")


class EnrichedUpdate(_Frozen):
    """A raw update with what the extractor found (topic `liveblog.updates.unique`)."""

    update: RawUpdate
    story: str = Field(
        default="",
        description="The story the blog belongs to (`streams.stories`): one event, one or several blogs.",
    )
    content_hash: str = Field(description="Hash of headline and body: equal hashes mean the same content.")
    places: list[str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list, description="Sources and organisations named.")
    quotes: list[str] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    duplicate_of: str | None = Field(
        default=None,
        description="Not set by the pipeline: near-duplicates are found after enrichment, across partitions, and "
        "published on `liveblog.neardup` (NearDuplicate).",
    )


class Claim(_Frozen):
    """A figure placed in the ledger, keyed by its series (internal topic `liveblog.claims`).

    `op=upsert` sets the claim, `op=withdraw` removes it: applying either twice changes nothing,
    which is what makes totals immune to replays and redeliveries.
    """

    claim_id: str
    series_key: str
    op: Literal["upsert", "withdraw"]
    blog_id: str
    entry_id: str
    published: datetime
    figure: Figure | None = None


class ClaimBatch(_Frozen):
    """The ledger operations of one batch of updates bound for one partition of `liveblog.claims`.

    Every claim in a batch belongs to a (metric, subject, place) whose partition is this message's, so the
    totals agent handles a batch with one Kafka record instead of one per claim. Order within a batch is the
    order the ledger produced the operations in.
    """

    claims: list[Claim]


class BandNote(_Frozen):
    """An entry version's MinHash, sent once to each partition of `liveblog.neardup.bands` that one of its LSH band
    keys hashes to (`streams.neardup`), with those band keys: the signature travels once per partition, not once
    per band."""

    bands: list[str] = Field(
        default_factory=list,
        description="The entry's LSH band keys bound for this partition: entries sharing one are candidates.",
    )
    band: str | None = Field(
        default=None, description="Earlier layout (one note per band), still read: the note's only band key."
    )
    entry_key: str = Field(description="blog id|entry id")
    blog_id: str
    sig: str = Field(description="Compact MinHash signature (base64 of the low 8 bits of each minimum).")
    time: float = Field(description="The entry's first publication, epoch seconds: its event time.")

    def band_keys(self) -> list[str]:
        """The band keys this note is for, in either layout."""
        return self.bands if self.band is None else [self.band, *self.bands]


class BandBatch(_Frozen):
    """The band notes of one batch of updates bound for one partition of `liveblog.neardup.bands`."""

    notes: list[BandNote]


class NearDuplicate(_Frozen):
    """An entry found to be a near-duplicate of an earlier one (topic `liveblog.neardup`, compacted).

    Keyed by the entry; the canonical is the earliest entry of its cluster by first publication. A downstream
    service shows the entry as a copy of `canonical`; its figures are already not counted twice, since a series
    takes its latest value and never sums claims.
    """

    entry_key: str
    blog_id: str
    canonical: str = Field(description="blog id|entry id of the earliest entry it duplicates.")
    canonical_time: float = Field(description="The canonical's first publication, epoch seconds.")
    similarity: float = Field(ge=0, le=1, description="Estimated Jaccard similarity of their word shingles.")


class SourceValue(_Frozen):
    """One source's current value for a (metric, subject, place), as shown beside a headline."""

    source: str
    value: float | None
    value_low: float | None = None
    value_high: float | None = None
    qualifier: Qualifier
    as_of: str | None = None
    authority: int = Field(ge=0, le=3, description="3 UN/official statistics, 2 officials, 1 media, 0 unknown.")
    agrees: bool = Field(description="Whether the value is compatible with the headline's.")


class TotalsRow(_Frozen):
    """A current value (topic `liveblog.totals`, compacted).

    `row="series"`: one source's series, key `story|metric|subject|place|source`.
    `row="headline"`: the value to show for a (story, metric, subject, place), key `story|metric|subject|place|*`,
    with every source's value beside it and `conflict` set when sources disagree. Values are never summed, and
    never combined across stories: two events are two totals.
    """

    key: str = Field(description="story|metric|subject|place|source, or story|metric|subject|place|* for a headline")
    row: Literal["series", "headline"] = "series"
    story: str = Field(default="", description="The story (one event; `streams.stories`), e.g. attack/paris/2015-11.")
    metric: Metric
    subject: str
    place: str
    source: str
    value: float | None
    value_low: float | None = None
    value_high: float | None = None
    qualifier: Qualifier
    unit: str = "people"
    as_of: str | None = None
    claims: int = Field(ge=0, description="Distinct claims (a rounded restatement is a mention, not a claim).")
    mentions: int = Field(default=0, ge=0, description="Statements of those claims (bullets, headlines, captions).")
    conflict: bool = False
    sources: list[SourceValue] = Field(default_factory=list, description="Headline rows: every source's value.")
    entry_id: str = Field(description="The entry whose claim is the current value.")
    blog_id: str
    published: datetime | None = Field(default=None, description="When that entry was published.")
    text: str
    revised_down: bool = Field(
        default=False, description="Whether the current value is a downward revision (`Figure.revised_down`)."
    )
    updated_at: datetime


class DeadLetter(_Frozen):
    """An event that could not be processed, with its original bytes (topic `liveblog.deadletter`)."""

    reason: str = Field(description="A stable reason code, e.g. 'not_json', 'invalid_shape'.")
    stage: str = Field(description="The stage that rejected it: ingest, enrich, dedup, ledger, totals.")
    error: str
    time: datetime
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key_b64: str | None = None
    value_b64: str = Field(description="The original value bytes, base64.")
    headers: list[tuple[str, str]] = Field(default_factory=list, description="Original headers, value base64.")
