"""A class on one server: N students from a cold start, then the bad inputs that once took the server down.

    python benchmarks/bench_classroom.py [--sessions 30] [--join 60] [--keep 5] [--sweep 240] [--json out.json]
    python benchmarks/bench_classroom.py --caches     # what each cache the sessions share costs in RSS, alone

1. The app starts cold in a subprocess (127.0.0.1, a free port); its RSS is sampled every 0.5 s throughout.
2. ``--sessions`` students join, spread evenly over ``--join`` seconds, each call of theirs a session of its own (a
   new session hash, held open by a heartbeat as a browser tab's is and closed when the student leaves: over
   Gradio's /call routes two calls of one session read one message queue), each in this order: the attention map
   of MiniLM, then of SmolLM2; the GAN's Start (even students on the default settings and seed, as a class told
   "press Start" does; odd ones with a seed of their own: a custom run); the VAE's latent grid; a Lab run (pre-LN
   vs post-LN, defaults); Gen vs disc's default run; a Vision sample photo; and every third student a fine-tuning
   race. A run is watched to its first training frame (a status that no longer waits or prepares), watched
   ``--keep`` seconds more, then left: the client goes away, which must stop it.
3. After the class: RSS 60 s after the last student left, against a warm server's (a fresh server after one
   student's whole sequence, alone).
4. Bad inputs on the class's server: the families that once cost gigabytes or gave empty errors (10,000 emoji,
   400 family emoji, 20,000 combining accents, 5,000 zero-width spaces and a lone surrogate as prompts; a server
   path, a 20000 x 20000 and a 9000 x 9000 PNG as images; no sample name; 4,095 timing lengths; a 200 MB POST to the
   acknowledgement route), then ``--sweep`` spoiled calls over every endpoint (``bench_load.sweep``).

Prints one JSON report and a table: first frame p50 / p95 / max per run kind (default and custom runs apart),
instant views p50 / p95, hangs, generic errors, server exits, RSS idle / warm / peak / after. Budgets (issue 24):
default runs' first frame p95 <= 10 s, custom <= 90 s, instant views p95 <= 3 s, 0 hangs, 0 generic errors,
0 exits, RSS after within 300 MB of warm.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import GENERIC, Server, call, sweep  # noqa: E402

SAMPLE_EVERY = 0.5  # seconds between two RSS samples
QUIET_AFTER = 60.0  # seconds after the class left before RSS is read


# ---------------------------------------------------------------- one call, timed
class Api:
    def __init__(self, url: str) -> None:
        self.url = url
        info = httpx.get(f"{url}/gradio_api/info", timeout=60).json()["named_endpoints"]
        self.params = {k.lstrip("/"): v["parameters"] for k, v in info.items()}

    def data(self, endpoint: str, **values) -> list:
        """The endpoint's defaults (the widgets' values), with ``values`` by parameter name."""
        out = []
        for p in self.params[endpoint]:
            name = p["parameter_name"]
            out.append(values[name] if name in values else p.get("parameter_default"))
        unknown = set(values) - {p["parameter_name"] for p in self.params[endpoint]}
        if unknown:
            raise KeyError(f"{endpoint} has no parameter {sorted(unknown)}")
        return out


def instant(api: Api, endpoint: str, session: str, **values) -> tuple[str, float]:
    t0 = time.perf_counter()
    outcome, _ = call(api.url, endpoint, api.data(endpoint, **values), timeout=120, session=str(session))
    return outcome, time.perf_counter() - t0


def _status(payload) -> str:
    value = payload[0] if isinstance(payload, list) and payload else payload
    if isinstance(value, dict):
        value = value.get("value")
    return str(value or "")


def watch(api: Api, name: str, session: str, keep: float, timeout: float = 600.0, **values) -> dict:
    """Start a run, read its stream to the first training frame, ``keep`` seconds more, then leave."""
    body = json.dumps({"data": api.data(name, **values), "session_hash": str(session)})
    t0 = time.perf_counter()
    out = dict(kind=name, outcome="hang", first_frame=None, queued=False)
    try:
        r = httpx.post(f"{api.url}/gradio_api/call/{name}", content=body, timeout=60,
                       headers={"Content-Type": "application/json"})
        if r.status_code != 200:
            out["outcome"] = "generic"
            return out
        event, first = "", None
        with httpx.stream("GET", f"{api.url}/gradio_api/call/{name}/{r.json()['event_id']}", timeout=timeout) as s:
            for line in s.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                    continue
                if not line.startswith("data:"):
                    continue
                if event == "error":
                    out["outcome"] = "generic" if GENERIC.search(line) or "null" in line[5:12] else "error"
                    out["message"] = line[5:200]
                    return out
                if event == "complete":
                    break
                if event != "generating":
                    continue
                try:
                    status = _status(json.loads(line[5:]))
                except ValueError:
                    continue
                if status.startswith("⋯"):  # waiting for a slot (its place in line shown), or preparing
                    out["queued"] |= "in line" in status
                    continue
                if status and first is None:
                    first = time.perf_counter() - t0
                    out["first_frame"], out["outcome"] = first, "ok"
                if first is not None and time.perf_counter() - t0 >= first + keep:
                    return out  # leaving: the server must stop the run
        if first is not None:
            out["outcome"] = "ok"
    except httpx.TimeoutException:
        out["outcome"] = "hang"
    except httpx.HTTPError as e:
        out["outcome"], out["message"] = "generic", str(e)[:200]
    return out


# ---------------------------------------------------------------- a student
def student(api: Api, i: int, keep: float, results: list, lock: threading.Lock) -> None:
    try:
        _student(api, i, keep, results, lock)
    except Exception as e:  # noqa: BLE001 - the benchmark's own failure, counted and shown
        with lock:
            results.append(dict(kind="student", student=i, outcome="generic", message=f"{type(e).__name__}: {e}"[:200]))


def _student(api: Api, i: int, keep: float, results: list, lock: threading.Lock) -> None:
    # Each call is a session of its own: over Gradio's /call routes, two calls of one session hash read one message
    # queue, and a stream left early (as a student leaves a run) can swallow the next call's answer
    def note(item: dict) -> None:
        item["student"] = i
        with lock:
            results.append(item)

    session = Sessions(api.url, uuid.uuid4().hex[:8])
    try:
        _sequence(api, i, keep, session, note)
    finally:
        session.close()


def _sequence(api: Api, i: int, keep: float, session: "Sessions", note) -> None:
    for model in ("minilm", "smollm2"):
        outcome, took = instant(api, "attention", session, text="The cat sat on the mat because it was tired.",
                                model=model)
        note(dict(kind=f"attention {model}", view=True, outcome=outcome, seconds=took))
    custom = {} if i % 2 == 0 else {"seed": 1000 + i}
    note({**watch(api, "gan_start", session, keep, **custom), "custom": bool(custom)})
    outcome, took = instant(api, "vae_grid", session)
    note(dict(kind="vae grid", view=True, outcome=outcome, seconds=took))
    note({**watch(api, "lab_ln_start", session, keep), "custom": False})
    note({**watch(api, "gvd_start", session, keep), "custom": False})
    outcome, took = instant(api, "vis_sample", session, name="cat")
    note(dict(kind="vision sample", view=True, outcome=outcome, seconds=took))
    if i % 3 == 0:
        note({**watch(api, "ft_start", session, keep), "custom": False})


class Sessions:
    """A new session hash for every call of one student, each held open by a heartbeat as a browser tab's is;
    ``close`` ends them (a tab closed: the server frees what the session held)."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url, self.prefix, self.n = url, prefix, 0
        self.beats: list[tuple[threading.Event, threading.Thread]] = []

    def __str__(self) -> str:
        self.n += 1
        session = f"{self.prefix}{self.n:03d}"
        done = threading.Event()

        def beat() -> None:
            try:
                with httpx.stream("GET", f"{self.url}/gradio_api/heartbeat/{session}", timeout=None) as s:
                    for _ in s.iter_lines():
                        if done.is_set():
                            return
            except httpx.HTTPError:
                pass

        th = threading.Thread(target=beat, daemon=True)
        th.start()
        self.beats.append((done, th))
        return session

    def close(self) -> None:
        for done, _ in self.beats:
            done.set()  # the stream is left at its next line (every 15 s): the connection closes


