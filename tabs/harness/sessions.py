"""Which browser session owns which live state, so that a closed tab stops its runs and frees their models.

One ``BrowserSessions`` per build of the app (``page.sessions``): the harness remembers each live state under the
Gradio session hash of the request that started its run; ``demo.unload(sessions.release)`` frees them when the
browser tab (or an API client's heartbeat) goes away, with the session's whole Gradio state, and ``forget`` is
``gr.State``'s delete callback (the state's time to live ran out).
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import gradio as gr

from playground.kit.runtime import return_free_memory


class BrowserSessions:
    def __init__(self) -> None:
        self._by_browser: dict[str, list[Any]] = {}
        self._lock = threading.Lock()
        # Gradio's store of every session's state (``demo.state_holder``, once the app is launched): a closed
        # session's is dropped at once. Gradio keeps it an hour for a tab that reconnects, but its runs have been
        # stopped and their models freed by then, and thirty closed sessions held 242 MB (measured after a class).
        self.states: Callable[[], Any] | None = None

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
        self._drop_state(getattr(request, "session_hash", None))
        return_free_memory()  # what they held, back to the system (glibc keeps freed blocks otherwise)

    def _drop_state(self, session_hash: str | None) -> None:
        holder = self.states() if self.states is not None else None
        if holder is None or not session_hash:
            return
        with holder.lock:
            holder.session_data.pop(session_hash, None)
            holder.time_last_used.pop(session_hash, None)

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
