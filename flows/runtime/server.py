"""The Prefect server `ogi watch` and `ogi serve` talk to, and serving the deployments against it."""

from __future__ import annotations

import signal
from collections.abc import Callable

from tasks.messages import DEFAULT_LANG, t


class NoPrefectServer(Exception):
    """No Prefect server is configured, or it does not answer: `str()` in English, `text(lang)` in
    either, saying how to start one (and what to do instead)."""

    def __init__(self, message_id: str, **fields: object) -> None:
        self.key, self.fields = message_id, fields
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        alternative = t("server.alternative_local", lang) if self.fields.get("local") else ""
        return t(self.key, lang, **{k: v for k, v in self.fields.items() if k != "local"},
                 hint=t("server.hint", lang), alternative=alternative)  # fmt: skip


def prefect_server(local_alternative: bool = False, lang: str = DEFAULT_LANG) -> str:
    """The configured Prefect API URL if the server answers; else NoPrefectServer saying how to start
    one (and, with `local_alternative`, that --local runs without one)."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise NoPrefectServer("server.none", local=local_alternative)
    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        raise NoPrefectServer("server.silent", url=url, why=str(exc), local=local_alternative) from exc
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
