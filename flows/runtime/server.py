"""The Prefect server `ogi watch` and `ogi serve` talk to, and serving the deployments against it."""

from __future__ import annotations

import signal
from collections.abc import Callable

SERVER_HINT = (
    "start one with `prefect server start --host 127.0.0.1` and `export PREFECT_API_URL=http://127.0.0.1:4200/api`"
)


class NoPrefectServer(Exception):
    """No Prefect server is configured, or it does not answer; the message says what to do."""


def prefect_server(alternative: str = "") -> str:
    """The configured Prefect API URL if the server answers; else NoPrefectServer saying how to start
    one (and `alternative`, what to do instead)."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise NoPrefectServer(f"no Prefect server configured: {SERVER_HINT}{alternative}")
    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        raise NoPrefectServer(
            f"the Prefect server at {url} does not answer ({exc}); {SERVER_HINT}{alternative}"
        ) from exc
    return url


def serve(warehouse: str, poll_s: float, say: Callable[[str], None], warn: Callable[[str], None], lang: str) -> None:
    """Load staged documents as their events arrive (the consumer, in a thread of this process) and
    serve the deployments (deployments/serve.py) until Ctrl-C; Prefect's runner handles SIGTERM itself."""
    from deployments.serve import main as serve_deployments
    from flows.runtime import consumer
    from flows.runtime.watch import outcome_lines
    from tasks.messages import t
    from tasks.settings import settings

    def said(summary: dict) -> None:
        for line in outcome_lines(summary, lang):
            say(line)

    def failed(refs: list, exc: Exception) -> None:
        names = ", ".join(r.original_name for r in refs)
        warn(t("watch.not_loaded", lang, names=names, why=f"{type(exc).__name__}: {exc}"))

    stop = consumer.start(settings(warehouse), said, failed)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        serve_deployments(warehouse, poll_s)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
