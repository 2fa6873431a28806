"""Quiet commands: Prefect's own log lines (a dozen per run: temporary server, flow and task runs)
go to a log file beside the warehouse instead of the terminal, unless `-v` asks for them."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

_swapped: list[tuple[logging.Logger, logging.Handler]] = []  # (logger, the console handler taken off it)
_state: dict[str, logging.Handler | None] = {"file": None, "stderr": None}


def prefect_logs_to(path: Path | None) -> None:
    """From now on in this process, every Prefect console handler writes to `path` (appended)
    instead of stderr — to the end, so the temporary server's "Stopping" line at exit lands there
    too; `None` puts the console handlers back (-v). The project's own warnings (logger `ogi`,
    e.g. a busy warehouse) still reach stderr."""
    _restore()
    if path is None:
        return
    import prefect  # noqa: F401 — Prefect configures its logging when imported
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.logging.handlers import PrefectConsoleHandler

    ensure_logging_setup()
    path.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(path, encoding="utf-8")
    loggers = [logging.getLogger()] + [
        lg for lg in list(logging.Logger.manager.loggerDict.values()) if isinstance(lg, logging.Logger)
    ]
    for lg in loggers:
        for h in list(lg.handlers):
            if isinstance(h, PrefectConsoleHandler):
                if to_file.formatter is None:
                    to_file.setFormatter(h.formatter)
                lg.removeHandler(h)
                lg.addHandler(to_file)
                _swapped.append((lg, h))
    on_stderr = logging.StreamHandler(sys.stderr)
    on_stderr.setLevel(logging.WARNING)
    on_stderr.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("ogi").addHandler(on_stderr)
    _state.update(file=to_file, stderr=on_stderr)


def _restore() -> None:
    to_file, on_stderr = _state["file"], _state["stderr"]
    for lg, h in _swapped:
        if to_file is not None:
            lg.removeHandler(to_file)
        lg.addHandler(h)
    _swapped.clear()
    if on_stderr is not None:
        logging.getLogger("ogi").removeHandler(on_stderr)
    if to_file is not None:
        to_file.close()
    _state.update(file=None, stderr=None)
