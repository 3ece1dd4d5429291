"""The committed JSON Schema files are exactly what the models generate."""

from schemas.generate import expected_files


def test_schema_files_match_models() -> None:
    for path, content in expected_files().items():
        assert path.exists(), f"{path.name} missing: run `python -m schemas.generate`"
        assert path.read_bytes() == content, f"{path.name} drifted from its model: run `python -m schemas.generate`"


def test_every_topic_model_has_a_schema_file() -> None:
    names = {p.name for p in expected_files()}
    assert {"raw-update.schema.json", "enriched-update.schema.json", "totals-row.schema.json"} <= names
    assert {"figure.schema.json", "dead-letter.schema.json", "claim.schema.json"} <= names
