"""Registers the project's orjson codec with Faust, so tables and topics share `streams.codec`."""

from __future__ import annotations

from typing import Any

from faust.serializers import codecs

from streams import codec

NAME = "orjson"


class OrjsonCodec(codecs.Codec):
    def _dumps(self, obj: Any) -> bytes:
        return codec.dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return codec.loads(s)


def register() -> str:
    """Make `serializer="orjson"` available to Faust; returns the codec name."""
    codecs.register(NAME, OrjsonCodec())
    return NAME
