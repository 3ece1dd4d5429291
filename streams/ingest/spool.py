"""Encoded events kept in an unnamed temporary file instead of in memory, read back by their index.

Why: `liveblog run` and `liveblog replay` publish an archive in event-time order, so they must have all of it
before the first send. Held as pydantic models, the corpus (325,972 updates) took the publishing process to about
960 MB. Held as the bytes they are published as, in a file, each event costs the process 8 bytes (where it
starts); the operating system's page cache, not the process, keeps the file, and drops it first when memory is
short. The file has no name, so it is gone when the spool is closed or the process dies.
"""

from __future__ import annotations

import os
import struct
import tempfile
from array import array
from types import TracebackType

from streams.codec import Headers
from streams.errors import SpoolError

__all__ = ["EventSpool", "Record", "pack", "unpack"]

#: Key, value and headers of a Kafka record (what `streams.ingest.events.update_event` gives).
Record = tuple[bytes, bytes, Headers]

_COUNT = struct.Struct("<H")


def pack(event: Record) -> bytes:
    """An event as one byte string: how many parts, each part's length, then the parts (key, value, and each
    header's name and value), so `unpack` gives back exactly the same bytes."""
    key, value, headers = event
    parts = [key, value]
    for name, data in headers:
        parts += (name.encode(), data)
    return struct.pack(f"<H{len(parts)}I", len(parts), *map(len, parts)) + b"".join(parts)


def unpack(data: bytes) -> Record:
    """The event `pack` made these bytes from."""
    (count,) = _COUNT.unpack_from(data)
    at = _COUNT.size + 4 * count
    parts = []
    for length in struct.unpack_from(f"<{count}I", data, _COUNT.size):
        parts.append(data[at : at + length])
        at += length
    key, value, *rest = parts
    return key, value, [(rest[i].decode(), rest[i + 1]) for i in range(0, len(rest), 2)]


class EventSpool:
    """Events appended to a temporary file (in `$TMPDIR`), each read back by its index (in any order).

    The file is written unbuffered, so a full disk fails the append that hit it, with a clear error, and closing
    never has bytes left to write. It needs about the archive's encoded size: 447 MB for the corpus (71 MB
    gzip'd). Where `$TMPDIR` is a tmpfs the file is in memory after all: point `TMPDIR` at a disk."""

    def __init__(self) -> None:
        try:
            self._file = tempfile.TemporaryFile(prefix="liveblog-spool-", buffering=0)  # noqa: SIM115 (see close)
        except OSError as exc:
            raise SpoolError(f"cannot create a spool file in {tempfile.gettempdir()}: {exc}") from exc
        self._starts = array("Q", [0])  # event i is bytes [starts[i], starts[i + 1]) of the file

    def append(self, event: Record) -> None:
        data = pack(event)
        try:
            written = 0
            while written < len(data):
                written += os.write(self._file.fileno(), data[written:])
        except OSError as exc:
            raise SpoolError(
                f"cannot spool the archive in {tempfile.gettempdir()} after {len(self):,} updates"
                f" ({self._starts[-1] / 1e6:,.0f} MB): {exc}; set TMPDIR to a disk with room"
            ) from exc
        self._starts.append(self._starts[-1] + len(data))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, index: int) -> Record:
        if not 0 <= index < len(self):
            raise IndexError(f"no event {index} in a spool of {len(self)}")
        start = self._starts[index]
        return unpack(os.pread(self._file.fileno(), self._starts[index + 1] - start, start))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> EventSpool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
