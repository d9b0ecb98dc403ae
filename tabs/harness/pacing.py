"""Live frames at the pace the page draws them.

A streamed frame is sent every ``FRAME_INTERVAL`` seconds, but a page on a slow machine (a student's old laptop,
or Chromium sharing two cores with the server) can need longer than that to draw one: a GAN frame is ~110 kB of
figures. Frames then queue up in the page, which shows a run seconds late and answers Stop only once it has drawn
the queue (measured: a page 2.4 s of training behind, "Stopped at" shown 4.7-9.3 s after the click).

So a page acknowledges what it has drawn. Each frame of a stream from a page carries a token, hidden in its status
line; the page's script (``js/ack.js``, in the page's head) posts the token to ``ACK_PATH`` after the next paint,
and the stream sends its next frame only then: at most one frame is ever on its way.

How long a stream waits for an answer depends on what the page has shown so far:

- a page that has answered (any frame of this stream, even late) is alive and drawing: the next frame waits for its
  answer up to ``WAIT`` seconds. The first frame with figures can take a loaded page seconds (Plotly loads, every
  figure is drawn for the first time: 3 s measured on the VAE tab), and giving up on the page then queued frames
  again for the rest of the run, which is what pacing is for;
- a page that has never answered gets its next frame after ``FIRST_WAIT`` (never less often than timed frames
  every second), and after ``GIVE_UP`` such frames in a row plain timed frames without tokens: its script or the
  route is missing (a proxy that rewrites paths).

After an answer the page rests as long as it took to draw (``REST``): a page that is always drawing answers a
click only when the frame in hand is drawn, and a Stop clicked just after a frame landed waited a whole draw
(0.9-2.2 s on the GAN tab with a CPU hog beside the server on 2 cores). Resting, the page is idle at least half
of the time, and the run's trainer gets the core that the page no longer takes.

API clients (``gradio_client``) get plain timed frames and no tokens.

Every frame of every stream is encoded on the server's one event loop, under the interpreter lock the training
threads also want, and a class of thirty streams at 2.5 frames a second each made the instant views (an attention
map: 26 ms of work beside four training runs) wait seconds for their answer. So the server sends at most
``FRAMES_PER_S`` frames a second over all its streams (``Streams.gap``): alone, a stream gets its frame every
``FRAME_INTERVAL``; one of thirty, every 1.9 s. The runs train as fast either way; only the pictures come less often.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tabs.harness.clock import REAL, Clock

FRAMES_PER_S = 16.0  # frames a second the server sends at most over all its streams


class Streams:
    """The streams of one build of the app that draw a run now (``page.streams``), and the pause between two
    frames of each that keeps their sum within ``FRAMES_PER_S``."""

    def __init__(self, frames_per_s: float = FRAMES_PER_S) -> None:
        self.frames_per_s = frames_per_s
        self._n = 0
        self._lock = threading.Lock()

    def __enter__(self) -> "Streams":
        with self._lock:
            self._n += 1
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._n -= 1

    @property
    def active(self) -> int:
        return self._n

    def gap(self, interval: float) -> float:
        """Seconds between two frames of a stream: ``interval``, or longer when the streams drawing now would send
        more than ``frames_per_s`` in all."""
        return max(interval, self._n / self.frames_per_s)

ACK_PATH = "/playground/ack"
FIRST_WAIT = 1.0  # seconds a frame waits for the answer of a page that has never answered
WAIT = 5.0  # ... and of a page that has answered before (a slow page, or the first figures of a run)
GIVE_UP = 3  # frames in a row without an answer from a page that never answered: timed frames from then on
REST = 1.0  # after an answer, the page rests this many times as long as the frame took to come back
REST_MAX = 2.0  # seconds: the longest rest
KEEP = 8  # a stream's unanswered tokens remembered for a late answer
TOKEN_CHARS = 16

_pending: dict[str, "Pacer"] = {}  # token -> the stream that sent it, until the page answers or the stream ends
_lock = threading.Lock()
_answered = 0  # tokens answered since the process started (for tests and the load test)


def marker(token: str) -> str:
    # the page's sanitizer keeps a class and a title (not data-* attributes); hidden: no text, no space taken
    return f'<span hidden class="pg-ack" title="{token}"></span>'


def acknowledge(token: str) -> bool:
    """The page has drawn the frame with ``token``; False for a token nobody waits for."""
    global _answered
    with _lock:
        pacer = _pending.pop(token, None)
        if pacer is None:
            return False
        _answered += 1
        pacer._answer(token)
    return True


def answered() -> int:
    """How many frames pages have acknowledged so far."""
    with _lock:
        return _answered


def waiting() -> int:
    """Tokens sent and not answered yet (at most ``KEEP`` per stream)."""
    with _lock:
        return len(_pending)


class Pacer:
    """One stream's pacing: ``tag`` a status before sending its frame; ``ready`` says whether the next may go."""

    def __init__(self, paced: bool, clock: Clock = REAL) -> None:
        self.paced, self.clock = bool(paced), clock
        self.answering = False  # the page has answered a frame of this stream
        self._tokens: deque[str] = deque()  # sent and not answered, oldest first (guarded by ``_lock``)
        self._current: str | None = None  # the newest frame's token while the stream waits for its answer
        self._cond = threading.Condition()  # notified when the page answers the newest frame
        self._answered = False  # the page has answered the newest frame
        self._sent = 0.0
        self._rest_until = 0.0  # the page rests until then (``REST``)
        self._missed = 0  # waits in a row that ran out before the page had ever answered

    def tag(self, status: str) -> str:
        if not self.paced:
            return status
        token = secrets.token_urlsafe(TOKEN_CHARS)[:TOKEN_CHARS]
        with _lock:
            _pending[token] = self
            self._tokens.append(token)
            while len(self._tokens) > KEEP:
                _pending.pop(self._tokens.popleft(), None)
            self._current = token
            self._answered = False
        self._sent = self.clock.now()
        return status + marker(token)

    def _answer(self, token: str) -> None:  # under ``_lock``
        self.answering = True
        self._missed = 0
        self._tokens.remove(token)
        if token == self._current:
            now = self.clock.now()
            with self._cond:
                self._rest_until = now + min(REST_MAX, REST * (now - self._sent))
                self._answered = True
                self._cond.notify_all()

    def ready(self) -> bool:
        if not self.paced or self._current is None:
            return True
        if self._answered:
            return self.clock.now() >= self._rest_until
        if self.clock.now() - self._sent < (WAIT if self.answering else FIRST_WAIT):
            return False
        # the wait ran out (a page still drawing, a hidden browser tab, a lost request): the next frame goes out,
        # and a late answer to this one still counts
        self._current = None
        if not self.answering:
            self._missed += 1
            if self._missed >= GIVE_UP:  # no script, or the route unreachable: timed frames, as without pacing
                self.close()
                self.paced = False
        return True

    def wait(self, poll: float) -> None:
        """Block until the page answers the newest frame or the moment the next frame may go has come (its wait
        ran out, or its rest ended), at most ``poll`` seconds (the stream looks at its run that often)."""
        if self._current is None:
            return
        with self._cond:
            answered = self._answered
            moment = self._rest_until if answered else self._sent + (WAIT if self.answering else FIRST_WAIT)
            self.clock.wait(self._cond, lambda: self._answered != answered or self.clock.now() >= moment,
                            min(moment, self.clock.now() + poll))

    def close(self) -> None:
        """Forget the tokens in flight (the stream ended or moved on)."""
        with _lock:
            for token in self._tokens:
                _pending.pop(token, None)
            self._tokens.clear()
            self._current = None


ACK_BYTES = 64  # an answer is one token: the body is read no further (a 200 MB POST once cost 319 MB)


async def _ack(request: Request) -> Response:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) >= ACK_BYTES:
            break
    acknowledge(body[:ACK_BYTES].decode("ascii", errors="replace").strip())
    return Response(status_code=204)


ROUTES = [Route(ACK_PATH, _ack, methods=["POST"])]  # for FastAPI(routes=...): see ``app.launch_kwargs``
# The page's side is ``js/ack.js``, in the page's head (``tabs.harness.page.head``).
