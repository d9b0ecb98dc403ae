"""What a user waits for, measured in a real browser on the running app, against the latency budgets.

    python benchmarks/bench_latency.py [--repeats 3] [--url http://127.0.0.1:7860] [--only gan,vae]

Starts the app (``python app.py`` on a free port) unless ``--url`` names a running one, opens it in Debian's
headless Chromium, and times on the page's own clock (``performance.now()`` at the click, captured before any
handler, and again when a MutationObserver sees the answer on screen):

- click: Start pressed -> the status line answers (preparing, waiting for a slot, or a first frame); budget 0.5 s
- first frame: Start pressed -> the first trained frame's status ("▶ Training ..." or "✓ Done"); no budget: it is
  the setup's and the first update's cost, printed so that it can be compared
- stop: Stop pressed while the run trains -> "■ Stopped ..." on screen; budget 1 s
- switch: the language radio -> the tab names and the open tab's Start button in the other language; budget 1 s
- link: a Vietnamese link (?lang=vi&tab=gan) -> the page shown with the GAN tab in Vietnamese, from the navigation's
  start; budget 2 s
- preset: a GAN preset chosen -> Replay's note names that preset's recording (nothing is computed); budget 0.3 s
- epsilon: the VAE's "Draw a new epsilon" -> its new samples' caption (a small model runs); budget 1 s
- interpolate: the VAE's second image index changed -> the interpolation's caption (a small model runs); budget 1 s
- grid click: a tile of the Attention Explorer's layer x head grid -> the big heatmap titled with that head; 0.3 s
- replay: Replay pressed -> the first replayed frame's status; budget 1 s
- moment link: a lecture moment's address (?lecture=default&moment=N&lang=vi&present=1) at 1024x768 -> the bar in
  Vietnamese and the moment's figure drawn, from the navigation's start; budget 2 s. The page's own first paint
  (Gradio's frontend on this machine) is printed beside it, as ``page_shown``, since the figure cannot come before it
- next: the lecture bar's Next -> the bar names the next moment (every output of the move applied); budget 1 s;
  ``next_figure``: to that moment's figure drawn (another tab's recording or instant view), no budget
- key: presenter mode's N pressed -> the Next button clicked by the page's key handler; budget 0.3 s

Prints one JSON line per measure: min / median / max seconds over the repeats, the budget and whether the median
meets it. The figures depend on the machine and its load: run it on the machine you quote.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabs.harness.i18n import STRINGS  # noqa: E402
from tabs.harness.registry import discover  # noqa: E402

discover()  # the tabs' strings join STRINGS as the tabs register

BUDGETS = {"click": 0.5, "first_frame": None, "stop": 1.0, "switch": 1.0, "link": 2.0, "preset": 0.3, "epsilon": 1.0,
           "interpolate": 1.0, "grid_click": 0.3, "replay": 1.0, "moment_link": 2.0, "page_shown": None, "next": 1.0,
           "next_figure": None, "key": 0.3}
MOMENTS = (1, 4, 11, 17)  # the lecture's moments opened from their links: attention, the Lab, the GAN, fine-tuning
# tab -> the address that opens it with settings long enough to Stop, and its controls' element ids
LIVE = {
    "gan": ("?tab=gan&gan.steps=100000", "gan"),
    "vae": ("?tab=vae&vae.epochs=50", "vae"),
    "lab": ("?tab=lab&lab.experiment=s2s&lab.s2s.steps=100000", "lab-s2s"),
    "genvsdisc": ("?tab=genvsdisc&genvsdisc.steps=20000", "gvd"),
    "finetune": ("?tab=finetune", "ft"),
    "vision": ("?tab=vision", "vis-race"),
}
START_IDS = {"vae": "vae-train"}
# Each repeat of a Start trains another seed: the same settings twice would follow (or find kept) the first one's
# run (``tabs.harness.shared``), and its "first frame" would be the kept result, not a run's.
SEEDS = {"gan": "gan.seed", "vae": "vae.seed", "lab": "lab.s2s.seed", "genvsdisc": "genvsdisc.seed",
         "finetune": "finetune.seed", "vision": "vision.seed"}
SEED_BASE = 7001
REPLAYS = {"gan": ("?tab=gan", "gan"), "lab": ("?tab=lab&lab.experiment=s2s", "lab-s2s"),
           "genvsdisc": ("?tab=genvsdisc", "gvd"), "finetune": ("?tab=finetune", "ft")}

# Installed before a click: stamps the click (capture phase: before Gradio's handlers) and the first moment
# `seen(target)` holds afterwards. `seen` is given as the body of a function of the watched element's text.
ARM = """([clickEl, watchSel, body]) => {
  const seen = new Function('text', 'before', body);
  const el = () => document.querySelector(watchSel);
  const before = el() ? el().textContent : '';
  window.__lat = {t0: null, t1: null};
  const check = () => {
    const w = el();
    if (window.__lat.t0 !== null && window.__lat.t1 === null && w && seen(w.textContent, before))
      window.__lat.t1 = performance.now();
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  window.__latObs = obs;
  clickEl.addEventListener('click', () => { window.__lat.t0 = performance.now(); check(); },
                           {capture: true, once: true});
}"""
CHANGED = "return text.trim() !== before.trim() && text.trim() !== '';"
FRAME = "return text.includes('▶') || text.includes('✓');"
STOPPED = "return text.includes('■');"
REPLAYED = "return text.includes('Replay of a recorded run') || text.includes('replay of a recorded run');"


def timed(page, click, watch: str, seen: str, timeout_s: float, position: dict | None = None) -> float:
    """Seconds from a click on the locator ``click`` to ``seen`` holding for the text of ``watch``, on the page's
    clock."""
    page.evaluate(ARM, [click.element_handle(), watch, seen])
    click.click(**({"position": position} if position else {}))
    page.wait_for_function("() => window.__lat && window.__lat.t1 !== null", timeout=timeout_s * 1000)
    lat = page.evaluate("() => { window.__latObs.disconnect(); return window.__lat; }")
    return (lat["t1"] - lat["t0"]) / 1000


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    page.wait_for_selector("#tabs")
    return context, page


def start_and_stop(browser, base: str, tab: str, repeat: int = 0) -> dict[str, float]:
    """Start on a fresh page: seconds to the status's first answer and to the first frame; then Stop's answer.
    ``repeat``: which one, for its seed (a run of its own, never one an earlier repeat left)."""
    address, prefix = LIVE[tab]
    address += f"&{SEEDS[tab]}={SEED_BASE + repeat}"
    context, page = open_page(browser, base + "/" + address)
    try:
        start, stop, status = f"#{START_IDS.get(tab, prefix + '-start')}", f"#{prefix}-stop", f"#{prefix}-status"
        page.locator(start).wait_for(state="visible")
        # two observers on one click: the first answer and the first frame
        page.evaluate("""([clickSel, watchSel, changed, frame]) => {
          const a = new Function('text', 'before', changed), f = new Function('text', 'before', frame);
          const el = () => document.querySelector(watchSel);
          const before = el() ? el().textContent : '';
          window.__run = {t0: null, answer: null, frame: null};
          const check = () => {
            const w = el(), r = window.__run;
            if (r.t0 === null || !w) return;
            const now = performance.now(), text = w.textContent;
            if (r.answer === null && a(text, before)) r.answer = now;
            if (r.frame === null && f(text, before)) r.frame = now;
          };
          window.__runObs = new MutationObserver(check);
          window.__runObs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
          document.querySelector(clickSel).addEventListener('click', () => { window.__run.t0 = performance.now(); check(); },
                                                             {capture: true, once: true});
        }""", [start, status, CHANGED, FRAME])
        page.locator(start).click()
        try:
            page.wait_for_function("() => window.__run.frame !== null", timeout=300_000)
        except Exception as e:
            raise RuntimeError(f"{tab}: no trained frame; the status says {page.locator(status).inner_text()!r}") from e
        run = page.evaluate("() => { window.__runObs.disconnect(); return window.__run; }")
        out = {"click": (run["answer"] - run["t0"]) / 1000, "first_frame": (run["frame"] - run["t0"]) / 1000}
        if "✓" not in page.locator(status).inner_text():  # still training: Stop it
            out["stop"] = timed(page, page.locator(stop), status, STOPPED, 60)
        return out
    finally:
        context.close()


def switch(browser, base: str) -> list[float]:
    """The language radio there and back: seconds until the tab names and the open tab's Start button read in the
    other language."""
    context, page = open_page(browser, base + "/?tab=gan")
    try:
        out = []
        for lang, label in (("vi", "Tiếng Việt"), ("en", "English")):
            tab, start = STRINGS["tab.genvsdisc"][lang], STRINGS["live.start"][lang]
            seen = (f"return text.includes({json.dumps(tab)}) && "
                    f"document.querySelector('#gan-start').textContent.includes({json.dumps(start)});")
            out.append(timed(page, page.locator("#lang").get_by_text(label), "#tabs", seen, 60))
        return out
    finally:
        context.close()


def link(browser, base: str) -> float:
    """A Vietnamese link: seconds from the navigation's start until the page shows the GAN tab in Vietnamese."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(base + "/?lang=vi&tab=gan")
        start = json.dumps(STRINGS["live.start"]["vi"])
        page.wait_for_function("() => !document.documentElement.classList.contains('lang-pending') && "
                               f"(document.querySelector('#gan-start')?.textContent || '').includes({start})",
                               timeout=120_000, polling=20)
        return page.evaluate("() => performance.now()") / 1000
    finally:
        context.close()


def preset(browser, base: str, repeats: int) -> list[float]:
    """GAN presets chosen in turn: seconds from the choice until Replay's note names that preset's recording (its
    own recorded seconds), on the page's clock."""
    from tabs.harness.replay import recordings

    heads = {h["name"]: h for h in recordings("gan")}

    context, page = open_page(browser, base + "/?tab=gan")
    try:
        page.locator("#gan-replay-note").wait_for()
        out = []
        for i in range(repeats):
            name = ("mnist", "mode_collapse", "default")[i % 3]
            head = heads[name]
            wanted = f"trained in {head['seconds']:.0f} s"
            page.click("#gan-preset input")
            option = page.locator("ul[role=listbox] li").filter(has_text=STRINGS[f"gan.preset.{name}"]["en"][:18])
            option.first.wait_for()
            t0 = page.evaluate("() => performance.now()")  # the option is picked on the press that follows
            option.first.click()
            page.wait_for_function("(w) => (document.querySelector('#gan-replay-note')?.textContent || '').includes(w)",
                                   arg=wanted, timeout=60_000, polling=20)
            out.append((page.evaluate("() => performance.now()") - t0) / 1000)
        return out
    finally:
        context.close()


def vae_tools(browser, base: str, repeats: int) -> dict[str, list[float]]:
    """The VAE's "Draw a new epsilon" and a new interpolation end: seconds until their captions change."""
    context, page = open_page(browser, base + "/?tab=vae")
    try:
        page.locator("#vae-eps").wait_for()
        out = {"epsilon": [], "interpolate": []}
        for i in range(repeats):
            out["epsilon"].append(timed(page, page.locator("#vae-eps"), "#vae-reparam-md", CHANGED, 60))
            box = page.locator("#vae-ib input")
            watch = page.locator("#vae-interp img")
            before = watch.get_attribute("src") if watch.count() else None
            t0 = page.evaluate("() => performance.now()")
            box.fill(str(2 + i))
            box.press("Enter")
            page.wait_for_function("(b) => { const i = document.querySelector('#vae-interp img');"
                                   " return i && i.getAttribute('src') !== b && i.complete; }", arg=before,
                                   timeout=60_000, polling=20)
            out["interpolate"].append((page.evaluate("() => performance.now()") - t0) / 1000)
        return out
    finally:
        context.close()


def grid_clicks(browser, base: str, repeats: int) -> list[float]:
    """Clicks on tiles of the Attention Explorer's grid (one model run first)."""
    from tabs.attention.figures import GridGeometry

    context, page = open_page(browser, base + "/?tab=attention")
    try:
        page.locator("#attn-run").click()
        grid = page.locator("#attn-grid img")
        grid.wait_for(timeout=300_000)
        page.locator("#attn-heatmap .js-plotly-plot").wait_for()
        natural = page.evaluate("() => { const i = document.querySelector('#attn-grid img');"
                                " return [i.naturalWidth, i.naturalHeight]; }")
        out = []
        for i in range(repeats):
            layer, head = 1 + i % 5, (3 + 2 * i) % 12
            box = grid.bounding_box()
            sx, sy = box["width"] / natural[0], box["height"] / natural[1]
            x, y = GridGeometry(layers=6, heads=12, tile=48).origin(layer=layer, head=head)
            out.append(timed(page, grid, "#attn-heatmap", f"return text.includes('Layer {layer}, head {head}');", 60,
                             position={"x": (x + 24) * sx, "y": (y + 24) * sy}))
        return out
    finally:
        context.close()


def replay(browser, base: str, tab: str) -> float:
    address, prefix = REPLAYS[tab]
    context, page = open_page(browser, base + "/" + address)
    try:
        button = page.locator(f"#{prefix}-replay")
        button.wait_for(state="visible")
        page.wait_for_function(f"() => !document.querySelector('#{prefix}-replay').disabled", timeout=60_000)
        return timed(page, button, f"#{prefix}-status", REPLAYED, 120)
    finally:
        context.close()


DRAWN = """fig => { const el = document.getElementById(fig);
  return !!el && el.offsetParent !== null && !!el.querySelector('.js-plotly-plot .main-svg, img[src]'); }"""


def moment_link(browser, base: str, number: int) -> dict[str, float]:
    """A lecture moment's link at a projector's size: seconds from the navigation's start to the page shown, and to
    the bar in Vietnamese with the moment's figure drawn."""
    from playground import lecture as lectures

    moment = lectures.load(lectures.find("default")).moment(number)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{base}/?lecture=default&moment={number}&lang=vi&present=1", wait_until="commit")
        page.wait_for_function("() => document.querySelector('#tabs') && "
                               "!document.documentElement.classList.contains('lang-pending')", timeout=120_000, polling=20)
        shown = page.evaluate("() => performance.now()") / 1000
        page.wait_for_function("([fig, says]) => (document.querySelector('#lecture-says')?.innerText || '')"
                               f".includes(says) && ({DRAWN})(fig)", arg=[moment.figure, moment.says["vi"][:30]],
                               timeout=120_000, polling=20)
        return {"page_shown": shown, "moment_link": page.evaluate("() => performance.now()") / 1000}
    finally:
        context.close()


def lecture_moves(browser, base: str, repeats: int) -> dict[str, list[float]]:
    """Next pressed ``repeats`` times from moment 1 (a click, then the key N in presenter mode): seconds to the bar's
    answer and to the next moment's figure; and from the key's press to the Next button's click."""
    from playground import lecture as lectures

    lecture = lectures.load(lectures.find("default"))
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(120_000)
    out = {"next": [], "next_figure": [], "key": []}
    try:
        page.goto(f"{base}/?lecture=default&moment=1&present=1")
        page.wait_for_function(DRAWN, arg=lecture.moment(1).figure, timeout=120_000)
        for i in range(min(repeats, len(lecture.moments) - 1)):
            nxt = lecture.moment(2 + i)
            page.evaluate("""() => { window.__mv = {};
              document.getElementById('lecture-next').addEventListener('click',
                () => { window.__mv.t0 = performance.now(); }, {capture: true, once: true}); }""")
            page.locator("#lecture-next").click()
            page.wait_for_function("says => (document.querySelector('#lecture-says')?.innerText || '').includes(says)",
                                   arg=nxt.says["en"][:30], polling=20)
            bar = page.evaluate("() => performance.now()")
            page.wait_for_function(DRAWN, arg=nxt.figure, polling=20)
            drawn = page.evaluate("() => performance.now()")
            t0 = page.evaluate("() => window.__mv.t0")
            out["next"].append((bar - t0) / 1000)
            out["next_figure"].append((drawn - t0) / 1000)
            page.wait_for_timeout(1500)  # the moment settles (its figure brought into view) before the next
        for _ in range(repeats):  # the key: keydown -> the page's handler clicks Next (its answer is Next's)
            page.evaluate("""() => { window.__key = {};
              window.addEventListener('keydown', (e) => { if (e.key === 'n') window.__key.t0 = performance.now(); },
                                      {capture: true, once: true});
              document.getElementById('lecture-next').addEventListener('click',
                () => { window.__key.t1 = performance.now(); }, {capture: true, once: true}); }""")
            page.keyboard.press("n")
            page.wait_for_function("() => window.__key.t1 !== undefined", timeout=10_000)
            key = page.evaluate("() => window.__key")
            out["key"].append((key["t1"] - key["t0"]) / 1000)
            page.wait_for_timeout(1500)
        return out
    finally:
        context.close()


def summary(measure: str, where: str, seconds: list[float]) -> dict:
    budget = BUDGETS[measure]
    med = statistics.median(seconds)
    row = {"measure": measure, "where": where, "n": len(seconds), "min_s": round(min(seconds), 3),
           "median_s": round(med, 3), "max_s": round(max(seconds), 3), "budget_s": budget}
    if budget is not None:
        row["meets_budget"] = med <= budget
    return row


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve() -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/", timeout=1).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the app did not answer within 120 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--url", default=None, help="a running app (default: start one)")
    ap.add_argument("--only", default="", help="comma-separated measures or tabs to run (default: all)")
    args = ap.parse_args()
    only = {s for s in args.only.split(",") if s}
    wanted = lambda *names: not only or bool(only & set(names))  # noqa: E731

    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    proc, base = (None, args.url.rstrip("/")) if args.url else serve()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=["--headless", "--no-sandbox", "--disable-gpu"])
            for tab in LIVE:
                if not wanted(tab, "click", "first_frame", "stop"):
                    continue
                runs = [start_and_stop(browser, base, tab, i) for i in range(args.repeats)]
                for measure in ("click", "first_frame", "stop"):
                    seconds = [r[measure] for r in runs if measure in r]
                    if seconds:
                        print(json.dumps(summary(measure, tab, seconds)), flush=True)
            if wanted("switch"):
                seconds = [s for _ in range(args.repeats) for s in switch(browser, base)]
                print(json.dumps(summary("switch", "language radio", seconds)), flush=True)
            if wanted("link"):
                seconds = [link(browser, base) for _ in range(args.repeats)]
                print(json.dumps(summary("link", "?lang=vi&tab=gan", seconds)), flush=True)
            if wanted("preset", "gan"):
                print(json.dumps(summary("preset", "gan", preset(browser, base, args.repeats))), flush=True)
            if wanted("epsilon", "interpolate", "vae"):
                tools = vae_tools(browser, base, args.repeats)
                for measure in ("epsilon", "interpolate"):
                    print(json.dumps(summary(measure, "vae", tools[measure])), flush=True)
            if wanted("grid_click", "attention"):
                print(json.dumps(summary("grid_click", "attention", grid_clicks(browser, base, args.repeats))),
                      flush=True)
            if wanted("lecture", "moment_link"):
                for number in MOMENTS:
                    runs = [moment_link(browser, base, number) for _ in range(args.repeats)]
                    for measure in ("page_shown", "moment_link"):
                        print(json.dumps(summary(measure, f"?lecture=default&moment={number}&lang=vi",
                                                 [r[measure] for r in runs])), flush=True)
            if wanted("lecture", "next", "key"):
                moves = lecture_moves(browser, base, max(3, args.repeats))
                for measure, where in (("next", "lecture bar"), ("next_figure", "lecture bar"), ("key", "N")):
                    print(json.dumps(summary(measure, where, moves[measure])), flush=True)
            for tab in REPLAYS:
                if wanted(tab, "replay"):
                    seconds = [replay(browser, base, tab) for _ in range(args.repeats)]
                    print(json.dumps(summary("replay", tab, seconds)), flush=True)
            browser.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
