"""Near-duplicate entries (light edits, one wire story in two blogs), as plain functions over JSON state.

An entry's text becomes a MinHash `Signature` of its word shingles: each word hashed once (BLAKE2b, 64 bits,
cached), each shingle's hash mixed from its words' hashes with numpy, then NUM_PERM multiply-add-shift hash
functions (2-universal on 32-bit keys; constants derived from SEED with BLAKE2b), all vectorised: the same text
gives the same signature in every process, on every restart, whatever the numpy version or PYTHONHASHSEED.
Its LSH `bands` are string keys: near-duplicates share at least one with high probability, so sending each
band key to the partition that owns it brings candidates together without any worker holding all of them.
A band key's `BandState` keeps, per entry, its event time, a compact signature (the low 8 bits of each
minimum: 172 base64 characters) and its canonical entry; `observe` confirms a candidate by estimated Jaccard
≥ `threshold`, so a band collision alone never links two entries. The agent stores each entry once per
partition (`EntryBands`: time, signature, its canonical in each of its bands) and derives a band's state from
its entries' records (`band_state`, `entry_changes`): one table write per new entry, not one per band key.

Why MinHash rather than SimHash: a MinHash estimate is the Jaccard similarity of the shingle sets, which is
what "one sentence changed" moves predictably and what the threshold is measured on
(`benchmarks/neardup_threshold.py`); a 64-bit SimHash approximates a cosine with 64 coarse steps, cannot be
banded finely and is poor on short texts; the maintained SimHash packages on PyPI are unreleased since 2022.

The canonical entry is the earliest by event time (ties: the smaller key), so which entry wins does not
depend on arrival order; an earlier entry arriving late takes over and `Verdict.relinked` says whose link
changed. State expires by event time (`Config.window`) and is capped per band key (`Config.cap`).
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import numpy as np

NUM_PERM = 128
SEED = 20270825
SCHEME = "blake2b-words.mix64.mas32"
"""How shingles are hashed and permuted (`fingerprint`); part of VERSION."""
SHINGLE_WORDS = 3
"""Word 3-grams: one changed word moves at most 3 shingles (see the measurements in benchmarks/README.md)."""
MIN_SHINGLES = 8
"""Texts shorter than this (≈ 10 words) get no band keys: too short to tell a duplicate from a formula."""
BANDS, ROWS = 10, 2
"""10 band keys per entry (10 messages on the band topic): a pair at Jaccard 0.65 shares one with probability
0.996, at 0.5 0.94, at 0.2 0.33 (a candidate costs one comparison; 32 x 4 would cost 32 messages per entry)."""
THRESHOLD = 0.65
"""Estimated Jaccard from which a candidate is a near-duplicate. Measured (benchmarks/README.md): our own blogs'
distinct entries never reach it (max 0.22; 0.60 for two formulaic photo captions of the seed), corpus pairs above
it were reposts or boilerplate, follow-ups reusing background text stop at ≈ 0.63; a changed number stays
above it (recall 0.985), a changed sentence in a short entry does not."""
VERSION = "m2"
"""In every band key: changing any constant above gives new keys, so old state just expires."""

_WORD = re.compile(r"\w+")


def _constant(label: str, index: int) -> int:
    """A 64-bit constant derived from SEED: fixed forever, unlike a numpy generator's stream."""
    return int.from_bytes(hashlib.blake2b(f"{SEED}:{label}:{index}".encode(), digest_size=8).digest(), "little")


_U64 = np.dtype(np.uint64)
#: Permutation i maps a 32-bit key x to ((A[i] * x + B[i]) mod 2**64) >> 32 (Dietzfelbinger's multiply-add-shift).
_A = np.array([_constant("a", i) | 1 for i in range(NUM_PERM)], dtype=_U64)[:, None]
_B = np.array([_constant("b", i) for i in range(NUM_PERM)], dtype=_U64)[:, None]
#: A shingle's hash is mix64(sum of P[j] * hash(word j)): order matters, a word's hash is computed once per text.
_P = np.array([_constant("p", j) | 1 for j in range(SHINGLE_WORDS)], dtype=_U64)
_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)  # MurmurHash3's 64-bit finaliser
_R32, _R33 = np.uint64(32), np.uint64(33)
_EMPTY = (0xFFFFFFFF,) * NUM_PERM  # the signature of a text without words (never banded)
_WORD_CACHE = 1 << 18


class _WordHashes(dict[str, int]):
    """word → its 64-bit BLAKE2b: news text reuses few words, so most lookups are C-speed dict hits."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _WORD_CACHE:
            self.clear()
        value = self[word] = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        return value


_WORD_HASHES = _WordHashes()
_CHANCE = 1 / 256  # two unrelated 8-bit values are equal this often


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of a text: NUM_PERM 32-bit minima, and how many shingles the text had."""

    values: tuple[int, ...]
    shingles: int

    def compact(self) -> str:
        """The low 8 bits of each minimum, base64: what a band state stores to confirm a candidate."""
        # Little-endian 32-bit words: every fourth byte from the first is a value's low 8 bits.
        return base64.b64encode(struct.pack(f"<{len(self.values)}I", *self.values)[::4]).decode("ascii")


