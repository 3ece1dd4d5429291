"""Near-duplicates: stable fingerprints, the twins linked and nothing else, the earliest entry wins, state expires."""

import base64
import os
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from streams import neardup
from streams.ingest.archive import load_updates
from streams.neardup import BandState, Config, Verdict, observe

REPO = Path(__file__).resolve().parents[2]
BLOGS = REPO / "tests" / "data" / "blogs"
WIRE = (
    "More than 400 firefighters, backed by nine water-bombing aircraft, are now tackling the fire, which has "
    "burned through about 2,000 hectares of cork oak and scrubland. The national weather service has put the "
    "Évora district on its highest level of fire-risk warning until Friday, with temperatures forecast to reach 44C."
)
HOUR = 3600.0


def compact(seed: int, changed: int = 0) -> str:
    """A compact signature of random bytes; `changed` of its 128 values differ from the base (seed's) ones."""
    rng = random.Random(seed)
    values = bytearray(rng.randrange(256) for _ in range(neardup.NUM_PERM))
    for i in range(changed):
        values[i] = (values[i] + 1) % 256
    return base64.b64encode(bytes(values)).decode()


def run(events: Iterable[tuple[str, str, float]], config: Config = neardup.DEFAULT) -> tuple[BandState, list[Verdict]]:
    state: BandState = {}
    verdicts = []
    for key, sig, time in events:
        verdict = observe(state, key, sig, time, config=config)
        state = verdict.state
        verdicts.append(verdict)
    return state, verdicts


def links(verdicts: Iterable[tuple[str, Verdict]]) -> dict[str, str]:
    """What a consumer of the verdicts ends with: each entry's latest reported canonical."""
    out: dict[str, str] = {}
    for key, verdict in verdicts:
        out[key] = verdict.canonical
        out.update(verdict.relinked)
    return out


def test_the_fingerprint_is_stable_across_processes() -> None:
    # Another interpreter with another hash seed: band keys must be equal, or state is lost on every restart.
    code = "from streams import neardup; import sys; print(neardup.bands(neardup.fingerprint(sys.argv[1]))[0])"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, WIRE], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == neardup.bands(neardup.fingerprint(WIRE))[0]


def test_band_keys_do_not_change_silently() -> None:
    # A golden value: a change of the hashing or of the constants must bump VERSION (old state expires).
    assert neardup.bands(neardup.fingerprint(WIRE))[0] == "m2.2.00.7d737d9a605cc76c"


def test_normalisation_ignores_case_punctuation_and_tokenisation() -> None:
    assert neardup.shingles("The Army said . It 's over") == neardup.shingles("the army said. It's over")


def test_the_signature_counts_the_shingles_it_estimates() -> None:
    for text in (WIRE, "Évora", "two words", "one two three", "one two three four", "", " ... "):
        assert neardup.fingerprint(text).shingles == len(neardup.shingles(text))


def test_the_estimate_follows_the_exact_jaccard_similarity() -> None:
    """Our blogs' entries against edits of themselves: the 8-bit estimate stays close to the exact Jaccard."""
    rng = random.Random(5)
    texts = [u.body for path in sorted(BLOGS.glob("*.txt")) for u in load_updates(path) if len(u.body) > 200]
    errors = []
    for text in texts:
        words = text.split()
        for _ in range(5):
            at = rng.randrange(len(words))
            edited = " ".join([*words[:at], f"w{rng.randrange(10**6)}", *words[at + rng.randrange(1, 8) :]])
            a, b = neardup.shingles(text), neardup.shingles(edited)
            exact = len(a & b) / len(a | b)
            estimate = neardup.similarity(neardup.fingerprint(text).compact(), neardup.fingerprint(edited).compact())
            errors.append(abs(estimate - exact))
    assert len(errors) > 100
    assert sum(errors) / len(errors) < 0.04  # the standard error at J = 0.8 and 128 values is 0.035
    assert max(errors) < 0.2


def test_a_text_too_short_to_judge_has_no_band_keys() -> None:
    assert neardup.bands(neardup.fingerprint("Live updates have ended.")) == []
    assert len(neardup.bands(neardup.fingerprint(WIRE))) == neardup.BANDS


def test_a_changed_number_is_a_near_duplicate_and_another_story_is_not() -> None:
    edited = neardup.fingerprint(WIRE.replace("400", "450")).compact()
    other = neardup.fingerprint(WIRE.replace("fire", "flood").replace("Évora", "Faro").replace("400", "9")).compact()
    base = neardup.fingerprint(WIRE).compact()
    assert neardup.similarity(base, base) == 1.0
    assert neardup.similarity(base, edited) >= neardup.THRESHOLD
    assert neardup.similarity(base, other) < neardup.THRESHOLD


