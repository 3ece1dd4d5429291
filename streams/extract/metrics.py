"""Cue words: what a number counts (subject), what happened to them (metric), and whether money is aid."""

from __future__ import annotations

import re
from typing import Final

from streams.extract.text import Caseless

# Nouns that make a number a count of people, and the subject they map to.
SUBJECT_NOUNS: Final[dict[str, str]] = {
    **dict.fromkeys(["civilians", "civilian"], "civilians"),
    **dict.fromkeys(
        ["children", "child", "kids", "boys", "girls", "minors", "babies", "infants", "toddlers", "teenagers"],
        "children",
    ),
    **dict.fromkeys(
        ["people", "persons", "person", "individuals", "others", "adults", "men", "man", "lives", "nationals"],
        "people",
    ),
    **dict.fromkeys(["women", "woman"], "women"),
    **dict.fromkeys(["residents", "inhabitants", "citizens", "locals", "villagers", "households"], "residents"),
    **dict.fromkeys(["families"], "families"),
    **dict.fromkeys(
        [
            "servicemen",
            "servicemembers",
            "soldiers",
            "troops",
            "servicewomen",
            "marines",
            "fighters",
            "combatants",
            "conscripts",
            "personnel",
        ],
        "servicemembers",
    ),
    **dict.fromkeys(["migrants", "migrant", "asylum-seekers", "asylum"], "migrants"),
    **dict.fromkeys(["patients"], "patients"),
    **dict.fromkeys(["students", "pupils"], "students"),
    **dict.fromkeys(["journalists", "reporters"], "journalists"),
    **dict.fromkeys(["tourists", "visitors", "passengers", "pilgrims"], "visitors"),
    **dict.fromkeys(["workers", "volunteers", "staff", "employees", "doctors", "medics"], "workers"),
    **dict.fromkeys(["officers", "policemen", "police"], "police"),
    **dict.fromkeys(["prisoners", "detainees", "hostages"], "detainees"),
    # The perpetrators: their count is a series apart from the victims' ("eight attackers also died").
    **dict.fromkeys(
        ["attackers", "gunmen", "assailants", "militants", "terrorists", "bombers", "jihadists", "insurgents"],
        "attackers",
    ),
}

# Head nouns or adjectives right after a number that name the metric ("3,000 casualties", "500 dead").
METRIC_NOUNS: Final[dict[str, str]] = {
    "casualties": "casualties",
    "deaths": "killed",
    "death": "killed",
    "dead": "killed",
    "fatalities": "killed",
    "fatality": "killed",
    "bodies": "killed",
    "killed": "killed",
    "injured": "injured",
    "injuries": "injured",
    "wounded": "injured",
    "hurt": "injured",
    "refugees": "refugees",
    "refugee": "refugees",
    "evacuees": "evacuated",
    "evacuated": "evacuated",
    "displaced": "internally_displaced",
    "idps": "internally_displaced",
    "homeless": "internally_displaced",
    "missing": "missing",
}
# Words that may sit between a number and its noun ("50 Ukrainian servicemen", "2 million more people").
SKIP_WORDS: Final[frozenset[str]] = frozenset(
    """other more additional young small foreign local innocent unaccompanied elderly vulnerable new
    further estimated fellow internally of whom them were reportedly military civil confirmed reported feared
    presumed""".split()  # noqa: SIM905
)
# Tokens that may follow a bare number in a figure ("1,900 have been injured", "the four million who fled").
FOLLOWERS: Final[frozenset[str]] = frozenset(
    """have has had were was are is been who will would could may might remain remaining remained trapped
    fled died arrived entered crossed reached reaching now already still so more had killed injured
    wounded dead evacuated displaced left leave""".split()  # noqa: SIM905
)

