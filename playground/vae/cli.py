"""``python -m playground vae``: train a VAE (and optionally the plain autoencoder) and report its figures.

One flag per ``VaeConfig`` field, generated from the declared limits (``playground.knobs``)."""

from __future__ import annotations

import time

from playground.kit import knobs
from playground.kit.metrics import knn_accuracy
from playground.vae.anomaly import SCORES, anomaly_detection
from playground.vae.checkpoint import save_checkpoint
from playground.vae.latent import posterior
from playground.vae.model import VaeConfig
from playground.vae.training import evaluate, fit


def add_arguments(p) -> None:
    knobs.add_arguments(p, VaeConfig)
    p.add_argument("--score", default="recon", choices=SCORES, help="anomaly score (default %(default)s)")
    p.add_argument("--ae", action="store_true", help="also train the plain autoencoder (saved beside the VAE)")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda (default %(default)s)")
    p.add_argument("--save", default=None, help="write the model(s) to this .safetensors file")


def run_cli(args) -> dict:
    cfg = knobs.config_from_args(VaeConfig, args, device=args.device)
    start = time.perf_counter()
    model, split, history = fit(cfg)
    train_seconds = time.perf_counter() - start
    test = evaluate(model, split.test, cfg.seed)
    mu, _ = posterior(model, split.test.x)
    mu_tr, _ = posterior(model, split.train.x)
    report = {"data": cfg.data, "latent": cfg.latent, "arch": cfg.arch, "kind": cfg.kind, "beta": cfg.beta,
              "epochs": cfg.epochs, "seed": cfg.seed, "test_recon": round(test["recon"], 3),
              "test_kl": round(test["kl"], 3), "test_elbo": round(test["elbo"], 3),
              "latent_knn_accuracy": round(knn_accuracy(mu_tr, split.train.y, mu, split.test.y), 4),
              "train_seconds": round(train_seconds, 2)}
    try:
        anomaly = anomaly_detection(model, cfg, split, args.score)
        report.update(anomaly_auc=round(anomaly.auc, 4), anomaly_setup=anomaly.description, anomaly_score=args.score)
    except ValueError as e:
        report.update(anomaly_auc=None, anomaly_setup=str(e))
    models = {cfg.kind: model}
    if args.ae and cfg.kind != "ae":
        ae, _, _ = fit(cfg.replace(kind="ae"), split)
        models["ae"] = ae
        report["ae_test_recon"] = round(evaluate(ae, split.test)["recon"], 3)
    if args.save:
        history_rows = [{"epoch": s.epoch, "recon": round(s.recon, 3), "kl": round(s.kl, 3),
                         "test_recon": round(s.test_recon, 3), "test_kl": round(s.test_kl, 3),
                         "test_elbo": round(s.test_elbo, 3)} for s in history]
        path = save_checkpoint(args.save, models, cfg, {"report": report, "history": history_rows})
        report["saved"] = str(path)
    return report
