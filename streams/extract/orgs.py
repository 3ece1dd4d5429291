"""One name per reporter, so that one source keys one series (metric|subject|place|source).

`OrgRegistry(entry_text)` knows the organisations an entry names; `canonical(name, place, country)` maps what an
attribution said ("the authority", "NDMA Chairman Asif Mahmood", "police") to one name. The rules, in order:

1. An acronym in parentheses after a name is the organisation's name: "the National Disaster Management Authority
   (NDMA)" is NDMA, and so are the full name elsewhere in the entry (with or without an owner: "Sindh's Provincial
   Disaster Management Authority" is PDMA when the entry says PDMA) and any name whose initials spell it.
2. Known agencies (`sources.py`) keep their canonical names (UN, UNHCR, US, EU); "Britain" is UK.
3. An official speaking for a named organisation is the organisation: "NDMA Chairman Asif Mahmood", "OCHA's head of
   office in Pakistan, Marco Lindqvist", "Alex Mundt, the UNHCR coordinator" are NDMA, OCHA, UNHCR. An official
   named by a public office alone ("Sukkur's divisional commissioner, Abdul Qadir Shaikh", a mayor, a minister)
   stays a person.
4. A generic description ("the authority", "the agency", "Disaster Agency", "the society", "the hospital trust") is
   the entry's latest named organisation with the same head noun, else its latest named organisation.
5. A generic local body the entry does not name ("police", "the district administration") takes the figure's city:
   "Shikarpur Police"; a national one ("the army", "the military", "the government") the blog's country:
   "Pakistan Army". A national society's "Society" is dropped ("Pakistan Red Crescent Society" -> "Pakistan Red
   Crescent"), so the body and a caption that says "the Pakistan Red Crescent" agree.
6. Otherwise articles are dropped and words capitalised: "the health ministry" -> "Health Ministry".
"""

from __future__ import annotations

import re
from typing import Final

from streams.extract.places import lookup

# Head nouns of organisations, and the words a generic description of one is made of.
ORG_HEADS: Final = frozenset(
    """agency authority society council ministry department office service police army military government
    institute directorate administration commission committee trust hospital brigade crescent cross programme
    fund organisation organization bureau group navy coastguard force forces secretariat unit center centre""".split()  # noqa: SIM905
)
_GENERIC_WORDS: Final = ORG_HEADS | frozenset(
    """the a an its their local national provincial district regional state federal disaster management relief
    health emergency rescue civil defence defense media wing aid humanitarian main city county town""".split()  # noqa: SIM905
)
_LOCAL_HEADS: Final = frozenset({"police", "administration", "council", "hospital"})
_NATIONAL_HEADS: Final[dict[str, str]] = {
    "army": "Army",
    "military": "Army",
    "government": "Government",
    "navy": "Navy",
}
_SYNONYMS: Final[dict[str, str]] = {"military": "army", "organization": "organisation"}
_COUNTRY_ALIASES: Final[dict[str, str]] = {"britain": "UK", "great britain": "UK", "british government": "UK"}
_NOT_ORGS: Final = frozenset({"AP", "AFP", "GMT", "UTC", "BST", "PKT", "TV", "OK"})  # photo credits, time zones
_STATES: Final = frozenset({"US", "UK", "U.S.", "U.K."})  # a country, never a generic body
# What a ministry is for: "the health ministry" names which one.
_PORTFOLIOS: Final = frozenset("health interior defence defense foreign home finance justice education".split())  # noqa: SIM905
_LINK_WORDS: Final = frozenset({"of", "for", "and", "the", "on", "&"})

