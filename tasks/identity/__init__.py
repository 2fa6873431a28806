"""Agency identity: which documents are one agency (rules.py), what people decided (overrides.py),
and writing it to the warehouse (store.py). Nothing here imports Prefect."""

from tasks.identity.overrides import Override, OverridesError, append_override, load_overrides, new_override
from tasks.identity.rules import Printed, natural_key, resolve, short_name
from tasks.identity.store import apply_identities, reresolve

__all__ = [
    "Override",
    "OverridesError",
    "Printed",
    "append_override",
    "apply_identities",
    "load_overrides",
    "natural_key",
    "new_override",
    "reresolve",
    "resolve",
    "short_name",
]
