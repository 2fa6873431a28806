"""Staging: every incoming file is kept, content-addressed by sha256, before anything else.

The store is a folder today (object storage later): `<store>/<sha[:2]>/<sha>`; the same bytes
twice are one document, and a staged file is never changed or removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Staged:
    document_id: str  # sha256 of the bytes
    original_name: str
    staged_path: str
    size_bytes: int
    arrived_at: datetime


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def inbox_files(inbox: Path) -> list[Path]:
    """Files under the inbox, in a stable order; hidden files and folders are skipped."""
    if inbox.is_file():
        return [inbox]
    if not inbox.is_dir():
        raise FileNotFoundError(f"{inbox}: no such file or folder")
    return sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(inbox).parts)
    )


def stage_file(path: Path, store: Path) -> Staged:
    """Copy one file into the store under its hash (atomic: a crash leaves no half file)."""
    digest = sha256_file(path)
    target = store / digest[:2] / digest
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return Staged(digest, path.name, str(target), target.stat().st_size, datetime.now())


def stage_files(paths: list[Path], store: Path) -> list[Staged]:
    return [stage_file(p, store) for p in paths]
