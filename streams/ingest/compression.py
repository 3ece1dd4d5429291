"""Decompression chosen by file name: `.gz` (gzip, standard library), `.zst` (zstandard), else none.

Kept apart from the formats, so every line-oriented format reads plain, gzip'd and zstd'd files the
same way, line by line, without holding the decompressed file in memory.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

import zstandard

from streams.errors import ParseError

__all__ = ["compression_of", "iter_lines", "open_read", "open_write"]

#: What a corrupt or truncated compressed stream raises while it is read.
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


def compression_of(path: Path) -> str | None:
    """`gzip`, `zstd` or None, from the file name's last suffix."""
    suffix = path.suffix.lower()
    return {".gz": "gzip", ".zst": "zstd"}.get(suffix)


def open_read(path: Path) -> IO[bytes]:
    """A binary stream of the decompressed content."""
    kind = compression_of(path)
    if kind == "gzip":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if kind == "zstd":
        return io.BufferedReader(_ZstdReader(path.open("rb")), buffer_size=1 << 16)
    return path.open("rb")


@contextmanager
def open_write(path: Path, compression: str | None = None) -> Iterator[IO[bytes]]:
    """A binary stream that compresses what is written to it (by `compression`, else by file name).

    The output is reproducible: the gzip header carries no file name and no time.
    """
    kind = compression or compression_of(path)
    with path.open("wb") as raw:
        if kind == "gzip":
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
                yield cast(IO[bytes], out)
        elif kind == "zstd":
            with zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as writer:
                yield cast(IO[bytes], writer)
        else:
            yield raw


def iter_lines(path: Path) -> Generator[tuple[int, bytes], None, None]:
    """(1-based line number, line without its `\\n` or `\\r\\n`) for each line of the file.

    Raises `ParseError` when the file cannot be opened, or its compressed stream is corrupt or
    truncated; its `line` is the line that could not be read (1 = nothing could be read).
    """
    number = 0
    try:
        with open_read(path) as stream:
            for number, line in enumerate(stream, start=1):
                yield number, line.removesuffix(b"\n").removesuffix(b"\r")
    except _STREAM_ERRORS as exc:
        kind = compression_of(path) or "plain"
        raise ParseError(f"cannot read the {kind} stream: {exc}", line=number + 1, path=str(path)) from exc


class _ZstdReader(io.RawIOBase):
    """Decompressed bytes of a file of zstd frames, raising `EOFError` when the file ends inside a
    frame (zstandard's own reader takes a truncated file for a short one, and cannot read lines)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._context = zstandard.ZstdDecompressor()
        self._frame = self._context.decompressobj()
        self._fed = False
        self._out = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._out):
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._fed and not self._frame.eof:
                    raise EOFError("the file ends inside a frame (truncated)")
                return 0
            self._out, self._at = self._decompress(chunk), 0
        size = min(len(buffer), len(self._out) - self._at)
        buffer[:size] = self._out[self._at : self._at + size]
        self._at += size
        return size

    def _decompress(self, chunk: bytes) -> bytes:
        parts = []
        while chunk:
            if self._frame.eof:  # the next of several concatenated frames
                self._frame = self._context.decompressobj()
            self._fed = True
            parts.append(self._frame.decompress(chunk))
            chunk = self._frame.unused_data if self._frame.eof else b""
        return b"".join(parts)

    def close(self) -> None:
        self._raw.close()
        super().close()
