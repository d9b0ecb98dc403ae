"""Live frames at the pace the page draws them.

A streamed frame is sent every ``FRAME_INTERVAL`` seconds, but a page on a slow machine (a student's old laptop,
or Chromium sharing two cores with the server) can need longer than that to draw one: a GAN frame is ~110 kB of
figures. Frames then queue up in the page, which shows a run seconds late and answers Stop only once it has drawn
the queue (measured: a page 2.4 s of training behind, "Stopped at" shown 4.7-9.3 s after the click).

So a page acknowledges what it has drawn. Each frame of a stream from a page carries a token, hidden in its status
line; the page's script (``ACK_SCRIPT``, in the page's head) posts the token to ``ACK_PATH`` after the next paint,
and the stream sends its next frame only then: at most one frame is ever on its way. A stream whose page does not
answer within ``WAIT`` goes back to plain timed frames for the rest of the stream (a page that does not answer in
the browser tests' sequence skipped whole epochs when it got a frame only every 3 s). API clients
(``gradio_client``) get plain timed frames and no tokens.
"""

from __future__ import annotations

import secrets
import threading
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ACK_PATH = "/playground/ack"
FIRST_WAIT = 1.0  # seconds a stream waits for the page's first answer
WAIT = 1.0  # ... and for any later one; after a wait in vain the stream sends plain timed frames (never worse than before)
TOKEN_CHARS = 16

_pending: dict[str, threading.Event] = {}  # token -> set when the page has drawn that frame
_lock = threading.Lock()
_answered = 0  # tokens answered since the process started (for tests and the load test)


def marker(token: str) -> str:
    # the page's sanitizer keeps a class and a title (not data-* attributes); hidden: no text, no space taken
    return f'<span hidden class="pg-ack" title="{token}"></span>'


def acknowledge(token: str) -> bool:
    """The page has drawn the frame with ``token``; False for a token nobody waits for."""
    global _answered
    with _lock:
        event = _pending.pop(token, None)
        if event is None:
            return False
        _answered += 1
    event.set()
    return True


def answered() -> int:
    """How many frames pages have acknowledged so far."""
    with _lock:
        return _answered


def waiting() -> int:
    """Tokens sent and not answered yet (at most one per stream)."""
    with _lock:
        return len(_pending)


class Pacer:
    """One stream's pacing: ``tag`` a status before sending its frame; ``ready`` says whether the next may go."""

    def __init__(self, paced: bool) -> None:
        self.paced = bool(paced)
        self._token: str | None = None
        self._event: threading.Event | None = None
        self._sent = 0.0
        self._answered = False  # the page has answered at least once

    def tag(self, status: str) -> str:
        if not self.paced:
            return status
        self.close()
        token, event = secrets.token_urlsafe(TOKEN_CHARS)[:TOKEN_CHARS], threading.Event()
        with _lock:
            _pending[token] = event
        self._token, self._event, self._sent = token, event, time.perf_counter()
        return status + marker(token)

    def ready(self) -> bool:
        if not self.paced or self._event is None:
            return True
        if self._event.is_set():
            self._answered = True
            return True
        if time.perf_counter() - self._sent >= (WAIT if self._answered else FIRST_WAIT):
            # an answer that does not come (no script, the route missing, a hidden tab, a lost request): timed
            # frames from now on, so a page never sees the run less often than it did without pacing
            self.close()
            self.paced = False
            return True
        return False

    def wait(self, timeout: float) -> None:
        """Block until the page answers or ``timeout`` seconds pass."""
        if self._event is not None:
            self._event.wait(timeout)

    def close(self) -> None:
        """Forget the token in flight (the stream ended or moved on)."""
        if self._token is not None:
            with _lock:
                _pending.pop(self._token, None)
            self._token = None
            self._event = None


async def _ack(request: Request) -> Response:
    token = (await request.body())[:64].decode("ascii", errors="replace").strip()
    acknowledge(token)
    return Response(status_code=204)


ROUTES = [Route(ACK_PATH, _ack, methods=["POST"])]  # for FastAPI(routes=...): see ``app.launch_kwargs``

# In the page's head: answer each token once, after the frame that brought it has been painted.
ACK_SCRIPT = """
  // Live frames at the pace this page draws them (tabs/pacing.py)
  const acked = new Set(), ackUrl = new URL('%s', document.baseURI).href;
  const answer = (token) => fetch(ackUrl, {method: 'POST', body: token, keepalive: true}).catch(() => {});
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('span.pg-ack[title]')) {
      if (acked.has(el.title)) continue;
      if (acked.size > 1000) acked.clear();
      acked.add(el.title);
      const token = el.title;
      requestAnimationFrame(() => setTimeout(() => answer(token), 0));
    }
  }).observe(document, {childList: true, subtree: true});
""" % ACK_PATH.lstrip("/")