def rss_parts(server: Server) -> dict:
    """The server's resident memory by kind (MB, ``/proc/PID/status``): anonymous (the heap: tensors, Python
    objects, what glibc keeps), file-backed (memory-mapped weights: the kernel drops those pages under pressure)
    and shared memory."""
    parts = {}
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("RssAnon", "RssFile", "RssShmem"):
            parts[key] = round(int(value.split()[0]) / 1024)
    return parts


def rss_sampler(server: Server, samples: list, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            samples.append(server.rss_mb())
        except Exception:  # noqa: BLE001 - the process is gone: counted as an exit
            break
        stop.wait(SAMPLE_EVERY)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 2)


# ---------------------------------------------------------------- bad inputs
def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height)).save(buf, "PNG")
    return buf.getvalue()


def answer(url: str, endpoint: str, data: list, timeout: float = 120.0) -> tuple[str, str]:
    """(outcome, text) of a call read to its end (``call`` stops at a stream's first message: a refusal that
    comes after a first status would pass for a success)."""
    body = json.dumps({"data": data})
    try:
        r = httpx.post(f"{url}/gradio_api/call/{endpoint}", content=body, timeout=60,
                       headers={"Content-Type": "application/json"})
        if r.status_code != 200:
            return ("error" if r.status_code in (400, 413, 422) and r.text else "generic"), r.text[:300]
        text = httpx.get(f"{url}/gradio_api/call/{endpoint}/{r.json()['event_id']}", timeout=timeout).text
    except httpx.TimeoutException:
        return "hang", ""
    if "event: error" in text:
        return ("generic" if GENERIC.search(text) or '"error": null' in text else "error"), text[-300:]
    return ("ok" if "event: complete" in text else "generic"), text[-300:]


