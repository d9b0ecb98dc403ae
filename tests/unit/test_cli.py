"""The command line prints machine-readable results and saves what it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"})


def test_attention_cli_json_and_npz(tmp_path):
    out = tmp_path / "a.npz"
    proc = run_cli("attention", "--model", "smollm2", "--text", "The capital of France is", "--json",
                   "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["shape"] == [30, 9, 5, 5] and report["kind"] == "decoder"
    assert report["top_next"][0]["token"].strip() == "Paris"
    data = np.load(out)
    assert data["attentions"].shape == (30, 9, 5, 5) and data["attentions"].dtype == np.float32
    assert list(data["tokens"]) == report["tokens"]


def test_cli_reports_bad_input_as_json_error():
    proc = run_cli("attention", "--model", "minilm", "--text", "   ", "--json")
    assert proc.returncode == 2
    assert "empty" in json.loads(proc.stderr.strip().splitlines()[-1])["error"]


def test_cli_help_lists_experiments():
    proc = run_cli("--help")
    assert proc.returncode == 0 and "attention" in proc.stdout


def test_finetune_sweep_cli_prints_one_json_line_per_point():
    proc = run_cli("finetune", "--sweep", "16,24", "--strategies", "feature_extraction,bitfit", "--data", "bbc",
                   "--test-limit", "16", "--max-length", "16", "--batch-size", "8", "--evals", "1",
                   "--probe-size", "0", "--device", "cpu", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    points = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert [(p["strategy"], p["n_train"]) for p in points] == [
        ("feature_extraction", 16), ("bitfit", 16), ("feature_extraction", 24), ("bitfit", 24)]
    assert all(p["experiment"] == "finetune_sweep" and 0 <= p["test_acc"] <= 1 for p in points)
    bad = run_cli("finetune", "--sweep", "4", "--json")
    assert bad.returncode == 2 and "sweep sizes" in json.loads(bad.stderr.strip().splitlines()[-1])["error"]
