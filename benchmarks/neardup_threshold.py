"""Which Jaccard threshold separates near-duplicate entries from distinct ones, measured on real blog text.

    python benchmarks/neardup_threshold.py [--shingle 3] [--corpus-blogs 150] [--seed 7] [--no-shared]

True near-duplicate pairs: each entry of a blog against a light edit of itself (`sentence`: one sentence
replaced by a sentence of another blog; `number`: one number changed; `added`: one sentence inserted;
`number+added`: both), and the wildfire twins (one blog published in two layouts, as two blogs). Distinct
pairs: every two different entries of the same blog (the hardest negatives: same story, same places, same
sources). Text: the project's own blogs (tests/data/blogs, the bundled sample) and, read at run time when
present, ../shared/seed and the first `--corpus-blogs` blogs of ../shared/corpus (never copied; no text of
theirs is printed). Entries shorter than `streams.neardup.MIN_SHINGLES` shingles get no band keys and are left out.

Printed: the Jaccard distribution of each kind of pair (exact, on shingle sets), then precision, recall and
false-positive rate at several thresholds for the exact Jaccard, for the estimate that `observe` uses (8-bit
MinHash) and end to end (LSH band shared *and* estimate ≥ threshold). Precision depends on the mix of pairs:
here there are far more distinct pairs than duplicates, so it is a pessimistic figure.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemas import RawUpdate
from streams import neardup
from streams.ingest.archive import load_updates
from streams.ingest.corpus import iter_corpus

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OWN = [
    *sorted((REPO / "tests/data/blogs").glob("*.txt")),
    REPO / "tests/data/blogs/flood-jsonld.json",
    REPO / "streams/data/sample-liveblog-2027-08-25.txt",
]
TWINS = (REPO / "tests/data/blogs/wildfire-twin.txt", REPO / "tests/data/blogs/wildfire-twin.json")
LAYOUTS = ((32, 4), (20, 3), (16, 4), (16, 3), (12, 2), (10, 2), (8, 2))
SIZES = ((0, 30), (30, 60), (60, 120), (120, 10**9))
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9)
_SENTENCE = re.compile(r"(?<=[.!?\"”'])\s+(?=\S)")
_NUMBER = re.compile(r"\d[\d,]*")


@dataclass
class Text:
    source: str  # own | seed | corpus
    blog: str
    body: str
    shingles: set[str]
    sig: neardup.Signature
    compact: str
    bands: set[str]


@dataclass(frozen=True)
class Pair:
    kind: str
    source: str
    a: Text
    b: Text
    positive: bool


def text_of(update: RawUpdate) -> str:
    return f"{update.headline}\n{update.body}" if update.headline else update.body


def make(source: str, blog: str, body: str, size: int) -> Text:
    sig = neardup.fingerprint(body)
    return Text(source, blog, body, neardup.shingles(body, size), sig, sig.compact(), set(neardup.bands(sig)))


def sentences(body: str) -> list[str]:
    return [s for para in body.split("\n") for s in _SENTENCE.split(para) if s.strip()]


def edits(body: str, draw: Callable[[], str], rng: random.Random) -> dict[str, str]:
    """The light edits of a text that apply to it."""
    parts = sentences(body)
    out: dict[str, str] = {}
    if len(parts) >= 2:
        changed = list(parts)
        changed[rng.randrange(len(parts))] = draw()
        out["sentence"] = " ".join(changed)
    numbers = list(_NUMBER.finditer(body))
    if numbers:
        m = rng.choice(numbers)
        value = int(m.group().replace(",", "")) + rng.randint(1, 40)
        out["number"] = body[: m.start()] + f"{value:,}" + body[m.end() :]
    added = list(parts)
    added.insert(rng.randint(0, len(parts)), draw())
    out["added"] = " ".join(added)
    if "number" in out:
        parts_n = sentences(out["number"])
        parts_n.insert(rng.randint(0, len(parts_n)), draw())
        out["number+added"] = " ".join(parts_n)
    return out


def blogs(args: argparse.Namespace) -> dict[tuple[str, str], list[str]]:
    """(source, blog) → texts of its entries, summaries and captions."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in OWN:
        for u in load_updates(path):
            out[("own", path.stem)].append(text_of(u))
    seed = SHARED / "seed/liveblog-2022-03-30.txt"
    if not args.no_shared and seed.exists():
        out[("seed", "seed")] = [text_of(u) for u in load_updates(seed)]
    corpus = SHARED / "corpus/liveblogs-guardian-bbc.jsonl.gz"
    if not args.no_shared and corpus.exists() and args.corpus_blogs:
        for u in iter_corpus(corpus, limit=args.corpus_blogs):
            out[("corpus", u.blog_id)].append(text_of(u))
    return out


