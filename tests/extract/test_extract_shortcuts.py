"""The extractor's shortcuts give what the searches they spare would have given.

Each shortcut (a cheap test before a regex, a search done once per entry instead of once per sentence, a
regex rewritten to start with a character class) is checked against the plain computation it replaces, on
the project's own blogs at every position that matters and on a few texts made to catch the edge cases.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import RawUpdate
from streams.extract import context, enrich, metrics, orgs, places, sources, text
from streams.extract.context import EntryContext
from streams.extract.numbers import _anchors
from streams.extract.text import lowered

REPO = Path(__file__).resolve().parents[2]
BLOGS = [
    *sorted((REPO / "tests" / "data" / "blogs").glob("*.txt")),
    REPO / "streams" / "data" / "sample-liveblog-2027-08-25.txt",
]
PUBLISHED = datetime(2027, 8, 25, 12, tzinfo=UTC)
TRICKY = [
    "The Red\nCross said 12 people were killed. U.N. officials, the agency said, counted 40.",
    "Hello. !! World Health Organization staff said 3 died.\n- UN said 4 were injured.",
    "aB.Cd l'Aquila X.-Y said; the City of York Council and x'Police Department, É Ministry said 5 were hurt.",
    "It has also \n had  said, they Have previously\tsaid; now, had said; x has said, haſ said, ahas said.",
    "Mr. Smith said 5. No. 3 was hit. e.g. this. A.B. said 7 were killed, killing at least 3 and including 2.",
    "As of Tuesday, by 6 pm on March 29, between Monday and Wednesday, BY Sunday night on 3rd march, tabu today.",
    " Say ukraine ukraine.\n\t has said 4 died.",  # a stretch of whitespace only before a verb (found by fuzzing)
    "the EUfive million pledged, the U.S. about $5m, İstanbul ı said 20 died in the Sindh province district.",
]


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in BLOGS] + TRICKY


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("sample", _texts())
def test_rewritten_regexes_match_the_originals(sample: str) -> None:
    """`(?<!\\w.)` after the first capital is `\\b` before it; `(?<![\\w'’].)` is `(?<![\\w'’])`."""
    up = "A-ZÀ-ÖØ-Þ"
    cap_run = re.compile(rf"\b[{up}][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*(?:\s+[{up}][^\W\d_]*(?:['’.-][^\W\d_]*)*)*")
    named_org = re.compile(
        rf"(?<![\w'’])(?:[{up}][\w'’.-]*[ \t]+(?:(?:of|for|and|on)[ \t]+)?){{1,6}}(?:{orgs._HEADS_RE})\b"
    )
    boundary = re.compile(r"[.!?]+[\"”’')\]]*\s+|\n+\s*(?:[•*-]\s+)?")
    date = text._DATE
    as_of = re.compile(
        rf"\b(?:as\s+(?:of|at)|by|until|up\s+to|through)\s+(?:(?:\d{{1,2}}(?::\d\d)?\s*[ap]\.?m\.?|noon|midnight|"
        rf"\w+\s+(?:morning|evening|night))\s+(?:on\s+)?)?(?:on\s+)?(?P<d>{date})\b"
        rf"|\bbetween\s+{date}\s+and\s+(?P<d2>{date})\b",
        re.IGNORECASE,
    )
    assert _spans(list(places._CAP_RUN_RE.finditer(sample))) == _spans(list(cap_run.finditer(sample)))
    assert _spans(list(text._BOUNDARY_RE.finditer(sample))) == _spans(list(boundary.finditer(sample)))
    found = [(m.span(), m.group("d"), m.group("d2")) for m in text.AS_OF_RE.finditer(sample)]
    assert found == [(m.span(), m.group("d"), m.group("d2")) for m in as_of.finditer(sample)]
    assert _spans(list(orgs._NAMED_ORG_RE.finditer(sample))) == _spans(list(named_org.finditer(sample)))


def _first_letters(pattern: str) -> set[str]:
    """The letters a match of `pattern` can start with (for the few constructs the agency names use)."""
    firsts: set[str] = set()
    for alternative in re.split(r"\|(?![^(]*\))", pattern):  # the top-level alternatives
        group = re.match(r"\(\?:([^()]*)\)", alternative)
        if group:
            firsts |= _first_letters(group.group(1))
        else:
            firsts.add(alternative[0])
    return firsts


def test_agency_initials_are_the_first_letters_of_the_names() -> None:
    letters = set().union(*(_first_letters(pattern) for _, pattern in sources._AGENCIES))
    assert {c for c in letters if c.isupper()} == set(sources._AGENCY_INITIALS)
    assert {c.upper() for c in letters} == set(sources._AGENCY_INITIALS)


@pytest.mark.parametrize("sample", _texts())
def test_agencies_in_finds_what_the_single_regex_finds(sample: str) -> None:
    for cased, regex in ((True, sources._AGENCY_RE), (False, sources._AGENCY_RE_LOWER)):
        plain = [(m.start(), m.end(), sources._AGENCY_NAMES[m.lastgroup or ""]) for m in regex.finditer(sample)]
        if not cased:
            plain = [(s, e, n) for s, e, n in plain if not (n in ("AP", "EU") and sample[s:e].lower() in ("ap", "eu"))]
        assert sources.agencies_in(sample, cased=cased) == plain


@pytest.mark.parametrize("sample", _texts())
def test_cheap_tests_never_skip_a_match(sample: str) -> None:
    """At every position: the test before each regex lets through every position where the regex matches."""
    _check_every_position(sample)


#: Words and separators the shortcuts treat specially, so generated text hits their edge cases often.
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        ".",
        ",",
        ";",
        "has",
        "had",
        "also",
        "now",
        "said",
        "Said",
        "told",
        "say",
        "according to",
        "UN",
        "u.n",
        "the",
        "Red Cross",
        "mayor",
        "of",
        "Kyiv",
        "ukraine",
        "12",
        "ſ",
        "ı",
        "İ",
        "x",
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_cheap_tests_never_skip_a_match_on_generated_text(sample: str) -> None:
    """The same check on text built from the words the shortcuts special-case (a whitespace-only stretch before
    a verb once raised IndexError in `_aux_back`)."""
    _check_every_position(sample)


def _check_every_position(sample: str) -> None:
    low = lowered(sample)
    for pos in range(len(sample) + 1):
        before = metrics.BEFORE.search(sample, low, max(0, pos - 90), pos)
        assert _spans([m for m in [metrics.cue_before(sample, low, pos)] if m]) == _spans([m for m in [before] if m])
        aux = sources._AUX_BACK_RE.search(sample, max(0, pos - 80), pos)
        assert sources._aux_back(sample, max(0, pos - 80), pos) == (aux.start() if aux else -1)
        head = sample[:pos]
        reach = max(0, pos - 160)
        if sources._APPOSITIVE_RE.search(head, reach):
            assert sources._may_be_appositive(head, reach)
        if sources._NAME_BACK_RE.search(head, reach):
            assert sources._ends_capitalised(head)
        official = sources._OFFICIAL_OF_RE.search(head, reach, pos)
        assert _spans([m for m in [sources._official_of(head, reach, pos)] if m]) == _spans(
            [m for m in [official] if m]
        )


@pytest.mark.parametrize("sample", _texts())
def test_a_sentences_words_give_its_anchors(sample: str) -> None:
    low = sample.lower()
    assert _anchors(low, text.words_of(low)) == _anchors(low)


@pytest.mark.parametrize("sample", _texts())
def test_entry_agencies_read_per_sentence_equal_a_search_of_each_sentence(sample: str) -> None:
    """Also when an agency's name runs across a line break ("Red\\nCross"): then the sentence is searched."""
    for cased in (True, False):
        body = sample if cased else sample.lower()
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline=" Red Cross says ", body=body)
        ctx = EntryContext(update, "Pakistan")
        for sentence in ctx.sentences:
            assert ctx.sentence_agencies(sentence) == sources.agencies_in(sentence.text, cased=ctx.cased)
            for pos in range(len(sentence.text) + 1):
                found = sources.agencies_in(sentence.text[:pos], cased=ctx.cased)
                assert ctx.donor_before(sentence, pos) == (found[-1][2] if found else None)
        joined = "\n".join(s.text for s in ctx.sentences)
        names = list(dict.fromkeys(name for _, _, name in sources.agencies_in(joined, cased=ctx.cased)))
        assert ctx.entities()[: len(names)] == names


