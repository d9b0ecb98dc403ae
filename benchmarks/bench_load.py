"""A classroom at once: concurrent sessions from a cold start, and a bad-input sweep over every endpoint.

    python benchmarks/bench_load.py [--sessions 8] [--rounds 2] [--sweep 240] [--json out.json]

Starts the app in a subprocess on a free local port (127.0.0.1 only), then:
1. ``rounds`` times from a cold start: ``sessions`` gradio_client sessions at once, mixing attention, GAN,
   VAE and fine-tuning; each GAN session's result is compared with the same seed run alone (a cross-session
   effect shows as a difference);
2. on the warm server: RSS before, the sessions again, their runs stopped, RSS after;
3. a sweep of bad inputs over every public endpoint (over plain HTTP, so NaN and infinities can be sent),
   one parameter spoiled at a time.
Prints errors, generic errors (no message for the user), tracebacks in the server log, hangs, cross-session
effects and RSS. Goal: 0 of each, and RSS after within 150 MB of before.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.kit.runtime import rss_mb  # noqa: E402

GENERIC = re.compile(r'"error": null|upstream Gradio app has raised|Traceback|object has no attribute|'
                     r'cannot convert|Overflow|unpacking|NoneType|IndexError|KeyError|TypeError')
TINY_GAN = dict(data="ring8", loss="ns", optimizer="adam", lr_g=2e-3, lr_d=2e-3, d_steps=1, latent_dim=8, width=32,
                depth=2, batch_size=64, arch="mlp", steps=300, seed=3, lang="en")


# ---------------------------------------------------------------- the server
class Server:
    def __init__(self, tries: int = 3) -> None:
        for attempt in range(tries):  # on a loaded machine Gradio's own start-up check of localhost may time out
            try:
                return self._start()
            except RuntimeError:
                if attempt == tries - 1:
                    raise

    def _start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        env = dict(os.environ, GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(self.port),
                   HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited during start-up (see {self.log.name})")
            try:
                if httpx.get(self.url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("the app did not start in 120 s")

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def tracebacks(self) -> int:
        return Path(self.log.name).read_text(errors="replace").count("Traceback (most recent call last)")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


# ---------------------------------------------------------------- calls
def call(url: str, api: str, data: list, timeout: float = 120.0, session: str | None = None) -> tuple[str, str]:
    """(outcome, text) of one call over HTTP: outcome is ok / error / generic / hang."""
    body = json.dumps({"data": data, **({"session_hash": session} if session else {})})
    try:
        r = httpx.post(f"{url}/gradio_api/call/{api}", content=body, timeout=30,
                       headers={"Content-Type": "application/json"})
        if r.status_code != 200:
            return ("error" if r.status_code in (400, 413, 422) and r.text else "generic"), r.text[:300]
        text = ""
        with httpx.stream("GET", f"{url}/gradio_api/call/{api}/{r.json()['event_id']}", timeout=timeout) as s:
            for chunk in s.iter_text():
                text += chunk
                if "event: generating" in text:  # a run started and streams: leaving stops it (the tab's
                    return "ok", text[-300:]       # stream stops its run when the client goes away)
    except httpx.TimeoutException:
        return "hang", ""
    if "event: error" in text:
        return ("generic" if GENERIC.search(text) else "error"), text[-300:]
    return ("ok" if "event: complete" in text else "generic"), text[-300:]


def first_frame(job, timeout: float = 120.0) -> None:
    """Wait until a streaming job has sent its first frame (its handler runs: there is a run to stop)."""
    deadline = time.time() + timeout
    while not job.outputs() and not job.done() and time.time() < deadline:
        time.sleep(0.1)


def session_mix(url: str, i: int, results: dict) -> None:
    """One student: a mix of tabs, chosen by the session number."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    out = {}
    try:
        kind = i % 4
        if kind in (0, 2):  # GAN to the end, then compare with a solo run later
            final = list(client.submit(**TINY_GAN, api_name="/gan_start"))[-1]
            out["gan"] = final[1]  # the coverage text is a pure function of the seed
        if kind in (1, 2):
            model = "smollm2" if i % 2 else "minilm"
            res = client.predict("The capital of France is", model, 64, 0, 0, "head", False, "en",
                                 api_name="/attention")
            out["attention"] = res[0][:40]
        if kind == 3:
            apis = {e for e in client.view_api(return_format="dict", print_info=False)["named_endpoints"]}
            start = next((a for a in ("/vae_start", "/vae_train") if a in apis), None)
            if start:
                job = client.submit(api_name=start)
                first_frame(job)  # a student presses Stop on a run that shows it runs
                time.sleep(3)
                stop = start.replace("_start", "_stop").replace("_train", "_stop")
                if stop in apis:
                    out["vae_stop"] = str(client.predict(lang="en", api_name=stop))[:60]
                job.result(timeout=60)
        if i == 1:  # one fine-tuning race, stopped after a while
            apis = {e for e in client.view_api(return_format="dict", print_info=False)["named_endpoints"]}
            start = next((a for a in ("/ft_start", "/ft_race") if a in apis), None)
            if start:
                job = client.submit(api_name=start)
                first_frame(job)
                time.sleep(8)
                if "/ft_stop" in apis:
                    out["ft_stop"] = str(client.predict(lang="en", api_name="/ft_stop"))[:60]
        out["error"] = None
    except Exception as e:  # noqa: BLE001 - counted, not hidden
        out["error"] = f"{type(e).__name__}: {str(e)[:200]}"
    results[i] = out


