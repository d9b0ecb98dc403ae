"""Which browser session owns which live state, so that a closed tab stops its runs and frees their models.

One ``BrowserSessions`` per build of the app (``page.sessions``): the harness remembers each live state under the
Gradio session hash of the request that started its run; ``demo.unload(sessions.release)`` frees them when the
browser tab (or an API client's heartbeat) goes away, and ``forget`` is ``gr.State``'s delete callback (the state's
time to live ran out).
"""

from __future__ import annotations

import threading
from typing import Any

import gradio as gr

from playground.kit.runtime import return_free_memory


class BrowserSessions:
    def __init__(self) -> None:
        self._by_browser: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    def remember(self, request: gr.Request | None, session: Any) -> None:
        key = getattr(request, "session_hash", None)
        if not key:
            return
        with self._lock:
            held = self._by_browser.setdefault(key, [])
            if not any(s is session for s in held):
                held.append(session)

    def release(self, request: gr.Request) -> None:
        """``demo.unload``: the browser tab closed, so stop its runs and free their models now."""
        with self._lock:
            held = self._by_browser.pop(getattr(request, "session_hash", None) or "", [])
        for session in held:
            session.free()
        if held:
            return_free_memory()  # what they held, back to the system (glibc keeps freed blocks otherwise)

    def forget(self, session: Any) -> None:
        """``gr.State``'s delete callback: stop and free ``session`` and drop it from the index."""
        if not hasattr(session, "free"):
            return
        session.free()
        with self._lock:
            for key in [k for k, held in self._by_browser.items() if any(s is session for s in held)]:
                self._by_browser[key] = [s for s in self._by_browser[key] if s is not session]
                if not self._by_browser[key]:
                    del self._by_browser[key]

    def of(self, session_hash: str) -> list[Any]:
        """The live states a browser session holds (tests and the load test)."""
        with self._lock:
            return list(self._by_browser.get(session_hash, []))

    def __len__(self) -> int:
        """How many browser sessions hold live state."""
        with self._lock:
            return len(self._by_browser)
