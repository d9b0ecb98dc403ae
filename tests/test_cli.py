"""The command line prints machine-readable results and saves what it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


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
