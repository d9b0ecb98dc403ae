"""Films for slides: a bounded record of a run's main figure, exported as an animated GIF and a still.

A tab keeps one ``Film`` per browser session and wraps its core generator in ``filmed(...)``: on the run's
own thread (between two updates, where the models are the run's alone) every ``stride``-th snapshot is
captured as a small payload (a few points, a compressed picture, a count). When the film is full the
frames are thinned evenly: every other one is dropped and the stride doubles, so a run of any length keeps
between ``cap / 2`` and ``cap`` frames spaced by the same number of snapshots, plus the last one.

Drawing happens only when a user asks for the export (``export(...)``): each payload becomes a slide-sized
picture (``matplotlib``'s Agg canvas or PIL, never pyplot's global state), then one GIF. Files go to
``tabs.harness.common.export_path`` (one cleaned folder per process).
"""

from __future__ import annotations

import functools
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tabs.harness.common import export_path
from tabs.harness.runner import Dropped

FILM_FRAMES = 120  # frames kept per run: 60 to 120 (a GAN plane's GIF takes about 75 kB a frame)
SLIDE = (1280, 720)  # GIF frame size in pixels (16:9)
STILL = (1920, 1080)  # the last frame as PNG
GIF_SECONDS = 8.0  # the whole film plays in about this long...
FRAME_MS = (40, 400)  # ...with each frame shown this long at least and at most (milliseconds)
HOLD_LAST_MS = 2500  # the last frame stays a moment before the loop starts again
PALETTE_FROM = 8  # frames (evenly spread, and the last) that the GIF's palette is made from
UNCHANGED = 255  # the GIF's transparent index: "same pixel as the frame before"
FONT_FAMILY = "DejaVu Sans"  # shipped with matplotlib, so always there


@dataclass(frozen=True)
class Frame:
    tick: int  # which offered snapshot (1, 2, ...)
    payload: Any


@dataclass
class Film:
    """The frames of one run, bounded and evenly thinned. Written by the run's thread, read by the export
    (a list is replaced, never changed in place, so a reader's copy stays whole)."""

    cap: int = FILM_FRAMES
    stride: int = 1
    ticks: int = 0
    frames: list = field(default_factory=list)  # [Frame] at ticks stride, 2*stride, ...
    last: Frame | None = None  # the final snapshot, when it is not in ``frames``
    run_id: int = 0  # which run these frames belong to (a newer run starts a new film)
    captures: int = 0  # how many frames were captured (thinning drops some): the film's cost to the run

    def reset(self) -> int:
        self.stride, self.ticks, self.frames, self.last, self.captures = 1, 0, [], None, 0
        self.run_id += 1
        return self.run_id

    def offer(self, capture: Callable[[], Any]) -> bool:
        """One more snapshot went by: capture it when its tick is due. True when captured."""
        self.ticks += 1
        if self.ticks % self.stride:
            return False
        frames = self.frames + [Frame(self.ticks, capture())]
        self.captures += 1
        if len(frames) > self.cap:  # thin evenly: keep every other frame, capture half as often from now
            self.stride *= 2
            frames = [f for f in frames if f.tick % self.stride == 0]
        self.frames, self.last = frames, None
        return True

    def close(self, capture: Callable[[], Any]) -> None:
        """The run ended (done or stopped): keep its final state too."""
        if self.ticks and (not self.frames or self.frames[-1].tick != self.ticks):
            self.last = Frame(self.ticks, capture())

    def all(self) -> list[Frame]:
        frames, last = self.frames, self.last
        return frames + ([last] if last is not None else [])

    def __len__(self) -> int:
        return len(self.all())

    def __deepcopy__(self, memo):  # gr.State copies a session's default: a new session starts empty
        return Film(self.cap)


def filmed(gen: Iterator, film: Film, capture: Callable[[Any], Any], fresh: bool = True,
           when: Callable[[Any], bool] | None = None) -> Iterator:
    """``gen``, with ``capture(snapshot)`` recorded into ``film`` as it goes (and once more at the end).

    Runs on the run's thread: ``capture`` may use the models. ``when(snapshot)``: which snapshots are
    frames (all by default; heartbeats never). ``fresh=False`` goes on with the film (more steps of the
    same run). A run that fails (NaN, an error) keeps the frames it has without a final one."""
    me = film.reset() if fresh else film.run_id
    latest = None

    def grab(snap):
        return lambda: capture(snap)

    try:
        for item in gen:
            frame = item is not None and film.run_id == me and (when is None or when(item))
            try:
                yield item
            except GeneratorExit as stop:  # a run stopped after taking this snapshot keeps it; one that
                if frame and not isinstance(stop, Dropped):  # dropped it (Stop came during its update) does not
                    film.offer(grab(item))
                    latest = item
                raise
            if frame:  # taken (the consumer asks for more): a frame, captured before the models move on
                film.offer(grab(item))
                latest = item
    except GeneratorExit:  # stopped: keep where it stopped
        if latest is not None and film.run_id == me:
            film.close(grab(latest))
        raise
    else:
        if latest is not None and film.run_id == me:
            film.close(grab(latest))
    finally:
        if hasattr(gen, "close"):
            gen.close()