def build_pairs(args: argparse.Namespace) -> list[Pair]:
    rng = random.Random(args.seed)
    grouped = blogs(args)
    pool_by_source = {
        src: [s for (s_, _), texts in grouped.items() if s_ == src for t in texts for s in sentences(t) if len(s) > 40]
        for src in {s for s, _ in grouped}
    }
    pairs: list[Pair] = []
    for (source, blog), bodies in grouped.items():
        texts = [make(source, blog, b, args.shingle) for b in dict.fromkeys(bodies)]
        texts = [t for t in texts if t.bands]  # too short to fingerprint: never compared
        own_sentences = {s for t in texts for s in sentences(t.body)}
        pool = pool_by_source[source]

        def draw(pool: Sequence[str] = pool, own: set[str] = own_sentences) -> str:
            # a sentence of another blog (of the same collection, so in the same style)
            return next((s for s in (rng.choice(pool) for _ in range(50)) if s not in own), rng.choice(pool))

        for t in texts:
            for kind, edited in edits(t.body, draw, rng).items():
                pairs.append(Pair(kind, source, t, make(source, blog, edited, args.shingle), True))
        pairs += [Pair("distinct", source, a, b, False) for a, b in itertools.combinations(texts, 2)]
    a, b = ({u.headline: make("own", p.suffix, text_of(u), args.shingle) for u in load_updates(p)} for p in TWINS)
    pairs += [Pair("twin", "own", a[headline], b[headline], True) for headline in sorted(a.keys() & b.keys())]
    return pairs


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    v = sorted(values)
    at = [v[min(len(v) - 1, int(q * len(v)))] for q in (0.0, 0.05, 0.25, 0.5, 0.75, 0.95)] + [v[-1]]
    return " / ".join(f"{x:.2f}" for x in at)


