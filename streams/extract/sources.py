"""Who reported a figure: agencies ("the U.N. refugee agency (UNHCR)" -> UNHCR), officials by name, pronouns.

`find_attributions(sentence)` returns the attributions in one sentence ("X said", "according to X",
"X data shows", "X Says" in a headline); `figures.py` picks the one that governs a figure and falls back to
the entry's earlier sentences.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final, Literal, NamedTuple

from streams.extract.metrics import METRIC_NOUNS, SUBJECT_NOUNS
from streams.extract.places import lookup
from streams.extract.text import lowered as _lowered

SourceKind = Literal["agency", "person", "pronoun", "other"]

# (canonical name, pattern); specific forms first: the leftmost, first-listed alternative wins.
_AGENCIES: Final[list[tuple[str, str]]] = [
    (
        "OHCHR",
        r"OHCHR|Office\s+of\s+the\s+(?:U\.?N\.?|United\s+Nations)\s+High\s+Commissioner\s+for\s+Human\s+Rights"
        r"(?:\s+\(OHCHR\))?|(?:U\.?N\.?|United\s+Nations)\s+human\s+rights\s+(?:office|monitors|monitoring\s+mission)",
    ),
    (
        "UNHCR",
        r"UNHCR|(?:U\.?N\.?|United\s+Nations)\s+refugee\s+agency(?:\s+\(UNHCR\))?"
        r"|(?:U\.?N\.?|United\s+Nations)\s+High\s+Commissioner\s+for\s+Refugees",
    ),
    ("UNICEF", r"UNICEF|(?:U\.?N\.?|United\s+Nations)\s+children'?s\s+(?:fund|agency)"),
    ("OCHA", r"OCHA|(?:U\.?N\.?|United\s+Nations)\s+Office\s+for\s+the\s+Coordination\s+of\s+Humanitarian\s+Affairs"),
    ("IOM", r"IOM|International\s+Organi[sz]ation\s+for\s+Migration"),
    ("WFP", r"WFP|World\s+Food\s+Programme"),
    ("WHO", r"World\s+Health\s+Organi[sz]ation"),
    ("ICRC", r"ICRC|International\s+Committee\s+of\s+the\s+Red\s+Cross|Red\s+Cross"),
    ("HRW", r"Human\s+Rights\s+Watch|HRW"),
    ("MSF", r"MSF|M[ée]decins\s+Sans\s+Fronti[èe]res|Doctors\s+Without\s+Borders"),
    ("Amnesty International", r"Amnesty(?:\s+International)?"),
    ("UN", r"U\.N\.?(?![A-Za-z])|United\s+Nations|UN(?![A-Za-z])|u\.n(?![a-z])"),
    ("EU", r"European\s+Union|European\s+Commission|EU(?![A-Za-z])"),
    ("NATO", r"NATO|Nato"),
    ("White House", r"White\s+House"),
    ("Pentagon", r"Pentagon"),
    ("Kremlin", r"Kremlin"),
    ("Home Office", r"Home\s+Office"),
    ("US", r"U\.S\.(?![A-Za-z])|United\s+States|US(?![A-Za-z])|u\.s(?![a-z])"),
    ("UK", r"U\.K\.(?![A-Za-z])|United\s+Kingdom|UK(?![A-Za-z])|u\.k(?![a-z])|Britain|British\s+government"),
    ("Reuters", r"Reuters"),
    ("AP", r"Associated\s+Press|AP(?![A-Za-z])"),
    ("AFP", r"AFP|Agence\s+France-Presse"),
    ("BBC", r"BBC"),
    ("CNN", r"CNN"),
    ("Sky News", r"Sky\s+News"),
]
_AGENCY_ALTERNATION: Final = "|".join(rf"(?P<a{i}>{pat})" for i, (_, pat) in enumerate(_AGENCIES))
_AGENCY_RE: Final = re.compile(rf"(?<![A-Za-z])(?=[A-Z])(?:{_AGENCY_ALTERNATION})")
_AGENCY_RE_LOWER: Final = re.compile(rf"\b(?=[a-z])(?:{_AGENCY_ALTERNATION})", re.IGNORECASE)
# `_AGENCY_RE` searched in two steps: where a name can start (a capital that starts a word and that some name
# starts with: `_AGENCY_INITIALS`, checked by a test), then the names tried there. A regex that starts with a
# look-behind is tried at every position; one that starts with a character class skips to the next candidate in C.
_AGENCY_INITIALS: Final = "ABCDEHIKMNOPRSUW"
_AGENCY_STARTS: Final = re.compile(rf"[{_AGENCY_INITIALS}](?<![A-Za-z].)")
_AGENCY_STARTS_LOWER: Final = re.compile(rf"[{_AGENCY_INITIALS.lower()}](?<!\w.)", re.IGNORECASE)
_AGENCY_NAMES_RE: Final = re.compile(_AGENCY_ALTERNATION)
_AGENCY_NAMES_LOWER_RE: Final = re.compile(_AGENCY_ALTERNATION, re.IGNORECASE)
_AGENCY_NAMES: Final = {f"a{i}": name for i, (name, _) in enumerate(_AGENCIES)}
AGENCY_NAMES: Final = frozenset(name for name, _ in _AGENCIES)
# Agencies that only report what others said; a sentence's own speaker is preferred to them.
WIRES: Final = frozenset({"Reuters", "AP", "AFP"})

_VERBS = (
    r"said|says|say|told|tells|reports|reported|report|estimates|estimated|estimate|added|adds|noted|announced"
    r"|wrote|writes|stated|warned|warns|claimed|claims|confirmed|confirms|recorded|counted|documented|believes"
    r"|tweeted|assesses|maintains|revealed|explained|according|puts|put|gave|given|raised|revised|updated|updates"
)
# A reporter in the progressive, "is reporting" (not "was given", "was confirmed": passives name no reporter).
_ING_WORDS: Final = frozenset(["reporting", "saying", "confirming"])
_ING_AUX_WORDS: Final = frozenset(["is", "are", "was", "were", "also", "now", "still"])
_ING = rf"(?:{'|'.join(sorted(_ING_WORDS))})"
_ING_AUX = rf"(?:{'|'.join(sorted(_ING_AUX_WORDS))})"
_VERB_RE: Final = re.compile(
    rf"(?:\s+(?:has|have|had|also|further|now|later|previously))*\s+(?:{_VERBS})\b|(?:\s+{_ING_AUX})*\s+{_ING}\b|\s+(?:data|figures)(?:\s+(?:show|shows|showed|suggest))?\b",
    re.IGNORECASE,
)
# Words without which neither `_VERB_RE` nor `_ACCORDING_RE` can match.
_TRIGGER_WORDS = "data figures according recorded given confirmed announced released compiled"
_TRIGGERS: Final = frozenset([*_VERBS.split("|"), *_TRIGGER_WORDS.split(), *_ING_WORDS])
_WORDS_RE: Final = re.compile(r"[a-z]+")
_ACCORDING_TRIGGERS: Final = frozenset(
    ["according", "reported", "recorded", "given", "confirmed", "announced", "released", "compiled"]
)
_VERB_WORDS: Final = frozenset(_VERBS.split("|")) - {"according"}
_AUX_BACK_RE: Final = re.compile(r"(?:\s+(?:has|have|had|also|further|now|later|previously))*\s+$", re.IGNORECASE)
_ING_AUX_BACK_RE: Final = re.compile(rf"(?:\s+{_ING_AUX})*\s+$", re.IGNORECASE)
_DATA_SHOWS_RE: Final = re.compile(r"\s+(?:show|shows|showed|suggest)\b", re.IGNORECASE)


_AUX_WORDS: Final = frozenset(["has", "have", "had", "also", "further", "now", "later", "previously"])


def _aux_back(sentence: str, lo: int, at: int, ing: bool = False) -> int:
    """Where `_AUX_BACK_RE.search(sentence, lo, at)` starts, -1 if it finds nothing: the leftmost point from which
    only whitespace and auxiliaries ("has also") lie before `at`, ending on whitespace. Read off the words from
    the end, instead of trying the regex at each of the 80 positions."""
    stretch = sentence[lo:at]
    low = _lowered(stretch)
    aux_words, aux_back = (_ING_AUX_WORDS, _ING_AUX_BACK_RE) if ing else (_AUX_WORDS, _AUX_BACK_RE)
    if low is None:  # "ſ" and "ı" match "s" and "i" case-insensitively: the regex decides
        back = aux_back.search(sentence, lo, at)
        return back.start() if back else -1
    end = len(low.rstrip())
    if end == len(low):
        return -1  # the regex ends on whitespace
    if end == 0:
        return lo  # only whitespace: all of it matches
    while True:
        word = low[:end].rsplit(None, 1)[-1]
        start = end - len(word)
        if start == 0 or word not in aux_words:  # a word cut at `lo` cannot be in the match either
            return lo + end
        end = len(low[:start].rstrip())
        if end == 0:
            return lo


def _verb_hits(sentence: str, lowered: str, present: Collection[str]) -> list[tuple[int, int]]:
    """(start, end) of each `_VERB_RE` match, found from the trigger words present (a scan with the regex at
    every position of every sentence was the extractor's hottest spot)."""
    if len(lowered) != len(sentence):  # a few characters change length when lower-cased
        return [(m.start(), m.end()) for m in _VERB_RE.finditer(sentence) if "according" not in m.group().lower()]
    hits: list[tuple[int, int]] = []
    for word in present:
        ing = word in _ING_WORDS
        is_verb = word in _VERB_WORDS or ing
        if not is_verb and word not in ("data", "figures"):
            continue
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            if not lowered[at - 1 : at].isalnum() and not (
                lowered[end : end + 1].isalnum() or lowered[end : end + 1] == "_"
            ):
                if is_verb:
                    start = _aux_back(sentence, max(0, at - 80), at, ing)
                else:
                    back = re.search(r"\s+$", sentence[max(0, at - 20) : at])
                    start = at - len(back.group()) if back else -1
                if start >= 0:
                    if not is_verb:
                        shows = _DATA_SHOWS_RE.match(sentence, end)
                        end = shows.end() if shows else end
                    hits.append((start, end))
            at = lowered.find(word, at + len(word))
    hits.sort()
    merged: list[tuple[int, int]] = []
    for hit in hits:
        if not merged or hit[0] >= merged[-1][1]:
            merged.append(hit)
    return merged


_ACCORDING_RE: Final = re.compile(
    r"\b(?:according\s+to|(?:reported|recorded|given|confirmed|announced|released|compiled)\s+by)\s+"
    r"(?:(?:the|a|an|its|their)\s+)?(?:(?:\w+\s+){0,2}(?:report|figures|data|statement|count|tally|estimates?|updates?|bulletin|statistics)"
    r"\s+(?:from|by|of)\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_ORG_NOUNS = (
    r"ministry|police|officials|authorities|government|institute|agency|council|service|directorate|department"
    r"|office|army|military|spokesman|spokeswoman|spokesperson|official|hospital|mayor|governor|coastguard|navy"
    r"|commission|trust|rescuers|firefighters|brigade|administration|authority|society|committee|group|wing"
    r"|centre|center|observatory"
)
_ORG_NOUN_ENDINGS: Final = tuple(_ORG_NOUNS.split("|"))
_ORG_NP_CHUNKS: Final = 10  # at most 9 words (owner 5, noun phrase 4) and a lone comma
_ORG_NP_RE: Final = re.compile(
    rf"(?<![\w'’])(?P<owner>(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*\s+|\d+\s+){{0,4}}(?:[A-ZÀ-ÖØ-Þ][\w'’]*?|\d+)(?:'s|’s)?\s+)?"
    rf"(?P<np>(?:[a-z][\w'’-]*\s+){{0,3}}(?:{_ORG_NOUNS}))\s*,?\s*$"
)
# "(NDMA) said": an acronym given in parentheses right before the verb.
_PAREN_ACRONYM_RE: Final = re.compile(r"\(\s*([A-Za-z]{2,8})\s*\)\s*,?\s*$")
# "OCHA's head of office in Pakistan, Marco Lindqvist," / "NDMA Chairman Asif Mahmood": an official of an organisation.
_OFFICIAL_OF_RE: Final = re.compile(
    r"(?:^|[\s(])(?P<org>[A-Z]{2,8}|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})['’]s\s+[^,;\"“”]{2,60},\s*$"
)
_ORG_NP_START_RE: Final = re.compile(rf"(?P<np>(?:[a-z][\w-]*\s+){{0,3}}?(?:{_ORG_NOUNS}))\b")
_DROP_WORDS: Final = frozenset({"the", "a", "an", "its", "their", "local", "that", "and"})
_PRONOUNS: Final = frozenset({"he", "she", "they", "it", "we", "i"})
_TITLES: Final = frozenset(
    """president prime minister deputy mayor governor secretary spokesman spokeswoman spokesperson press
        communications director chief general gen. commander ambassador chancellor senator rep. mr mr. mrs
        mrs. ms ms. dr dr. king queen pope foreign defense defence interior health minister ministry
        official officials head leader regional city senior emergency coordinator the a an his her its
        former acting envoy commissioner high lieutenant colonel col. lt. captain sheriff police""".split()  # noqa: SIM905
)
# Ministers who speak for a ministry ("interior minister X" -> Interior Ministry).
_PORTFOLIOS: Final = frozenset("health interior defence defense foreign home finance justice".split())  # noqa: SIM905
# A nationality before an office ("belgian health minister"): "belgian", "nepalese", "israeli", "danish", "dutch".
_NATIONALITY_RE: Final = re.compile(r"[a-z]{2,}(?:ian|an|ese|i|ish)|dutch|french|czech|swiss|greek|thai")
_REACH: Final = 160
_NUMBER_WORDS: Final = frozenset({"hundred", "thousand", "million", "billion", "dozen"})
_ACCORDING_RUN_RE: Final = re.compile(
    rf"(?:(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|\d{{2,5}})[ \t]*){{1,6}}(?P<noun>(?:[a-z][\w-]*[ \t]+){{0,2}}(?:{_ORG_NOUNS})\b)?"
)
_CAP_WORD_RE: Final = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*")
_NAME_BACK_CHUNKS: Final = 7  # at most 6 words and a lone comma
_NAME_BACK_RE: Final = re.compile(r"((?:[A-ZÀ-ÖØ-Þ][\w'’.-]*[ \t]+){0,5}[A-ZÀ-ÖØ-Þ][\w'’.-]*)\s*,?\s*$")
_LOWER_BACK_RE: Final = re.compile(r"(?<![\w'’])((?:[a-z][\w.'’-]*\s+){0,4}[a-z][\w.'’-]*)\s*,?\s*$")
_LOWER_TOKEN_RE: Final = re.compile(r"\S+")
# Words that cannot be part of a reporter's name in lower-case text: the name starts after the last of them.
_LOWER_STOP: Final = frozenset(
    """the a an that and but or when where while as if of in on at to for from by with who which whom whose is was
    are were be been being have has had will would could should may might can do does did not no it he she they we
    i you this these those there here so also now then later earlier today yesterday tonight said says say told
    tell added reports reported what how why than because after before since until about more other others just
    only still yet already all some any many much""".split()  # noqa: SIM905
)
_LOWER_ORG_NOUNS: Final = frozenset(_ORG_NOUN_ENDINGS)
# Words that open a clause, after which a bare name can stand before a reporting verb ("..., angela merkel said").
_NAME_OPENERS: Final = frozenset([",", ".", ":", ";", "''", "``", '"', "and", "but", "as", "while", "that"])
# Words of a lower-case phrase before a verb that make it something other than a person's name.
_NOT_NAME: Final = (
    _LOWER_STOP
    | _TITLES
    | _LOWER_ORG_NOUNS
    | _NUMBER_WORDS
    | frozenset(SUBJECT_NOUNS)
    | frozenset(METRIC_NOUNS)
    | frozenset(
        """death toll latest information first local casualty casualties killing news report reports media
        witnesses sources source statement figures data victims survivors rescuers families update updates
        times post journal paper newspaper agency live video photo images law rules convention conventions
        guidelines tradition legislation plan plans schedule estimates reckoning""".split()  # noqa: SIM905
    )
)
_APPOSITIVE_RE: Final = re.compile(
    r"([A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+){1,2}),\s+(?:the|a|an)\s+([^,;\"“”]{0,90}?),?\s*$"
)
_APPOSITIVE_COMMA_RE: Final = re.compile(r",\s+(?:the|a|an)\s+")


class Attribution(NamedTuple):
    """Who a sentence says reported something (a named tuple: cheaper to build than a frozen dataclass)."""

    start: int  # where the reporter's name starts in the sentence
    end: int  # where the attribution (verb included) ends
    name: str
    kind: SourceKind
    org: str | None = None  # an agency named in an appositive ("Alex Mundt, the UNHCR coordinator, said")


# The runs of letters a name in lower-case text can start with: whole runs ("un" in "u.n" is "u"; "médecins" is
# "m"), or the start of one where nothing in the pattern ends the run ("ohchrs", "bbcnews").
_AGENCY_RUNS: Final = frozenset(
    """u m office un united international world red human medecins doctors european eu white home us uk british
    associated ap agence sky""".split()  # noqa: SIM905
)
_AGENCY_RUN_PREFIXES: Final = tuple(
    "ohchr unhcr unicef ocha iom wfp icrc hrw msf amnesty nato pentagon kremlin britain reuters afp bbc cnn".split()  # noqa: SIM905
)
_AGENCY_RUN_HEADS: Final = frozenset(prefix[:3] for prefix in _AGENCY_RUN_PREFIXES)  # a set test before `startswith`


def _agency_runs(text: str, low: str, runs: Collection[str] | None = None) -> list[int]:
    """Where `_AGENCY_STARTS_LOWER` finds a word start in `text` (`low` is `lowered(text)`) at which a name can
    begin: only where a run of a-z among `_AGENCY_RUNS` (or starting with one of `_AGENCY_RUN_PREFIXES`) starts,
    found with `str.find`; most words of lower-case text start with a letter some name starts with, and trying
    the names at each was the costliest part of `entities`. `runs` are `low`'s runs of a-z when the caller has
    them (any superset will do)."""
    if runs is None:
        runs = set(_WORDS_RE.findall(low))
    wanted = set(_AGENCY_RUNS.intersection(runs))
    wanted.update(r for r in runs if r[:3] in _AGENCY_RUN_HEADS and r.startswith(_AGENCY_RUN_PREFIXES))
    found = []
    for run in wanted:
        size = len(run)
        at = low.find(run)
        while at != -1:
            end = at + size
            whole = (at == 0 or not "a" <= low[at - 1] <= "z") and (end == len(low) or not "a" <= low[end] <= "z")
            if whole and _AGENCY_STARTS_LOWER.match(text, at):
                found.append(at)
            at = low.find(run, end)
    found.sort()
    return found


def agencies_in(text: str, *, cased: bool = True, runs: Collection[str] | None = None) -> list[tuple[int, int, str]]:
    """Known agencies named in `text`: (start, end, canonical name); what `_AGENCY_RE` (`_AGENCY_RE_LOWER` when
    not `cased`) finds, found faster. `runs`: the runs of a-z of `text.lower()`, when the caller has them."""
    starts, names = (_AGENCY_STARTS, _AGENCY_NAMES_RE) if cased else (_AGENCY_STARTS_LOWER, _AGENCY_NAMES_LOWER_RE)
    found = []
    done = 0  # where the last name ends: the search goes on from there
    low = None if cased else _lowered(text)
    # a list, not a generator: resuming a generator per candidate cost more than the list
    positions = [m.start() for m in starts.finditer(text)] if low is None else _agency_runs(text, low, runs)
    for at in positions:
        if at < done:
            continue
        m = names.match(text, at)
        if m is None:
            continue
        done = m.end()
        name = _AGENCY_NAMES[m.lastgroup or ""]
        if not cased and name in ("AP", "EU") and m.group().lower() in ("ap", "eu"):
            continue
        found.append((m.start(), m.end(), name))
    return found


def _name_from_words(words: list[str]) -> str | None:
    """Strip leading titles, places and demonyms: 'Irpin Mayor Oleksandr Makrushin' -> 'Oleksandr Makrushin'."""
    while words and (words[0].lower() in _TITLES or lookup(words[0].rstrip("'’s")) is not None):
        words = words[1:]
    if not words or len(words) > 3 or any(w.lower() in _TITLES or w.lower() in _NUMBER_WORDS for w in words):
        return None
    return " ".join(words)


def _search_back(regex: re.Pattern[str], head: str, reach: int, chunks: int) -> re.Match[str] | None:
    """`regex.search(head, reach)` for a regex anchored at the end of `head` whose matches span at most `chunks`
    whitespace-separated chunks: searched from where such a match can start at the earliest, since the engine
    tries every position from `reach` on (these searches were the hottest spot of `find_attributions`)."""
    parts = head.rsplit(None, chunks)
    earliest = len(parts[0]) if len(parts) > chunks else 0
    return regex.search(head, max(reach, earliest))


def _trimmed(head: str) -> str:
    """`head` without what `\\s*,?\\s*$` matches at its end (the regexes here end on it)."""
    tail = head.rstrip()
    return tail[:-1].rstrip() if tail.endswith(",") else tail


def _may_be_appositive(head: str, reach: int) -> bool:
    """Whether `_APPOSITIVE_RE.search(head, reach)` can match: its comma is the last one in `head` but for a
    trailing one (the description after it has none), and ", the|a|an " follows it. A cheap test first, since
    the regex tries every capital of the 160 characters before each reporting verb."""
    tail = head.rstrip()
    comma = (tail[:-1] if tail.endswith(",") else tail).rfind(",")
    return comma >= reach and _APPOSITIVE_COMMA_RE.match(head, comma) is not None


def _ends_capitalised(head: str) -> bool:
    """Whether `head`'s last word (before `\\s*,?\\s*$`) has a capital: `_NAME_BACK_RE` ends on a capitalised
    word, and "..., police said" (no capital) is the common case."""
    words = _trimmed(head).rsplit(None, 1)
    return bool(words) and words[-1] != words[-1].lower()


def _official_of(head: str, start: int, end: int) -> re.Match[str] | None:
    """`_OFFICIAL_OF_RE.search(head, start, end)`, skipped when the stretch has no "'s" or does not end on a
    comma, without which the regex cannot match."""
    stretch = head[start:end]
    if not stretch.rstrip().endswith(",") or ("'s" not in stretch and "’s" not in stretch):
        return None
    return _OFFICIAL_OF_RE.search(head, start, end)


def _ends_with_org_noun(head: str) -> bool:
    """Whether `head` ends on an organisation noun (and a comma): what `_ORG_NP_RE` needs, tested cheaply."""
    tail = head.rstrip()
    if tail.endswith(","):
        tail = tail[:-1].rstrip()
    return tail.endswith(_ORG_NOUN_ENDINGS)


def _reporter(
    sentence: str, end: int, cased: bool, agencies: list[tuple[int, int, str]]
) -> tuple[int, str, SourceKind, str | None] | None:
    """The reporter whose name ends at `end` (just before the verb); `agencies` are the sentence's."""
    head = sentence[:end]
    reach = max(0, end - _REACH)  # a reporter's name and title end at the verb: never search the whole sentence
    ending = [a for a in agencies if end - 2 <= a[1] <= end]
    if ending:
        return ending[-1][0], ending[-1][2], "agency", None
    last = head.rsplit(None, 1)[-1:]  # the last word (splitting the whole head cost as much as the rest)
    if last and last[0].strip(",").lower() in _PRONOUNS:
        return end - len(last[0]), last[0].strip(",").lower(), "pronoun", None
    paren = _PAREN_ACRONYM_RE.search(head, reach)
    if paren:
        return paren.start(1), paren.group(1).upper(), "agency", None
    if cased:
        appositive = _APPOSITIVE_RE.search(head, reach) if _may_be_appositive(head, reach) else None
        if appositive:
            orgs = [a for a in agencies if appositive.start(2) <= a[0] and a[1] <= appositive.end(2)]
            return appositive.start(), appositive.group(1), "person", orgs[0][2] if orgs else None
        m = _search_back(_NAME_BACK_RE, head, reach, _NAME_BACK_CHUNKS) if _ends_capitalised(head) else None
        if m:
            words = m.group(1).split()
            acronym = next((w for w in words[:-1] if w.isupper() and len(w) >= 2 and lookup(w) is None), None)
            if acronym is not None:  # "NDMA Chairman Asif Mahmood": the official speaks for NDMA
                person = _name_from_words(words[words.index(acronym) + 1 :])
                return m.start(1), person or acronym, "person" if person else "agency", acronym
            name = _name_from_words(words)
            if name:
                official = _official_of(head, max(0, m.start(1) - 90), m.start(1))
                org = official.group("org") if official and lookup(official.group("org")) is None else None
                return m.start(1), name, "person", org
            place = lookup(words[-1].rstrip(",")) if len(words) <= 2 else None
            if place is not None and place.kind != "demonym":
                return m.start(1), place.name, "other", None
        org = _search_back(_ORG_NP_RE, head, reach, _ORG_NP_CHUNKS) if _ends_with_org_noun(head) else None
        if org:
            owner = (org.group("owner") or "").strip()
            if owner.endswith(("'s", "’s")):  # "the military's media wing": the owner is the organisation
                return org.start(), owner[:-2] + " " + _org_name(org.group("np")), "other", None
            prefix = f"{owner} " if owner else ""
            return org.start(), prefix + _org_name(org.group("np")), "other", None
        return None
    return _lower_reporter(head, reach)


def _lower_reporter(head: str, reach: int) -> tuple[int, str, SourceKind, str | None] | None:
    """The reporter before a verb in lower-case text, only when its words say what it is: an organisation noun
    ("the interior ministry", "police"), a title and a name ("president hollande"), or a country ("germany").
    Any other words ("casualties have been", "the other day who") are not a reporter."""
    m = _LOWER_BACK_RE.search(head, reach)
    if m is None:
        return None
    tokens = list(_LOWER_TOKEN_RE.finditer(head, m.start(1), m.end(1)))
    cut = max((i for i, t in enumerate(tokens) if t.group() in _LOWER_STOP or not t.group().isalpha()), default=-1)
    tokens = tokens[cut + 1 :]
    words = [t.group() for t in tokens]
    if not words:
        return None
    if words[-1] in _LOWER_ORG_NOUNS:
        kept = [i for i, w in enumerate(words) if w not in _DROP_WORDS]
        start = tokens[kept[0]].start()
        return start, _org_name(" ".join(words[kept[0] :])), "other", None
    titled = [i for i, w in enumerate(words) if w in _TITLES]
    if titled and titled[-1] == len(words) - 1 and words[-1] not in _DROP_WORDS:  # "its director said"
        first = next((i for i in range(len(words), 0, -1) if i - 1 not in titled or words[i - 1] in _DROP_WORDS), 0)
        return tokens[first].start(), " ".join(w.capitalize() for w in words[first:]), "other", None
    if titled and 0 < len(words) - titled[-1] - 1 <= 3:
        name = words[titled[-1] + 1 :]
        places = [lookup(w) for w in name]
        # a name's word may be a town's ("kamal singh bam"), not a country's, nor a lone word a place
        not_name = any(p is not None and (p.kind == "country" or len(name) == 1) for p in places)
        if not not_name and not any(w in _NUMBER_WORDS for w in name):
            start = tokens[titled[-1] + 1].start()
            # "nepal police spokesman kamal singh bam tells": the official speaks for the body named before
            body = words[: titled[-1]]
            org = _org_name(" ".join(body)) if body and body[-1] in _LOWER_ORG_NOUNS else None
            if words[titled[-1]] == "minister" and body and body[-1] in _PORTFOLIOS:
                org = f"{body[-1].capitalize()} Ministry"  # "health minister maggie de block": her ministry
                if len(body) == 1:  # "belgian health minister ...": the nationality may lie just before the words
                    before = head[max(0, tokens[0].start() - 20) : tokens[0].start()].split()[-1:]
                    if before and _NATIONALITY_RE.fullmatch(before[0]):
                        org = f"{before[0].capitalize()} {org}"
            return start, " ".join(w.capitalize() for w in name), "person", org or None
    place = lookup(" ".join(words[-2:])) or lookup(words[-1])
    if place is not None and place.kind == "country":
        size = 2 if lookup(" ".join(words[-2:])) is place and len(words) > 1 else 1
        return tokens[-size].start(), place.name, "other", None
    return _bare_name(head, tokens, words)


def _bare_name(head: str, tokens: list[re.Match[str]], words: list[str]) -> tuple[int, str, SourceKind, None] | None:
    """ "..., angela merkel said": two or three words that open a clause and that are none of the words a
    reporter's phrase is otherwise made of (function words, titles, organisation and people nouns, places) are
    taken for a person's name."""
    if not 2 <= len(words) <= 3 or any(w in _NOT_NAME or lookup(w) is not None for w in words):
        return None
    before = head[: tokens[0].start()].rstrip()
    last = before.rsplit(None, 1)[-1] if before else ""
    if before and last not in _NAME_OPENERS:
        return None
    if last.isalpha() and head.rstrip().endswith(","):
        return None  # "... and flattened entire communities , reports global news": not "the mayor , sergio pirozzi ,"
    return tokens[0].start(), " ".join(w.capitalize() for w in words), "person", None


# Words of `_TITLES` that qualify a title ("press secretary", "senior official") and are none by themselves.
_TITLE_MODIFIERS: Final = frozenset(
    "press communications deputy senior regional city emergency former acting high foreign interior health".split()  # noqa: SIM905
)
# The phrase after "according to" in lower-case text: words up to a punctuation mark or a function word.
_LOWER_RUN_RE: Final = re.compile(r"(?:[a-z][\w.'’-]*|'s|’s)(?:\s+(?:[a-z][\w.'’-]*|'s|’s)){0,6}")
# "..., chief , luis felipe puente ,": a name in commas after an official's title.
_LOWER_APPOSED_RE: Final = re.compile(r"\s*,\s+((?:[a-z][\w'’-]*\s+){1,2}[a-z][\w'’-]*)\s*(?=[,.;:]|$)")


def _lower_according(tail: str) -> tuple[int, str, SourceKind, str | None] | None:
    """Who "according to" names in lower-case text, where no capital marks a name: the words up to a function
    word or a punctuation mark read as a reporter's phrase before a verb is read (`_lower_reporter`: "nepal 's
    national emergency operation centre", "interior minister ana rojas"), a title followed by a name in commas
    ("the civil protection chief , luis puente ,"), or two or three words that cannot be anything but a name
    ("christian estrosi"). Returns (where it ends in `tail`, name, kind, the official's organisation)."""
    run = _LOWER_RUN_RE.match(tail)
    if run is None:
        return None
    words = run.group().split()
    cut = next((i for i, w in enumerate(words) if w in _LOWER_STOP and i > 0), len(words))
    phrase = " ".join(words[:cut])
    end = tail.find(phrase) + len(phrase)
    if words[cut - 1] in _TITLES:  # (a name in commas after it)
        apposed = _LOWER_APPOSED_RE.match(tail, end)
        name = apposed.group(1).split() if apposed else []
        if name and not any(w in _NOT_NAME or lookup(w) is not None for w in name):
            return apposed.end(1), " ".join(w.capitalize() for w in name), "person", None  # type: ignore[union-attr]
    who = _lower_reporter(", " + phrase, 0)
    before = words[max(0, cut - len(who[1].split()) - 1) : cut - len(who[1].split())] if who else []
    if (
        who is not None
        and who[2] == "person"
        and (_TITLE_MODIFIERS.intersection(before) or words[cut:][:1] in (["by"], ["of"]))
    ):
        return None  # "the press association" ("press secretary"), "emails seen by the bbc": no person
    return None if who is None else (end, *who[1:])


_SAYS: Final = frozenset(["said", "says", "reported", "reports", "added", "adds", "confirmed", "confirms"])
_AFTER_VERB_RE: Final = re.compile(r"\s+(?:the\s+)?([^,.;:!?()\"“”`']{2,80}?)\s*(?=[,.;:!?()\"“”`']|$)")


def _inverted(
    sentence: str, verb_end: int, cased: bool, agencies: list[tuple[int, int, str]]
) -> tuple[int, str, SourceKind, str | None] | None:
    """The reporter named after a reporting verb that follows a comma ("..., said police .", "..., says the
    health ministry", "..., said spokeswoman ana rojas ."): a known agency, or words that say what they are (an
    organisation noun, a title and a name; in cased text, a name), up to the end of the clause. Returns (where
    it ends, name, kind, organisation)."""
    if sentence[:verb_end].rsplit(None, 1)[-1].lower() not in _SAYS:
        return None
    phrase = _AFTER_VERB_RE.match(sentence, verb_end)
    if phrase is None:
        return None
    named = [a for a in agencies if a[0] == phrase.start(1) and a[1] == phrase.end(1)]
    if named:
        return named[0][1], named[0][2], "agency", None
    words = phrase.group(1).split()
    if cased and words[0] != words[0].lower():
        if any(c.isdigit() for c in phrase.group(1)):
            return None  # "Says Over 1.3 Million Displaced": a headline's capitals, then its figure, name nobody
        name = _name_from_words(words) if len(words) <= 4 else None
        return (phrase.end(1), name, "person", None) if name else None
    low = [w.lower() for w in words]
    low = low[: next((i for i, w in enumerate(low) if w in _LOWER_STOP), len(low))]  # "police in a statement"
    if not 1 <= len(low) <= 5 or not all(w.replace("-", "").replace("'", "").isalpha() for w in low):
        return None
    who = _lower_reporter(", " + " ".join(low), 0)
    if who is None or (who[2] == "person" and not any(w in _TITLES for w in low)):
        return None  # a bare name after the verb may as well be its object
    _, name, kind, org = who
    end = phrase.start(1) + len(" ".join(words[: len(low)]))
    return end, name, kind, org


def _org_name(np: str) -> str:
    """'the health ministry' -> 'Health Ministry'."""
    return " ".join(w.capitalize() for w in np.split() if w.lower() not in _DROP_WORDS)


def find_attributions(
    sentence: str,
    *,
    cased: bool = True,
    agencies: list[tuple[int, int, str]] | None = None,
    sentence_words: frozenset[str] | None = None,
    lower: str | None = None,
) -> list[Attribution]:
    """'X said', ', X said', 'according to X', 'X data shows', 'X Says' (headlines), in order.

    `agencies` (`agencies_in(sentence, cased=cased)`), `sentence_words` (`words_of(sentence.lower())`) and `lower`
    (`sentence.lower()`) are given when the caller has them: an entry finds its agencies once, and a sentence's
    words and lower-cased text once for all searches."""
    found: list[Attribution] = []
    lowered = sentence.lower() if lower is None else lower
    present = _TRIGGERS.intersection(_WORDS_RE.findall(lowered) if sentence_words is None else sentence_words)
    if not present:
        return found  # no reporting verb: nothing to find
    according = list(_ACCORDING_RE.finditer(sentence)) if present & _ACCORDING_TRIGGERS else []
    verbs = _verb_hits(sentence, lowered, present)
    if not according and not verbs:
        return found
    if agencies is None:
        agencies = agencies_in(sentence, cased=cased)
    for m in according:
        tail = sentence[m.end() :]
        named = [a for a in agencies if a[0] == m.end()]
        if named:
            found.append(Attribution(m.start(), named[0][1], named[0][2], "agency"))
            continue
        name_m = _CAP_WORD_RE.match(tail) if cased else None
        if name_m:
            run = _ACCORDING_RUN_RE.match(tail)
            words = (run.group() if run else name_m.group()).split()
            if run is not None and (run.group("noun") or any(w.isdigit() for w in words)):
                # "according to the Sindh Rescue 1122 service": an organisation
                found.append(Attribution(m.start(), m.end() + run.end(), _org_name(run.group()), "other"))
                continue
            name = _name_from_words(words)
            if name:
                found.append(Attribution(m.start(), m.end() + len(" ".join(words)), name, "person"))
                continue
        org = _ORG_NP_START_RE.match(tail)
        if org:
            found.append(Attribution(m.start(), m.end() + org.end(), _org_name(org.group("np")), "other"))
        elif not cased:
            who = _lower_according(tail)
            if who is not None:
                found.append(Attribution(m.start(), m.end() + who[0], *who[1:]))
    for verb_start, verb_end in verbs:
        who = _reporter(sentence, verb_start, cased, agencies)
        if who is None and _trimmed(sentence[:verb_start]) != sentence[:verb_start].rstrip():
            inverted = _inverted(sentence, verb_end, cased, agencies)  # "..., said police ."
            if inverted is not None:
                found.append(Attribution(verb_start, *inverted))
                continue
        if who is not None:
            start, name, kind, affiliation = who
            found.append(Attribution(start, verb_end, name, kind, affiliation))
    found.sort(key=lambda a: a.start)
    return found
