"""Realistic synthetic live blogs at scale, written once as a JSONL.zst archive so every run reads the same input.

    python benchmarks/synth.py [--updates 5000] [--seed 20270825] [--blogs N] [--revisions 0.08]
                               [--duplicates 0.05] [--summaries 0.10] [--captions 0.10]

Material: the sentences of the project's own blogs only (`streams/data/sample-liveblog-2027-08-25.txt`,
`tests/data/blogs/*.txt`; never ../shared). Each update is 0.5–3 KB (`--min-size`/`--max-size` characters of
headline and body) of sentences drawn at random from the pool of its kind (entry, summary bullet, photo caption),
half of them with their digits redrawn so figures vary and many series exist. The stream interleaves many blogs
(`--blogs`, default one per 200 updates), each with its own title (hence default place) and clock, and mixes in:

- revisions (`--revisions`): an earlier entry of the same blog again, one sentence replaced and a number changed,
  `revision` + 1 and a later `updated`;
- exact duplicates (`--duplicates`): an earlier update again, byte for byte (a redelivery).

Deterministic: the same flags give the same archive. It is written under `benchmarks/.cache/` (gitignored), named by
its flags, and reused; `cached_archive` returns its path, writing it first when absent.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemas import RawUpdate
from streams.ingest.jsonl import read_jsonl, write_jsonl
from streams.ingest.plaintext import parse_plaintext

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"
OWN_BLOGS = [
    *sorted((REPO / "tests" / "data" / "blogs").glob("*.txt")),
    REPO / "streams/data/sample-liveblog-2027-08-25.txt",
]
GENERATOR_VERSION = 2  # bump when the output for the same flags changes
_SENTENCE_RE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“‘(])")
_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Spec:
    updates: int = 5000
    seed: int = 20270825
    blogs: int = 0  # 0: one blog per 200 updates
    revisions: float = 0.08
    duplicates: float = 0.05
    summaries: float = 0.10
    captions: float = 0.10
    min_size: int = 500
    max_size: int = 3000

    def n_blogs(self) -> int:
        return self.blogs or max(1, self.updates // 200)

    def path(self) -> Path:
        s = self
        name = (
            f"synth-v{GENERATOR_VERSION}-n{s.updates}-b{s.n_blogs()}-s{s.seed}-r{s.revisions}-d{s.duplicates}"
            f"-sm{s.summaries}-c{s.captions}-{s.min_size}-{s.max_size}.jsonl.zst"
        )
        return CACHE / name


@dataclass
class _Pools:
    titles: list[str]
    headlines: list[str]
    sentences: dict[str, list[str]]  # kind → sentences


def _pools() -> _Pools:
    base = datetime(2027, 1, 1, tzinfo=UTC)
    updates = [
        u for p in OWN_BLOGS for u in parse_plaintext(p.read_text(encoding="utf-8"), blog_id="x", published=base)
    ]
    sentences: dict[str, list[str]] = {"entry": [], "summary": [], "caption": []}
    for u in updates:
        for block in u.body.split("\n\n"):
            sentences[u.kind].extend(s.strip() for s in _SENTENCE_RE.split(block) if len(s.strip()) > 20)
    titles = sorted({u.blog_title for u in updates if u.blog_title})
    headlines = [u.headline for u in updates if u.headline and u.kind == "entry"]
    return _Pools(titles=titles, headlines=headlines, sentences=sentences)


def _vary(text: str, rng: random.Random) -> str:
    """Half the time, the text with its digits redrawn (so figures, and series, vary)."""
    return _DIGIT_RE.sub(lambda m: str(rng.randint(1, 9)), text) if rng.random() < 0.5 else text


def _body(kind: str, pools: _Pools, rng: random.Random, target: int, limit: int) -> str:
    """Paragraphs of 1–4 sentences (summaries: one bullet each) until `target` characters, never past `limit`."""
    pool = pools.sentences[kind] or pools.sentences["entry"]
    paragraphs: list[str] = []
    size = misses = 0
    while size < target and misses < 20:
        para = " ".join(_vary(rng.choice(pool), rng) for _ in range(1 if kind == "summary" else rng.randint(1, 4)))
        if paragraphs and size + len(para) + 2 > limit:
            misses += 1
            continue
        paragraphs.append(para)
        size += len(para) + 2
    return "\n\n".join(paragraphs)


def _revise(prev: RawUpdate, pools: _Pools, rng: random.Random) -> RawUpdate:
    paragraphs = prev.body.split("\n\n")
    i = rng.randrange(len(paragraphs))
    paragraphs[i] = _vary(rng.choice(pools.sentences["entry"]), rng)
    body = _NUMBER_RE.sub(
        lambda m: str(int(re.sub(r"\D", "", m.group())) + rng.randint(1, 50)), "\n\n".join(paragraphs), 1
    )
    when = (prev.updated or prev.published) + timedelta(minutes=rng.randint(5, 90))
    return prev.model_copy(update={"body": body, "revision": prev.revision + 1, "updated": when})


def generate(spec: Spec) -> list[RawUpdate]:
    """The archive's updates, in publication order."""
    rng = random.Random(spec.seed)
    pools = _pools()
    start = datetime(2027, 3, 1, 6, tzinfo=UTC)
    n_blogs = spec.n_blogs()
    titles = [rng.choice(pools.titles) for _ in range(n_blogs)]
    clocks = [start + timedelta(minutes=rng.randint(0, 600)) for _ in range(n_blogs)]
    originals: list[list[int]] = [[] for _ in range(n_blogs)]  # per blog: indexes of the latest version of entries
    out: list[RawUpdate] = []
    while len(out) < spec.updates:
        b = rng.randrange(n_blogs)
        roll = rng.random()
        if out and roll < spec.duplicates:
            out.append(out[rng.randrange(len(out))])
            continue
        if originals[b] and roll < spec.duplicates + spec.revisions:
            j = rng.randrange(len(originals[b]))
            out.append(_revise(out[originals[b][j]], pools, rng))
            originals[b][j] = len(out) - 1
            continue
        kind_roll = rng.random()
        kind = (
            "summary"
            if kind_roll < spec.summaries
            else "caption"
            if kind_roll < spec.summaries + spec.captions
            else "entry"
        )
        clocks[b] += timedelta(minutes=rng.randint(1, 12), seconds=rng.randint(0, 59))
        headline = _vary(rng.choice(pools.headlines), rng) if kind == "entry" else None
        room = len(headline or "")
        body = _body(kind, pools, rng, rng.randint(spec.min_size, spec.max_size) - room, spec.max_size - room)
        blog = f"synth-{spec.seed}-{b:04d}"
        update = RawUpdate(
            blog_id=blog, entry_id=f"e{len(out):07d}", published=clocks[b], kind=kind, headline=headline, body=body,
            url=f"https://example.org/live/{blog}#e{len(out):07d}", outlet="Synthetic Live", position=len(originals[b]),
            blog_title=titles[b],
        )  # fmt: skip
        out.append(update)
        originals[b].append(len(out) - 1)
    return out