def table(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def scores(pairs: list[Pair], value: list[float], share: list[bool] | None) -> list[list[object]]:
    rows: list[list[object]] = []
    positives = sum(p.positive for p in pairs)
    negatives = len(pairs) - positives
    for t in THRESHOLDS:
        said = [v >= t and (share is None or s) for v, s in zip(value, share or [True] * len(value), strict=True)]
        tp = sum(p.positive and s for p, s in zip(pairs, said, strict=True))
        fp = sum(not p.positive and s for p, s in zip(pairs, said, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        rows.append([t, f"{precision:.3f}", f"{tp / positives:.3f}", fp, f"{fp / negatives:.5f}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shingle", type=int, default=neardup.SHINGLE_WORDS, help="words per shingle (exact J)")
    parser.add_argument("--corpus-blogs", type=int, default=150, help="blogs read from ../shared/corpus (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=neardup.THRESHOLD, help="for the LSH layout table")
    parser.add_argument("--no-shared", action="store_true", help="only the project's own blogs")
    args = parser.parse_args()
    pairs = build_pairs(args)
    exact = [jaccard(p.a.shingles, p.b.shingles) for p in pairs]
    estimate = [neardup.similarity(p.a.compact, p.b.compact) for p in pairs]
    share = [bool(p.a.bands & p.b.bands) for p in pairs]
    print(
        f"MinHash {neardup.NUM_PERM} permutations, 8-bit compact form; LSH {neardup.BANDS} bands x {neardup.ROWS} "
        f"rows; shingles of {args.shingle} words (signatures: {neardup.SHINGLE_WORDS}); "
        f"texts of >= {neardup.MIN_SHINGLES} shingles"
    )
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by[(p.source, p.kind)].append(i)
    print("\nExact Jaccard of the shingle sets, by pair kind (min / p5 / p25 / p50 / p75 / p95 / max):")
    rows = []
    for (source, kind), idx in sorted(by.items()):
        err = [abs(estimate[i] - exact[i]) for i in idx]
        rows.append(
            [source, kind, len(idx), quantiles([exact[i] for i in idx]), f"{statistics.fmean(err):.3f}",
             f"{sum(share[i] for i in idx) / len(idx):.3f}"]
        )  # fmt: skip
    print(table(rows, ["text", "pair", "n", "Jaccard", "mean |estimate - exact|", "share a band"]))
    header = ["threshold", "precision", "recall", "false positives", "FP rate"]
    for source in [*sorted({p.source for p in pairs}), "all"]:
        idx = [i for i, p in enumerate(pairs) if source in ("all", p.source)]
        sub = [pairs[i] for i in idx]
        n_pos = sum(p.positive for p in sub)
        print(f"\n{source}: {n_pos} near-duplicate pairs, {len(sub) - n_pos} distinct pairs")
        for label, value, band in (
            ("exact Jaccard", exact, None),
            ("end to end (shares a band and estimate >= threshold)", estimate, share),
        ):
            print(f"\n{label}:")
            print(table(scores(sub, [value[i] for i in idx], [band[i] for i in idx] if band else None), header))
    recall_by_kind = [
        [kind, sum(pairs[i].positive for i in idx)]
        + [f"{sum(share[i] and estimate[i] >= t for i in idx) / len(idx):.3f}" for t in THRESHOLDS]
        for kind in sorted({p.kind for p in pairs if p.positive})
        if (idx := [i for i, p in enumerate(pairs) if p.kind == kind])
    ]
    print("\nEnd-to-end recall by edit (all texts):")
    print(table(recall_by_kind, ["edit", "n", *map(str, THRESHOLDS)]))
    print(f"\nLSH layouts at threshold {args.threshold} (measured on these pairs; 'messages' = band keys per update):")
    rows = []
    points = (0.2, 0.4, 0.5, args.threshold, 0.8)
    positive = [i for i, p in enumerate(pairs) if p.positive and estimate[i] >= args.threshold]
    for count, width in LAYOUTS:
        curve = [f"{1 - (1 - j**width) ** count:.3f}" for j in points]
        memo: dict[int, set[str]] = {}

        def keys_of(t: Text, count: int = count, width: int = width, memo: dict[int, set[str]] = memo) -> set[str]:
            if id(t) not in memo:
                memo[id(t)] = set(neardup.bands(t.sig, count, width))
            return memo[id(t)]

        keys = [keys_of(p.a) & keys_of(p.b) for p in pairs]
        found = sum(bool(keys[i]) for i in positive) / len(positive)
        candidates = sum(bool(k) for k, p in zip(keys, pairs, strict=True) if not p.positive)
        rows.append([f"{count} x {width}", count, *curve, f"{found:.3f}", candidates])
    header = ["bands x rows", "messages", *(f"P(J={j})" for j in points), "recall", "distinct candidates"]
    print(table(rows, header))
    recall_by_size = []
    for low, high in SIZES:
        idx = [i for i, p in enumerate(pairs) if p.positive and low <= len(p.a.shingles) < high]
        if idx:
            rate = [f"{sum(share[i] and estimate[i] >= t for i in idx) / len(idx):.3f}" for t in THRESHOLDS]
            recall_by_size.append([f"{low}-{high if high < 10**9 else ''}", len(idx), *rate])
    print("\nEnd-to-end recall by length of the original (shingles, all edits):")
    print(table(recall_by_size, ["shingles", "n", *map(str, THRESHOLDS)]))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