def bad_inputs(api: Api) -> list[dict]:
    url, out = api.url, []

    def upload(data: bytes) -> dict:
        path = httpx.post(f"{url}/gradio_api/upload", files={"files": ("x.png", data, "image/png")},
                          timeout=120).json()[0]
        return {"path": path, "meta": {"_type": "gradio.FileData"}}

    def editor(file: dict) -> dict:
        return {"background": file, "layers": [], "composite": file}

    prompts = {"10,000 emoji": "😀" * 10_000, "400 family emoji": "👨‍👩‍👧‍👦" * 400,
               "20,000 combining accents": "a" + "\u0301" * 20_000, "5,000 zero-width spaces": "\u200b" * 5_000,
               "a lone surrogate": "ab\ud800c"}
    cases = [(f"generate: {k}", "generate", {"prompt": v}) for k, v in prompts.items()]
    cases += [(f"attention: {k}", "attention", {"text": v}) for k, v in prompts.items()]
    cases += [("vis_analyse: a server path", "vis_analyse", {"image": editor({"path": "/etc/passwd",
                                                                            "meta": {"_type": "gradio.FileData"}})}),
              ("vis_analyse: a string", "vis_analyse", {"image": "/etc/passwd"}),
              ("vis_analyse: 20000x20000 PNG", "vis_analyse", {"image": editor(upload(_png(20000, 20000)))}),
              ("vis_analyse: 9000x9000 PNG", "vis_analyse", {"image": editor(upload(_png(9000, 9000)))}),
              ("vis_sample: None", "vis_sample", {"name": None}),
              ("lab_timing: 4,095 lengths", "lab_timing", {"lengths": ", ".join(map(str, range(2, 4097)))})]
    for label, name, values in cases:
        before = time.perf_counter()
        outcome, text = answer(url, name, api.data(name, **values))
        out.append(dict(case=label, outcome=outcome, seconds=round(time.perf_counter() - before, 2),
                        message=text[-160:] if outcome != "ok" else ""))
    before = time.perf_counter()
    try:
        r = httpx.post(f"{url}/playground/ack", content=b"x" * (200 * 2**20), timeout=120)
        outcome = "ok" if r.status_code == 204 else "generic"
    except httpx.HTTPError:
        outcome = "generic"
    out.append(dict(case="ack: a 200 MB POST", outcome=outcome, seconds=round(time.perf_counter() - before, 2)))
    return out


# ---------------------------------------------------------------- the class
def run_class(server: Server, n: int, join: float, keep: float) -> tuple[list[dict], float]:
    api = Api(server.url)
    results, lock, threads = [], threading.Lock(), []
    t0 = time.perf_counter()
    for i in range(n):
        th = threading.Thread(target=student, args=(api, i, keep, results, lock), daemon=True)
        th.start()
        threads.append(th)
        time.sleep(join / max(1, n))
    for th in threads:
        th.join(1800)
    hung = sum(th.is_alive() for th in threads)
    results.extend(dict(kind="student", outcome="hang") for _ in range(hung))
    return results, time.perf_counter() - t0