_UP = "A-ZÀ-ÖØ-Þ"
_ACRONYM_DEF_RE: Final = re.compile(
    rf"(?P<full>(?:[{_UP}][\w'’-]*[ \t]+(?:(?:of|for|and|the|on)[ \t]+)*){{1,8}})\(\s*(?P<acr>[{_UP}]{{2,8}})\s*\)$"
)
_ACRONYM_DEF_LOWER_RE: Final = re.compile(r"(?P<full>(?:[a-z][\w'’.-]*\s+){1,10})\(\s*(?P<acr>[a-z]{2,8})\s*\)$")
_ACRONYM_RE: Final = re.compile(rf"[{_UP}]{{2,8}}(?![\w.])")  # the character before is checked apart: faster
_PAREN_RE: Final = re.compile(r"\(\s*[A-Za-z]{2,8}\s*\)")
_HEADS_RE = "|".join(sorted((h.capitalize() for h in ORG_HEADS), key=len, reverse=True))
# "City of York Council": one to six capitalised words before a head noun. `(?<![\w'’].)` after the first capital
# is `(?<![\w'’])` before it: a pattern that starts with a character class is searched about three times faster.
_NAMED_ORG_WORD = r"[\w'’.-]*[ \t]+(?:(?:of|for|and|on)[ \t]+)?"
_NAMED_ORG_RE: Final = re.compile(
    rf"[{_UP}](?<![\w'’].){_NAMED_ORG_WORD}(?:[{_UP}]{_NAMED_ORG_WORD}){{0,5}}(?:{_HEADS_RE})\b"
)
# Compiled once: `re.split(pattern, ...)` looks its pattern up in a cache on every call (thousands per second).
_WORD_SPLIT_RE: Final = re.compile(r"[\s-]+")
_OWNER_RE: Final = re.compile(r"^(?:the\s+)?[\w.-]+['’]s\s+", re.IGNORECASE)
_RESCUE_RE: Final = re.compile(rf"(?:[{_UP}][\w'’-]*\s+){{0,3}}Rescue\s+\d{{3,4}}")


def _title(words: list[str]) -> str:
    return " ".join(w if w[:1].isupper() or w.isupper() else w.capitalize() for w in words)


def _initials(name: str) -> str:
    words = [w for w in _WORD_SPLIT_RE.split(name) if w and w.lower() not in _LINK_WORDS]
    return "".join(w[0] for w in words).upper()


def _strip_owner(name: str) -> str:
    """ "Sindh's Provincial Disaster Management Authority" -> "Provincial Disaster Management Authority"."""
    return _OWNER_RE.sub("", name.strip())


def _bare(word: str) -> str:
    low = word.lower().strip(",")
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _head(words: list[str]) -> str:
    """The organisation noun a description ends on ("the military's media wing" -> army)."""
    for word in reversed(words):
        low = _bare(word)
        if low in ORG_HEADS:
            return _SYNONYMS.get(low, low)
    return _bare(words[-1]) if words else ""


