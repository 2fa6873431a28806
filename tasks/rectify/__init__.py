"""Rectification (整改): the loop after the gate. Problems of current reports become items
(`refresh`, after every load), the office sends notices (`notify`), a newer current report of the
same agency and year re-checks them automatically, and people waive or close them — every change
an event with who, when and why, nothing deleted. Plain functions, SQL in warehouse/queries/rectify_*.sql."""

from tasks.rectify.items import (
    STATUSES,
    RectifyError,
    after_load,
    close,
    events,
    export,
    items,
    refresh,
    waive,
)
from tasks.rectify.notices import notify

__all__ = [
    "STATUSES",
    "RectifyError",
    "after_load",
    "close",
    "events",
    "export",
    "items",
    "notify",
    "refresh",
    "waive",
]
