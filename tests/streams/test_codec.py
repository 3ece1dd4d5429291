"""The codec turns each way bytes can be wrong into a named dead-letter reason."""

from datetime import UTC, datetime

import pytest

from schemas import RawUpdate
from streams import codec
from streams.errors import (
    BadEnvelopeError,
    InvalidShapeError,
    NotJsonError,
    NotUtf8Error,
    OversizedError,
)

UPDATE = RawUpdate(blog_id="b", entry_id="e", published=datetime(2022, 3, 30, tzinfo=UTC), body="x")


def test_round_trip() -> None:
    assert codec.decode(codec.dumps(UPDATE), RawUpdate) == UPDATE


@pytest.mark.parametrize(
    ("value", "error", "reason"),
    [
        (b"\xff\xfe", NotUtf8Error, "not_utf8"),
        (b"{nope", NotJsonError, "not_json"),
        (b"[1, 2]", InvalidShapeError, "invalid_shape"),
        (b'{"blog_id": "b"}', InvalidShapeError, "invalid_shape"),
        (b'{"blog_id": 1, "entry_id": "e", "published": "yesterday"}', InvalidShapeError, "invalid_shape"),
        (None, InvalidShapeError, "invalid_shape"),
    ],
)
def test_bad_values_name_their_reason(value: bytes | None, error: type[Exception], reason: str) -> None:
    with pytest.raises(error) as info:
        codec.decode(value, RawUpdate)
    assert info.value.reason == reason  # type: ignore[attr-defined]


def test_oversized() -> None:
    with pytest.raises(OversizedError):
        codec.decode(b" " * 2048 + codec.dumps(UPDATE), RawUpdate, max_bytes=2048)


def test_cloudevents_headers_binary_mode() -> None:
    headers = dict(codec.ce_headers("update", source="s", id="i", time=UPDATE.published))
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == codec.EVENT_TYPES["update"].encode()
    assert headers["ce_time"] == b"2022-03-30T00:00:00Z"
    assert headers["content-type"] == b"application/json"
    codec.check_envelope(headers, "update")
    with pytest.raises(BadEnvelopeError):
        codec.check_envelope(headers, "claims")
    with pytest.raises(BadEnvelopeError):
        codec.check_envelope({**headers, "ce_specversion": b"0.3"}, "update")


def test_own_records_decode_as_decode_does() -> None:
    assert codec.decode_own(codec.dumps(UPDATE), RawUpdate) == codec.decode(codec.dumps(UPDATE), RawUpdate)


@pytest.mark.parametrize(
    "value",
    [b"\xff\xfe", b"{nope", b"[1, 2]", b'{"blog_id": "b"}', b'{"blog_id": 1, "entry_id": "e"}', None, b"x" * 2048],
)
def test_own_records_that_are_bad_fail_as_decode_fails(value: bytes | None) -> None:
    with pytest.raises(Exception) as expected:
        codec.decode(value, RawUpdate, max_bytes=1024)
    with pytest.raises(type(expected.value)) as got:
        codec.decode_own(value, RawUpdate, max_bytes=1024)
    assert got.value.reason == expected.value.reason  # type: ignore[attr-defined]
