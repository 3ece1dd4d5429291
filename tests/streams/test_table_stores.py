"""What a worker holds in memory by configuration: each table's store (RocksDB bounded, the in-memory store as Faust
makes it) and the records fetched ahead."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from streams.app import Tables, build_app
from streams.settings import Settings

MiB = 1024 * 1024


def _all(tables: Tables) -> list[Any]:
    return [getattr(tables, field.name) for field in dataclasses.fields(tables)]


def test_every_rocksdb_table_has_small_memtables_and_a_small_block_cache(tmp_path: Path) -> None:
    """Faust's defaults (64 MiB memtables, 3 of them, a 2 GiB block cache per table) grew the worker with
    every write; the same options reach each table's store, however many tables share them."""
    pipeline = build_app(
        Settings(broker="kafka://localhost:9092", app_id="store-check", store="rocksdb://", data_dir=str(tmp_path))
    )
    tables = _all(pipeline.tables)
    assert len(tables) == 7
    for table in tables:
        options = table.data.rocksdb_options
        assert options.write_buffer_size <= 8 * MiB
        assert options.max_write_buffer_number <= 2
        assert options.block_cache_size <= 16 * MiB
        assert table.data._key_index.limit <= 100  # each cached key keeps a 4 KiB buffer


def test_the_in_memory_store_takes_no_rocksdb_options_and_the_fetch_ahead_is_small() -> None:
    """A worker behind its input holds a whole fetch per partition as records, about 3x its bytes."""
    pipeline = build_app(Settings(broker="kafka://localhost:9092", app_id="store-check-memory", store="memory://"))
    assert all(not table.options for table in _all(pipeline.tables))
    assert pipeline.app.conf.consumer_max_fetch_size <= 4 * MiB
