"""The Fine-tuning Lab's film for slides: the loss and accuracy curves of a race as they grow.

The session records every point already (``RaceSession.history``), so a frame is only how many points each
strategy had at that moment (a few bytes, ``capture``); the export draws the curves up to those counts
(``FinetuneSlides``, matplotlib on an Agg canvas of its own, ``tabs.harness.slides``)."""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Iterator

import numpy as np

from tabs.finetune import figures as fig
from tabs.harness import film
from tabs.harness.film import Frame
from tabs.harness.i18n import t
from tabs.harness.slides import GREY, LABEL, TICK, TITLE, animate, figure, save_stills, style, value_range

log = logging.getLogger("playground.film")


def capture(session):
    """On the run's thread, at each training report: how many points each strategy has, and where the race is."""
    def grab(snap) -> dict:
        return {"counts": {s: len(points) for s, points in session.history.items()}, "strategy": snap.strategy,
                "step": snap.step}
    return grab


def export(the_film: film.Film, history: dict, chance: float | None, lang: str) -> film.Exported:
    """``history``: a copy of the session's records (taken between two updates)."""
    names = {s: fig.strategy_name(s, lang) for s in history}
    texts = dict(step_axis=t("ft.x.step", lang), loss=t("ft.fig.loss", lang), acc=t("ft.fig.acc", lang),
                 title=t("film.ft.title", lang, name="{name}", step="{step}"))
    slides = FinetuneSlides(history, fig.COLOURS, names, texts, chance)
    out = film.export(the_film, f"finetune-{'-'.join(history)}", slides.slides, slides.stills)
    log.info("film finetune: %d frames, %.1f MB, %.1f s", out.frames, out.gif_bytes / 1e6, out.seconds)
    return out


def _fit_legend(canvas, axes, n: int, margin: float = 0.01) -> None:
    """The strategies' legend under the panels in as many columns as fit the slide's width (four long names in one
    row ran off both edges: "LoRA (p"), and the panels raised above it."""
    renderer = canvas.canvas.get_renderer()
    width, height = canvas.bbox.width, canvas.bbox.height
    for ncol in range(min(4, max(1, n)), 0, -1):
        legend = canvas.legend(loc="lower center", bbox_to_anchor=(0.5, margin), ncol=ncol, fontsize=TICK,
                               frameon=False)
        box = legend.get_window_extent(renderer)
        if ncol == 1 or (box.x0 >= margin * width and box.x1 <= (1 - margin) * width):
            break
        legend.remove()
    bottom = box.y1 / height + 0.11  # room for the tick labels and the x axis title above the legend
    for ax in axes:
        x0, _, w, _ = ax.get_position().bounds
        ax.set_position((x0, bottom, w, 0.86 - bottom))


class FinetuneSlides:
    """Frames ``{"counts": {strategy: points so far}}`` of a race; ``history`` holds every point."""

    def __init__(self, history: dict[str, list[dict]], colours: dict[str, str], names: dict[str, str],
                 texts: dict[str, str], chance: float | None = None) -> None:
        self.history, self.colours, self.names, self.texts, self.chance = history, colours, names, texts, chance

    def _axes(self):
        """The slide's two panels, their ranges set from every point of the race."""
        canvas = figure()
        loss_ax = canvas.add_axes((0.07, 0.2, 0.4, 0.66))
        acc_ax = canvas.add_axes((0.57, 0.2, 0.4, 0.66))
        for ax, key in ((loss_ax, "loss"), (acc_ax, "acc")):
            style(ax)
            ax.set_xlabel(self.texts["step_axis"], fontsize=LABEL)
            ax.set_title(self.texts[key], fontsize=LABEL, loc="left")
        points = [p for pts in self.history.values() for p in pts]
        last_step = max([p["step"] for p in points] or [1])
        losses = np.array([p["loss"] for p in points if p.get("loss") is not None] or [0.0, 1.0], dtype=np.float64)
        accs = [100 * p["acc"] for p in points if p.get("acc") is not None]
        loss_ax.set_xlim(0, last_step)
        acc_ax.set_xlim(0, last_step)
        lo, hi = value_range(losses, q=(0, 100))  # a race's curves start high: keep their start
        loss_ax.set_ylim(max(0.0, lo), hi)
        acc_ax.set_ylim(fig.acc_floor(accs, self.chance), 101)
        acc_ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        if self.chance is not None:
            acc_ax.axhline(100 * self.chance, color="#71717a", linestyle=":", linewidth=2)
        return canvas, loss_ax, acc_ax

    def _build(self):
        canvas, loss_ax, acc_ax = self._axes()
        series = {}
        for s in self.history:
            c, name = self.colours.get(s, GREY), self.names.get(s, s)
            series[s] = (loss_ax.plot([], [], color=c, linewidth=3, label=name)[0],
                         acc_ax.plot([], [], color=c, linewidth=3, marker="o", markersize=8)[0])
        _fit_legend(canvas, (loss_ax, acc_ax), len(series))
        title = canvas.text(0.02, 0.95, "", fontsize=TITLE, weight="bold", va="center")

        def update(frame: Frame) -> None:
            counts = frame.payload["counts"]
            for s, (l_line, a_line) in series.items():
                pts = self.history[s][: counts.get(s, 0)]
                ls = [(p["step"], p["loss"]) for p in pts if p.get("loss") is not None and math.isfinite(p["loss"])]
                acs = [(p["step"], 100 * p["acc"]) for p in pts if p.get("acc") is not None]
                l_line.set_data([x for x, _ in ls], [y for _, y in ls])
                a_line.set_data([x for x, _ in acs], [y for _, y in acs])
            now = frame.payload.get("strategy")
            title.set_text(self.texts["title"].format(name=self.names.get(now, now or ""),
                                                      step=frame.payload.get("step", 0)))
        return canvas, [a for pair in series.values() for a in pair] + [title], update

    def slides(self, frames: list[Frame]) -> Iterator:
        canvas, animated, update = self._build()
        yield from animate(canvas, animated, update, frames)

    def stills(self, frame: Frame, base: Path) -> list[Path]:
        canvas, _, update = self._build()
        update(frame)
        return save_stills(canvas, base)
