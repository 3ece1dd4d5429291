"""Writes the JSON Schema file of each topic's model: `python -m schemas.generate`.

A test regenerates them in memory and fails when the committed files drift from the models.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import BaseModel

from schemas.models import (
    BandBatch,
    Claim,
    ClaimBatch,
    DeadLetter,
    EnrichedUpdate,
    Figure,
    NearDuplicate,
    RawUpdate,
    TotalsRow,
)

JSON_DIR = Path(__file__).resolve().parent / "json"

#: File stem → model. Topics: updates (RawUpdate), updates.unique (EnrichedUpdate), claims (ClaimBatch of
#: Claim), neardup.bands (BandBatch), neardup.links and neardup (NearDuplicate), totals (TotalsRow), deadletter
#: (DeadLetter).
MODELS: dict[str, type[BaseModel]] = {
    "raw-update": RawUpdate,
    "enriched-update": EnrichedUpdate,
    "figure": Figure,
    "claim": Claim,
    "claim-batch": ClaimBatch,
    "band-batch": BandBatch,
    "near-duplicate": NearDuplicate,
    "totals-row": TotalsRow,
    "dead-letter": DeadLetter,
}


def render(model: type[BaseModel]) -> bytes:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def expected_files() -> dict[Path, bytes]:
    return {JSON_DIR / f"{stem}.schema.json": render(model) for stem, model in MODELS.items()}


def main() -> None:
    JSON_DIR.mkdir(exist_ok=True)
    for path, content in expected_files().items():
        path.write_bytes(content)
        print(path.relative_to(JSON_DIR.parent.parent))


if __name__ == "__main__":
    main()
