"""Deep Learning Playground: assembles the tabs into one Gradio app.

Importing this module loads no model and touches no network; models load on first use.
Run ``python app.py`` (``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` pick the address).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Several sessions may run torch at once on few cores: idle OpenMP threads should sleep, not spin
# (spinning made a LoRA step ~10x slower on an oversubscribed 2-core machine). Must precede importing torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr  # noqa: E402

from tabs import live, pacing, urlstate  # noqa: E402
from tabs.common import wire_language  # noqa: E402
from tabs.i18n import DEFAULT_LANG, Translator  # noqa: E402
from tabs.plots import slide_ready_plots  # noqa: E402
from tabs.widgets import harden_inputs  # noqa: E402

ASSETS = Path(__file__).parent / "assets"

# (string key of the tab's title, module with build(tr, lang), element id)
TABS = [  # the course's order: transformers, generative models, transfer learning
    ("tab.attention", "tabs.attention", "attention"),
    ("tab.lab", "tabs.lab", "lab"),
    ("tab.gan", "tabs.gan", "gan"),
    ("tab.vae", "tabs.vae", "vae"),
    ("tab.genvsdisc", "tabs.genvsdisc", "genvsdisc"),
    ("tab.finetune", "tabs.finetune", "finetune"),
    ("tab.vision", "tabs.vision", "vision"),
]

LANGUAGES = [("English", "en"), ("Tiếng Việt", "vi")]


def _lang_from_request(request: gr.Request) -> str:
    """``?lang=vi`` in the address opens the app in Vietnamese (handy for a lecture link)."""
    lang = (request.query_params.get("lang") if request else None) or DEFAULT_LANG
    return lang if lang in dict((v, k) for k, v in LANGUAGES) else DEFAULT_LANG


def _from_address(request: gr.Request) -> list:
    """A link restores the language, the presenter mode, the open tab and every shared setting."""
    params = request.query_params if request else {}
    tab = params.get("tab")
    tabs_update = gr.Tabs(selected=tab) if tab in {t[2] for t in TABS} else gr.skip()
    present = params.get("present") in ("1", "true", "yes")
    return [_lang_from_request(request), present, tabs_update, *urlstate.restore(request)]


# The page stays hidden until the address's language has been applied, so a ?lang=vi link never shows English
# first; the presenter mode class is set from the same address before the first paint.
HEAD = """<script>
(() => {
  const q = new URLSearchParams(window.location.search);
  if (q.get('lang') && q.get('lang') !== 'en') document.documentElement.classList.add('lang-pending');
  if (['1', 'true', 'yes'].includes(q.get('present'))) document.documentElement.classList.add('present');
  setTimeout(() => document.documentElement.classList.remove('lang-pending'), 8000);  // never stay hidden
  // Presenter mode: a figure's block may declare a max-height (assets/style.css) and its plotly figure is drawn
  // to fit it: within the first screen when it starts there (the room below its top), so the main figure stays on
  // a projector's first screen. Plotly sets window.Plotly once loaded.
  const cap = (gd) => {
    if (!document.documentElement.classList.contains('present')) return null;
    const block = gd.closest('.block'), max = block && getComputedStyle(block).maxHeight;
    if (!max || !max.endsWith('px')) return null;
    const box = block.getBoundingClientRect(), top = box.top + window.scrollY;
    const room = box.width && top < window.innerHeight / 2 ? window.innerHeight - top - 8 : Infinity;
    return Math.floor(Math.min(parseFloat(max), room)) - 4;
  };
  // For the back of the room: markers half as large again, and every text at least 16 px, set in the figure itself
  // so that plotly sizes its margins for it (a CSS font size alone cuts long tick labels off).
  const larger = (trace) => !trace.marker || typeof trace.marker.size !== 'number' ? trace :
    {...trace, marker: {...trace.marker, size: Math.round(trace.marker.size * 1.5)}};
  const bump = (obj, depth) => {
    if (!obj || typeof obj !== 'object' || depth > 5) return obj;
    if (Array.isArray(obj)) return obj.length && typeof obj[0] === 'object' ? obj.map((o) => bump(o, depth + 1)) : obj;
    const out = {...obj};
    for (const [key, value] of Object.entries(obj)) {
      if (/font$/.test(key) && value && typeof value === 'object')
        out[key] = {...value, size: Math.max(value.size || 0, key === 'font' && depth === 1 ? 18 : 16)};
      else if (/^[xy]axis\\d*$/.test(key) && value && typeof value === 'object')
        out[key] = {automargin: true, ...bump(value, depth + 1)};
      else if (value && typeof value === 'object') out[key] = bump(value, depth + 1);
    }
    return out;
  };
  const readable = (layout) => {
    const out = bump(layout, 0);
    out.font = {...(out.font || {}), size: Math.max((out.font || {}).size || 0, 16)};
    if (typeof out.title === 'string') out.title = {text: out.title};
    return out;
  };
  const fitted = (gd, height) => { const c = cap(gd); return c && height > c ? Math.max(c, 240) : height; };
  let plotly;
  Object.defineProperty(window, 'Plotly', {configurable: true, get: () => plotly, set: (lib) => {
    plotly = lib;
    const react = lib.react;
    lib.react = function (gd, data, layout, config) {
      if (gd && gd.closest && layout && layout.height) {
        gd.dataset.height = layout.height;
        layout = {...layout, height: fitted(gd, layout.height)};
      }
      if (Array.isArray(data) && document.documentElement.classList.contains('present')) {
        data = data.map((trace) => bump(larger(trace), 1));
        if (layout) layout = readable(layout);
      }
      return react.call(this, gd, data, layout, config);
    };
  }});
  /*ACK_SCRIPT*/
  window.presenterRefit = () => {
    if (!plotly) return;
    for (const gd of document.querySelectorAll('.js-plotly-plot[data-height]'))
      plotly.relayout(gd, {height: fitted(gd, +gd.dataset.height)});
  };
})();
</script>""".replace("  /*ACK_SCRIPT*/", pacing.ACK_SCRIPT)
SHOW_PAGE = "() => { document.documentElement.classList.remove('lang-pending'); }"
PRESENT_JS = """(on) => {
    document.documentElement.classList.toggle('present', !!on);
    if (window.presenterRefit) window.presenterRefit();
    return on;
}"""


def build_demo() -> gr.Blocks:
    harden_inputs()
    slide_ready_plots()
    tr = Translator()
    # exports and uploads that Gradio keeps in its cache are removed after an hour
    with gr.Blocks(title="Deep Learning Playground", delete_cache=(900, 3600)) as demo:
        with gr.Row(equal_height=True, elem_id="header"):
            tr(gr.Markdown, value="app.title", elem_id="app-title")
            present = tr(gr.Checkbox, label="app.present", info="app.present_info", value=False,
                         elem_id="present", scale=0, min_width=200)
            lang = tr(gr.Radio, choices=LANGUAGES, value=DEFAULT_LANG, label="app.language",
                      elem_id="lang", scale=0, min_width=220)
        with gr.Tabs(elem_id="tabs") as tabs:
            for key, module, elem_id in TABS:
                with tr(gr.Tab, label=key, id=elem_id, elem_id=f"tab-{elem_id}"):
                    importlib.import_module(module).build(tr, lang)
        # one event relabels every widget and redraws every tab's figures in the new language
        wire_language(lang, tr.components, tr.updates).then(None, js=SHOW_PAGE, api_name=False, queue=False)
        present.change(None, present, present, js=PRESENT_JS, api_name=False, queue=False)
        shared = [w for _, w in urlstate.widgets()]
        demo.load(_from_address, None, [lang, present, tabs, *shared], api_visibility="private",
                  queue=False).then(None, js=SHOW_PAGE, api_name=False, queue=False)
        demo.unload(live.release_browser_session)  # a closed tab stops its runs and frees their models
    return demo


def launch_kwargs() -> dict:
    # uploads (the vision tab's images) are refused beyond a small size
    return dict(theme=gr.themes.Soft(), css=(ASSETS / "style.css").read_text(), max_file_size="10mb", head=HEAD,
                app_kwargs={"routes": list(pacing.ROUTES)},  # where the page acknowledges frames
                # streaming handlers wait for frames on worker threads: room for a class of sessions at once
                max_threads=128)


if __name__ == "__main__":
    import logging

    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("playground").setLevel(logging.INFO)  # one line per user error, tracebacks for bugs
    build_demo().queue(default_concurrency_limit=2).launch(**launch_kwargs())
