"""On an empty cache, as on a fresh Space: every experiment's command line and every tab's first action that
needs a derived file (the digit classifier, SmolLM2 converted to float32, EfficientNet-Lite0's converted weights,
the tokenized text sets) builds it, whichever path asks first, and answers. Each check runs in a process of its
own with ``DL_PLAYGROUND_CACHE`` pointing at a new empty folder, so nothing built earlier in the test session (in
memory or on disk) can hide a cold path."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.app.streams import connect, until
from tests.conftest import ROOT

# the smallest run of each experiment that still goes through the code that builds its cached files
CLI = {
    "attention": ["attention", "--model", "smollm2", "--text", "The cat sat on the mat.", "--json"],
    "generate": ["generate", "--prompt", "The capital of France is", "--max-new-tokens", "2", "--json"],
    "gan-digits": ["gan", "--data", "digits", "--steps", "3", "--json"],  # class coverage: the digit classifier
    "augment": ["augment", "--n-real", "5", "--repeats", "1", "--synthetic", "5", "--gan-steps", "3",
                "--vae-steps", "3", "--clf-steps", "3", "--json"],
    "vae": ["vae", "--data", "digits", "--epochs", "1", "--json"],
    "genvsdisc": ["genvsdisc", "--steps", "5", "--json"],
    "finetune": ["finetune", "--strategies", "feature_extraction", "--epochs", "1", "--limit", "40", "--test-limit", "40",
                 "--json"],
    "vision": ["vision", "--sample", "cat", "--json"],
    "lab": ["lab", "ln", "--steps", "3", "--json"],
    "ideas": ["ideas", "--lengths", "16", "--json"],
}


def _env(cache) -> dict:
    return {**os.environ, "DL_PLAYGROUND_CACHE": str(cache), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}


@pytest.mark.parametrize("name", CLI)
def test_every_cli_experiment_runs_on_an_empty_cache(name, tmp_path):
    cache = tmp_path / "cache"
    done = subprocess.run([sys.executable, "-m", "playground", *CLI[name]], cwd=ROOT, env=_env(cache),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{name} on an empty cache:\n{done.stderr[-3000:]}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{name} printed no JSON:\n{done.stdout[-2000:]}"
    for line in lines:
        json.loads(line)


def _answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_tabs_first_action_works_on_an_empty_cache(tmp_path):
    """A server started on an empty cache: the first request of each tab that needs a derived file answers."""

    port = _free_port()
    env = {**_env(tmp_path / "cache"), "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        until(lambda: _answers(url), "the server on an empty cache answers", 120)
        client = connect(url)
        summary = client.predict("The capital of France is", "smollm2", 64, 0, 0, "head", False, "en",
                                 api_name="/attention")[0]
        assert "smollm2" in summary.lower()
        text = client.predict(prompt="The capital of France is", model="smollm2", max_new_tokens=2, temperature=0.0,
                              top_k=0, top_p=1.0, seed=0, lang="en", api_name="/generate")
        assert text
        info = str(client.predict(name="cat", stage="stage7", lang="en", api_name="/vis_sample"))
        assert "Egyptian cat" in info
        status = client.predict(lang="en", data="digits", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3,
                                beta1=0.5, beta2=0.999, d_steps=1, latent_dim=32, width=64, depth=2, batch_size=64,
                                arch="mlp", gp_weight=10.0, steps=3, seed=0, api_name="/gan_start")[0]
        assert status.startswith("✓"), status
        status = client.predict(lang="en", data="mnist", n_real=[5], synthetic=5, repeats=1, seed=0,
                                generator_data="pool", gan_steps=3, vae_steps=3, clf_steps=3, api_name="/aug_start")[0]
        assert status.startswith("✓"), status
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    assert "Traceback" not in err, err[-3000:]
