"""Three families of generative models on one table: a GAN, a VAE and diffusion / flow matching, measured alike.

On the ring of 8 Gaussians, each family is trained from the same seed with its own lab's preset (the GAN Lab's
"default", the 2-D VAE of ``vae2d``, the Diffusion Lab's "default" DDPM and "flow" presets) and every one gets the
same measures from the same code:

- ``toy2d.coverage`` on 1,000 samples (the GAN Lab's measure: modes covered, share of high-quality samples);
- network evaluations per sample (nfe): 1 for the GAN's generator, 1 decoder pass for the VAE, the number of
  sampling steps for diffusion;
- milliseconds per sample: the median of ``TIMED_BATCHES`` timed batches of 1,000, on one thread;
- training time (the trainer's own clock: the checks below are not counted), and the time to the stated quality,
  8 of 8 modes with >= 80% high-quality samples, checked every ``check_every`` steps (None when never reached).

On MNIST the shipped models are measured with the GAN Lab's class measure (``class_coverage``: classes covered,
share of confident samples): the VAE Explorer's VAE (samples from its prior), the Diffusion Lab's digits model
(guidance 0 and 3, 50 DDIM steps) and a GAN, which ships no weights: ``gan_digits`` trains the GAN Lab's "mnist"
preset (DCGAN) from the seed.

Each function returns a plain dict (numbers, strings, lists) so the benchmark script, the tests and the tab can all
call it; the same seed gives the same numbers, the timings aside.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, Iterable

import numpy as np
import torch

from playground.data import toy2d
from playground.kit.classifier import class_coverage
from playground.kit.runtime import fixed_threads

DATA = "ring8"
DATA_LABEL = {"en": "Ring of 8 Gaussians", "vi": "Vòng 8 cụm Gauss"}
N_SAMPLES = 1000  # samples measured (and per timed batch) on the plane
DIGIT_SAMPLES = 256  # samples measured on MNIST (the GAN Lab's IMAGE_FIXED)
TIMED_BATCHES = 5
TIMING_THREADS = 1  # every family is timed on one intra-op thread
QUALITY_HQ = 0.8  # the stated quality: every mode covered and >= 80% high-quality samples
DIGIT_STEPS = 50
DIGIT_GUIDANCE = (0.0, 3.0)
GAN_DIGITS_PRESET = "mnist"

RING_LABELS = {
    "gan": {"en": "GAN (GAN Lab default preset)", "vi": "GAN (thiết lập mặc định của GAN Lab)"},
    "vae": {"en": "VAE (2-D latent, Gaussian decoder)", "vi": "VAE (ẩn 2 chiều, bộ giải mã Gauss)"},
}  # diffusion and flow: _diffusion_label (their sampler and steps in the label)


def reaches_quality(cov: toy2d.Coverage, hq: float = QUALITY_HQ) -> bool:
    """The stated quality: all modes covered and a share of high-quality samples of at least ``hq``."""
    return cov.modes_covered == cov.n_modes and cov.high_quality >= hq


def ms_per_sample(draw: Callable[[], object], n: int, batches: int = TIMED_BATCHES) -> float:
    """Milliseconds per sample: the median over ``batches`` timed calls of ``draw`` (each makes ``n`` samples),
    after one untimed warm-up call, on ``TIMING_THREADS`` intra-op threads."""

    @fixed_threads(TIMING_THREADS)
    def timed() -> list[float]:
        draw()  # warm-up: allocations, kernel choice
        times = []
        for _ in range(batches):
            t0 = time.perf_counter()
            draw()
            times.append(time.perf_counter() - t0)
        return times

    return statistics.median(timed()) * 1000.0 / n


def _sig(x: float, digits: int = 4) -> float:
    """``x`` to ``digits`` significant figures (a GAN's sample takes a few microseconds, diffusion's milliseconds)."""
    return float(f"{x:.{digits}g}")


# ====================================================================== the plane (ring8)
def _ring_run(family: str, trainer, steps: int, sample: Callable[[int, int], np.ndarray], nfe: int, seed: int,
              check_every: int, label: dict, config: dict, batches: int, n: int) -> dict:
    """Train ``trainer`` for ``steps`` steps, checking ``sample(n, seed)`` every ``check_every`` steps (outside the
    trainer's clock), then measure the final model. ``sample(n, seed) -> (n, 2)``."""
    first, trace, last, cov = None, [], None, None
    for snap in trainer.step(steps, report_every=min(check_every, steps)):  # a report every check, and the last
        cov = toy2d.coverage(sample(n, seed), DATA)
        trace.append([snap.step, round(snap.elapsed, 3), cov.modes_covered, round(cov.high_quality, 4)])
        if first is None and reaches_quality(cov):
            first = round(snap.elapsed, 3)
        last = snap
    # cov is now the final model's: the last report comes after the last step
    return {"family": family, "label": label, "data": DATA, "seed": seed, "steps": steps, "n": n,
            "modes": cov.modes_covered, "of": cov.n_modes, "high_quality": round(cov.high_quality, 4),
            "nfe": nfe, "ms_per_sample": _sig(ms_per_sample(lambda: sample(n, seed), n, batches)),
            "train_s": round(last.elapsed, 3), "to_quality_s": first, "trace": trace, "config": config}


def gan_ring(seed: int = 0, steps: int | None = None, check_every: int = 250,
             batches: int = TIMED_BATCHES, n: int = N_SAMPLES) -> dict:
    """The GAN Lab's default preset on ring8 (``steps``: the preset's 5,000 unless given). Samples come from its
    shown generator (the EMA average) on a seeded noise batch: one generator pass each (nfe 1)."""
    import dataclasses

    from playground.gan import trainer as gan

    cfg = gan.preset_config("default", seed=seed, **({} if steps is None else {"steps": steps}))
    trainer = gan.GanTrainer(cfg)
    return _ring_run("gan", trainer, cfg.steps, trainer.sample, 1, seed, check_every, RING_LABELS["gan"],
                     dataclasses.asdict(cfg), batches, n)


def vae_ring(seed: int = 0, steps: int | None = None, check_every: int = 250,
             batches: int = TIMED_BATCHES, n: int = N_SAMPLES, **overrides) -> dict:
    """The 2-D VAE (``vae2d.Vae2dConfig``'s defaults) on ring8. A sample is z ~ N(0, I) and x ~ p(x|z): one decoder
    pass (nfe 1). ``high_quality_mean`` is the same measure on the decoder means m(z) (no decoder noise)."""
    import dataclasses

    from playground.diffusion.vae2d import Vae2dConfig, Vae2dTrainer

    cfg = Vae2dConfig(data=DATA, seed=seed, **({} if steps is None else {"steps": steps}), **overrides)
    trainer = Vae2dTrainer(cfg)
    out = _ring_run("vae", trainer, cfg.steps, trainer.sample, 1, seed, check_every, RING_LABELS["vae"],
                    dataclasses.asdict(cfg), batches, n)
    means = toy2d.coverage(trainer.sample(n, seed, mean_only=True), DATA)
    out["high_quality_mean"] = round(means.high_quality, 4)
    out["modes_mean"] = means.modes_covered
    return out


def diffusion_ring(seed: int = 0, preset: str = "default", steps: int | None = None, check_every: int = 250,
                   batches: int = TIMED_BATCHES, n: int = N_SAMPLES, **overrides) -> dict:
    """A Diffusion Lab preset on ring8 ("default": DDPM, "flow": flow matching), sampled with the preset's own
    sampler and number of steps: nfe = sampling steps. The family is "flow" for flow matching, else "diffusion"."""
    import dataclasses

    from playground.diffusion import toy

    cfg = toy.preset_config(preset, data=DATA, seed=seed, **({} if steps is None else {"steps": steps}),
                            **overrides)
    trainer = toy.DiffusionTrainer(cfg)
    family = "flow" if cfg.objective == "flow" else "diffusion"
    label = {lang: text.format(steps=cfg.sample_steps, sampler=cfg.sampler)
             for lang, text in _diffusion_label(family, cfg.sampler).items()}
    return _ring_run(family, trainer, cfg.steps, trainer.sample, cfg.sample_steps, seed, check_every, label,
                     dataclasses.asdict(cfg), batches, n)


SAMPLER_NAMES = {"ddpm": {"en": "ancestral", "vi": "tổ tiên"}, "ddim": {"en": "DDIM", "vi": "DDIM"},
                 "euler": {"en": "Euler", "vi": "Euler"}}


def _diffusion_label(family: str, sampler: str) -> dict:
    if family == "flow" and sampler == "ddim":
        sampler = "euler"  # on the straight flow path DDIM's update is Euler's (samplers.py): say the familiar name
    name = SAMPLER_NAMES.get(sampler, {"en": sampler, "vi": sampler})
    if family == "flow":
        return {"en": "Flow matching ({steps} " + name["en"] + " steps)",
                "vi": "Flow matching ({steps} bước " + name["vi"] + ")"}
    return {"en": "Diffusion (DDPM, {steps} " + name["en"] + " steps)",
            "vi": "Khuếch tán (DDPM, {steps} bước " + name["vi"] + ")"}


RING_FAMILIES: dict[str, Callable[..., dict]] = {
    "gan": gan_ring,
    "vae": vae_ring,
    "diffusion": lambda seed=0, **kw: diffusion_ring(seed, "default", **kw),
    "flow": lambda seed=0, **kw: diffusion_ring(seed, "flow", **kw),
}


def ring_family(family: str, seed: int = 0, **kw) -> dict:
    """One family on ring8 by name ("gan", "vae", "diffusion", "flow")."""
    if family not in RING_FAMILIES:
        raise ValueError(f"unknown family {family!r}; choose one of {', '.join(RING_FAMILIES)}")
    return RING_FAMILIES[family](seed=seed, **kw)


# ====================================================================== MNIST digits
def _digit_row(family: str, label: dict, images: np.ndarray, seed: int, nfe: int, ms: float, **extra) -> dict:
    """The class measure of (N, 28, 28) images in [0, 1] as a row of the digits table."""
    cov = class_coverage(images, "mnist")
    return {"family": family, "label": label, "seed": seed, "n": int(len(images)),
            "classes": cov.classes_covered, "of": cov.n_classes, "confident": round(cov.confident, 4),
            "mean_confidence": round(cov.mean_confidence, 4), "nfe": nfe, "ms_per_sample": _sig(ms), **extra}


def vae_digits(seed: int = 0, n: int = DIGIT_SAMPLES, batches: int = TIMED_BATCHES) -> dict:
    """The VAE Explorer's shipped VAE (``playground.vae.load_checkpoint()``): n images decoded from z ~ N(0, I)
    drawn from a generator seeded ``seed``; the decoder's pixel means (the Bernoulli probabilities). nfe 1."""
    from playground.vae import load_checkpoint

    cfg, models, _ = load_checkpoint()
    vae = models["vae"]

    @torch.no_grad()
    def draw(count: int) -> np.ndarray:
        z = torch.randn(count, cfg.latent, generator=torch.Generator().manual_seed(seed))
        return vae.decode(z)[:, 0].numpy()  # (count, 1, 28, 28) -> (count, 28, 28)

    ms = ms_per_sample(lambda: draw(N_SAMPLES), N_SAMPLES, batches)
    label = {"en": f"VAE (shipped, {cfg.latent}-D latent, prior samples)",
             "vi": f"VAE (có sẵn, ẩn {cfg.latent} chiều, mẫu từ phân phối tiên nghiệm)"}
    return _digit_row("vae", label, draw(n), seed, 1, ms)


def diffusion_digits(seed: int = 0, guidance: float = 3.0, steps: int = DIGIT_STEPS, n: int = DIGIT_SAMPLES,
                     batches: int = 3) -> dict:
    """The Diffusion Lab's shipped digits model (family "flow" or "diffusion" after its objective): n images, the labels cycling 0-9, with classifier-free guidance
    ``guidance`` and ``steps`` DDIM steps, in 64-image grids drawn from seeds 64 * seed + k (k = 0, 1, ...). nfe per
    sample is the model's own count (two net evaluations a step with guidance, the conditional and unconditional
    halves in one batch). ``agree``: share the shared classifier assigns to the requested class. Timed per 64-image
    grid (the unit the tab draws), the median of ``batches``, on the model's own threads (``digits.THREADS``: its
    ``grid`` fixes them, as every run here fixes its own)."""
    from playground.diffusion import digits as dg

    model = dg.load_shipped()
    grids, labels = [], []
    for k in range(-(-n // 64)):
        grid_seed = 64 * seed + k
        grids.append(model.grid(guidance, steps, sampler="ddim", seed=grid_seed))
        labels.append(_grid_labels(model))
    images = np.concatenate(grids)[:n]
    wanted = np.concatenate(labels)[:n]
    nfe = _digits_nfe(model, guidance, steps)
    ms = ms_per_sample(lambda: model.grid(guidance, steps, sampler="ddim", seed=64 * seed), 64, batches)
    agree = model.agreement(images, wanted)
    flow = model.config.objective == "flow"  # on the straight flow path a DDIM step is an Euler step
    name = {"en": "Flow matching" if flow else "Diffusion (DDPM)", "vi": "Flow matching" if flow else "Khuếch tán (DDPM)"}
    how = {"en": "DDIM = Euler" if flow else "DDIM", "vi": "DDIM = Euler" if flow else "DDIM"}
    label = {"en": f"{name['en']} (shipped U-Net, guidance {guidance:g}, {steps} {how['en']} steps)",
             "vi": f"{name['vi']} (U-Net có sẵn, dẫn hướng {guidance:g}, {steps} bước {how['vi']})"}
    return _digit_row("flow" if flow else "diffusion", label, images, seed, nfe, ms, guidance=guidance, steps=steps,
                      agree=round(float(agree["agree"]), 4))


def _grid_labels(model) -> np.ndarray:
    """The requested class of each of the grid's 64 images (``digits.GRID_LABELS``: 0 1 2 ... 9 0 1 ...)."""
    from playground.diffusion import digits as dg

    return np.asarray(dg.GRID_LABELS, dtype=np.int64).reshape(-1)


def _digits_nfe(model, guidance: float, steps: int) -> int:
    """Network evaluations per sample (``digits.nfe_of``): one a step, two with guidance other than 0 or 1 (the
    conditional and the unconditional prediction, one batched forward that costs two)."""
    from playground.diffusion import digits as dg

    return int(dg.nfe_of(guidance, steps))


def gan_digits(seed: int = 0, steps: int | None = None, n: int = DIGIT_SAMPLES,
               batches: int = TIMED_BATCHES) -> dict:
    """A GAN on MNIST: no GAN weights ship, so this trains the GAN Lab's "mnist" preset (DCGAN; its 1,000 steps
    unless ``steps`` is given) from the seed, then measures n samples of its generator on a seeded noise batch."""
    from playground.gan import trainer as gan

    cfg = gan.preset_config(GAN_DIGITS_PRESET, seed=seed, **({} if steps is None else {"steps": steps}))
    trainer = gan.GanTrainer(cfg)
    last = None
    for snap in trainer.step(cfg.steps, report_every=cfg.steps):
        last = snap
    ms = ms_per_sample(lambda: trainer.sample(N_SAMPLES, seed), N_SAMPLES, batches)
    label = {"en": f"GAN (DCGAN, GAN Lab 'mnist' preset trained here: {cfg.steps:,} steps)",
             "vi": f"GAN (DCGAN, thiết lập 'mnist' của GAN Lab, huấn luyện tại chỗ: {cfg.steps:,} bước)"
             .replace(f"{cfg.steps:,}", f"{cfg.steps:,}".replace(",", "."))}  # Vietnamese groups thousands with a dot
    return _digit_row("gan", label, trainer.sample(n, seed), seed, 1, ms, train_s=round(last.elapsed, 3),
                      steps=cfg.steps)


# ====================================================================== the table
def collect(values: Iterable[dict], keys: Iterable[str]) -> dict:
    """Per-seed rows of one family -> one table row: the first row's family, label and ``of``, and a list over the
    seeds for each of ``keys``."""
    values = list(values)
    out = {"family": values[0]["family"], "label": values[0]["label"]}
    for key in keys:
        if key == "of":
            out["of"] = values[0]["of"]
        else:
            out[key] = [v[key] for v in values]
    return out


RING_KEYS = ("modes", "of", "high_quality", "nfe", "ms_per_sample", "train_s", "to_quality_s")
DIGIT_KEYS = ("classes", "of", "confident", "nfe", "ms_per_sample")