def test_punctuation_between_sentences_is_searched_as_joined() -> None:
    """ "Red\\n!! Cross": the "!! " between the sentences is dropped, so the joined sentences name the ICRC."""
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body="Aid came from the Red\n!! Cross today.")
    assert enrich(update).entities == ["ICRC"]


def _plain_lower_places(sample: str, trusted: frozenset[str]) -> list[places.PlaceMention]:
    """`find_places(cased=False)` as it was: every token of the text scanned, every gazetteer word a candidate."""
    gaz = places.gazetteer()
    words = set(places._TOKEN_RE.findall(sample))
    candidates = (words & gaz.keys) | (words & gaz.first_words)
    candidates |= {w for w in words if w[-2:] in ("'s", "’s") and w[:-2] in gaz.keys}
    return places._scan(sample, [(0, len(sample))], gaz, False, candidates, trusted)


@pytest.mark.parametrize("sample", _texts())
def test_lower_case_places_equal_a_scan_of_every_token(sample: str) -> None:
    for variant in (sample.lower(), sample):
        for trusted in (frozenset(), frozenset({"nice", "of", "police"})):
            assert places.find_places(variant, cased=False, trusted=trusted) == _plain_lower_places(variant, trusted)


_PLACE_PIECES = st.sampled_from(
    [" ", "  ", "\n", ".", ",", "'", "’", "-", ".-", "'s", "3", "_", "é", "in", "the", "of", "city", "city of",
     "port of", "hague", "new", "york", "nice", "police", "paris", "kathmandu", "gaza", "strip", "u.s.", "x",
     "san", "francisco", "near", "reading", "region"]
)  # fmt: skip


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(_PLACE_PIECES, max_size=14).map("".join), st.booleans())
def test_lower_case_places_on_generated_text(sample: str, trust: bool) -> None:
    """Tokens glued by ' ’ . - ("x.-gaza" is one token), names that start longer ones, ambiguous names after
    "city of": the candidates' tokens alone give what a scan of every token gives."""
    trusted = frozenset({"nice", "of"}) if trust else frozenset()
    assert places.find_places(sample, cased=False, trusted=trusted) == _plain_lower_places(sample, trusted)


