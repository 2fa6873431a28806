"""Configuration, read once at the edge (CLI or deployment entry point) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WAREHOUSE = Path("data") / "ogi.duckdb"
ENV_WAREHOUSE = "OGI_WAREHOUSE"


@dataclass(frozen=True)
class Settings:
    warehouse: Path  # the DuckDB file

    @property
    def staging(self) -> Path:
        """The content-addressed staging store lives beside the warehouse."""
        return self.warehouse.parent / "staging"


def settings(warehouse: str | Path | None = None) -> Settings:
    """Flag beats environment (OGI_WAREHOUSE) beats the default data/ogi.duckdb."""
    chosen = warehouse or os.environ.get(ENV_WAREHOUSE) or DEFAULT_WAREHOUSE
    return Settings(Path(chosen).expanduser().resolve())
