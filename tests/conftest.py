"""Shared fixtures: the shared corpus (ground truth from outside the code) and fresh warehouses."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

# Prefect logs "stopping temporary server" at exit, after pytest closed its capture streams.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = REPO / "samples" / "reports"


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