class OrgRegistry:
    """The organisations one entry names, for resolving its sources to one name each."""

    def __init__(self, text: str, *, cased: bool) -> None:
        self.full_to_acronym: dict[str, str] = {}  # lower-case full name -> acronym
        self.acronyms: set[str] = set()
        self.named: list[tuple[int, str]] = []  # (position, canonical name) of named organisations, in order
        def_re = _ACRONYM_DEF_RE if cased else _ACRONYM_DEF_LOWER_RE
        for paren in _PAREN_RE.finditer(text) if "(" in text else ():
            m = def_re.search(text, max(0, paren.start() - 120), paren.end())
            if m is None:
                continue
            acronym = m.group("acr").upper()
            full = self._trim_full(m.group("full"), acronym)
            if full:
                self.full_to_acronym[full.lower()] = acronym
            self.acronyms.add(acronym)
            self.named.append((m.start("acr"), acronym))
        if cased:
            for m in _ACRONYM_RE.finditer(text):
                word, start = m.group(), m.start()
                if word in _NOT_ORGS or (start and (text[start - 1].isalnum() or text[start - 1] in "._")):
                    continue
                if lookup(word) is None or word in self.acronyms:
                    self.acronyms.add(word)
                    self.named.append((start, word))
        self.named.sort()
        self._text = text if cased else ""
        self._full_words: dict[str, tuple[str, list[str]]] = {}  # `_heads`; `full_to_acronym` is now complete
        self._scanned = not cased

    def _named_orgs(self) -> list[tuple[int, str]]:
        """`named` with the capitalised organisation names ("York Hospital", "City of York Council"), found on
        first need: most figures' sources never need them."""
        if not self._scanned:
            self._scanned = True
            for m in _NAMED_ORG_RE.finditer(self._text):
                name = self.canonical_named(m.group())
                if name:
                    self.named.append((m.start(), name))
            self.named.sort()
        return self.named

    def add(self, found: list[tuple[int, int, str]]) -> None:
        """Known agencies named in the entry (`sources.agencies_in`)."""
        self.named.extend((start, name) for start, _, name in found)
        self.named.sort()

    @staticmethod
    def _trim_full(full: str, acronym: str) -> str | None:
        """The words of `full` whose initials spell `acronym` (the name may be preceded by other words)."""
        words = full.split()
        for i in range(len(words)):
            candidate = " ".join(words[i:])
            if _initials(candidate) == acronym:
                return _strip_owner(candidate)
        return None

    def acronym_for(self, name: str) -> str | None:
        """The acronym an organisation's full name stands for in this entry ("... Authority" -> NDMA)."""
        bare = _strip_owner(name)
        low = bare.lower()
        found = self.full_to_acronym.get(low)
        if found:
            return found
        for full, acronym in self.full_to_acronym.items():
            if low.endswith(full):
                return acronym
        initials = _initials(bare)
        if len(initials) >= 2 and initials in self.acronyms:
            return initials
        return None

    def canonical_named(self, name: str) -> str | None:
        """A capitalised organisation name, canonical ("The Pakistan Red Crescent Society" -> "...Red Crescent")."""
        words = name.split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words:
            return None
        if all(w.lower() in _GENERIC_WORDS for w in words):
            return None  # "Disaster Agency" in a headline is a description, not a name
        joined = " ".join(words)
        acronym = self.acronym_for(joined)
        if acronym:
            return acronym
        if words[-1] == "Society" and ("Crescent" in words or "Cross" in words):
            words = words[:-1]
        return " ".join(words)

    def latest(
        self, head: str | None = None, *, strict: bool = False, before: int | None = None, bodies_only: bool = False
    ) -> str | None:
        """The entry's latest named organisation (before offset `before`), preferring (with `strict`, requiring)
        head noun `head`; with `bodies_only`, no state ("US") or place."""
        named = [n for p, n in self._named_orgs() if before is None or p < before]
        if bodies_only:
            named = [n for n in named if n not in _STATES and lookup(n) is None]
        if head:
            for name in reversed(named):
                full_head, full = self._heads(name)
                if full_head == head or head in full:
                    return name
            if strict:
                return None
        return named[-1] if named else None

    def _heads(self, name: str) -> tuple[str, list[str]]:
        """The head noun and the words of a named organisation's full name (its acronym's, when it has one):
        remembered per name, since `latest` reads them for every earlier organisation on each call."""
        found = self._full_words.get(name)
        if found is None:
            full = next((f for f, a in self.full_to_acronym.items() if a == name), name.lower()).split()
            found = self._full_words[name] = (_head(full), full)
        return found

    def _generic(self, words: list[str], place: str | None, country: str | None) -> str:
        """Rules 4 and 5: "the authority" -> the entry's authority; "police" -> "Shikarpur Police"."""
        head = _head(words)
        found = self.latest(head=head, strict=True)
        if found:
            return found
        city = lookup(place) if place else None
        if head in _LOCAL_HEADS and city is not None and city.kind == "city":
            return f"{place} {_title(words[-2:] if head == 'administration' else words[-1:])}"
        if head in _NATIONAL_HEADS and country:
            return f"{country} {_NATIONAL_HEADS[head]}"
        if any(w.lower() in _PORTFOLIOS for w in words):
            return _title(words[-2:])  # "the health ministry" says which ministry: not the entry's latest body
        if head in ORG_HEADS and head not in _LOCAL_HEADS and head not in _NATIONAL_HEADS:
            found = self.latest(bodies_only=True)  # "the agency": the entry's latest body, no state ("US")
            if found:
                return found
        return _title(words[-2:])  # "the health ministry" -> "Health Ministry"

    def canonical(self, name: str, *, place: str | None = None, country: str | None = None) -> str:
        """The one name for a source as an attribution gave it (see the module doc)."""
        raw = name.strip().strip(",")
        low = raw.lower()
        if low in _COUNTRY_ALIASES:
            return _COUNTRY_ALIASES[low]
        words = raw.split()
        while words and words[0].lower() in ("the", "a", "an", "its", "their"):
            words = words[1:]
        if not words:
            return raw
        for word in words:  # rule 3: "NDMA Chairman Asif Mahmood" -> NDMA
            bare = word.strip("'’s,") if word.endswith(("'s", "’s")) else word
            if bare in self.acronyms and bare != " ".join(words):
                return bare
        rescue = _RESCUE_RE.search(" ".join(words))
        if rescue:
            return rescue.group()
        if all(_bare(w) in _GENERIC_WORDS for w in words):
            return self._generic(words, place, country)
        named = self.canonical_named(" ".join(words))
        if named and _bare(words[-1]) in ORG_HEADS:  # "Red Crescent" -> "Pakistan Red Crescent" when the entry says so
            return next((n for _, n in reversed(self._named_orgs()) if n.endswith(" " + named)), named)
        return named or _title(words)
