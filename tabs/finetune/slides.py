"""The Fine-tuning Lab's film for slides: the loss and accuracy curves of a race as they grow.

The session records every point already (``FtSession.history``), so a frame is only how many points each
strategy had at that moment (a few bytes); the export draws the curves up to those counts."""

from __future__ import annotations

import logging

from tabs import film
from tabs.film_plots import FinetuneSlides
from tabs.finetune import figures as fig
from tabs.i18n import t

log = logging.getLogger("playground.film")


def filmed_run(make_run):
    """``make_run`` of the race, with the session's film recording each training report."""
    def run(session, race):
        def grab(snap) -> dict:
            return {"counts": {s: len(points) for s, points in session.history.items()}, "strategy": snap.strategy,
                    "step": snap.step}
        return film.filmed(make_run(session, race), session.film, lambda snap: grab(snap),
                           when=lambda snap: snap.phase == "train")
    return run


def export(the_film: film.Film, history: dict, chance: float | None, lang: str) -> film.Exported:
    """``history``: a copy of the session's records (taken between two updates)."""
    names = {s: fig.strategy_name(s, lang) for s in history}
    texts = dict(step_axis=t("ft.x.step", lang), loss=t("ft.fig.loss", lang), acc=t("ft.fig.acc", lang),
                 title=t("film.ft.title", lang, name="{name}", step="{step}"))
    slides = FinetuneSlides(history, fig.COLOURS, names, texts, chance)
    out = film.export(the_film, f"finetune-{'-'.join(history)}", slides.slides, slides.stills)
    log.info("film finetune: %d frames, %.1f MB, %.1f s", out.frames, out.gif_bytes / 1e6, out.seconds)
    return out
