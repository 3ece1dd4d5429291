"""Turning a rejected event into a dead letter that keeps its original bytes and says why."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, datetime

from schemas import DeadLetter
from streams import codec
from streams.errors import LiveblogError


def reason_of(exc: BaseException) -> str:
    return exc.reason if isinstance(exc, LiveblogError) else "unexpected_error"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dead_letter(
    exc: BaseException,
    *,
    stage: str,
    key: bytes | None,
    value: bytes | None,
    headers: Iterable[tuple[str, bytes]] = (),
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    return DeadLetter(
        reason=reason_of(exc),
        stage=stage,
        error=f"{type(exc).__name__}: {exc}"[:2000],
        time=datetime.now(UTC),
        topic=topic,
        partition=partition,
        offset=offset,
        key_b64=_b64(key) if key is not None else None,
        value_b64=_b64(value or b""),
        headers=[(k, _b64(v)) for k, v in headers],
    )


def encode(letter: DeadLetter, source: str) -> tuple[bytes, codec.Headers]:
    """Value bytes and CloudEvents headers for the dead-letter topic."""
    ident = codec.event_id(letter.stage, str(letter.topic), str(letter.partition), str(letter.offset), letter.value_b64)
    return codec.dumps(letter), codec.ce_headers("deadletter", source=source, id=ident, time=letter.time)