_KILLED = (
    r"killed|dead|died|deaths?(?!\s+(?:row|penalty|penalties|sentences?|threats?))|death\s+toll|lost\s+their\s+lives|perished|fatalit(?:y|ies)|murdered|slain|"
    r"executed|lives\s+(?:were|have\s+been)\s+lost"
)
# "77 people have been taken to hospital": carried or admitted to a hospital is how a count of injured is told.
_INJURED = (
    r"injured|wounded(?!\s+knee)|hurt|injuries|hospitali[sz]ed"  # not the place, "wounded knee"
    r"|(?:taken|rushed|admitted|brought|transported)\s+to\s+(?:(?:a|the|local|nearby)\s+)?hospitals?"
)
_CUE_PATTERN = (
    r"\b(?:(?P<casualties>casualties|(?:killed|dead)\s+(?:or|and)\s+(?:injured|wounded)|killed\s+or\s+hurt)"
    r"|(?P<idp>internally\s+displaced|displaced|fled\s+their\s+homes|made\s+homeless|left\s+homeless|homeless"
    r"|lost\s+their\s+homes|forced\s+(?:from|out\s+of)\s+their\s+homes"
    r"|(?:sheltering|living|staying|spent\s+(?:last\s+)?(?:the\s+)?night)\s+in\s+"
    r"(?:(?:temporary|emergency|makeshift|government|public|official|evacuation)\s+)?"
    r"(?:relief\s+camps|camps|rest\s+centres|rest\s+centers|shelters|evacuation\s+centres|evacuation\s+centers))"
    r"|(?P<remaining>(?:remain|remains|remained|remaining)(?!\s+(?:missing|unaccounted|in\s+hospital|critical|in\s+critical))|trapped|besieged|stranded|stuck|left\s+behind|still\s+in"
    r"|holed\s+up)"
    r"|(?P<missing>missing(?!\s+persons?\s+(?:reports?|inquir|cases?|calls?|bureau|unit|helpline|appeals?))|unaccounted\s+for|not\s+(?:yet\s+)?accounted\s+for)"
    r"|(?P<evacuated>evacuated|evacuation|rescued|airlifted|brought\s+to\s+safety|taken\s+to\s+safety"
    r"|(?:ordered|told)\s+to\s+(?:evacuate|leave\s+their\s+homes))"
    rf"|(?P<killed>{_KILLED})"
    rf"|(?P<injured>{_INJURED})"
    r"|(?P<refugees>refugees?|fled|flee|fleeing|left\s+(?:the|their)\s+country|cross(?:ed|ing)?\s+(?:into|(?:the\s+)?borders?)"
    r"|sought\s+(?:refuge|asylum))"
    r"|(?P<arrived>arrived\s+in|arriving\s+in|entered|entering|gone\s+to|reached|reaching|went\s+to|crossed\s+to))\b"
)
CUE: Final = Caseless(_CUE_PATTERN)
CUE_RE: Final = CUE.any_case
_GROUP_METRIC: Final[dict[str, str]] = {
    "casualties": "casualties",
    "idp": "internally_displaced",
    "remaining": "remaining",
    "missing": "missing",
    "evacuated": "evacuated",
    "killed": "killed",
    "injured": "injured",
    "refugees": "refugees",
    "arrived": "arrived",
    "ref": "ref",  # "the figure now stands at 217": the metric an earlier cue names (`figures.py`)
}
# Cues before a number that takes it as object ("killing 20 people", "the death toll rose to 300").
BEFORE: Final = Caseless(
    r"\b(?:(?P<killed>killing|killed|kills|death\s+toll\b[^.;]{0,60}?\b(?:to|at|of|is|as|reached|hit|passes|passed"
    r"|exceeds|exceeded|tops|topped|surpasses|surpassed|nears)"
    r"|number\s+of\s+(?:people\s+)?(?:dead|deaths|killed)\b[^.;]{0,30}?\b(?:to|at|is|reached))"
    r"|(?P<injured>injuring|wounding|injured|wounded"
    r"|number\s+of\s+(?:people\s+)?(?:injured|wounded|injuries)\b[^.;]{0,30}?\b(?:to|at|is|reached))"
    r"|(?P<evacuated>evacuated|evacuating|rescued|evacuation\s+of|airlifted|airlifting)"
    r"|(?P<idp>displacing|displaced)"
    r"|(?P<missing>number\s+of\s+(?:people\s+)?missing\b[^.;]{0,30}?\b(?:to|at|is|reached))"
    r"|(?P<ref>(?:figure|total|tally)\s+(?:(?:now|currently)\s+)?(?:(?:down|up|downwards?|upwards?)\s+)?"
    r"(?:stands\s+at|stood\s+at|to|at)|(?:put|puts|putting)\s+it\s+at)"
    r"|(?P<refugees>number\s+of\s+refugees\b[^.;]{0,30}?\b(?:to|at|is|reached)|hosting|hosts|taken\s+in))"
    r"\s+(?:(?:now|currently|already)\s+)?"
    r"(?:(?:at\s+least|more\s+than|over|about|around|nearly|some|up\s+to|an\s+estimated|all)\s+)?$"
)  # "killing all 62 on board": the whole of a known number is a count too
BEFORE_RE: Final = BEFORE.any_case
# What a `BEFORE` match ends on, before its final whitespace: the last word of each alternative and qualifier.
_BEFORE_ENDINGS: Final = tuple(
    """killing killed kills to at of is as reached hit injuring wounding injured wounded evacuated evacuating rescued
    airlifted airlifting displacing displaced hosting hosts in least than over about around nearly some
    estimated passes passed exceeds exceeded tops topped surpasses surpassed nears now currently already all""".split()  # noqa: SIM905
)
_BEFORE_REACH: Final = 90  # a cue further back than this is not about the number


