"""What one browser session of the GAN Lab owns, and its run: the config from the widgets, a fresh trainer, more
steps after the end, and where the run is."""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.data import drawn
from playground.data.images import fashion_available
from playground.gan import trainer as core
from playground.kit.classifier import digit_classifier
from tabs.gan import slides
from tabs.harness import canvas, film
from tabs.harness.i18n import error, t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config

# config field -> string key of its widget's label
LABELS = {"data": "gan.data", "loss": "gan.loss", "optimizer": "gan.optimizer", "lr_g": "gan.lr_g",
          "lr_d": "gan.lr_d", "beta1": "gan.beta1", "beta2": "gan.beta2", "d_steps": "gan.d_steps",
          "latent_dim": "gan.latent_dim", "width": "gan.width", "depth": "gan.depth",
          "batch_size": "gan.batch_size", "arch": "gan.arch", "gp_weight": "gan.gp_weight",
          "steps": "gan.steps", "seed": "gan.seed", "decay": "gan.decay",
          "ema": "gan.ema"}


@dataclass
class GanSession(LiveSession):
    """What one browser session owns: its trainer (kept after a run ends, for Resume and downloads)."""

    trainer: core.GanTrainer | None = None
    showing: str = "plane"  # which of the plane / the image grid is visible now
    film: film.Film = field(default_factory=film.Film)  # the main figure as the run goes, for slides

    def free(self) -> None:
        super().free()
        self.trainer = None


def read(values: dict, lang: str) -> core.GanConfig:
    """The config the widgets describe; every message in the user's language. ``data`` may be a drawing's code
    (``tabs.harness.canvas``), checked here so that its message is in the user's language too."""
    values, extra = dict(values), {}
    if drawn.is_drawn(values.get("data")) or values.get("data") == canvas.DRAWN:
        canvas.check(values.get("data"), lang)
        extra["data"] = values.pop("data")
    if values.get("arch") == "dcgan" and core.is_toy(extra.get("data", values.get("data"))):
        raise error("gan.err.dcgan_toy", lang)
    if values.get("data") == "fashion" and not fashion_available():
        raise error("gan.err.fashion", lang)
    return read_config(core.GanConfig, values, LABELS, lang, **extra)


def make_run(session: GanSession, config: core.GanConfig):
    """A fresh trainer (built on the run's thread, from its own seed) trained for ``config.steps`` steps."""
    if not config.is_toy:
        digit_classifier(config.data)  # trained once per process, cached for everyone
    session.trainer = core.GanTrainer(config)
    steps = session.trainer.step(config.steps, report_every=1, heartbeats=True)
    return film.filmed(steps, session.film, slides.capture(session.trainer))


def more(session: GanSession):
    """Resume after the end: another ``steps`` steps of the same trainer."""
    if session.trainer is None:
        return None
    steps = session.trainer.step(session.trainer.config.steps, report_every=1, heartbeats=True)
    return film.filmed(steps, session.film, slides.capture(session.trainer), fresh=False)  # the same film


def where(session: GanSession, snap: core.GanSnapshot, lang: str) -> str:
    tr = session.trainer
    pg, pd = tr.n_params
    # the snapshot's own clock, not the trainer's: a frame drawn after Stop says what the answer to Stop said
    return t("gan.where", lang, step=snap.step, rate=snap.step / max(snap.elapsed, 1e-9), elapsed=snap.elapsed,
             pg=pg, pd=pd, device=str(tr.device))
