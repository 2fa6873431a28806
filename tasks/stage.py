"""Staging: every incoming file is kept, content-addressed by sha256, before anything else.

The store is a folder today (object storage later): `<store>/<sha[:2]>/<sha>`; the same bytes
twice are one document, and a staged file is never changed or removed.

The inbox contract: only regular files are staged. Every other entry — a hidden file, a symlink
(refused when it leads outside the inbox, dangling or looping), a FIFO, socket or device, a file
that cannot be read or vanished — is listed as skipped with its reason, so every entry of the inbox
is accounted for. Names are kept losslessly whatever their bytes (undecodable bytes as \\xNN).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class Staged:
    document_id: str  # sha256 of the bytes
    original_name: str
    staged_path: str
    size_bytes: int
    arrived_at: datetime


@dataclass(frozen=True)
class Skipped:
    """An inbox entry that was not staged, and why (for the run's summary)."""

    name: str
    reason: str


def display_name(name: str | bytes) -> str:
    """A file name as text that any UTF-8 store takes: bytes that are not UTF-8 become \\xNN."""
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    return raw.decode("utf-8", "backslashreplace")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _kind(mode: int) -> str:
    for test, what in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):  # fmt: skip
        if test(mode):
            return what
    return "not a regular file"


def _symlink_verdict(path: Path, root: Path) -> str | None:
    """Why a symlink is refused, or None when it leads to a regular file inside the inbox."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "a dangling symlink"
    except (RuntimeError, OSError):
        return "a symlink loop"
    if not target.is_relative_to(root):
        return "a symlink leading outside the inbox (refused)"
    if target.is_dir():
        return "a symlink to a folder (not followed)"
    return None if target.is_file() else "a symlink to " + _kind(target.stat().st_mode)


def inbox_entries(inbox: Path) -> tuple[list[Path], list[Skipped]]:
    """Regular files under the inbox in a stable order, and every other entry with its reason."""
    if inbox.is_file() and not inbox.is_symlink():
        return [inbox], []
    if not inbox.is_dir():
        raise FileNotFoundError(f"{inbox}: no such file or folder")
    root = inbox.resolve()
    files, skipped = [], []
    stack = [root]
    while stack:  # iterative: no recursion over folder depth
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(display_name(os.path.relpath(folder, root)), f"unreadable folder ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            name = display_name(os.path.relpath(entry.path, root))
            if entry.name.startswith("."):
                skipped.append(Skipped(name, "hidden (name starts with a dot)"))
            elif entry.is_symlink():
                if why := _symlink_verdict(path, root):
                    skipped.append(Skipped(name, why))
                else:
                    files.append(path)
            elif entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                skipped.append(Skipped(name, _kind(entry.stat(follow_symlinks=False).st_mode)))
    return sorted(files), skipped


def inbox_files(inbox: Path) -> list[Path]:
    """The regular files under the inbox (see inbox_entries for the others)."""
    return inbox_entries(inbox)[0]


def stage_file(path: Path, store: Path) -> Staged:
    """Copy one regular file into the store under its hash (atomic: a crash leaves no half file).

    Opened without blocking and checked after opening, so a FIFO or device swapped in after the
    inbox was listed is refused instead of blocking the run."""
    flags = os.O_RDONLY | os.O_NONBLOCK
    if not path.is_symlink():  # symlinks inside the inbox were vetted by inbox_entries
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as src:
        mode = os.fstat(src.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"{_kind(mode)}, not staged")
        tmp = store / f".incoming-{os.getpid()}-{id(src)}"
        store.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        with open(tmp, "wb") as out:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                h.update(chunk)
                out.write(chunk)
    digest = h.hexdigest()
    target = store / digest[:2] / digest
    if target.exists():
        tmp.unlink()
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    return Staged(digest, display_name(path.name), str(target), target.stat().st_size, datetime.now())


def stage_files(paths: list[Path], store: Path) -> tuple[list[Staged], list[Skipped]]:
    """Stage each file; one that vanished, cannot be read or is not a regular file is skipped with its reason."""
    staged, skipped = [], []
    for p in paths:
        try:
            staged.append(stage_file(p, store))
        except OSError as exc:
            skipped.append(Skipped(display_name(p.name), f"not staged: {exc.strerror or exc}"))
    return staged, skipped