_AGENCY_PIECES = st.sampled_from(
    [" ", "\n", ".", ",", "-", "'", "x", "3", "é", "u", "n", "s", "k", "u.n", "u.n.", "u.s", "un", "us", "uk", "the",
     "united", "nations", "refugee", "agency", "médecins", "medecins", "sans", "frontières", "ohchr", "bbc", "nato",
     "ap", "eu", "afp", "red", "cross", "human", "rights", "watch", "unicef", "britain", "ı", "ſ", "K"]
)  # fmt: skip


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(_AGENCY_PIECES, max_size=12).map("".join))
def test_lower_case_agencies_on_generated_text(sample: str) -> None:
    """Names glued to other letters ("bbcnews", "xun"), "u.n" and "médecins" (runs of a-z shorter than the
    word), characters that lower-casing or IGNORECASE treat apart: the runs that can start a name miss none."""
    plain = [
        (m.start(), m.end(), sources._AGENCY_NAMES[m.lastgroup or ""])
        for m in sources._AGENCY_RE_LOWER.finditer(sample)
    ]
    plain = [(s, e, n) for s, e, n in plain if not (n in ("AP", "EU") and sample[s:e].lower() in ("ap", "eu"))]
    assert sources.agencies_in(sample, cased=False) == plain


def _plain_entry_as_of(body: str) -> str | None:
    """`EntryContext.as_of` as it was: the date search run on every body."""
    low = lowered(body)
    for m in text.AS_OF.finditer(body, low):
        if context._AS_OF_CONTEXT.search(body, low, max(0, m.start() - 120), m.end()):
            found = text.resolve_date(m.group("d") or m.group("d2"), PUBLISHED.date())
            if found is not None:
                return found.isoformat()
    return None