def cue_before(text: str, low: str | None, pos: int) -> re.Match[str] | None:
    """A `BEFORE` cue ending right before `pos` ("killing at least 20"), searched in the 90 characters before it.

    The regex ends on whitespace after one of `_BEFORE_ENDINGS`; most numbers follow no such word, and that test
    is cheaper than trying the regex at each of the 90 positions."""
    start = max(0, pos - _BEFORE_REACH)
    if low is not None:
        tail = low[start:pos]
        if not tail[-1:].isspace() or not tail.rstrip().endswith(_BEFORE_ENDINGS):
            return None
    return BEFORE.search(text, low, start, pos)


AID: Final = Caseless(
    r"\b(?:aid|assistance|humanitarian|relief|donat\w*|pledg\w*|promis\w*|funding|fund|grants?|package"
    r"|raised|contribut\w*|send|sent|provide|providing|support)\b"
)
AID_RE: Final = AID.any_case
# Words that make a sum aid by themselves; the others in `AID` ("pledged", "donated", "fund", "support") are as
# often a budget, a party donation or an election promise, and need a crisis word in the sentence or in the blog's
# title or the entry's headline (`CRISIS`): a disaster, a war or people driven from home, not "emergency" (an
# "emergency fund" for a company's suppliers, a bank's "emergency liquidity") nor "homeless" (a council's grant).
# "relief" is no aid in a "relief road", "tax relief" or a telethon's name ("sport relief").
STRONG_AID: Final = Caseless(
    r"\b(?:aid|assistance|humanitarian|(?<!tax\s)(?<!rate\s)(?<!rates\s)(?<!debt\s)(?<!transitional\s)(?<!sport\s)"
    r"(?<!comic\s)relief(?!\s+road)|recovery)\b"
)
CRISIS: Final = Caseless(
    r"\b(?:refugees?|migrants?|victims?|survivors?|displaced|disasters?|flood\w*|earthquake|quake|hurricane|storm"
    r"|cyclone|typhoon|tsunami|famine|drought|(?<!world\s)war|humanitarian|evacuees|wildfires?)\b"
)
NOT_AID: Final = Caseless(
    r"\b(?:invest\w*|price\w*|cost\w*|worth|fine[ds]?|salar\w*|revenues?|deals?|sanction\w*|assets|bail|bonus\w*"
    r"|tax\w*|spent|profits?|valued|bills?|ransom|compensation|wages?|pay|paid|loss(?:es)?|damages?|contract|appeal"
    r"|appeals|requested|request|each|per|apiece|grants?\s+of|budgets?|spend|spending|cut|cuts|cutting|savings?"
    r"|saving|loans?|debts?|borrow\w*|pensions?|shares|takeover|bid|reward|prize|turnover|deficit|subsid\w*"
    r"|property|stake|paying|bailout|nhs|every|tranche|instalment|installment|earning|earnings|income"
    r"|legal\s+aid|liquidity|military|defences?|weapons|arms|road|bypass|infrastructure"
    r"|reserves?|net|industry|suppliers|foreign\s+aid|economic|economy|lenders|creditors|recapitali[sz]\w*"
    r"|reduc\w*|eliminat\w*|slash\w*|scrap\w*|disburse\w*|climate\s+(?:aid|finance|fund\w*)|caps?|lose|state\s+aid|payments?)\b"
)
# Party politics: a sum near these words is a donation to a party or an election promise, unless the words around
# it say aid ("labor welcomes $ 44m in humanitarian relief").
POLITICS: Final = Caseless(
    r"\b(?:party|parties|campaign|election|referendum|ukip|labour|labor|tory|tories|conservatives|greens|lnp|alp"
    r"|snp|lib\s+dems?|donors|manifesto|politics|political|politicians)\b"
)
HUMANITARIAN: Final = Caseless(r"\b(?:aid|humanitarian|relief|refugees?|victims|survivors|displaced)\b")
NOT_AID_RE: Final = NOT_AID.any_case
AID_PHRASE_RE: Final = re.compile(
    r"\s*(?:\([^()]{1,30}\)\s*)?(?:(?:in|of|for)\s+['‘\"“]?(?:an?\s+)?)?"
    r"(?P<phrase>(?:[\w-]+\s+){0,3}(?:aid|assistance|support|funding|relief|grants|fund))\b",
    re.IGNORECASE,
)


# "$7 million from its Central Emergency Response Fund (CERF)": an allocation from a named fund.
FUND_RE: Final = re.compile(r"\s*from\s+(?:its|the|their)\s+(?:[A-Z][\w-]*\s+){1,5}Fund\s+\((?P<acr>[A-Z]{2,8})\)")


def cue_metric(match: re.Match[str]) -> str:
    """The metric a `CUE_RE` or `BEFORE_RE` match stands for ('arrived' needs a destination to mean refugees)."""
    return _GROUP_METRIC[match.lastgroup or ""] if match.lastgroup else ""