def summary(results: list[dict]) -> dict:
    runs = [r for r in results if "first_frame" in r]
    views = [r for r in results if r.get("view")]
    table = {}
    for kind in sorted({r["kind"] for r in runs}):
        for custom in (False, True):
            mine = [r for r in runs if r["kind"] == kind and r.get("custom") == custom]
            if not mine:
                continue
            frames = [r["first_frame"] for r in mine if r["first_frame"] is not None]
            table[f"{kind}{' (custom)' if custom else ''}"] = dict(
                runs=len(mine), p50=pct(frames, 0.5), p95=pct(frames, 0.95), max=pct(frames, 1.0),
                queued_with_place=sum(r["queued"] for r in mine), not_ok=sum(r["outcome"] != "ok" for r in mine))
    for kind in sorted({r["kind"] for r in views}):
        secs = [r["seconds"] for r in views if r["kind"] == kind]
        table[kind] = dict(calls=len(secs), p50=pct(secs, 0.5), p95=pct(secs, 0.95), max=pct(secs, 1.0),
                           not_ok=sum(r["outcome"] != "ok" for r in views if r["kind"] == kind))
    default = [r["first_frame"] for r in runs if not r.get("custom") and r["first_frame"] is not None]
    custom = [r["first_frame"] for r in runs if r.get("custom") and r["first_frame"] is not None]
    return dict(table=table, default_p95=pct(default, 0.95), custom_p95=pct(custom, 0.95),
                views_p95=pct([r["seconds"] for r in views], 0.95),
                hangs=sum(r["outcome"] == "hang" for r in results),
                generic=sum(r["outcome"] == "generic" for r in results),
                errors=[r.get("message", r["kind"]) for r in results if r["outcome"] == "error"][:10])


CACHES = {  # what every session reads and the process holds once (name: how it is loaded)
    "MiniLM-L6 (attention, fine-tuning)": lambda: __import__("playground.kit.pretrained", fromlist=["x"]).load("minilm"),
    "SmolLM2-135M in float32 (attention, generation)":
        lambda: __import__("playground.kit.pretrained", fromlist=["x"]).load("smollm2"),
    "EfficientNet-Lite0 (Vision)": lambda: __import__("playground.vision.net", fromlist=["x"]).load_pretrained(),
    "MNIST (GAN, VAE, diffusion, Vision)":
        lambda: __import__("playground.data.images", fromlist=["x"]).load_images("mnist"),
    "the shipped VAE": lambda: __import__("playground.vae.checkpoint", fromlist=["x"]).load_checkpoint(),
    "the shared digit classifier": lambda: __import__("playground.kit.classifier", fromlist=["x"]).digit_classifier("mnist"),
    "the shipped digit diffusion model": lambda: __import__("playground.diffusion.digits", fromlist=["x"]).load_shipped(),
    "the tweets (fine-tuning)": lambda: __import__("playground.data.text", fromlist=["x"]).load_texts("tweets"),
}


def caches() -> dict:
    """RSS added by each shared cache, loaded one after the other in this process (after torch's own import)."""
    import gc

    import torch  # noqa: F401 - its own RSS is not a cache's

    from playground.kit.runtime import rss_mb

    out, keep = {}, []
    for name, load in CACHES.items():
        gc.collect()
        before = rss_mb()
        t0 = time.perf_counter()
        keep.append(load())
        out[name] = dict(rss_mb=round(rss_mb() - before), seconds=round(time.perf_counter() - t0, 1),
                         held_mb=round(_held(keep[-1]) / 2**20, 1))
    return out