def _entry_as_of(body: str) -> str | None:
    return EntryContext(
        RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline="Today", body=body), None
    ).as_of


@pytest.mark.parametrize("sample", _texts())
def test_entry_as_of_skipped_without_a_date_word_equals_the_search(sample: str) -> None:
    for body in (sample, sample.lower(), sample.upper()):
        assert _entry_as_of(body) == _plain_entry_as_of(body)


_DATE_PIECES = st.sampled_from(
    [" ", "\n", ".", ",", "3", "x", "as of", "as at", "by", "until", "up to", "between", "and", "on", "6pm", "tuesday",
     "ſunday", "Monday", "today", "yesterday", "march", "29th", "figures", "toll", "ı", "İ", "K", "today's", "xtoday"]
)  # fmt: skip


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(_DATE_PIECES, max_size=14).map("".join))
def test_entry_as_of_on_generated_text(sample: str) -> None:
    """Characters that lower-casing or IGNORECASE treat apart ("ſunday", "İ"), date words glued to others."""
    assert _entry_as_of(sample) == _plain_entry_as_of(sample)


@pytest.mark.parametrize("sample", [*_texts(), "Red\n!! Cross u.n. said.\n\n• UNHCR", "  \n x  "])
def test_entry_agencies_found_from_the_sentences_words_equal_a_search_of_the_text(sample: str) -> None:
    """The entry's runs of a-z, taken from its sentences' words, are the text's: no letter lies between sentences."""
    for headline, body in ((" a UN x ", sample), (" a un x ", sample.lower())):
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body)
        ctx = EntryContext(update, None)
        regex = sources._AGENCY_RE if ctx.cased else sources._AGENCY_RE_LOWER
        text_ = f"{headline}\n{body}"
        plain = [(m.start(), m.end(), sources._AGENCY_NAMES[m.lastgroup or ""]) for m in regex.finditer(text_)]
        if not ctx.cased:
            plain = [(s, e, n) for s, e, n in plain if not (n in ("AP", "EU") and text_[s:e].lower() in ("ap", "eu"))]
        assert ctx.agencies() == plain


@pytest.mark.parametrize("sample", _texts())
def test_a_surname_looked_up_alone_gives_what_every_sentences_reporters_give(sample: str) -> None:
    """`EntryContext._full_name` reads only the sentences whose text can name the surname: it gives what a registry
    of every sentence's reporters (the first full name per surname) gives, for any word of the entry."""
    extra = "\nRind said 3 died.\nSadia Rind said 4 died.\nAna Lucía Paredes said 5.\nParedes added 6.\nSadia\tRind."
    for cased in (True, False):
        body = sample + extra if cased else (sample + extra).lower()
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline="Sadia Rind says", body=body)
        lazy, full = EntryContext(update, "Pakistan"), EntryContext(update, "Pakistan")
        registry: dict[str, str] = {}
        for sentence in full.sentences:
            for att in full.attributions(sentence):
                if att.kind == "person" and " " in att.name:
                    registry.setdefault(att.name.split()[-1], att.name)
        assert {"Rind", "Paredes"} <= set(registry) if cased else "Rind" in registry
        for word in sorted({*body.split(), *(w.capitalize() for w in body.split()), *registry}):
            assert lazy._full_name(word) == registry.get(word), word