def words(text: str) -> list[str]:
    """The normalised text's words (NFKC, case-folded, punctuation dropped, so `said .` = `said.`)."""
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower: the same words, 3x cheaper
        return _WORD.findall(text.lower())
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the normalised text: the set whose Jaccard similarity a signature estimates."""
    words_ = words(text)
    if len(words_) <= size:
        return {" ".join(words_)} if words_ else set()
    return {" ".join(words_[i : i + size]) for i in range(len(words_) - size + 1)}


def fingerprint(text: str) -> Signature:
    """The text's MinHash signature over its word shingles (`shingles`, hashed): stable across processes and
    restarts. A text of at most SHINGLE_WORDS words is one shingle, as in `shingles`."""
    found = words(text)
    if not found:
        return Signature(values=_EMPTY, shingles=0)
    hashes = np.fromiter(map(_WORD_HASHES.__getitem__, found), dtype=_U64, count=len(found))
    size = min(SHINGLE_WORDS, len(found))
    n = len(found) - size + 1
    mixed = hashes[:n] * _P[0]
    for j in range(1, size):
        mixed += hashes[j : j + n] * _P[j]
    mixed ^= mixed >> _R33  # MurmurHash3 fmix64: every bit of the sum reaches the top 32 bits used below
    mixed *= _M1
    mixed ^= mixed >> _R33
    mixed *= _M2
    mixed ^= mixed >> _R33
    distinct = np.unique(mixed)
    keys = distinct >> _R32
    permuted = _A * keys  # (NUM_PERM, shingles), wrapping mod 2**64
    permuted += _B
    minima = permuted.min(axis=1) >> _R32  # >> 32 is monotone: the minimum's top bits are the top bits' minimum
    return Signature(values=tuple(minima.tolist()), shingles=len(distinct))


def bands(signature: Signature, count: int = BANDS, rows: int = ROWS) -> list[str]:
    """The LSH band keys of a signature: the repartition keys. None for a text too short to compare.

    Two texts at Jaccard J share at least one key with probability 1 - (1 - J**rows)**count.
    """
    if signature.shingles < MIN_SHINGLES:
        return []
    if count * rows > len(signature.values):
        raise ValueError(f"{count} bands of {rows} rows need more than {len(signature.values)} permutations")
    packed = struct.pack(f"<{count * rows}I", *signature.values[: count * rows])  # a band: 4 * rows bytes
    size = 4 * rows
    digests = (hashlib.blake2b(packed[b * size : (b + 1) * size], digest_size=8).hexdigest() for b in range(count))
    return [f"{VERSION}.{rows}.{band:02d}.{digest}" for band, digest in enumerate(digests)]


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two compact signatures (b-bit MinHash estimator, b = 8)."""
    return _similarity(_unpack(a), _unpack(b))


def _unpack(compact: str) -> np.ndarray[tuple[int], np.dtype[np.uint8]]:
    return np.frombuffer(base64.b64decode(compact), dtype=np.uint8)


def _similarity(x: np.ndarray[tuple[int], np.dtype[np.uint8]], y: np.ndarray[tuple[int], np.dtype[np.uint8]]) -> float:
    if x.shape != y.shape:
        raise ValueError("compact signatures of different lengths")
    agree = float(np.count_nonzero(x == y)) / len(x)
    return max(0.0, (agree - _CHANCE) / (1 - _CHANCE))


class BandRecord(TypedDict):
    """One entry in a band key's state."""

    time: float
    """The entry's event time (first publication, epoch seconds): stable across its revisions."""
    sig: str
    canonical: str
    """The entry it duplicates (the earliest of its cluster seen here), or itself."""
    canonical_time: float


BandState = dict[str, BandRecord]
"""A band key's state: entry key → record. What a Faust table keyed by band key holds as its value."""

Decision = Literal["unique", "duplicate", "late"]


class EntryBands(TypedDict):
    """An entry's places in the bands of one partition: what the `bands` table keeps, one record per entry.

    A band's state is a view over the records of its entries (`band_state`), so a new entry costs one table
    write (one changelog record) instead of one per band key, and its signature is stored once, not 10 times.
    """

    time: float
    sig: str
    """The signature of the entry's latest version seen here."""
    bands: dict[str, list[Any]]
    """Band key → [canonical, canonical_time]: the entry's canonical as that band sees it."""