def _held(obj, depth: int = 0) -> int:
    """Bytes of the tensors and arrays an object holds (its weights, its data), a few attributes deep: RSS alone
    misses memory-mapped weights not yet read."""
    import numpy as np
    import torch

    if isinstance(obj, torch.nn.Module):
        return sum(t.numel() * t.element_size() for t in [*obj.parameters(), *obj.buffers()])
    if isinstance(obj, torch.Tensor):
        return obj.numel() * obj.element_size()
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if depth >= 3:
        return 0
    if isinstance(obj, dict):
        return sum(_held(v, depth + 1) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(_held(v, depth + 1) for v in obj[:64])
    return sum(_held(v, depth + 1) for v in getattr(obj, "__dict__", {}).values())


def _save(report: dict, path: str | None) -> None:
    if path:
        Path(path).write_text(json.dumps(report, indent=1, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--join", type=float, default=60.0, help="seconds over which the students join")
    ap.add_argument("--keep", type=float, default=5.0, help="seconds a student watches a run after its first frame")
    ap.add_argument("--sweep", type=int, default=240, help="spoiled calls over every endpoint after the class")
    ap.add_argument("--caches", action="store_true", help="only measure what each shared cache costs")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.caches:
        measured = caches()
        print(json.dumps(measured, indent=1))
        for name, row in measured.items():
            print(f"| {name} | {row['held_mb']} MB | {row['rss_mb']} MB | {row['seconds']} s |")
        return
    report: dict = dict(cpu_count=os.cpu_count(), sessions=args.sessions, join_s=args.join, keep_s=args.keep)

    server, samples, stop = Server(), [], threading.Event()
    sampler = threading.Thread(target=rss_sampler, args=(server, samples, stop), daemon=True)
    try:
        time.sleep(2)
        report["rss_idle_mb"] = round(server.rss_mb())
        sampler.start()
        results, seconds = run_class(server, args.sessions, args.join, args.keep)
        report["class_seconds"] = round(seconds, 1)
        time.sleep(QUIET_AFTER)
        report["rss_after_mb"] = round(server.rss_mb())
        report["rss_after_parts_mb"] = rss_parts(server)
        report["class"] = summary(results)
        _save(report, args.json)
        report["bad_inputs"] = bad_inputs(Api(server.url))
        _save(report, args.json)
        try:
            report["sweep"] = sweep(server.url, args.sweep) if args.sweep else None
        except Exception as e:  # noqa: BLE001 - the benchmark's own failure: said, the rest still printed
            report["sweep"] = None
            report["sweep_failed"] = f"{type(e).__name__}: {e}"[:200]
        report["server_exits"] = int(server.proc.poll() is not None)
        report["tracebacks"] = server.tracebacks()
    finally:
        stop.set()
        report["rss_peak_mb"] = round(max(samples, default=0))
        server_alive = server.proc.poll() is None
        server.stop() if server_alive else None
    report["summary"] = report.pop("class", None) or summary(results)
    report["summary"]["bad_input_generic"] = sum(r["outcome"] in ("generic", "hang") for r in report["bad_inputs"])
    if report["sweep"]:
        report["summary"]["sweep_generic"] = report["sweep"]["generic"] + report["sweep"]["hang"]

    warm = Server()  # the warm reference: one student's whole sequence, alone
    try:
        run_class(warm, 1, 0.0, args.keep)
        time.sleep(QUIET_AFTER / 2)
        report["rss_warm_mb"] = round(warm.rss_mb())
        report["rss_warm_parts_mb"] = rss_parts(warm)
    finally:
        warm.stop()
    report["rss_after_minus_warm_mb"] = report["rss_after_mb"] - report["rss_warm_mb"]
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    print()
    print("| what | n | p50 s | p95 s | max s | not ok |")
    print("|---|---|---|---|---|---|")
    for kind, row in report["summary"]["table"].items():
        print(f"| {kind} | {row.get('runs', row.get('calls'))} | {row['p50']} | {row['p95']} | {row['max']} | "
              f"{row['not_ok']} |")
    s = report["summary"]
    print(f"\ndefault runs first frame p95 {s['default_p95']} s (budget 10), custom p95 {s['custom_p95']} s (90), "
          f"instant views p95 {s['views_p95']} s (3); hangs {s['hangs']}, generic errors {s['generic']} + bad inputs "
          f"{s['bad_input_generic']} + sweep {s.get('sweep_generic')}, server exits {report['server_exits']}; RSS idle "
          f"{report['rss_idle_mb']}, peak {report['rss_peak_mb']}, after {report['rss_after_mb']}, warm "
          f"{report['rss_warm_mb']} MB (after - warm {report['rss_after_minus_warm_mb']}, budget 300)")
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()
