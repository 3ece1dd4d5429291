"""A libFuzzer harness (atheris) for the plain-text parser and `codec.decode`: only clean errors may come out.

    python tests/fuzz/fuzz_parsers.py -runs=20000            # a fixed number of inputs
    python tests/fuzz/fuzz_parsers.py corpus-dir/ -max_total_time=600

The first byte of an input picks the target (the plain-text parser, or `codec.decode` into one event model); the
rest is its text or bytes. Any exception other than a `streams.errors.LiveblogError` is reported as a crash, with
the input saved by libFuzzer (`crash-*`) for replay: `python tests/fuzz/fuzz_parsers.py crash-<sha1>`.
The reliability suite runs it (tests/reliability/test_fuzz.py) and counts its runs into the summary.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, when run as a script

with atheris.instrument_imports(include=["streams", "schemas"]):
    from schemas import BandBatch, ClaimBatch, DeadLetter, EnrichedUpdate, NearDuplicate, RawUpdate, TotalsRow
    from streams import codec
    from streams.errors import LiveblogError
    from streams.ingest.plaintext import parse_plaintext

MODELS = (RawUpdate, EnrichedUpdate, ClaimBatch, BandBatch, NearDuplicate, TotalsRow, DeadLetter)
PUBLISHED = datetime(2022, 3, 30, 23, 0, tzinfo=UTC)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target, rest = data[0] % (len(MODELS) + 1), data[1:]
    try:
        if target == len(MODELS):
            text = atheris.FuzzedDataProvider(rest).ConsumeUnicode(len(rest))
            parse_plaintext(text, blog_id="fuzz", published=PUBLISHED)
        else:
            codec.decode(rest, MODELS[target], max_bytes=4096)
    except LiveblogError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