def cached_archive(spec: Spec) -> Path:
    """The archive's path, written first (atomically) when absent."""
    path = spec.path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(generate(spec), path)
    return path


def load(spec: Spec) -> list[RawUpdate]:
    events, rejects = read_jsonl(cached_archive(spec))
    if rejects:
        raise ValueError(f"{spec.path()}: {len(rejects)} bad lines; delete it to regenerate")
    return [e.update for e in events]


def describe(updates: list[RawUpdate]) -> str:
    kinds = Counter(u.kind for u in updates)
    sizes = sorted(len(u.body) + len(u.headline or "") for u in updates)
    revisions = sum(u.revision > 1 for u in updates)
    distinct = len({u.model_dump_json() for u in updates})
    return (
        f"{len(updates)} updates, {len({u.blog_id for u in updates})} blogs, kinds {dict(kinds)}, "
        f"{revisions} revisions, {len(updates) - distinct} exact duplicates, "
        f"size p50 {sizes[len(sizes) // 2]} / max {sizes[-1]} characters"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Spec()
    for name, value in asdict(defaults).items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value, dest=name)


def spec_of(args: argparse.Namespace, **override: int) -> Spec:
    values = {name: getattr(args, name) for name in asdict(Spec())}
    return Spec(**{**values, **override})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    spec = spec_of(parser.parse_args())
    updates = load(spec)
    print(f"{spec.path()}\n{describe(updates)}")


if __name__ == "__main__":
    main()
