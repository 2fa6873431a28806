"""Debian's headless Chromium driven over the DevTools protocol (websockets, already a dependency of
Prefect): a page laid out at a given viewport, a JavaScript expression evaluated in it, a screenshot.

`--window-size` alone cannot give a phone's viewport: headless Chromium lays pages out at least 500 px
wide. Emulation.setDeviceMetricsOverride sets the width (and, for a phone, mobile mode, in which the
page's viewport meta is honoured), as DevTools' device toolbar does.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One tab, attached with a flat session."""

    def __init__(self, ws: Any, session: str, ids: Iterator[int]) -> None:
        self.ws, self.session, self.ids = ws, session, ids

    def send(self, method: str, timeout: float = 60, **params: Any) -> dict:
        """Send a command and return its result (events in between are dropped)."""
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params, "sessionId": self.session}))
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("id") == i:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("method") == event and msg.get("sessionId") == self.session:
                return msg.get("params", {})

    def open(self, url: str, width: int, height: int, mobile: bool) -> None:
        """Lay the page out at width × height CSS px, as a phone (mobile) or a desktop."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        self.send("Page.enable")
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the page (the whole page, not only the viewport, when full_page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            w, h = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params |= {"captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path


@contextmanager
def browser_page(profile: Path | None = None) -> Iterator[Page]:
    """A fresh headless Chromium and one tab in it; both closed after."""
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed")
    # Chromium's helper processes may still write to the profile after the browser exits: the whole
    # process group is stopped, and a file they leave behind must not fail the test that used it.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile or tmp}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            url = None
            deadline = time.monotonic() + 60
            while url is None and time.monotonic() < deadline:
                line = proc.stderr.readline()
                if not line and proc.poll() is not None:
                    break
                m = re.search(r"DevTools listening on (ws://\S+)", line)
                url = m.group(1) if m else None
            if url is None:
                raise RuntimeError("chromium did not open its DevTools port")
            with connect(url, max_size=None, open_timeout=30) as ws:
                ids = itertools.count(1)
                i = next(ids)
                ws.send(json.dumps({"id": i, "method": "Target.createTarget", "params": {"url": "about:blank"}}))
                target = _result(ws, i)["targetId"]
                i = next(ids)
                ws.send(
                    json.dumps(
                        {"id": i, "method": "Target.attachToTarget", "params": {"targetId": target, "flatten": True}}
                    )
                )
                yield Page(ws, _result(ws, i)["sessionId"], ids)
        finally:
            _stop_group(proc)


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM to Chromium and its helpers, SIGKILL to any still alive after 10 s."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            proc.poll()
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
    proc.wait()


def _result(ws: Any, i: int) -> dict:
    while True:
        msg = json.loads(ws.recv(timeout=30))
        if msg.get("id") == i:
            if "error" in msg:
                raise RuntimeError(msg["error"])
            return msg["result"]