# ---------------------------------------------------------------- compact payloads
@dataclass(frozen=True)
class Packed:
    """A grey uint8 picture, zlib-compressed (fast: a 20 x 20 grid of MNIST digits, 340 kB, becomes about
    110 kB in a few milliseconds; PNG's filters cost several times more on the run's thread)."""

    shape: tuple[int, int]
    data: bytes

    def image(self) -> Image.Image:
        return Image.fromarray(np.frombuffer(zlib.decompress(self.data), np.uint8).reshape(self.shape)).convert("RGB")


def pack_image(picture: np.ndarray) -> Packed:
    picture = np.ascontiguousarray(picture, dtype=np.uint8)
    return Packed(picture.shape, zlib.compress(picture.tobytes(), 1))


# ---------------------------------------------------------------- drawing
@functools.lru_cache(maxsize=16)
def font(px: int) -> ImageFont.FreeTypeFont:
    from matplotlib import font_manager

    return ImageFont.truetype(font_manager.findfont(FONT_FAMILY), px)


def grid_slide(picture: Image.Image, title: str, caption: str, size: tuple[int, int] = SLIDE) -> Image.Image:
    """A picture of cells (digits) on a white 16:9 slide: scaled up by a whole factor with nearest neighbour
    (sharp pixels), a title above and a caption (the step) below, in type large enough for a projector."""
    w, h = size
    top, bottom = round(h * 0.11), round(h * 0.08)
    room = h - top - bottom
    k = max(1, room // max(picture.size))
    big = picture.resize((picture.width * k, picture.height * k), Image.NEAREST)
    if max(big.size) > room:  # larger than the room even at 1x: shrink smoothly instead
        big = picture.resize((room, room), Image.LANCZOS)
    slide = Image.new("RGB", size, "white")
    slide.paste(big, ((w - big.width) // 2, top + (room - big.height) // 2))
    draw = ImageDraw.Draw(slide)
    px = round(h * 0.05)
    while px > 12 and draw.textlength(title, font=font(px)) > 0.96 * w:  # a long title (Vietnamese) fits
        px -= 2
    draw.text((w // 2, top // 2), title, fill="#18181b", font=font(px), anchor="mm")
    draw.text((w // 2, h - bottom // 2), caption, fill="#3f3f46", font=font(round(h * 0.04)), anchor="mm")
    return slide


def write_gif(frames: Iterable[Image.Image], path: Path) -> tuple[Path, int]:
    """Frames of one size into a looping GIF. One palette for all (255 colours taken from frames across the
    film: no flicker), and each frame after the first keeps only the pixels that changed, the
    others transparent over the frame before (a third smaller for the GAN plane, where only the points, the
    curves and parts of the map move). Returns (path, number of frames)."""
    frames = list(frames)
    if not frames:
        raise ValueError("a GIF needs at least one frame")
    w, h = frames[0].width // 2, frames[0].height // 2  # half size, nearest: the colours stay, 4x less to scan
    picks = frames[:: max(1, len(frames) // PALETTE_FROM)] + frames[-1:]
    sample = Image.new("RGB", (w, h * len(picks)))
    for i, f in enumerate(picks):
        sample.paste(f.resize((w, h), Image.NEAREST), (0, i * h))
    palette = sample.quantize(255, method=Image.Quantize.MEDIANCUT)
    colours = (palette.getpalette() + [0] * 768)[: 255 * 3]
    rgb = np.array(colours).reshape(255, 3)
    white = int(rgb.sum(1).argmax())
    rgb[white] = 255  # the lightest colour is the slide's pure white...
    palette.putpalette(rgb.ravel().tolist())
    colours = rgb.ravel().tolist() + [255, 255, 255]  # index 255: "unchanged"
    indexed, previous = [], None
    for f in frames:
        now = np.array(f.quantize(palette=palette, dither=Image.Dither.NONE))  # (H, W) indices < 255
        now[(np.asarray(f) == 255).all(axis=2)] = white  # ...and stays so (PIL's lookup is approximate)
        delta = now.copy()
        if previous is not None:
            delta[now == previous] = UNCHANGED
        previous = now
        picture = Image.fromarray(delta, "P")
        picture.putpalette(colours)
        indexed.append(picture)
    each = int(np.clip(1000 * GIF_SECONDS / len(frames), *FRAME_MS))
    durations = [each] * (len(frames) - 1) + [max(each, HOLD_LAST_MS)]
    indexed[0].save(path, format="GIF", save_all=True, append_images=indexed[1:], duration=durations, loop=0,
                    transparency=UNCHANGED, disposal=1, optimize=False)  # disposal 1: draw over the frame before
    return path, len(frames)


@dataclass
class Exported:
    files: list[str]
    frames: int
    seconds: float
    gif_bytes: int


def export(film: Film, stem: str, slides: Callable[[list[Frame]], Iterator[Image.Image]],
           stills: Callable[[Frame, Path], list[Path]] | None = None) -> Exported:
    """The film as ``<stem>.gif`` (one slide per frame, drawn by ``slides``) and its last frame as stills
    (``stills(frame, path_without_suffix)`` writes PNG / SVG files)."""
    t0 = time.perf_counter()
    frames = film.all()
    if not frames:
        raise ValueError("the film has no frames yet")
    gif, n = write_gif(slides(frames), export_path(f"{stem}.gif"))
    files = [gif]
    if stills is not None:
        files += stills(frames[-1], export_path(stem))
    return Exported([str(f) for f in files], n, time.perf_counter() - t0, gif.stat().st_size)
