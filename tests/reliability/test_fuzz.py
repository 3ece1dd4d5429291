"""Fuzz cases: the parsers, the codec and the extractor on generated junk, at a fixed, larger number of examples.

Each target may only fail with the project's clean errors (`streams.errors.LiveblogError` subclasses); any other
exception is a bug. The cases actually run are counted into the summary (`harness.FUZZ_CASES`). The seed is the
suite's (`LIVEBLOG_RELIABILITY_SEED`, printed in the summary), so a failure can be replayed. The libFuzzer
harness (`tests/fuzz/fuzz_parsers.py`, atheris) runs last, as a subprocess.
"""

from __future__ import annotations

import contextlib
import math
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from schemas import BandBatch, ClaimBatch, DeadLetter, EnrichedUpdate, NearDuplicate, RawUpdate, TotalsRow
from streams import codec
from streams.enrichment import enrich_update
from streams.errors import LiveblogError
from streams.ingest.corpus import parse_blog
from streams.ingest.html import parse_html
from streams.ingest.jsonl import parse_event
from streams.ingest.jsonld import parse_jsonld_bytes
from streams.ingest.plaintext import parse_plaintext
from tests.ingest.test_plaintext_properties import _PIECES, _SENTENCE, PUBLISHED
from tests.reliability import harness

pytestmark = [pytest.mark.reliability]

EXAMPLES = 2000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
MODELS: tuple[type[BaseModel], ...] = (
    RawUpdate,
    EnrichedUpdate,
    ClaimBatch,
    BandBatch,
    NearDuplicate,
    TotalsRow,
    DeadLetter,
)
REPO = Path(__file__).resolve().parents[2]
ATHERIS_RUNS = 20_000


def case(target: str) -> None:
    harness.FUZZ_CASES[f"hypothesis: {target}"] += 1