def concurrent_round(url: str, n: int) -> dict:
    results: dict[int, dict] = {}
    threads = [threading.Thread(target=session_mix, args=(url, i, results)) for i in range(n)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(600)
    hung = sum(th.is_alive() for th in threads)
    errors = [r["error"] for r in results.values() if r.get("error")]
    return dict(sessions=n, seconds=round(time.perf_counter() - t0, 1), errors=len(errors), error_texts=errors[:5],
                hangs=hung, gan_results=[r["gan"] for r in results.values() if "gan" in r])


# ---------------------------------------------------------------- bad inputs
BAD_VALUES = [None, "", "abc", -1, 0, 1e308, -1e308, float("nan"), float("inf"), 2.5, "x" * 100_000, [1, 2],
              {"a": 1}, True]


def sweep(url: str, budget: int, seed: int = 0) -> dict:
    from gradio_client import Client

    info = Client(url, verbose=False, httpx_kwargs={"timeout": 120}).view_api(return_format="dict",
                                                                          print_info=False)["named_endpoints"]
    rng = random.Random(seed)
    cases = []
    for api, spec in info.items():
        params = spec["parameters"]
        base = [p.get("parameter_default") if p.get("parameter_has_default") else None for p in params]
        for k in range(len(params)):
            for bad in BAD_VALUES:
                cases.append((api.lstrip("/"), base, k, bad))
    rng.shuffle(cases)
    # every endpoint at least once, then as many others as the budget allows
    first = {c[0]: c for c in cases}
    chosen = list(first.values()) + [c for c in cases if c not in first.values()][: max(0, budget - len(first))]
    counts = dict(ok=0, error=0, generic=0, hang=0)
    generic = []
    for api, base, k, bad in chosen:
        data = list(base)
        if k < len(data):
            data[k] = bad
        outcome, text = call(url, api, data, timeout=60)
        counts[outcome] += 1
        if outcome in ("generic", "hang"):
            generic.append(f"{api}[{k}]={str(bad)[:20]}: {text[-160:]}")
        if api.endswith(("_start", "_race", "_train", "_pause_resume", "_step")):
            pass  # each raw call is a session of its own; its run is stopped with the server or by the TTL
    return dict(calls=len(chosen), endpoints=len(first), **counts, generic_examples=generic[:40])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--sweep", type=int, default=240)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    report: dict = dict(cpu_count=os.cpu_count(), rounds=[])
    reference = None
    for r in range(args.rounds):  # each round from a cold start
        server = Server()
        try:
            rnd = concurrent_round(server.url, args.sessions)
            rnd["tracebacks"] = server.tracebacks()
            report["rounds"].append(rnd)
            if reference is None:
                from gradio_client import Client

                reference = list(Client(server.url, verbose=False).submit(**TINY_GAN, api_name="/gan_start"))[-1][1]
            rnd["cross_session_effects"] = sum(g != reference for g in rnd.pop("gan_results"))
        finally:
            server.stop()
    server = Server()
    try:
        concurrent_round(server.url, 4)  # warm: every kind of session once, so the shared models are loaded
        time.sleep(2)
        before = server.rss_mb()
        warm = concurrent_round(server.url, args.sessions)
        time.sleep(5)
        after = server.rss_mb()
        warm.pop("gan_results")
        report["warm"] = dict(**warm, rss_before_mb=round(before), rss_after_mb=round(after),
                              rss_delta_mb=round(after - before))
        report["sweep"] = sweep(server.url, args.sweep)
        report["tracebacks_total"] = server.tracebacks()
    finally:
        server.stop()
    rounds = report["rounds"]
    report["summary"] = dict(
        errors=sum(r["errors"] for r in rounds) + report["warm"]["errors"],
        generic_errors=report["sweep"]["generic"], hangs=sum(r["hangs"] for r in rounds) + report["sweep"]["hang"],
        tracebacks=sum(r["tracebacks"] for r in rounds) + report["tracebacks_total"],
        cross_session_effects=sum(r["cross_session_effects"] for r in rounds),
        rss_delta_mb=report["warm"]["rss_delta_mb"], bad_input_calls=report["sweep"]["calls"])
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()
