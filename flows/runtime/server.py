"""The Prefect server `ogi watch` and `ogi serve` talk to, and serving the deployments against it."""

from __future__ import annotations

import signal

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


def serve(warehouse: str, poll_s: float) -> None:
    """Serve the deployments (deployments/serve.py) until Ctrl-C; Prefect's runner handles SIGTERM itself."""
    from deployments.serve import main as serve_deployments

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        serve_deployments(warehouse, poll_s)
    except KeyboardInterrupt:
        pass
