"""Extraction of a batch of staged documents: read → parse, with unreadable files kept as such."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.parse import parse_record
from tasks.read import UnreadableDocument, read_document, read_path
from tasks.record import Record
from tasks.stage import Staged, sha256_file


@dataclass(frozen=True)
class Extracted:
    staged: Staged
    record: Record | None  # None when the file could not be read
    status: str  # report | not_a_report | rejected | needs_ocr | encrypted | unsupported
    reason: str | None = None

    @property
    def gated(self) -> bool:
        """Whether the document goes through the gate (a readable report)."""
        return self.record is not None and self.status == "report"


def extract_one(staged: Staged) -> Extracted:
    """Never raises for bad input: an unreadable file comes back with its status and reason."""
    try:
        doc = read_document(Path(staged.staged_path).read_bytes(), staged.original_name)
        record = parse_record(doc, staged.document_id)
    except UnreadableDocument as exc:
        return Extracted(staged, None, exc.status, exc.reason)
    except (MemoryError, RecursionError) as exc:
        why = "too deeply nested" if isinstance(exc, RecursionError) else "needed more memory than allowed"
        return Extracted(staged, None, "too_large", f"{staged.original_name}: {why} (stopped)")
    except Exception as exc:  # noqa: BLE001 — a parser bug must not lose the document
        return Extracted(
            staged, None, "rejected", f"{staged.original_name}: extraction failed ({type(exc).__name__}: {exc})"
        )
    if record.status == "not_a_report":
        return Extracted(staged, record, "not_a_report", f"{staged.original_name}: " + record.warnings[-1])
    return Extracted(staged, record, "report")


def extract_batch(staged: list[Staged]) -> list[Extracted]:
    return [extract_one(s) for s in staged]


def record_of_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The canonical record of one file (no staging, no warehouse) and None; for a file that cannot be
    read, {source, status, error} and the reason."""
    try:
        return parse_record(read_path(path), sha256_file(path)).to_dict(), None
    except UnreadableDocument as exc:
        return {"source": path.name, "status": exc.status, "error": exc.reason}, exc.reason
    except (MemoryError, RecursionError) as exc:
        why = "too deeply nested" if isinstance(exc, RecursionError) else "needed more memory than allowed"
        reason = f"{path.name}: {why} (stopped)"
        return {"source": path.name, "status": "too_large", "error": reason}, reason
    except Exception as exc:  # noqa: BLE001 — a reader or parser bug is one line about this file
        reason = f"{path.name}: extraction failed ({type(exc).__name__}: {str(exc)[:200]})"
        return {"source": path.name, "status": "rejected", "error": reason}, reason
