"""Shared fixtures: the shared corpus (ground truth from outside the code), fresh warehouses, and
one warehouse loaded by the real ingest flow for the whole session (copied for tests that write)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tasks.settings import Settings

# Prefect logs "stopping temporary server" at exit, after pytest closed its capture streams.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# No telemetry from the temporary servers (this process's and its children's): it has no network to
# reach here, and its heartbeat's write to the server's SQLite can fail with "database is locked",
# a traceback on the stderr of e.g. `ogi watch --local` that tests check is clean.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = REPO / "samples" / "reports"
# Added to the samples in the session warehouse: the same report as another file (other bytes, so a
# second loaded report of its agency and year), the same bytes under another name (one document,
# two arrivals), a file that only claims to be a PDF, and a file of no supported format.
REPUBLISHED = "2024_shanghai-stc-kewei-republished.md"
SAME_BYTES = "same-bytes-other-name.txt"
NOT_A_PDF = "scan.pdf"
UNSUPPORTED = "photo.bin"


def truth_of(directory: Path) -> dict[str, dict]:
    """source file name → truth record, for every truth file in directory/truth."""
    return {
        (t := json.loads(p.read_text(encoding="utf-8")))["source"]: t
        for p in sorted((directory / "truth").glob("*.json"))
    }


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is expected at {CORPUS} (shared/ beside the repository)")
    return CORPUS


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "ogi.duckdb"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """The bundled sample reports (seeds, real text/HTML, one altered report) in a fresh folder."""
    target = tmp_path / "inbox"
    shutil.copytree(SAMPLES, target)
    return target


@dataclass(frozen=True)
class Loaded:
    """A warehouse the real `ingest` flow loaded once for the session; open it read-only."""

    inbox: Path  # what was ingested
    warehouse: Path  # the DuckDB file; the staging store and GX's folder are beside it
    result: dict  # what the flow returned


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def loaded_warehouse(tmp_path_factory) -> Iterator[Loaded]:
    """The bundled samples (the shared corpus's documents, and the altered copy of 003) plus the
    four extra files above, loaded by one real run of flows.ingest.ingest (Prefect, GX, DuckDB).

    Shared by every test that only reads: a test that writes takes `warehouse_copy`. The file is
    checked unchanged when the session ends, so a test that wrote to it fails there."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("loaded")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES, inbox)
    (inbox / REPUBLISHED).write_bytes((SAMPLES / "2024_shanghai-stc-kewei.md").read_bytes() + b"\n\n")
    shutil.copy(SAMPLES / "001_d450694d9fdf7559.txt", inbox / SAME_BYTES)
    (inbox / NOT_A_PDF).write_bytes(b"%PDF-1.4\n%%EOF\n")
    (inbox / UNSUPPORTED).write_bytes(bytes(range(256)) * 4)
    wh = root / "wh" / "ogi.duckdb"
    result = ingest(str(inbox), Settings(wh))
    before = _digest(wh)
    yield Loaded(inbox=inbox, warehouse=wh, result=result)
    assert _digest(wh) == before, "a test wrote to the session warehouse: use warehouse_copy"


@pytest.fixture
def warehouse_copy(loaded_warehouse: Loaded, tmp_path: Path) -> Path:
    """A private copy of the session warehouse (DuckDB file, staging store, GX folder) to write to.

    Its documents' staged paths still name the session's staging store, which stays in place."""
    target = tmp_path / "wh"
    shutil.copytree(loaded_warehouse.warehouse.parent, target)
    return target / loaded_warehouse.warehouse.name
