"""Event contracts: one pydantic model per topic value, with JSON Schema files generated beside them."""

from schemas.models import (
    BandBatch,
    BandNote,
    Claim,
    ClaimBatch,
    DeadLetter,
    EnrichedUpdate,
    Figure,
    Kind,
    Metric,
    NearDuplicate,
    Qualifier,
    RawUpdate,
    SourceValue,
    TotalsRow,
)

__all__ = [
    "BandBatch",
    "BandNote",
    "Claim",
    "ClaimBatch",
    "DeadLetter",
    "EnrichedUpdate",
    "Figure",
    "Kind",
    "Metric",
    "NearDuplicate",
    "Qualifier",
    "RawUpdate",
    "SourceValue",
    "TotalsRow",
]