def band_state(band: str, records: Mapping[str, EntryBands]) -> BandState:
    """The state of `band` as `observe` takes it, from the records of its entries (entry key → record; records
    of entries not in `band` are left out)."""
    state: BandState = {}
    for key, record in records.items():
        link = record["bands"].get(band)
        if link is not None:
            state[key] = BandRecord(time=record["time"], sig=record["sig"], canonical=link[0], canonical_time=link[1])
    return state


def entry_changes(
    band: str, before: Mapping[str, BandRecord], after: Mapping[str, BandRecord], records: Mapping[str, EntryBands]
) -> dict[str, EntryBands | None]:
    """The records of the entries whose place in `band` changed from `before` to `after` (a verdict's state),
    each as it must now be stored; None for an entry left in no band (dropped by the window or the cap).
    `records` must hold the current record of every entry in `before` or `after`, the observed one included."""
    changed: dict[str, EntryBands | None] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        record = records.get(key)
        bands = dict(record["bands"]) if record else {}
        if new is None:
            bands.pop(band, None)
            changed[key] = EntryBands(time=record["time"], sig=record["sig"], bands=bands) if record and bands else None
        else:
            bands[band] = [new["canonical"], new["canonical_time"]]
            changed[key] = EntryBands(time=new["time"], sig=new["sig"], bands=bands)
    return changed


@dataclass(frozen=True, slots=True)
class Config:
    """What `observe` is tuned by; the defaults are the measured ones."""

    threshold: float = THRESHOLD
    window: float = 48 * 3600.0
    """Seconds of event time an entry stays comparable; older records are dropped."""
    cap: int = 32
    """Records kept per band key at most (the oldest go first): memory stays bounded under a flood."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What `observe` decided for one entry in one band, and the band's new state to write back."""

    decision: Decision
    canonical: str
    """The observed entry's canonical entry: itself unless it is a duplicate."""
    canonical_time: float
    """The canonical's event time: bands may disagree, and a consumer keeps the earliest (time, key) reported."""
    similarity: float
    """The best estimated Jaccard among confirmed candidates (0 when none)."""
    state: BandState
    relinked: dict[str, str] = field(default_factory=dict)
    """Other entries of this band whose canonical changed (an earlier entry arrived late) → their new one."""


DEFAULT = Config()


def _horizon(state: Mapping[str, BandRecord], time: float, now: float | None, window: float) -> float:
    """Event time before which records are dropped: `window` before the latest time known (so the caller must
    reject times far in the future, as the entries agent already does, or one bad clock empties a band)."""
    latest = max([time, *(r["time"] for r in state.values()), *([now] if now is not None else [])])
    return latest - window


def is_expired(state: Mapping[str, BandRecord], now: float, window: float = DEFAULT.window) -> bool:
    """Whether a band key holds nothing inside the window: a sweep deletes it (most keys are never seen twice)."""
    return all(r["time"] < now - window for r in state.values())


def observe(
    state: Mapping[str, BandRecord],
    key: str,
    sig: str,
    time: float,
    *,
    now: float | None = None,
    config: Config = DEFAULT,
) -> Verdict:
    """Whether entry `key` (compact signature `sig`, event time `time`) duplicates one already in this band.

    `now` is the caller's event-time watermark, if it keeps one; the band's own latest time is used too. An
    entry older than the window is `late`: its duplicates may have expired, so it is neither stored nor linked.
    A revision (same key) replaces its own record and is never compared with itself.
    """
    cutoff = _horizon(state, time, now, config.window)
    live = {k: r for k, r in state.items() if r["time"] >= cutoff}
    if time < cutoff:
        return Verdict("late", key, time, 0.0, live)
    live.pop(key, None)
    mine = _unpack(sig)
    matches = {k: s for k, r in live.items() if (s := _similarity(_unpack(r["sig"]), mine)) >= config.threshold}
    cluster = [(time, key)]
    for m in matches:
        cluster += [(live[m]["time"], m), (live[m]["canonical_time"], live[m]["canonical"])]
    canonical_time, canonical = min(cluster)
    # Everything that pointed into this cluster follows an earlier canonical.
    members = {key, *matches, *(live[m]["canonical"] for m in matches)}
    relinked: dict[str, str] = {}
    for k, r in live.items():
        if (k in members or r["canonical"] in members) and (canonical_time, canonical) < (
            r["canonical_time"],
            r["canonical"],
        ):
            live[k] = BandRecord(time=r["time"], sig=r["sig"], canonical=canonical, canonical_time=canonical_time)
            relinked[k] = canonical
    live[key] = BandRecord(time=time, sig=sig, canonical=canonical, canonical_time=canonical_time)
    if len(live) > config.cap:
        keep = sorted(live, key=lambda k: (live[k]["time"], k))[-config.cap :]
        live = {k: live[k] for k in keep}
    decision: Decision = "unique" if canonical == key else "duplicate"
    return Verdict(decision, canonical, canonical_time, max(matches.values(), default=0.0), live, relinked)
