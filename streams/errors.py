"""The project's errors: one root, each mapped to a stable dead-letter reason.

LiveblogError
├── ParseError            an archive or page could not be read (line number when known)
├── DecodeError           an event's bytes could not be turned into a model
│   ├── NotUtf8Error      reason "not_utf8"
│   ├── NotJsonError      reason "not_json"
│   ├── InvalidShapeError reason "invalid_shape" (JSON of the wrong shape, missing or mistyped fields)
│   ├── BadEnvelopeError  reason "bad_envelope" (unknown CloudEvents type or spec version)
│   ├── OversizedError    reason "oversized"
│   └── AbsurdTimeError   reason "absurd_timestamp" (published before the web, or far in the future)
├── ExtractionError       reason "extractor_failed": the extractor raised on an entry
└── BrokerError           a broker could not be started or reached
"""

from __future__ import annotations


class LiveblogError(Exception):
    """Root of every error this project raises on purpose."""

    reason = "error"


class ParseError(LiveblogError):
    """An archive or page could not be read."""

    reason = "parse_error"

    def __init__(self, message: str, *, line: int | None = None, path: str | None = None) -> None:
        self.line = line
        self.path = path
        where = ""
        if path is not None:
            where = f"{path}:"
        if line is not None:
            where += f"{line}:"
        super().__init__(f"{where} {message}" if where else message)


class DecodeError(LiveblogError):
    """An event could not be decoded; carries where it came from."""

    reason = "decode_error"

    def __init__(
        self,
        message: str,
        *,
        topic: str | None = None,
        partition: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.topic = topic
        self.partition = partition
        self.offset = offset
        super().__init__(message)


class NotUtf8Error(DecodeError):
    reason = "not_utf8"


class NotJsonError(DecodeError):
    reason = "not_json"


class InvalidShapeError(DecodeError):
    reason = "invalid_shape"


class BadEnvelopeError(DecodeError):
    reason = "bad_envelope"


class OversizedError(DecodeError):
    reason = "oversized"


class AbsurdTimeError(DecodeError):
    reason = "absurd_timestamp"


class ExtractionError(LiveblogError):
    reason = "extractor_failed"


class BrokerError(LiveblogError):
    """A broker could not be started or reached."""

    reason = "broker_error"


class SpoolError(LiveblogError):
    """An archive could not be spooled to a temporary file (no room, no permission) for ordered publishing."""

    reason = "spool_error"