# ---- strategies --------------------------------------------------------------------------------------------------

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(1 << 63), (1 << 63) - 1)  # orjson writes 64-bit integers only
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
TIMES = (
    st.datetimes(timezones=st.none() | st.just(UTC)).map(datetime.isoformat)
    | st.sampled_from(["2022-03-30T08:00:00Z", "2022-03-30", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"])
    | st.text(max_size=25)
)


def mangled(data: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Bytes as they are, cut short, with a byte replaced, or with junk appended."""

    def mangle(value: bytes, how: int, at: int, byte: int) -> bytes:
        at = at % (len(value) + 1)
        if how == 1:
            return value[:at]
        if how == 2:
            return value[:at] + bytes([byte]) + value[at + 1 :]
        if how == 3:
            return value + bytes([byte])
        return value

    return st.builds(mangle, data, st.integers(0, 3), st.integers(0, 1 << 16), st.integers(0, 255))


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def fields_of(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with some of the model's field names (and a few others), each holding any JSON."""
    names = st.sampled_from(sorted(model.model_fields)) | st.text(max_size=8)
    return st.dictionaries(names, JSON | TIMES, max_size=len(model.model_fields) + 2)


RAW_UPDATE_DICTS = st.fixed_dictionaries(
    {"blog_id": st.text(max_size=5) | st.just("b"), "entry_id": st.text(max_size=5) | st.just("e")},
    optional={
        "published": TIMES,
        "updated": TIMES | st.none(),
        "revision": st.integers(-2, 5) | JSON,
        "kind": st.sampled_from(["entry", "summary", "caption", "video"]),
        "headline": st.text(max_size=30) | st.none(),
        "body": st.text(max_size=60),
        "position": st.integers(-1, 3),
    },
)


def event_bytes(model: type[BaseModel]) -> st.SearchStrategy[bytes]:
    objects = fields_of(model) | (RAW_UPDATE_DICTS if model is RawUpdate else fields_of(model))
    return mangled(objects.map(_json) | JSON.map(_json)) | st.binary(max_size=200)


ENTRY_KEYS = [
    "@id",
    "@type",
    "url",
    "identifier",
    "headline",
    "name",
    "articleBody",
    "text",
    "description",
    "datePublished",
    "dateCreated",
    "dateModified",
]
LD_VALUES = JSON | TIMES | st.lists(st.text(max_size=15), max_size=3) | st.fixed_dictionaries({"@value": JSON})
LD_ENTRY = st.dictionaries(st.sampled_from(ENTRY_KEYS), LD_VALUES, max_size=6) | JSON
LD_BLOG = st.fixed_dictionaries(
    {"@type": st.sampled_from(["LiveBlogPosting", ["NewsArticle", "LiveBlogPosting"], "schema:LiveBlogPosting"])},
    optional={
        "@id": st.sampled_from(["https://news.example/live/floods", "_:b0", "floods#x"]) | st.text(max_size=20),
        "url": st.text(max_size=20) | st.just("http://news.example/live/floods/"),
        "headline": JSON,
        "datePublished": TIMES,
        "publisher": JSON | st.fixed_dictionaries({"name": JSON}),
        "liveBlogUpdate": st.lists(LD_ENTRY, max_size=5) | LD_ENTRY,
    },
)
LD_DOCS = LD_BLOG | st.lists(LD_BLOG | JSON, max_size=3) | LD_BLOG.map(lambda b: {"@graph": [b]}) | JSON
JSONLD_BYTES = mangled(LD_DOCS.map(_json)) | st.binary(max_size=200)

HTML_PIECES = st.sampled_from(
    [
        '<script type="application/ld+json">',
        '<SCRIPT TYPE="application/ld+json; charset=utf-8">',
        "</script>",
        "<!-- ",
        " -->",
        '<meta charset="windows-1252">',
        "<html><body>",
        "<p>",
        "\ufeff",
    ]
)
HTML_PAGES = st.lists(HTML_PIECES | LD_DOCS.map(lambda d: _json(d).decode()) | st.text(max_size=30), max_size=8).map(
    "".join
)
HTML_INPUTS = HTML_PAGES | HTML_PAGES.map(str.encode) | mangled(HTML_PAGES.map(str.encode)) | st.binary(max_size=200)

JSONL_EVENTS = st.fixed_dictionaries(
    {},
    optional={
        "specversion": st.just("1.0") | JSON,
        "type": st.just(codec.EVENT_TYPES["update"]) | JSON,
        "id": st.text(max_size=5) | JSON,
        "source": st.text(max_size=5) | JSON,
        "time": TIMES | JSON,
        "datacontenttype": st.sampled_from(["application/json", "text/plain"]) | JSON,
        "data": RAW_UPDATE_DICTS | JSON,
    },
)
JSONL_LINES = mangled(JSONL_EVENTS.map(_json) | JSON.map(_json)) | st.binary(max_size=200)

POSTS = st.fixed_dictionaries(
    {},
    optional={
        "block_id": st.text(max_size=8) | JSON,
        "time": st.from_regex(r"\s*\d{1,3}:\d{1,3}\s*", fullmatch=True)
        | st.lists(st.integers(-5, 10_000) | st.integers(-(1 << 63), (1 << 63) - 1), max_size=6)
        | JSON,
        "title": st.text(max_size=20) | JSON,
        "text": st.lists(st.text(max_size=30), max_size=3) | st.text(max_size=30) | JSON,
    },
)
CORPUS_BLOGS = st.fixed_dictionaries(
    {"blog_id": st.text(max_size=6) | st.just("0123abcd") | JSON, "posts": st.lists(POSTS, max_size=6) | JSON},
    optional={
        "outlet": st.sampled_from(["guardian", "bbc"]) | JSON,
        "title": st.text(max_size=30) | st.just("Live: Wednesday 31st February 2017") | JSON,
        "url": st.sampled_from(["https://www.theguardian.com/world/2015/apr/25/live", "/2015/feb/30/"])
        | st.text(max_size=20)
        | JSON,
        "summary": st.lists(st.text(max_size=20), max_size=3) | JSON,
    },
)
CORPUS_LINES = mangled(CORPUS_BLOGS.map(_json) | JSON.map(_json)) | st.binary(max_size=200)

PAGES = st.text() | st.lists(_PIECES | _SENTENCE | st.text(max_size=30), max_size=30).map("\n".join)

_NUMBER_WORDS = """a one two three twelve twenty forty-two ninety hundred thousand million billion dozen dozens half
    hundreds thousands millions tens of and"""
_FIGURE_WORDS = """at least more than nearly about up to between and to - – killed dead injured wounded casualties
    refugees fled displaced evacuated remain aid pledged children civilians people in Kharkiv Kyiv Ukraine Gaza the
    UN UNHCR OHCHR said according to officials ministry of health , . ; ( ) " ' “ ”"""

# Figures as newsrooms write them, and the words around them. Digit runs stay below 20 digits here: longer ones
# make the extractor raise (test_extractor_on_absurdly_long_numbers pins that finding).
NUMBERS = (
    st.integers(0, 10**12).map(lambda n: f"{n:,}")
    | st.integers(0, 10**12).map(str)
    | st.from_regex(r"\d{1,19}(\.\d{1,6})?", fullmatch=True)
    | st.builds("{}{}".format, st.sampled_from(["$", "£", "€", "US$", "USD", ""]), st.integers(0, 999))
    | st.builds("{}{}".format, st.integers(0, 999), st.sampled_from(["m", "bn", "k", " million", " billion", "%"]))
    | st.lists(
        st.sampled_from(_NUMBER_WORDS.split()),
        min_size=1,
        max_size=5,
    ).map(" ".join)
)
FIGURE_WORDS = st.sampled_from([*_FIGURE_WORDS.split(), "\n"])
TEXTS = st.lists(NUMBERS | FIGURE_WORDS | _SENTENCE | st.text(max_size=12), max_size=40).map(" ".join)
RAW_UPDATES = st.builds(
    RawUpdate,
    blog_id=st.just("fuzz"),
    entry_id=st.text(min_size=1, max_size=10),
    published=st.datetimes(min_value=datetime(1991, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    kind=st.sampled_from(["entry", "summary", "caption"]),
    headline=TEXTS | st.none(),
    body=TEXTS,
    blog_title=st.none() | st.sampled_from(["Russia-Ukraine war live", "Gaza live", "Floods: live updates"]) | TEXTS,
)


# ---- targets -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_codec_decode_fails_cleanly(model: type[BaseModel]) -> None:
    @FUZZ
    @seed(harness.SEED)
    @given(value=event_bytes(model))
    def run(value: bytes) -> None:
        case(f"codec.decode({model.__name__})")
        with contextlib.suppress(LiveblogError):
            codec.decode(value, model, max_bytes=4096)

    run()


@FUZZ
@seed(harness.SEED)
@given(text=PAGES)
def test_plaintext_parser_fails_cleanly(text: str) -> None:
    case("ingest.plaintext.parse_plaintext")
    with contextlib.suppress(LiveblogError):
        parse_plaintext(text, blog_id="fuzz", published=PUBLISHED)


@FUZZ
@seed(harness.SEED)
@given(data=JSONLD_BYTES)
def test_jsonld_parser_fails_cleanly(data: bytes) -> None:
    case("ingest.jsonld.parse_jsonld_bytes")
    with contextlib.suppress(LiveblogError):
        parse_jsonld_bytes(data, default_blog_id="fuzz")


@FUZZ
@seed(harness.SEED)
@given(page=HTML_INPUTS)
def test_html_parser_fails_cleanly(page: bytes | str) -> None:
    case("ingest.html.parse_html")
    with contextlib.suppress(LiveblogError):
        parse_html(page, default_blog_id="fuzz")


@FUZZ
@seed(harness.SEED)
@given(line=JSONL_LINES)
def test_jsonl_event_parser_fails_cleanly(line: bytes) -> None:
    case("ingest.jsonl.parse_event")
    with contextlib.suppress(LiveblogError):
        parse_event(line)


@FUZZ
@seed(harness.SEED)
@given(line=CORPUS_LINES)
def test_corpus_line_parser_fails_cleanly(line: bytes) -> None:
    case("ingest.corpus.parse_blog")
    with contextlib.suppress(LiveblogError):
        parse_blog(line)


@FUZZ
@seed(harness.SEED)
@given(update=RAW_UPDATES)
def test_extractor_fails_cleanly_and_finds_only_finite_figures(update: RawUpdate) -> None:
    case("enrichment.enrich_update")
    try:
        enriched = enrich_update(update)
    except LiveblogError:
        return
    for figure in enriched.figures:
        for value in (figure.value, figure.value_low, figure.value_high):
            assert value is None or math.isfinite(value), figure
    assert codec.decode(codec.dumps(enriched), EnrichedUpdate) == enriched


@pytest.mark.parametrize("number", ["9" * 400, "9" * 5000, "9" * 400 + ".5"], ids=["400", "5000", "400.5"])
def test_extractor_on_absurdly_long_numbers(number: str) -> None:
    update = RawUpdate(blog_id="fuzz", entry_id="e", published=PUBLISHED, body=f"{number} people were killed.")
    try:
        enriched = enrich_update(update)
    except LiveblogError:
        return
    assert all(f.value is None or math.isfinite(f.value) for f in enriched.figures)


# ---- atheris (libFuzzer) -----------------------------------------------------------------------------------------


def test_libfuzzer_harness_fails_cleanly(tmp_path: Path) -> None:
    """`tests/fuzz/fuzz_parsers.py` (atheris: the plain-text parser and codec.decode), a fixed number of runs."""
    pytest.importorskip("atheris", reason="atheris is not installed (the `test` extra has it)")
    script = REPO / "tests" / "fuzz" / "fuzz_parsers.py"
    done = subprocess.run(
        [sys.executable, str(script), f"-runs={ATHERIS_RUNS}", f"-seed={harness.SEED % (1 << 31)}", "-max_len=4096"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # libFuzzer writes crash-* files to the working directory
        timeout=300,
        check=False,
    )
    runs = re.search(r"Done (\d+) runs", done.stderr)
    if runs:
        harness.FUZZ_CASES["atheris: plaintext parser + codec.decode"] += int(runs.group(1))
    assert done.returncode == 0, done.stderr[-4000:]
    assert runs is not None and int(runs.group(1)) >= ATHERIS_RUNS, done.stderr[-2000:]