def test_the_twins_are_linked_and_no_other_entry_of_our_blogs_is() -> None:
    """Every entry of the test blogs through band states: only the wildfire told twice links (to the earlier)."""
    table: dict[str, BandState] = {}
    found: dict[str, str] = {}
    paths = [*sorted(BLOGS.glob("*.txt")), BLOGS / "wildfire-twin.json", BLOGS / "flood-jsonld.json"]
    for b, path in enumerate(paths):
        for n, update in enumerate(load_updates(path)):
            key = f"{path.name}|{update.entry_id}"
            sig = neardup.fingerprint(f"{update.headline or ''}\n{update.body}")
            for band in neardup.bands(sig):
                verdict = observe(table.get(band, {}), key, sig.compact(), b * HOUR + n)
                table[band] = verdict.state
                if verdict.decision == "duplicate":
                    found[key] = verdict.canonical
    assert len(found) == 4
    # The plain-text layout was read an hour earlier: the JSON-LD copies are its duplicates.
    assert all(dup.startswith("wildfire-twin.json|") for dup in found)
    assert {c.removeprefix("wildfire-twin.txt|") for c in found.values()} == {
        u.entry_id for u in load_updates(BLOGS / "wildfire-twin.txt")
    }


def test_a_revision_is_not_a_duplicate_of_itself() -> None:
    state, verdicts = run([("a", compact(1), 0.0), ("a", compact(1, changed=3), 60.0)])
    assert [v.decision for v in verdicts] == ["unique", "unique"]
    assert list(state) == ["a"]


def test_an_earlier_entry_arriving_late_becomes_canonical_and_relinks() -> None:
    _, verdicts = run([("b", compact(1), 600.0), ("c", compact(1, 2), 900.0), ("a", compact(1, 4), 300.0)])
    assert [(v.canonical, v.canonical_time) for v in verdicts] == [("b", 600.0), ("b", 600.0), ("a", 300.0)]
    assert verdicts[-1].relinked == {"b": "a", "c": "a"}


def test_an_entry_older_than_the_window_is_late_and_not_kept() -> None:
    state, verdicts = run([("new", compact(1), 100 * HOUR), ("old", compact(1), 1 * HOUR)])
    assert verdicts[-1].decision == "late" and list(state) == ["new"]


cliques = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 6), st.integers(0, 5)),
    min_size=1,
    max_size=8,
    unique_by=lambda t: t[0],
).flatmap(lambda members: st.permutations(members))


@given(cliques)
def test_the_canonical_is_the_earliest_whatever_the_arrival_order(order: list[tuple[int, int, int]]) -> None:
    """Entries that all duplicate each other end linked to the earliest (ties: smallest key), in any order."""
    events = [(f"e{key:02d}", compact(7, changed), minute * 60.0) for key, changed, minute in order]
    state, verdicts = run(events)
    expected = min((t, k) for k, _, t in events)[1]
    assert set(links(zip((k for k, _, _ in events), verdicts, strict=True)).values()) == {expected}
    assert {r["canonical"] for r in state.values()} == {expected}


observations = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 3), st.floats(0, 200 * HOUR)), min_size=1, max_size=60
)


@settings(max_examples=200)
@given(observations, st.integers(1, 8), st.sampled_from([HOUR, 48 * HOUR]))
def test_state_stays_inside_the_window_and_under_the_cap(
    events: list[tuple[int, int, float]], cap: int, window: float
) -> None:
    config = Config(window=window, cap=cap)
    state: BandState = {}
    latest = 0.0
    for key, variant, time in events:
        latest = max(latest, time)  # the caller's watermark, as the neardup agent keeps it per partition
        verdict = observe(state, f"e{key}", compact(variant, variant * 20), time, now=latest, config=config)
        state = verdict.state
        assert len(state) <= cap
        assert all(r["time"] >= latest - window for r in state.values())
        assert (verdict.decision == "late") == (time < latest - window)
    assert neardup.is_expired(state, latest + window + 1, window)
    assert not neardup.is_expired(state, latest, window) or not state


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 3), st.floats(0, 100 * HOUR), st.sets(st.integers(0, 5))),
        min_size=1,
        max_size=60,
    ),
    st.integers(2, 8),
)
def test_one_record_per_entry_gives_the_verdicts_of_one_state_per_band(
    events: list[tuple[int, int, float, set[int]]], cap: int
) -> None:
    """The agent keeps each entry once (`EntryBands`) and derives a band's state from its entries: the same
    verdicts as keeping each band's state, for entries seen once each (a revision shares its new signature)."""
    config = Config(window=48 * HOUR, cap=cap)
    per_band: dict[str, BandState] = {}
    records: dict[str, neardup.EntryBands] = {}
    members: dict[str, set[str]] = {}
    seen: set[int] = set()
    latest = 0.0
    for key, variant, time, band_numbers in events:
        if key in seen:
            continue
        seen.add(key)
        latest = max(latest, time)
        for band in (f"b{n}" for n in sorted(band_numbers)):
            entry, sig = f"e{key}", compact(variant, variant * 20)
            expected = observe(per_band.get(band, {}), entry, sig, time, now=latest, config=config)
            per_band[band] = expected.state
            mine = {k: records[k] for k in {*members.get(band, ()), entry} if k in records}
            state = neardup.band_state(band, mine)
            got = observe(state, entry, sig, time, now=latest, config=config)
            assert got == expected
            for k, stored in neardup.entry_changes(band, state, got.state, mine).items():
                if stored:
                    records[k] = stored
                else:
                    records.pop(k, None)
                (members.setdefault(band, set()).add if k in got.state else members.setdefault(band, set()).discard)(k)
            assert neardup.band_state(band, {k: records[k] for k in members.get(band, ())}) == got.state
