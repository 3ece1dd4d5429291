"""Band notes: one per entry and partition with its band keys there; the older one-band layout still reads."""

from __future__ import annotations

import orjson

from schemas import BandBatch


def test_a_note_lists_its_band_keys() -> None:
    raw = {"bands": ["1.4.00.aa", "1.4.07.bb"], "entry_key": "b|e1", "blog_id": "b", "sig": "AAAA", "time": 1.0}
    note = BandBatch.model_validate_json(orjson.dumps({"notes": [raw]})).notes[0]
    assert note.band_keys() == ["1.4.00.aa", "1.4.07.bb"]


def test_a_note_of_the_earlier_layout_names_its_one_band() -> None:
    raw = {"band": "1.4.03.cc", "entry_key": "b|e1", "blog_id": "b", "sig": "AAAA", "time": 1.0}
    note = BandBatch.model_validate_json(orjson.dumps({"notes": [raw]})).notes[0]
    assert note.band_keys() == ["1.4.03.cc"]
