"""The claims ledger: figures become claims in series, and a series' current value is derived from them.

A series is (story, metric, subject, place, source): the same figure in two stories (two events) is two
series, never one total (`streams.stories`). Every figure of an entry's current version is a claim
with a stable id; a new version of the entry replaces its claims (upserts for what it states, withdrawals
for what it no longer states). Applying an operation is idempotent, and values are derived from the set
of claims (`streams.totals`), never accumulated with `+=`: replaying a whole archive changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypedDict

from schemas import Claim, EnrichedUpdate, Figure
from streams.dedup import Decision, SeenEntry

UNKNOWN = "unknown"


class GroupKey(NamedTuple):
    story: str
    metric: str
    subject: str
    place: str


def story_key(enriched: EnrichedUpdate) -> str:
    """The update's story; an update enriched without one is a story of its own blog."""
    return enriched.story or f"blog/{enriched.update.blog_id}"


def series_key(story: str, figure: Figure) -> str:
    """story|metric|subject|place|source: one source's series in one story."""
    parts = (story, figure.metric, figure.subject, figure.place or UNKNOWN, figure.source or UNKNOWN)
    return "|".join(p.replace("|", "/") for p in parts)


def group_key(key: str) -> str:
    """story|metric|subject|place of a series key: every source's series of it live on one partition."""
    return key.rsplit("|", 1)[0]


def parse_group(group: str) -> GroupKey:
    """The parts of a group key (a `ValueError` when it has not four)."""
    story, metric, subject, place = group.split("|")
    return GroupKey(story, metric, subject, place)


def parse_series(key: str) -> tuple[GroupKey, str]:
    """The group and the source of a series key."""
    group, source = key.rsplit("|", 1)
    return parse_group(group), source


def claim_id(blog_id: str, entry_id: str, key: str, ordinal: int) -> str:
    return f"{blog_id}|{entry_id}|{key}|{ordinal}"


#: "The UN" as a source: a restatement of what one of its agencies reported.
UN_PARENT = frozenset({"UN", "U.N.", "United Nations"})
#: The UN agencies whose figures a blog restates as "the UN says".
UN_AGENCIES = frozenset({"OHCHR", "UNHCR", "UNICEF", "WHO", "OCHA", "IOM", "WFP", "UNRWA", "UNDP", "UNFPA"})
#: Values within this fraction of each other state the same figure ("nearly 1,200" and 1,189).
AGREEMENT = 0.05


def _agree(a: Figure, b: Figure) -> bool:
    if a.value is None or b.value is None:
        return False
    return abs(a.value - b.value) <= AGREEMENT * max(abs(a.value), abs(b.value))


def specific_sources(figures: list[Figure]) -> list[Figure]:
    """Figures of one entry with "the UN" replaced by the UN agency the same entry quotes for the same figure.

    An entry that says "the UN estimates ..." in its headline or first line and "OHCHR reports 1,189" in its
    body states one figure from one source; kept apart, they would make two series of one claim.
    """
    out = []
    for figure in figures:
        if figure.source in UN_PARENT:
            agency = next(
                (
                    other.source
                    for other in figures
                    if other.source in UN_AGENCIES
                    and (other.metric, other.subject, other.place) == (figure.metric, figure.subject, figure.place)
                    and _agree(other, figure)
                ),
                None,
            )
            if agency is not None:
                figure = figure.model_copy(update={"source": agency})
        out.append(figure)
    return out


def claims_of(enriched: EnrichedUpdate) -> dict[str, Claim]:
    """The claims an entry's current version makes, by claim id. Vague figures, figures about another event
    (given for context) and figures named as already known (restatements) are not claims."""
    update = enriched.update
    story = story_key(enriched)
    out: dict[str, Claim] = {}
    seen_in_series: dict[str, int] = {}
    for figure in specific_sources(list(enriched.figures)):
        if figure.vague or figure.other_event or figure.restated:
            continue
        key = series_key(story, figure)
        ordinal = seen_in_series.get(key, 0)
        seen_in_series[key] = ordinal + 1
        cid = claim_id(update.blog_id, update.entry_id, key, ordinal)
        out[cid] = Claim(
            claim_id=cid,
            series_key=key,
            op="upsert",
            blog_id=update.blog_id,
            entry_id=update.entry_id,
            published=update.published,
            figure=figure,
        )
    return out


def replace_claims(previous: Mapping[str, str], current: Mapping[str, Claim], enriched: EnrichedUpdate) -> list[Claim]:
    """Ledger operations turning an entry's previous claims (claim id → series key) into its current ones."""
    update = enriched.update
    ops = list(current.values())
    for cid in sorted(previous.keys() - current.keys()):
        ops.append(
            Claim(
                claim_id=cid,
                series_key=previous[cid],
                op="withdraw",
                blog_id=update.blog_id,
                entry_id=update.entry_id,
                published=update.published,
            )
        )
    return ops


class EntryRecord(TypedDict):
    """What the `entries` table keeps per entry: the version seen last and the claims it makes.

    `before` is what that version replaced: when the very input that wrote the record is read again after a
    crash (a retry), its withdrawals are computed from `before` again, so none is lost if the first attempt's
    output never left the worker.
    """

    seen: SeenEntry
    claims: dict[str, str]
    before: dict[str, str]


def claims_before(record: EntryRecord | None, decision: Decision) -> Mapping[str, str]:
    """The claims (claim id → series key) the entry's incoming version replaces."""
    if record is None:
        return {}
    return record["before"] if decision == "retry" else record["claims"]


def entry_record(seen: SeenEntry, current: Mapping[str, Claim], before: Mapping[str, str]) -> EntryRecord:
    return EntryRecord(
        seen=seen,
        claims={cid: claim.series_key for cid, claim in current.items()},
        before=dict(before),
    )
