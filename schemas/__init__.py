"""Event contracts: one pydantic model per topic value, with JSON Schema files generated beside them."""

from schemas.models import (
    Claim,
    ClaimBatch,
    DeadLetter,
    EnrichedUpdate,
    Figure,
    Kind,
    Metric,
    Qualifier,
    RawUpdate,
    SourceValue,
    TotalsRow,
)

__all__ = [
    "Claim",
    "ClaimBatch",
    "DeadLetter",
    "EnrichedUpdate",
    "Figure",
    "Kind",
    "Metric",
    "Qualifier",
    "RawUpdate",
    "SourceValue",
    "TotalsRow",
]
