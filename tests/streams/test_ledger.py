"""The ledger turns entries into claims; a revision replaces its entry's claims."""

from datetime import UTC, datetime

from schemas import EnrichedUpdate, Figure, RawUpdate
from streams import dedup, ledger

T0 = datetime(2022, 3, 30, 12, tzinfo=UTC)


def enriched(entry: str, *values: tuple[float, str], source: str = "OHCHR") -> EnrichedUpdate:
    update = RawUpdate(blog_id="b", entry_id=entry, published=T0, body="...")
    figures = [
        Figure(
            entry_id=entry,
            kind="entry",
            metric="killed",
            value=value,
            qualifier=qualifier,  # type: ignore[arg-type]
            subject="civilians",
            place="Ukraine",
            source=source,
            text=f"{value} killed",
        )
        for value, qualifier in values
    ]
    return EnrichedUpdate(update=update, content_hash=entry + str(values), figures=figures)


def test_claims_have_stable_ids_and_series_keys() -> None:
    first = ledger.claims_of(enriched("e1", (1189, "exact"), (1200, "approx")))
    again = ledger.claims_of(enriched("e1", (1189, "exact"), (1200, "approx")))
    assert first == again
    assert {c.series_key for c in first.values()} == {"blog/b|killed|civilians|Ukraine|OHCHR"}
    assert len(first) == 2
    assert ledger.group_key("blog/b|killed|civilians|Ukraine|OHCHR") == "blog/b|killed|civilians|Ukraine"


def test_a_revision_upserts_what_it_states_and_withdraws_the_rest() -> None:
    old = ledger.claims_of(enriched("e1", (1189, "exact"), (108, "exact"), source="OHCHR"))
    revised = enriched("e1", (1276, "exact"))
    ops = ledger.replace_claims({cid: c.series_key for cid, c in old.items()}, ledger.claims_of(revised), revised)
    assert [(op.op, op.figure.value if op.figure else None) for op in ops] == [("upsert", 1276), ("withdraw", None)]


def test_vague_figures_are_not_claims() -> None:
    e = enriched("e1", (200, "at_least"))
    vague = e.model_copy(update={"figures": [e.figures[0].model_copy(update={"vague": True})]})
    assert ledger.claims_of(vague) == {}


def test_a_retried_revision_withdraws_what_its_first_attempt_withdrew() -> None:
    """kill -9 after the entries table was written but before the claims were sent: the retry resends it all."""
    v1 = enriched("e1", (1189, "exact"), (108, "exact"))
    v2 = enriched("e1", (1276, "exact"))
    seen_v1 = dedup.version_of(v1.update, v1.content_hash, origin="0:1")
    record = ledger.entry_record(seen_v1, ledger.claims_of(v1), {})

    seen_v2 = dedup.version_of(v2.update, v2.content_hash, origin="0:2")
    first = ledger.claims_before(record, dedup.classify(record["seen"], seen_v2))
    first_ops = ledger.replace_claims(first, ledger.claims_of(v2), v2)
    record = ledger.entry_record(seen_v2, ledger.claims_of(v2), first)  # written; then the worker dies

    decision = dedup.classify(record["seen"], dedup.version_of(v2.update, v2.content_hash, origin="0:2"))
    assert decision == "retry"
    again = ledger.replace_claims(ledger.claims_before(record, decision), ledger.claims_of(v2), v2)
    assert again == first_ops
    assert [op.op for op in again] == ["upsert", "withdraw"]  # 1,276 replaces 1,189; 108 is withdrawn
    # A later, different input with the same content is a redelivery: nothing to resend.
    assert dedup.classify(record["seen"], dedup.version_of(v2.update, v2.content_hash, origin="0:3")) == "redelivery"


def test_the_un_restating_its_agency_in_one_entry_is_the_agency() -> None:
    """Headline "Nearly 1,200 deaths, the UN says" over "OHCHR reports 1,189 killed": one source, one series."""
    e = enriched("e1", (1200, "approx"), source="UN")
    body = enriched("e1", (1189, "exact"), source="OHCHR").figures
    other_place = body[0].model_copy(update={"place": "Irpin", "value": 1200.0, "source": "UN"})
    both = e.model_copy(update={"figures": [*e.figures, *body, other_place]})
    keys = [c.series_key for c in ledger.claims_of(both).values()]
    assert keys == [
        "blog/b|killed|civilians|Ukraine|OHCHR",
        "blog/b|killed|civilians|Ukraine|OHCHR",
        "blog/b|killed|civilians|Irpin|UN",
    ]
    far = e.model_copy(update={"figures": [e.figures[0].model_copy(update={"value": 3000.0}), *body]})
    assert {c.series_key for c in ledger.claims_of(far).values()} == {
        "blog/b|killed|civilians|Ukraine|UN",  # 3,000 is not 1,189 restated: the UN's own figure
        "blog/b|killed|civilians|Ukraine|OHCHR",
    }


def test_one_figure_in_two_stories_is_two_series_and_context_is_no_claim() -> None:
    """Two events are two totals; "the 2005 bombings killed 52" never enters today's."""
    paris, brussels = enriched("e1", (129, "exact")), enriched("e1", (129, "exact"))
    paris = paris.model_copy(update={"story": "attack/paris/2015-11"})
    brussels = brussels.model_copy(update={"story": "attack/brussels/2016-03"})
    keys = {c.series_key for e in (paris, brussels) for c in ledger.claims_of(e).values()}
    assert keys == {
        "attack/paris/2015-11|killed|civilians|Ukraine|OHCHR",
        "attack/brussels/2016-03|killed|civilians|Ukraine|OHCHR",
    }
    assert ledger.parse_series(min(keys)) == (
        ledger.GroupKey("attack/brussels/2016-03", "killed", "civilians", "Ukraine"),
        "OHCHR",
    )
    context = paris.model_copy(update={"figures": [paris.figures[0].model_copy(update={"other_event": True})]})
    assert ledger.claims_of(context) == {}
