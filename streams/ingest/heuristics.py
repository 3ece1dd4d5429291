"""Line classifiers for plain-text live-blog pages: page markers, photo captions, headlines.

Casing is only a tie-breaker: scraped archives are often lower-cased, so a headline is told
from a one-line paragraph by its shape (length, final punctuation, one sentence at most).
"""

from __future__ import annotations

import re

__all__ = ["is_caption", "is_headline_like", "is_marker"]

_MARKER_RE = re.compile(r"^live\s+updates?(?P<ended>\s+(?:have|has)\s+ended)?\s*[.!]?$", re.IGNORECASE)

# The tail of a caption after its last sentence: "Vadim Ghirda/AP Photo", "Twitter/@NotWoofers",
# "RONALDO SCHEMIDT/AFP via Getty Images", "Jeff J Mitchell/Getty", or a bare agency name.
_LAST_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SLASH_CREDIT = re.compile(
    r"(?:^|(?<=[\s(]))(?P<name>[^\W\d_][\w'’\-]*)\s?/\s?@?[^\W_][\w'’.\-]*(?:\s+[\w'’.&\-]+)*\)?$"
)
_AGENCY_CREDIT = re.compile(
    r"\b(?:getty(?:\s+images)?|ap\s+photo|afp|reuters|epa(?:-efe)?|shutterstock|alamy|pa\s+(?:media|wire)"
    r"|anadolu(?:\s+agency)?|sipa(?:\s+usa)?|tass|xinhua)\)?$",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset({"and", "or", "his", "her", "he", "she", "km", "w", "c", "either", "per", "http", "https"})
_MAX_CREDIT_WORDS = 8

_MAX_HEADLINE_WORDS = 22
_MAX_HEADLINE_CHARS = 160
_MAX_QUESTION_WORDS = 15
_CLOSERS = "\"'”’»)]` "
_ABBREVIATION_END = re.compile(r"(?:\b\w\.){2,}$")  # "U.S.", "u.k."
_SENTENCE_BREAK = re.compile(r"(?P<word>\w+)(?P<mark>[.!?])[\"'”’)\]]*\s+\S")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "rep", "sen", "gov", "prof", "vs"}
    | {"no", "jr", "sr", "inc", "co", "ltd", "corp", "dept", "approx", "est", "vol", "fig", "ft", "mt"}
)
_MIN_TITLE_WORD = 4
_NOT_AN_OPENING = ("@", "-", "–", "—", "(", "*")  # a tweet, a list item, an aside
_MIN_TITLE_RATIO = 0.5


def is_marker(line: str) -> bool | None:
    """`True` for "Live Updates Have Ended.", `False` for "Live Updates", `None` for anything else."""
    match = _MARKER_RE.match(line.strip())
    return None if match is None else match["ended"] is not None


def is_caption(line: str) -> bool:
    """Whether the line ends with a photo credit ("... on March 30. Vadim Ghirda/AP Photo")."""
    stripped = line.strip()
    ends = list(_LAST_SENTENCE_END.finditer(stripped))
    tail = stripped[ends[-1].end() :] if ends else stripped
    if not tail or len(tail.split()) > _MAX_CREDIT_WORDS or "://" in tail:
        return False
    slash = _SLASH_CREDIT.search(tail)
    if slash is not None and slash["name"].casefold() not in _NOT_A_NAME:
        return True
    return _AGENCY_CREDIT.search(tail) is not None and bool(ends)


def is_headline_like(text: str, *, cased: bool = True) -> bool:
    """Whether a line has the shape of a headline rather than of a one-line paragraph.

    A headline is short, at most one sentence and does not end like a sentence (".", ":", ",",
    ";", "..."), quotes aside: `'Strategic Blunder'` ends a headline, `... "immediately."` a
    paragraph. A question or exclamation is a headline when short and, if the page has capital
    letters at all (`cased`), written in title case.
    """
    words = text.split()
    if not words or len(words) > _MAX_HEADLINE_WORDS or len(text) > _MAX_HEADLINE_CHARS:
        return False
    core = text.rstrip(_CLOSERS)
    if not any(c.isalpha() for c in core) or core.endswith(("..", "…", ":", ";", ",", "-", "–", "—")):
        return False
    if text.startswith(_NOT_AN_OPENING) or (cased and words[0].islower()):
        return False
    if core.endswith(".") and not _ABBREVIATION_END.search(core):
        return False
    if core.endswith(("?", "!")) and (
        len(words) > _MAX_QUESTION_WORDS or (cased and _title_ratio(words) < _MIN_TITLE_RATIO)
    ):
        return False
    return not any(
        m["mark"] != "." or (len(m["word"]) > 1 and m["word"].casefold() not in _ABBREVIATIONS)
        for m in _SENTENCE_BREAK.finditer(core)
    )


def _title_ratio(words: list[str]) -> float:
    long_words = [w.lstrip(_CLOSERS) for w in words if len(w.strip(_CLOSERS)) >= _MIN_TITLE_WORD]
    if not long_words:
        return 1.0
    return sum(w[:1].isupper() for w in long_words) / len(long_words)
